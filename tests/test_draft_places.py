"""`draft` finds places through the shared gazetteer (generator/gazetteer/): sites that hosted
US forces but are not the data's bases, towns and provinces, and strikes told through their
area or target, each drafted at the most specific place the article names."""

from __future__ import annotations

import pytest
from conftest import new_drafts

from generator.gazetteer import load as load_gazetteer
from generator.tools.draft import Gazetteer, tokens


@pytest.mark.parametrize(
    ("text", "location", "country"),
    [
        ("Two rockets hit the Besmaya base on Friday, a US official said.", "Besmaya", "Iraq"),
        ("A drone struck Qayyara air base on Friday, officials said.", "Qayyarah", "Iraq"),
        ("Rockets targeted the Himo base near Qamishli on Friday.", "Hemo", "Syria"),
        (
            "A drone attacked the Baghdad Diplomatic Support Center on Friday, the State "
            "Department said.",
            "Baghdad Diplomatic Support Center",
            "Iraq",
        ),
        ("Rockets landed at Camp Speicher on Friday.", "Camp Speicher", "Iraq"),
    ],
)
def test_a_site_that_is_not_a_base_of_the_data_is_drafted_by_name_and_country(
    text, location, country, evaluation
):
    (d,) = new_drafts(text, evaluation)
    assert d.record["kind"] == "attack"
    assert "base" not in d.record
    assert location in d.record["location"] and d.record["country"] == country


def test_a_base_of_the_data_takes_the_other_names_of_its_gazetteer_site(evaluation):
    text = "Rockets hit LSA Anaconda on Friday, a US official said."
    found = Gazetteer(evaluation).bases_in(text, tokens(text))
    assert [p.base for p in found] == ["balad-air-base"]
    (d,) = new_drafts(text, evaluation)
    assert d.record["base"] == "balad-air-base"


def test_a_town_named_by_the_gazetteer_places_a_strike(evaluation):
    (d,) = new_drafts(
        "US aircraft struck weapons depots in Jurf al-Sakhar on Friday, the Pentagon said.",
        evaluation,
    )
    assert (d.record["kind"], d.record["country"]) == ("strike", "Iraq")
    assert "Jurf al-Sakhar" in d.record["location"]


def test_a_strike_is_placed_at_the_place_and_the_area_it_lies_in(evaluation):
    (d,) = new_drafts(
        "A US drone strike hit a car in Mashtal, eastern Baghdad, on Wednesday, killing a "
        "commander, US officials said.",
        evaluation,
    )
    assert d.record["kind"] == "strike"
    assert (d.record["location"], d.record["country"]) == ("Mashtal, eastern Baghdad", "Iraq")


def test_a_strike_near_a_base_told_by_its_distance_is_near_the_base(evaluation):
    (d,) = new_drafts(
        "US forces struck a rocket launcher 7 km east of al-Asad on Friday, CENTCOM said.",
        evaluation,
    )
    assert d.record["kind"] == "strike"
    assert d.record["location"].startswith("near ")


def test_ordinary_words_are_not_towns(evaluation):
    found = Gazetteer(evaluation).places_in(
        "Hit by rockets, Sadr's movement said the Main road was closed.",
        tokens("Hit by rockets, Sadr's movement said the Main road was closed."),
    )
    assert found == []


@pytest.mark.parametrize(
    ("text", "base"),
    [
        (
            "An Iraqi base housing American troops was hit by a Katyusha rocket on Friday in "
            "Kirkuk, security sources said.",
            "k1-kirkuk",
        ),
        (
            "Rockets fell near an Iraqi army base in Balad used by US troops on Friday, the "
            "coalition said.",
            "balad-air-base",
        ),
    ],
)
def test_an_unnamed_base_in_a_town_is_the_one_site_by_that_town(text, base, evaluation):
    (d,) = new_drafts(text, evaluation)
    assert (d.record["kind"], d.record.get("base")) == ("attack", base)


@pytest.mark.parametrize(
    "text",
    [
        # nine sites lie within 25 km of Baghdad: the town it stays
        "Rockets hit an Iraqi base in Baghdad hosting US troops on Friday, officials said.",
        # troops, not a base: they may be anywhere in the town
        "US troops came under rocket fire in Kirkuk on Friday, officials said.",
        # Deir ez-Zor is a province of three bases as well as a town
        "A drone attacked a base hosting US forces in Deir ez-Zor on Friday, officials said.",
    ],
)
def test_a_town_is_not_taken_for_a_base_when_it_could_be_another(text, evaluation):
    (d,) = new_drafts(text, evaluation)
    assert d.record["kind"] == "attack"
    assert "base" not in d.record and d.record["location"]


def test_the_gazetteer_finds_the_one_base_by_a_town_and_no_base_by_a_crowded_one():
    sites = load_gazetteer()
    assert sites.site_by_town("Kirkuk", "Iraq").id == "k1-kirkuk"
    assert sites.site_by_town("Balad", "Iraq").id == "balad-air-base"
    assert sites.site_by_town("Baghdad", "Iraq") is None  # nine sites within 25 km
    assert sites.site_by_town("Hasakah", "Syria") is None  # a province of eleven bases
    assert sites.site_by_town("Nasiriyah", "Iraq") is None  # no base near
    assert sites.site_by_town("Atlantis") is None


def test_a_town_in_a_persons_name_is_not_where_a_strike_was(evaluation):
    (d,) = new_drafts(
        "U.S. special forces killed Islamic State leader Abu Bakr al-Baghdadi in a raid in "
        "northwest Syria on Friday, the White House said.",
        evaluation,
    )
    assert (d.record["kind"], d.record["country"]) == ("strike", "Syria")
    assert "Baghdadi" not in d.record.get("location", "")
