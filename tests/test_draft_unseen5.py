"""`draft` on wording learned from the misses of the twelve-fold cross-validation (2026-12-08,
after heldout10 was measured unseen and became a fold)."""

from __future__ import annotations

import pytest
from conftest import FRIDAY_NEXT, drafts_in


@pytest.mark.parametrize(
    "text",
    [
        "The US Embassy in Iraq later said that it resulted only in some minor property damage.",
        "The security media cell later reported that the rockets landed near the base.",
    ],
)
def test_official_words_the_cross_validation_missed(text):
    from generator.tools.draft.decisions import official_word

    assert official_word(text)


def test_an_official_who_speaks_anywhere_in_the_article_is_a_status_feature(evaluation):
    from generator.tools.draft import Article, candidates
    from generator.tools.draft.features import STATUS_NAMES

    text = (
        "Rockets hit Erbil air base on Wednesday night, a Kurdish news agency "
        "reported. The rockets were launched from a village in Nineveh. Nobody has claimed "
        "responsibility so far. Spokesman Colonel Wayne Marotto said initial reports were that "
        "indirect fire did not land on coalition forces."
    )
    article = Article(text, "a.txt", published=FRIDAY_NEXT)
    (c,) = [c for c in candidates(article, evaluation) if c.draft.record.get("base")]
    said = dict(zip(STATUS_NAMES, c.status_features, strict=True))
    assert (said["official_any"], said["official_article"]) == (0.0, 1.0)
    assert c.status_evidence["confirmed"].startswith("Spokesman Colonel Wayne Marotto")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Two Iowa National Guard members and a U.S. civilian interpreter were killed in an "
            "attack in Palmyra, Syria, on Thursday, officials said.",
            ("Palmyra", "Syria"),
        ),
        (
            "A U.S. service member died on Thursday from wounds sustained in an improvised "
            "explosive device blast in northern Iraq, the coalition said in a statement.",
            (None, "Iraq"),
        ),
    ],
)
def test_us_troops_killed_in_an_attack_are_an_attack_where_it_happened(text, place, evaluation):
    (d,) = drafts_in(text, evaluation)
    record = d.record
    assert (record["kind"], record.get("location"), record["country"]) == ("attack", *place)
    assert str(record["date"]) == "2024-02-01"


def test_a_medal_for_wounds_is_no_attack(evaluation):
    """The limit of the rule above: US troops wounded, with no attack told, are no attack."""
    text = "A U.S. soldier who was wounded in Syria received the Purple Heart on Thursday."
    assert drafts_in(text, evaluation) == []


def test_an_incident_dated_by_the_day_it_was_said_takes_the_day_of_the_act(evaluation):
    text = (
        "The Iraqi military said on Friday that a child was injured by a rocket that hit the "
        "Green Zone, where the US embassy is. The rocket, launched late Wednesday from Baghdad's "
        "area of Ali Al-Saleh, landed next to a house, the statement said."
    )
    (d,) = [d for d in drafts_in(text, evaluation) if d.record["kind"] == "attack"]
    assert str(d.record["date"]) == "2024-01-31"
    assert d.evidence["date"].startswith("The rocket, launched late Wednesday")


def test_the_day_of_an_older_attack_told_as_a_reason_stays_its_own(evaluation):
    """The limit of the rule above: the day of an attack the strikes answer or resemble is not
    theirs."""
    text = (
        "US forces conducted airstrikes in Deir ez-Zor, Syria, the US military said late "
        "Tuesday. The strikes are meant to deter attacks like the one on Sunday against US "
        "personnel."
    )
    strikes = [d for d in drafts_in(text, evaluation) if d.record["kind"] == "strike"]
    assert [str(d.record["date"]) for d in strikes] == ["2024-01-30"]


def test_where_a_launch_is_told_at_length_is_not_what_it_hit(evaluation):
    text = (
        "Six rockets were launched from the borders of the Sheikh Amir village in Nineveh "
        "province by the Popular Mobilisation Forces, who were targeting coalition forces at "
        "Erbil air base on Thursday, the service said."
    )
    places = [d.record.get("base") or d.record.get("location") for d in drafts_in(text, evaluation)]
    assert places == ["erbil-air-base"]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # "Coalition" opening a sentence strikes for US forces
        (
            "Coalition jets struck Islamic State targets near Mosul on Monday, officials said.",
            "Mosul",
        ),
        # aircraft "pummeling" strike, and the Hamrin Mountains are a place of the gazetteer
        (
            "Coalition aircraft pummeled 10 ISIS cave complexes in the Hamrin Mountains on "
            "Monday, Operation Inherent Resolve said.",
            "Hamrin Mountains",
        ),
    ],
)
def test_coalition_aircraft_strike_where_they_hit(text, place, evaluation):
    drafts = [(d.record["kind"], d.record.get("location")) for d in drafts_in(text, evaluation)]
    assert drafts == [("strike", place)]


@pytest.mark.parametrize(
    "text",
    [
        # another state's attack on forces at a site the data does not list
        "The suspected Turkish aerial attack took place on Thursday in al-Qayrawan village, "
        "targeting “the forces who were guarding al-Hol camp,” the SDF said.",
        # where the attackers' aircraft came from
        "The attack on the militia depot on Thursday was allegedly carried out by an aircraft "
        "flying out of an American base near the border, possibly al-Tanf, a source said.",
        # others' position next to a base
        "Drone strikes on a position held by Iraqi Shia paramilitaries next to Balad air base "
        "on Thursday caused several explosions, Iraqi military officials said.",
    ],
)
def test_others_attacked_beside_a_site_hosting_us_forces_is_no_attack_on_it(text, evaluation):
    """From heldout11's no-incident articles, read after it was measured."""
    assert [d.record.get("base") for d in drafts_in(text, evaluation)] == []


def test_the_day_a_monitor_alleged_something_is_a_said_day(evaluation):
    text = (
        "US-led coalition air strikes in northern Syria have killed 29 civilians over the past "
        "24 hours, a war monitor alleged on Friday. The monitor said that 14 children died in "
        "coalition air raids on Raqqa city on Thursday evening."
    )
    strikes = [d for d in drafts_in(text, evaluation) if d.record["kind"] == "strike"]
    assert [str(d.record["date"]) for d in strikes] == ["2024-02-01"]
