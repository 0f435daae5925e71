"""`draft` on wording learned from heldout6 and the misses of the cross-validation, read after
heldout6 was measured: datelines, captions, firefights, raids beside airstrikes, strikes a US
source tells in its own words, and news told undated beside older incidents of the same
place."""

from __future__ import annotations

import pytest
from conftest import FRIDAY_NEXT, mentions_in, new_drafts

from generator.gazetteer import load as load_gazetteer
from generator.tools.draft import Article, candidates
from generator.tools.draft.features import NAMES


def test_a_datelines_town_does_not_hide_the_country_of_the_base_hit(evaluation):
    found = mentions_in(
        "Baghdad: A pair of rockets hit an Iraqi base hosting US-led coalition and NATO "
        "troops on Friday, Iraq's military said.",
        evaluation,
    )
    assert [(m.kind, m.place.country) for m in found] == [("attack", "Iraq")]


@pytest.mark.parametrize(
    "text",
    [
        "Two rockets slammed into Ain al-Asad air base late Friday, a statement said.",
        "Three Katyusha rockets had fallen into Ain al-Asad air base on Friday, officials said.",
        "Four rockets exploded on Friday night near Ain al-Asad air base, a security official "
        "said.",
    ],
)
def test_rockets_that_slam_fall_or_explode_at_a_base_attack_it(text, evaluation):
    (d,) = new_drafts(text, evaluation)
    assert (d.record["kind"], d.record["base"]) == ("attack", "ain-al-asad")


def test_a_fallen_service_member_is_no_attack(evaluation):
    text = "A general wrote the name of a fallen service member at Ain al-Asad air base on Friday."
    assert mentions_in(text, evaluation) == []


def test_undated_news_is_not_merged_with_an_older_attack_on_the_same_base(evaluation):
    found = new_drafts(
        "Rockets struck Green Village, a base hosting US forces in Syria, the US military said. "
        "Another attack on Green Village was reported in October 2023, when a drone fired "
        "missiles at the base.",
        evaluation,
    )
    assert [(d.record["base"], str(d.record["date"])) for d in found] == [
        ("green-village", "2024-02-03")
    ]


def test_a_recalled_attack_does_not_join_the_undated_news(evaluation):
    text = (
        "A U.S. patrol came under fire in the Syrian region of Manbij, officials said. Earlier "
        "this year, coalition forces received fire from armed groups near Manbij."
    )
    found = [c.told for c in candidates(Article(text, "a.txt", published=FRIDAY_NEXT), evaluation)]
    assert sorted(len(t.mentions) for t in found if t.kind == "attack") == [1, 1]


def test_a_raid_and_a_later_airstrike_are_two_strikes(evaluation):
    text = (
        "U.S. special forces conducted a helicopter raid early Friday near the village of "
        "Qamishli, killing an ISIS official, CENTCOM said. Later Friday, the U.S. military "
        "launched a precision airstrike in northern Syria that killed two more ISIS leaders."
    )
    found = [c.told for c in candidates(Article(text, "a.txt", published=FRIDAY_NEXT), evaluation)]
    strikes = [t for t in found if t.kind == "strike"]
    assert len(strikes) == 2
    assert {t.place.country for t in strikes} == {"Syria"}


@pytest.mark.parametrize(
    "text",
    [
        "No attack on the al-Harir air base hosting U.S. forces in northern Iraq was detected on "
        "Friday, three security sources said.",
        "No attack detected on Iraq's al-Harir air base on Friday, security sources said.",
    ],
)
def test_an_attack_that_was_not_detected_is_not_drafted(text, evaluation):
    assert mentions_in(text, evaluation) == []


def test_an_exchange_of_fire_is_a_us_strike(evaluation):
    found = new_drafts(
        "Officials confirmed that coalition forces exchanged fire with an unknown armed group on "
        "Friday near Manbij.",
        evaluation,
    )
    assert ("strike", "Syria") in [(d.record["kind"], d.record["country"]) for d in found]


def test_a_photo_caption_dates_nothing(evaluation):
    text = (
        "This picture taken on January 8, 2024 shows a view of the Ain al-Asad air base, a day "
        "after rockets were fired at the base (Ayman HENNA / AFP)"
    )
    assert mentions_in(text, evaluation) == []


