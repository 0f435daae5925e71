"""`python -m generator draft` (`make draft`): incident records proposed from news articles.

Small articles written here test one rule each (dates, places, status wording, background,
duplicates, HTML, the outputs, `make new --from`); the seed articles and the development set
(tests/fixtures/articles/) test the whole against their answer keys, with floors just under
what the drafter reaches, so that a regression fails.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import yaml
from conftest import ROOT

from bench.draft import empty_copy, evaluate, key_cases, seed_cases
from generator.cli import main
from generator.project import Project
from generator.tools.draft import (
    Article,
    Gazetteer,
    dates_in,
    draft_article,
    read_article,
    tokens,
)
from generator.validate import load_dataset

ARTICLES = ROOT / "tests" / "fixtures" / "articles"
MONDAY = dt.date(2023, 10, 2)


@pytest.fixture(scope="module")
def sample():
    """The sample data: bases, actors and the 17 records."""
    return load_dataset(Project(ROOT), as_of=dt.date(2026, 1, 1))


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    """The sample bases and actors, and no incident."""
    return load_dataset(empty_copy(ROOT / "data", tmp_path_factory.mktemp("empty")))


def drafts(text: str, dataset, published: dt.date | None = MONDAY, **meta):
    return draft_article(Article(text, "article.txt", published=published, **meta), dataset)


def new(found):
    return [d for d in found if d.is_new]


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "published", "day"),
    [
        ("on Friday", MONDAY, dt.date(2023, 9, 29)),  # across the end of a month and a week
        ("late Sunday", MONDAY, dt.date(2023, 10, 1)),
        ("on Monday", MONDAY, MONDAY),  # the day it was published
        ("last Monday", MONDAY, dt.date(2023, 9, 25)),
        ("yesterday", dt.date(2024, 3, 1), dt.date(2024, 2, 29)),  # a leap day
        ("last night", dt.date(2024, 1, 1), dt.date(2023, 12, 31)),  # into the year before
        ("on December 30", dt.date(2024, 1, 2), dt.date(2023, 12, 30)),  # the year inferred
        ("on Jan. 3, 2020", MONDAY, dt.date(2020, 1, 3)),
        ("(8/15)", dt.date(2022, 8, 24), dt.date(2022, 8, 15)),
        ("on Christmas Day", dt.date(2024, 1, 2), dt.date(2023, 12, 25)),  # a holiday's day
        ("on New Year's Eve", dt.date(2022, 1, 1), dt.date(2021, 12, 31)),
    ],
)
def test_relative_and_absolute_dates_are_resolved_against_the_publication(words, published, day):
    (when,) = [w for w in dates_in(f"Rockets hit the base {words}.", published) if w.day]
    assert when.day == day


def test_a_weekday_in_an_article_gives_the_incident_its_day():
    (d,) = drafts(
        "Two rockets struck the Green Village base on Friday, a US official said.", load_sample()
    )
    assert d.record["date"] == dt.date(2023, 9, 29)
    assert "date_precision" not in d.record
    assert d.record["notes"] == (
        'Dated from "on Friday" in the article, published on Monday 2 October 2023: '
        "Friday 29 September 2023."
    )


def test_last_week_is_a_date_to_within_a_week():
    (when,) = dates_in("The base was attacked last week.", MONDAY)
    assert (when.day, when.precision) == (dt.date(2023, 9, 25), "week")


def test_without_a_publication_date_relative_dates_are_not_guessed(empty):
    (d,) = drafts(
        "Two rockets struck the Green Village base on Friday evening, the Pentagon said.",
        empty,
        published=None,
    )
    assert "date" not in d.record
    assert any('"on Friday evening"' in need and "--published" in need for need in d.needs)
    item = json.loads(_json([d]))[0]
    assert item["date"] is None and item["needs"]


def test_an_absolute_date_needs_no_publication_date(empty):
    (d,) = drafts(
        "On March 13, 2023, two rockets landed at Mission Support Site Green Village, "
        "CENTCOM said.",
        empty,
        published=None,
    )
    assert d.record["date"] == dt.date(2023, 3, 13)


# --- places --------------------------------------------------------------------------------------


def load_sample():
    return load_dataset(Project(ROOT), as_of=dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    ("text", "base"),
    [
        ("Rockets hit Ain Assad on Monday.", "ain-al-asad"),  # an alias
        ("Rockets hit the Ain al-Asad Air Base on Monday.", "ain-al-asad"),  # the name
        ("Rockets hit the al-Assad base on Monday.", "ain-al-asad"),
        ("Rockets hit Ain Al-Assad Air Base on Monday.", "ain-al-asad"),  # other case
        ("Rockets hit the Al-Assad Airbase on Monday.", "ain-al-asad"),  # misspelt
        ("Rockets hit the Green Vilage base on Monday.", "green-village"),  # misspelt
        ("Drones attacked the At-Tanf garrison.", "al-tanf"),
        ("Rockets landed near the Koniko gas field.", "conoco"),
        ("Bashar al-Assad's forces shelled the town.", None),  # a person, not the base
        ("Pro-Assad militias fired rockets.", None),
    ],
)
def test_bases_are_found_by_their_names_aliases_and_misspellings(text, base, empty):
    found = Gazetteer(empty).bases_in(text, tokens(text))
    assert [p.base for p in found][:1] == ([base] if base else [])


@pytest.mark.parametrize(
    "text",
    ["A drone fell inside Erbil AB on Friday.", "Two drones were shot down over Erbil Air Base."],
)
def test_a_base_is_found_with_its_kind_of_place_abbreviated(text, evaluation):
    found = Gazetteer(evaluation).bases_in(text, tokens(text))
    assert [p.base for p in found][:1] == ["erbil-air-base"]


def test_the_killing_of_americans_at_a_base_is_an_attack_on_it(evaluation):
    (d,) = new(
        drafts(
            "The killing of two Americans at the Tower 22 base on Sunday shocked Washington.",
            evaluation,
        )
    )
    assert (d.record["kind"], d.record["base"]) == ("attack", "tower-22")


def test_a_strike_is_placed_by_its_town_and_country(empty):
    (d,) = drafts(
        "US forces carried out airstrikes on Tuesday against Iran-backed militias in "
        "Al-Mayadin, the Pentagon said.",
        empty,
    )
    assert d.record["kind"] == "strike"
    assert (d.record["location"], d.record["country"]) == ("Al-Mayadin", "Syria")
    assert d.record["weapon"] == "airstrike"


def test_a_strike_in_two_countries_is_one_record_per_country(evaluation):
    found = new(
        drafts(
            "On December 29, the United States launched airstrikes on five sites in "
            "Iraq and Syria controlled by Kata'ib Hezbollah.",
            evaluation,
            published=dt.date(2019, 12, 30),
        )
    )
    assert sorted(d.record["country"] for d in found) == ["Iraq", "Syria"]


# --- status --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "status"),
    [
        ("the Pentagon said", "confirmed"),
        ("a US official confirmed", "confirmed"),
        ("CENTCOM said in a statement", "confirmed"),
        ("according to a US defense official", "confirmed"),
        ("an official with the coalition told reporters", "confirmed"),  # the forces' word
        ("according to Iraqi security forces", "confirmed"),
        ("an Iraqi military statement said", "confirmed"),
        ("and the Islamic Resistance in Iraq claimed responsibility", "claimed"),
        ("and a militia group claimed they had targeted the base", "claimed"),
        ("local media reported", "reported"),
        ("the Syrian Observatory for Human Rights, a war monitor, said", "reported"),
        ("according to local sources", "reported"),
    ],
)
def test_status_comes_from_who_said_it(said, status, evaluation):
    (d,) = new(drafts(f"Two rockets struck the Green Village base on Friday, {said}.", evaluation))
    assert d.record["status"] == status
    assert said.split()[-1] in d.evidence["status"]


def test_a_us_strike_told_as_fact_in_quotation_marks_is_confirmed(evaluation):
    text = (
        "American forces “conducted precise strikes on two depots” near Mayadin, Syria, on Sunday."
    )
    (d,) = new(drafts(text, evaluation))
    assert (d.record["kind"], d.record["status"]) == ("strike", "confirmed")


def test_an_official_word_before_a_recalled_attack_is_about_the_news(evaluation):
    text = (
        "Rockets hit the Union III base on Sunday, local media reported. A US military "
        "statement said troops found the launchers used in the attack. It is the latest in a "
        "string of rocket attacks that have targeted American bases in Iraq in recent weeks."
    )
    (d,) = new(drafts(text, evaluation))
    assert (d.record["base"], d.record["status"]) == ("union-iii", "confirmed")


def test_an_official_who_did_not_comment_does_not_confirm(evaluation):
    (d,) = new(
        drafts(
            "Rockets hit the Green Village base on Friday, local sources said. US "
            "officials had not yet provided a comment on the attack.",
            evaluation,
        )
    )
    assert d.record["status"] == "reported"


def test_an_official_statement_said_not_to_exist_does_not_confirm(evaluation):
    text = (
        "Two rockets struck the Green Village base on Friday, local media reported. There "
        "was no immediate statement from the US side on the attack."
    )
    (d,) = new(drafts(text, evaluation))
    assert d.record["status"] == "reported"


def test_a_claim_denied_or_habitual_is_not_a_claim(evaluation):
    for said in (
        "no group has claimed responsibility",
        "such attacks are usually claimed by the Islamic Resistance in Iraq",
        "similar attacks last month were claimed by a militia",
    ):
        (d,) = new(
            drafts(
                f"Two rockets struck the Green Village base on Friday, local media "
                f"reported; {said}.",
                evaluation,
                published=MONDAY - dt.timedelta(days=2),  # the next day: news, not a doubt
            )
        )
        assert d.record["status"] == "reported", said


@pytest.mark.parametrize(
    ("meta", "where"),
    [
        ({"publisher": "U.S. Central Command"}, "published by U.S. Central Command"),
        ({"url": "https://www.centcom.mil/MEDIA/PRESS-RELEASES/x/"}, "published at https://"),
    ],
)
def test_an_article_an_official_body_publishes_confirms_what_it_reports(meta, where, evaluation):
    (d,) = new(drafts("Two rockets struck the Green Village base on Friday.", evaluation, **meta))
    assert d.record["status"] == "confirmed"
    assert d.evidence["status"].startswith(where)


def test_us_forces_as_the_subject_make_a_strike_and_as_the_object_an_attack(evaluation):
    (strike,) = new(
        drafts(
            "US artillery targeted rocket launchers near Mayadin, Syria, on "
            "Friday, the coalition said.",
            evaluation,
        )
    )
    assert strike.record["kind"] == "strike"
    (attack,) = new(
        drafts(
            "US troops at the Green Village base were hit by a drone on Friday, "
            "a US official said.",
            evaluation,
        )
    )
    assert attack.record["kind"] == "attack"


def test_a_strike_the_article_says_us_forces_carried_out_is_a_us_strike(evaluation):
    text = (
        "A drone strike near Mayadin on Friday killed a militia leader. An official said "
        "the strike was carried out by US forces."
    )
    (strike,) = new(drafts(text, evaluation))
    assert (strike.record["kind"], strike.record["country"]) == ("strike", "Syria")


def test_the_weapons_of_what_a_strike_answered_are_not_its_own(evaluation):
    text = (
        "In response to the drone attacks, US artillery struck militants near Mayadin, Syria, "
        "on Sunday, the Pentagon said."
    )
    strike = next(d for d in new(drafts(text, evaluation)) if d.record["kind"] == "strike")
    assert strike.record["weapon"] == "artillery"


def test_an_attack_us_forces_carried_out_is_a_strike_of_unstated_weapon(evaluation):
    text = "The US military carried out an attack near Mayadin, Syria, on Sunday night."
    (d,) = new(drafts(text, evaluation))
    assert d.record["kind"] == "strike"
    assert d.record["weapon"] == "unknown"  # "an attack" says nothing of aircraft


def test_what_a_strike_hit_and_what_only_watched_are_not_its_weapons(evaluation):
    hit = "US aircraft struck missile posts and drone launch sites near Mayadin, Syria, on Friday"
    (strike,) = new(drafts(f"{hit}, the Pentagon said.", evaluation))
    assert strike.record["weapon"] == "airstrike"
    (attack,) = new(
        drafts(
            "Rockets struck the Green Village base on Friday, a US official said, "
            "as reconnaissance drones flew overhead.",
            evaluation,
        )
    )
    assert attack.record["weapon"] == "rocket"


# --- what an article reports, and what it recalls ---------------------------------------------


BACKGROUND = (
    "Two rockets struck the Green Village base on Friday, a US official said. "
    "The base had been hit in January, when eight rockets landed inside its perimeter.\n"
    "Since October 17 there have been 60 attacks on US forces in Iraq and Syria.\n"
    "Iran's January 2020 missile attack on Ain al-Asad injured more than 100 US troops."
)


def test_background_mentions_are_listed_apart_from_the_news(empty):
    found = drafts(BACKGROUND, empty)
    (news,) = new(found)
    assert (news.record["base"], news.record["date"]) == ("green-village", dt.date(2023, 9, 29))
    back = [d for d in found if d.background]
    assert {d.record.get("base") for d in back} >= {"ain-al-asad", "green-village"}
    assert any(d.aggregate == 60 for d in back)
    assert found[0] is news  # the news first, then the background


def test_an_attack_on_a_weekday_well_before_the_article_is_recalled(evaluation):
    found = drafts(
        "Drones struck the Green Village base on Saturday, a US official said. Rockets "
        "hit the Tower 22 base last Wednesday.",
        evaluation,
    )
    assert [d.record["base"] for d in new(found)] == ["green-village"]
    assert [d.record["base"] for d in found if d.background] == ["tower-22"]


def test_what_attacks_have_hit_so_far_is_a_summary_not_news(evaluation):
    found = drafts(
        "Militia attacks on American troops have also struck the Tower 22 base.", evaluation
    )
    assert found and not new(found)


def test_what_an_attack_led_to_does_not_make_it_background(evaluation):
    (d,) = drafts(
        "Rockets hit the Tower 22 base on Sunday, a US official said, raising fears of "
        "unrest ahead of the anniversary of the war.",
        evaluation,
    )
    assert d.is_new and d.record["base"] == "tower-22"


def test_what_happens_frequently_is_background(evaluation):
    found = drafts(
        "Drones hit the Tower 22 base on Sunday, a US official said. US bases in Syria "
        "are frequently targeted by rocket attacks.",
        evaluation,
    )
    assert [d.record.get("base") for d in new(found)] == ["tower-22"]


def test_attacks_in_general_that_a_strike_answers_are_not_an_incident(evaluation):
    text = (
        "In a move against attacks targeting US troops, American jets struck a depot near "
        "Mayadin, Syria, on Sunday, the Pentagon said."
    )
    found = new(drafts(text, evaluation))
    assert [d.record["kind"] for d in found] == ["strike"]


def test_another_attack_on_the_same_base_is_a_second_incident(evaluation):
    text = (
        "Four rockets landed near the Tower 22 base on Sunday, while another attack involved a "
        "drone and two rockets near the base perimeter, a US official said."
    )
    found = new(drafts(text, evaluation))
    assert [d.record["base"] for d in found] == ["tower-22", "tower-22"]
    assert [d.record["weapon"] for d in found] == ["rocket", ["rocket", "drone"]]


def test_attacks_of_recent_months_do_not_join_todays_attack(evaluation):
    text = (
        "Rockets hit the Union III base on Sunday, a US official said. In recent months, "
        "drone attacks have targeted American troops in Iraq."
    )
    found = drafts(text, evaluation)
    (news,) = new(found)
    assert (news.record["base"], news.record["weapon"]) == ("union-iii", "rocket")
    assert any(d.background for d in found)


def test_several_incidents_in_one_article_are_each_drafted(evaluation):
    found = new(
        drafts(
            "The drones targeted the al-Harir air base and al-Asad base on Sunday, "
            "Reuters reported, citing U.S. officials.",
            evaluation,
        )
    )
    assert sorted(d.record["base"] for d in found) == ["ain-al-asad", "al-harir"]
    assert all(d.record["weapon"] == "drone" and d.record["status"] == "confirmed" for d in found)


def test_numbers_and_casualties_by_side_with_ranges(evaluation):
    (d,) = new(
        drafts(
            "At least three rockets were fired at the Erbil airport on Monday, killing "
            "a contractor and wounding at least 5 US soldiers, the coalition said.",
            evaluation,
        )
    )
    assert d.record["projectiles"] == 3
    assert d.record["casualties"]["us"]["injured"] == {"min": 5}


def test_the_article_sentences_are_never_copied_into_a_record_field(evaluation):
    for path in sorted((ARTICLES / "dev").glob("*.txt")):
        article = read_article(str(path))
        words = re.findall(r"\w+", article.text.lower())
        runs = {" ".join(words[n : n + 8]) for n in range(len(words) - 7)}
        for d in draft_article(article, evaluation):
            for key, value in d.record.items():
                if isinstance(value, str):
                    text = " ".join(re.findall(r"\w+", value.lower()))
                    assert not any(run in text for run in runs), (path.name, key, value)
            assert "summary" not in d.record


# --- the data: already recorded -----------------------------------------------------------------


def test_an_incident_already_recorded_says_so_and_what_the_article_adds(sample):
    text = (
        "On Monday, two drones were shot down at Camp Victory near Baghdad airport, the "
        "Pentagon said."
    )
    (d,) = drafts(
        text,
        sample,
        published=dt.date(2022, 1, 4),
        publisher="CNN",
        title="Drones downed over Baghdad base",
    )
    assert d.duplicate_of == "2022-01-03-camp-victory-drones"
    assert d.adds["status"] == "confirmed"  # the record says reported
    assert d.adds["projectiles"] == 2
    assert d.adds["sources"] == [
        {
            "publisher": "CNN",
            "title": "Drones downed over Baghdad base",
            "published": dt.date(2022, 1, 4),
        }
    ]
    yaml_text = _yaml([d])
    assert "already recorded as 2022-01-03-camp-victory-drones" in yaml_text
    assert "duplicate_of: 2022-01-03-camp-victory-drones" in yaml_text


def test_the_seed_articles_come_out_as_duplicates_of_their_records(sample):
    cases = seed_cases(sample)
    for case in cases:
        article = read_article(str(case.path), published=case.published)
        found = [d for d in draft_article(article, sample) if not d.background]
        assert found and all(d.duplicate_of for d in found), case.path.name


def test_a_strike_answering_a_recorded_attack_responds_to_it(sample):
    text = (
        "US forces conducted airstrikes in Deir ez-Zor on Tuesday, the Pentagon said. The "
        "strikes were a response to the attacks of August 15 against US personnel."
    )
    (d,) = [d for d in drafts(text, sample, published=dt.date(2022, 8, 24)) if not d.background]
    assert d.record["responds_to"] == [
        "2022-08-15-al-tanf-drones",
        "2022-08-15-green-village-rockets",
    ]


# --- reading articles -----------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html lang="en"><head>
<title>Rockets hit US base in Syria | Example News</title>
<meta property="og:title" content="Rockets hit US base in Syria">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2023-10-02T08:00:00Z">
<link rel="canonical" href="https://news.example.com/2023/10/02/rockets">
</head><body><nav>Home | World | Sport | Contact us</nav>
<article><h1>Rockets hit US base in Syria</h1>
<p>Two rockets struck the Green Village base on Friday, a US official said.</p>
<p>Nobody was hurt in the attack, the official added, and the damage was being assessed.</p>
</article><footer>Copyright Example News. All rights reserved.</footer></body></html>
"""


