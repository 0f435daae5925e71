"""`draft` as a person uses it: local dates, status from anonymous officials and press
releases, a plain text's title, counts that the words do not give."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.tools.draft import Article, draft_article, read_article

FRIDAY = dt.date(2023, 10, 6)


def new(text, dataset, published=FRIDAY, **meta):
    found = draft_article(Article(text, "a.txt", published=published, **meta), dataset)
    return [d for d in found if d.is_new]


# --- local dates: never a day or two late --------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "published", "day"),
    [
        # a night attack reported the next morning
        ("late last night", dt.date(2023, 10, 6), dt.date(2023, 10, 5)),
        ("late on Thursday night", dt.date(2023, 10, 6), dt.date(2023, 10, 5)),
        # a Wednesday attack reported on Friday
        ("on Wednesday", dt.date(2023, 10, 6), dt.date(2023, 10, 4)),
        # 3 p.m. in Washington is 11 p.m. the same day in Iraq; 6 p.m. is 2 a.m. the next
        ("at 3 p.m. EST on Wednesday", dt.date(2023, 10, 6), dt.date(2023, 10, 4)),
        ("at 6 p.m. EST on Wednesday", dt.date(2023, 10, 6), dt.date(2023, 10, 5)),
    ],
)
def test_a_local_date_is_not_drafted_late(words, published, day, evaluation):
    (d,) = new(
        f"Two rockets struck the Green Village base {words}, a US official said.",
        evaluation,
        published,
    )
    assert d.record["date"] == day


# --- status ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "a US official said",
        "a defense official confirmed",
        "a senior administration official said",
        "an official, speaking on condition of anonymity, told Reuters",
        "according to a CENTCOM statement",
        "Operation Inherent Resolve said in a press release",
    ],
)
def test_anonymous_officials_and_press_releases_confirm(said, evaluation):
    (d,) = new(f"Two rockets struck the Green Village base on Thursday, {said}.", evaluation)
    assert d.record["status"] == "confirmed"


def test_an_official_who_is_looking_into_reports_does_not_confirm(evaluation):
    (d,) = new(
        "The Pentagon said it is looking into reports of rockets fired at the Green Village "
        "base on Thursday, local media reported.",
        evaluation,
    )
    assert d.record["status"] == "reported"


def test_the_official_source_of_the_lead_confirms_the_news_it_tells(evaluation):
    text = (
        "U.S. forces were attacked twice this week, according to U.S. Central Command.\n"
        "On Thursday, two drones targeted the Tower 22 base in Jordan.\n"
    )
    (d,) = new(text, evaluation)
    assert d.record["status"] == "confirmed"
    assert "Central Command" in d.evidence["status"]


# --- reading and counting -------------------------------------------------------------------------


def test_a_plain_text_without_a_header_takes_its_first_line_as_its_title(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Rockets hit US base in Syria\n\nTwo rockets struck the base on Friday.\n")
    assert read_article(str(path)).title == "Rockets hit US base in Syria"
    path.write_text("\n\n" + "x" * 400 + "\n")
    assert read_article(str(path)).title is None  # too long for a title


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("A barrage of rockets hit the Green Village base on Thursday.", None),
        ("Rockets hit the Green Village base on Thursday.", None),
        ("A rocket hit the Green Village base on Thursday.", 1),
        ("Three rockets hit the Green Village base on Thursday.", 3),
    ],
)
def test_rockets_in_the_plural_give_no_count_of_one(text, count, evaluation):
    (d,) = new(text, evaluation)
    assert d.record.get("projectiles") == count


@pytest.mark.parametrize(
    ("said", "casualties"),
    [
        ("No one was hurt in the attack.", {"unknown": {"injured": 0}}),
        ("The attack caused no casualties.", {"unknown": {"killed": 0, "injured": 0}}),
        ("No American troops were injured in the attack.", {"us": {"injured": 0}}),
        (
            "Three US service members were killed and 25 injured in the attack.",
            {"us": {"killed": 3, "injured": 25}},
        ),
    ],
)
def test_casualties_say_only_what_the_article_says(said, casualties, evaluation):
    (d,) = new(f"Drones hit the Tower 22 base on Thursday, a US official said. {said}", evaluation)
    assert d.record.get("casualties") == casualties