def test_a_town_before_its_country_places_a_strike_in_that_country(evaluation):
    (d,) = new_drafts(
        "Dozens of al-Qaida leaders have been killed in a U.S. strike in Jinah, Syria, on "
        "Friday, a Pentagon spokesman said.",
        evaluation,
    )
    assert (d.record["kind"], d.record["country"]) == ("strike", "Syria")


@pytest.mark.parametrize(
    "text",
    [
        "A drone strike in northwestern Syria on Friday killed a militant from an al "
        "Qaeda-linked group, the U.S. military and a war monitor said.",
        "A strike in northwest Syria on Friday killed nine operatives, including a senior "
        "Hurras al-Din leader, CENTCOM said.",
    ],
)
def test_a_strike_a_us_source_tells_is_a_us_strike(text, evaluation):
    (d,) = new_drafts(text, evaluation)
    assert (d.record["kind"], d.record["country"]) == ("strike", "Syria")


def test_a_drone_strike_on_a_base_told_by_the_us_is_still_an_attack(evaluation):
    found = new_drafts(
        "A drone strike hit Ain al-Asad air base on Friday, wounding two US troops, the U.S. "
        "military said.",
        evaluation,
    )
    assert [d.record["kind"] for d in found] == ["attack"]


def test_the_title_naming_the_base_is_a_feature_of_its_incident(evaluation):
    article = Article(
        "Three rockets hit a base north of Baghdad on Friday. The rockets struck Camp Taji, "
        "officials said.",
        "a.txt",
        title="Rockets hit Taji military base hosting US troops",
        published=FRIDAY_NEXT,
    )
    (c,) = candidates(article, evaluation)
    assert c.features[NAMES.index("title_place")] == 1.0


def test_a_quoted_site_name_in_a_key_location_resolves():
    site = load_gazetteer().resolve("US base 'Himo', west of Qamishli Airport", "Syria")
    assert site is not None and site.id == "hemo"


def test_a_place_before_came_under_is_where_the_attack_was(evaluation):
    text = (
        "A U.S. military outpost in northern Syria came under Turkish artillery fire late "
        "Friday, officials said."
    )
    found = mentions_in(text, evaluation)
    assert [(m.kind, m.place.country) for m in found] == [("attack", "Syria")]


@pytest.mark.parametrize(
    "text",
    [
        "Another wave of rockets hammered Ain al-Asad air base on Friday, wounding three US "
        "troops.",
        "A militant detonated an explosive vest next to a US patrol near Ain al-Asad air base on "
        "Friday, officials said.",
    ],
)
def test_hammered_and_detonated_are_attack_wording(text, evaluation):
    found = mentions_in(text, evaluation)
    assert [m.kind for m in found] == ["attack"]


def test_a_convoy_hit_on_a_road_does_not_join_a_base_named_elsewhere(evaluation):
    text = (
        "An Iraqi security source said on Friday that a convoy of trucks carrying equipment for "
        "the coalition forces in southern Iraq was targeted with explosives. Washington has "
        "accused armed factions of attacks targeting its embassy in Baghdad."
    )
    found = [c.told for c in candidates(Article(text, "a.txt", published=FRIDAY_NEXT), evaluation)]
    convoy = [t for t in found if 0 in {m.sentence.n for m in t.mentions}]
    assert [t.place.base for t in convoy] == [None]


def test_attacks_and_others_sum_attacks_up(evaluation):
    text = (
        "Washington accused armed factions of carrying out these attacks and others targeting "
        "its embassy in Baghdad on Friday."
    )
    found = mentions_in(text, evaluation)
    assert found and all(m.cue for m in found)


def test_the_attackers_country_does_not_make_an_attack_one_in_two_countries(evaluation):
    text = (
        "An Iraqi armed group has claimed responsibility for a drone attack on a US military "
        "base in Syria's Deir ez-Zor, a broadcaster reported on Friday."
    )
    found = mentions_in(text, evaluation)
    assert [(m.kind, m.cue) for m in found] == [("attack", None)]