def test_an_html_article_gives_its_text_and_metadata(tmp_path, empty):
    page = tmp_path / "rockets.html"
    page.write_text(HTML, "utf-8")
    article = read_article(str(page))
    assert (article.title, article.publisher, article.published, article.url) == (
        "Rockets hit US base in Syria",
        "Example News",
        MONDAY,
        "https://news.example.com/2023/10/02/rockets",
    )
    assert "Home | World" not in article.text
    (d,) = new(draft_article(article, empty))
    assert d.record["date"] == dt.date(2023, 9, 29)
    assert d.record["sources"] == [
        {
            "publisher": "Example News",
            "published": MONDAY,
            "title": "Rockets hit US base in Syria",
            "url": "https://news.example.com/2023/10/02/rockets",
        }
    ]


def test_a_text_article_may_start_with_a_header(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "url: https://example.com/a\npublisher: CNN\ntitle: Rockets hit base\n"
        "published: 2023-10-02\n---\nTwo rockets struck the base.\n"
    )
    article = read_article(str(path))
    assert (article.publisher, article.title, article.published, article.url) == (
        "CNN",
        "Rockets hit base",
        MONDAY,
        "https://example.com/a",
    )
    assert article.text.strip() == "Two rockets struck the base."


def test_a_dateline_in_the_text_gives_the_publication_date(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Rockets hit base\nTue, 01/04/2022 – 20:25\n\nTwo rockets struck the base.\n")
    assert read_article(str(path)).published == dt.date(2022, 1, 4)


# --- the command and its outputs ----------------------------------------------------------------


def _yaml(found) -> str:
    from generator.tools.draft import as_yaml

    return as_yaml([(Article("", "article.txt"), found)])


def _json(found) -> str:
    from generator.tools.draft import as_json

    return as_json([(Article("", "article.txt"), found)])


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        import io

        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_yaml_output_reads_like_record_files_with_the_evidence_as_comments(
    empty_project, capsys
):
    path = empty_project.root / "a.txt"
    path.write_text(BACKGROUND)
    code, out, err = run(
        capsys,
        "--root",
        str(empty_project.root),
        "draft",
        str(path),
        "--published",
        "2023-10-02",
        "--publisher",
        "CNN",
        "--title",
        "Rockets hit base",
    )
    assert (code, err) == (0, "")
    docs = [d for d in yaml.safe_load_all(out) if d is not None]
    first = docs[0]
    assert first == {
        "date": dt.date(2023, 9, 29),
        "kind": "attack",
        "base": "green-village",
        "weapon": "rocket",
        "status": "confirmed",
        "projectiles": 2,
        "notes": 'Dated from "on Friday" in the article, published on Monday 2 October 2023: '
        "Friday 29 September 2023.",
        "sources": [
            {"publisher": "CNN", "title": "Rockets hit base", "published": dt.date(2023, 10, 2)}
        ],
    }
    assert all(d.get("background") for d in docs[1:])
    block = out.split("---\n")[1]
    assert "# Draft 1 of" in block and "new attack" in block
    assert (
        "#   date, kind, base, weapon, status, projectiles: “Two rockets struck the Green" in block
    )
    assert "\nsummary:" not in out  # the person writes it


def test_the_json_output_has_the_fields_evidence_and_marks(empty_project, capsys):
    path = empty_project.root / "a.txt"
    path.write_text(BACKGROUND)
    code, out, _ = run(
        capsys,
        "--root",
        str(empty_project.root),
        "draft",
        str(path),
        "--published",
        "2023-10-02",
        "--json",
    )
    assert code == 0
    items = json.loads(out)
    news = items[0]
    assert (news["date"], news["kind"], news["base"], news["summary"]) == (
        "2023-09-29",
        "attack",
        "green-village",
        None,
    )
    assert set(news["evidence"]) >= {"date", "kind", "base", "weapon", "status"}
    assert news["evidence"]["base"].startswith("Two rockets struck the Green Village base")
    assert "background" not in news and "duplicate_of" not in news
    assert all(i["background"] is True for i in items[1:])


def test_the_json_output_marks_what_is_already_recorded(project, capsys):
    path = project.root / "a.txt"
    path.write_text("On Monday in Iraq, US forces came under drone attack at Camp Victory.")
    code, out, _ = run(
        capsys,
        "--root",
        str(project.root),
        "draft",
        str(path),
        "--published",
        "2022-01-04",
        "--json",
    )
    assert code == 0
    (item,) = json.loads(out)
    assert item["duplicate_of"] == "2022-01-03-camp-victory-drones"


def test_standard_input_is_an_article(empty_project, capsys, monkeypatch):
    code, out, _ = run(
        capsys,
        "--root",
        str(empty_project.root),
        "draft",
        "-",
        "--published",
        "2023-10-02",
        "--json",
        stdin="Rockets hit Ain Assad on Monday.",
        monkeypatch=monkeypatch,
    )
    assert code == 0
    assert json.loads(out)[0]["base"] == "ain-al-asad"


def test_a_missing_article_or_bad_date_is_a_message_not_a_traceback(empty_project, capsys):
    code, _, err = run(capsys, "--root", str(empty_project.root), "draft", "nowhere.txt")
    assert (code, err) == (1, "nowhere.txt: no such file; give a text, Markdown or HTML file\n")
    code, _, err = run(
        capsys, "--root", str(empty_project.root), "draft", "x.txt", "--published", "2023-13-01"
    )
    assert code == 2 and "--published" in err


def test_make_new_from_a_draft_writes_the_draft_and_the_summary(empty_project, capsys):
    article = empty_project.root / "a.txt"
    article.write_text(
        "At least three rockets struck the Green Village base late on Friday, "
        "wounding two US soldiers, the Pentagon said."
    )
    code, out, _ = run(
        capsys,
        "--root",
        str(empty_project.root),
        "draft",
        str(article),
        "--published",
        "2023-10-02",
        "--publisher",
        "CNN",
        "--title",
        "Rockets hit Green Village",
    )
    assert code == 0
    draft_file = empty_project.root / "draft.yaml"
    draft_file.write_text(out)
    (drafted,) = [d for d in yaml.safe_load_all(out) if d]
    summary = "Rockets were fired at Green Village; two US soldiers were hurt."
    code, out, err = run(
        capsys,
        "--root",
        str(empty_project.root),
        "new",
        "--from",
        str(draft_file),
        "--no-input",
        "--summary",
        summary,
    )
    assert (code, err) == (0, "")
    (written,) = empty_project.incidents_dir.rglob("*.yaml")
    record = yaml.safe_load(written.read_text())
    assert record == {"id": written.stem, **drafted, "summary": summary}
    assert record["casualties"] == {"us": {"injured": 2}}


def test_make_new_from_a_draft_asks_only_to_confirm_and_for_the_summary(
    empty_project, capsys, monkeypatch
):
    article = empty_project.root / "a.txt"
    article.write_text("Two rockets struck the Green Village base on Friday, the Pentagon said.")
    draft_file = empty_project.root / "draft.json"
    _, out, _ = run(
        capsys,
        "--root",
        str(empty_project.root),
        "draft",
        str(article),
        "--json",
        "--published",
        "2023-10-02",
        "--publisher",
        "CNN",
        "--title",
        "Rockets",
    )
    draft_file.write_text(out)
    answers = "\n" * 9 + "My own words about the rockets.\n" + "\n" * 6
    code, out, err = run(
        capsys,
        "--root",
        str(empty_project.root),
        "new",
        "--from",
        str(draft_file),
        stdin=answers,
        monkeypatch=monkeypatch,
    )
    assert code == 0, err
    assert "[green-village]" in out and "[confirmed]" in out  # offered to confirm
    (written,) = empty_project.incidents_dir.rglob("*.yaml")
    record = yaml.safe_load(written.read_text())
    assert record["summary"] == "My own words about the rockets."
    assert (record["base"], record["date"]) == ("green-village", dt.date(2023, 9, 29))


def test_make_new_from_refuses_a_duplicate_and_asks_which_of_several(project, capsys):
    draft_file = project.root / "d.json"
    draft_file.write_text(
        json.dumps(
            [
                {"kind": "attack", "duplicate_of": "2022-01-03-camp-victory-drones"},
                {"kind": "attack", "base": "al-tanf", "date": "2022-08-15"},
                {"kind": "attack", "base": "conoco", "date": "2022-08-24"},
            ]
        )
    )
    code, _, err = run(
        capsys, "--root", str(project.root), "new", "--from", str(draft_file), "--no-input"
    )
    assert code == 1 and "holds 2 new drafts; choose one with --draft N" in err
    code, _, err = run(
        capsys,
        "--root",
        str(project.root),
        "new",
        "--from",
        str(draft_file),
        "--draft",
        "1",
        "--no-input",
    )
    assert code == 1 and "already recorded as 2022-01-03-camp-victory-drones" in err


# --- the evaluation sets ----------------------------------------------------------------


def test_the_seed_articles_recover_the_sample_records(sample, empty):
    result = evaluate(seed_cases(sample), empty)
    assert len(result.recovered) >= 15, sorted(result.keyed_ids - result.recovered)
    assert result.extras <= 2


@pytest.mark.parametrize(("name", "floor"), [("dev", 0.95), ("test", 0.88), ("heldout", 0.90)])
def test_the_development_sets_stay_above_their_floors(name, floor, evaluation):
    # measured 0.97, 0.94 and 0.94 (heldout has been read to fix rules: development data
    # now); speed is `make bench-draft`'s to measure, not a test's
    result = evaluate(key_cases(name), evaluation)
    assert result.triple.f1 >= floor
    assert result.exact >= 0.92 * result.triple.found  # exact: 43 of 44, 27 of 29, 35 of 36
    assert result.fields["status"].f1 >= 0.85 and result.fields["weapon"].f1 >= 0.85


def test_the_answer_key_names_only_bases_of_the_evaluation_data(evaluation):
    used = set(re.findall(r"(?m)^ +base: ([a-z0-9-]+)$", (ARTICLES / "key.yaml").read_text()))
    assert used <= set(evaluation.base_by_id)
    counts = {name: len(key_cases(name)) for name in ("dev", "test", "heldout", "heldout3")}
    assert counts == {"dev": 32, "test": 26, "heldout": 30, "heldout3": 30}
    for name in counts:
        assert len(list((ARTICLES / name).glob("*.txt"))) == counts[name]


def test_the_drafter_is_a_package_of_modules_under_600_lines():
    """Issue 19's shape: reading, sentences, dates, places, clauses, mentions, decisions,
    fields and output each a module a person can read through, none of 600 lines or more."""
    from pathlib import Path

    import generator.tools.draft as package

    sizes = {
        path.name: len(path.read_text(encoding="utf-8").splitlines())
        for path in Path(package.__file__).parent.glob("*.py")
    }
    assert len(sizes) >= 10
    assert {name: n for name, n in sizes.items() if n >= 600} == {}