def test_a_series_of_strikes_carried_out_this_week_is_news(evaluation):
    text = (
        "The US military carried out a series of air strikes on Islamic State camps in Syria on "
        "Friday, killing up to 35 militants, US Central Command said."
    )
    found = mentions_in(text, evaluation)
    assert [(m.kind, m.cue) for m in found] == [("strike", None)]


def test_an_earlier_incident_the_same_day_is_another_incident(evaluation):
    text = (
        "A supply convoy for US-led forces was struck by a roadside bomb near Nasiriyah on "
        "Friday. In an earlier incident on Friday, another IED targeted a coalition supply "
        "convoy further south in Al Muthanna province."
    )
    found = [c.told for c in candidates(Article(text, "a.txt", published=FRIDAY_NEXT), evaluation)]
    assert sorted(len(t.mentions) for t in found if t.kind == "attack") == [1, 1]


def test_a_headline_struck_by_an_ied_is_no_us_strike(evaluation):
    text = "Iraq: Supply convoy for US-led forces struck by IED near Nasiriyah, Feb. 2"
    text += "\n\nMore text follows."
    found = mentions_in(text, evaluation)
    assert all(m.kind != "strike" for m in found)


def test_attacks_at_two_unnamed_sites_sum_up_the_named_ones(evaluation):
    text = (
        "US forces responded on Friday to rocket attacks at two sites in Syria, destroying three "
        "vehicles used to launch the rockets, officials said."
    )
    found = mentions_in(text, evaluation)
    assert [(m.kind, m.cue) for m in found if m.kind == "attack"] == [
        ("attack", "attacks at several sites")
    ]


def test_the_attack_a_target_is_blamed_for_does_not_place_the_strike(evaluation):
    text = (
        "The airstrikes late Friday targeted five weapon storage facilities belonging to Kataib "
        "Hezbollah, blamed for a rocket attack on an Iraqi military base north of Baghdad."
    )
    found = mentions_in(text, evaluation)
    assert all(m.place.location != "Baghdad" for m in found if m.kind == "strike")


def test_an_attack_in_each_of_two_countries_is_two_attacks(evaluation):
    text = (
        "Iran-backed groups claimed responsibility for a drone attack on US troops in northern "
        "Iraq and a rocket attack in Syria on Friday."
    )
    found = mentions_in(text, evaluation)
    assert sorted((m.place.country, m.cue) for m in found) == [("Iraq", None), ("Syria", None)]
    summed = "Militias claimed attacks on bases hosting US troops in Iraq and Syria on Friday."
    found = mentions_in(summed, evaluation)
    assert found and all(m.cue for m in found)


def test_the_american_base_in_a_town_is_attacked_there(evaluation):
    text = (
        "Ten members of ISIS attacked the external security point of the American base in "
        "Makhmur on Friday using light weapons, without causing any casualties."
    )
    found = mentions_in(text, evaluation)
    assert [(m.kind, m.place.location) for m in found] == [("attack", "Makhmur")]


def test_a_raid_on_a_syria_hideout_is_a_strike_in_syria(evaluation):
    text = (
        "The leader of the Islamic State group blew himself up as American forces raided his "
        "Syria hideout on Friday, the U.S. said."
    )
    found = mentions_in(text, evaluation)
    assert [(m.kind, m.place.country) for m in found] == [("strike", "Syria")]


def test_us_forces_responding_by_targeting_positions_strike_them(evaluation):
    text = (
        "U.S. forces responded to the attacks on the Green Village base on Friday by targeting "
        "positions of Iranian-backed forces in the town of al-Mayadin."
    )
    found = mentions_in(text, evaluation)
    assert ("strike", "Al-Mayadin") in [(m.kind, m.place.location) for m in found]


def test_an_operation_targeting_isis_is_no_attack_on_us_forces(evaluation):
    text = (
        "Iraqi security forces, Kurdish Peshmerga and the US-led coalition launched on Friday a "
        "joint military operation targeting remnants of the ISIS terrorist group near the town "
        "of Makhmour."
    )
    found = mentions_in(text, evaluation)
    assert all(m.kind != "attack" for m in found)
