"""`draft` on wording learned from the misses of heldout8 and heldout9, read once they had
been measured unseen (they are folds of the cross-validation now)."""

from __future__ import annotations

import pytest
from conftest import drafts_in, new_drafts


def test_a_day_something_was_said_does_not_join_a_raid_months_before(evaluation):
    text = (
        "U.S. Central Command said Friday that U.S. forces in a helicopter raid in northeast "
        "Syria killed an ISIS official. In June, a senior leader of the group was captured in "
        "Syria during a U.S.-led coalition raid, according to the Pentagon."
    )
    (d,) = new_drafts(text, evaluation)
    assert (d.record["kind"], d.record["country"], str(d.record["date"])) == (
        "strike",
        "Syria",
        "2024-02-02",
    )


def test_a_dateline_gives_the_day_of_the_report_not_of_the_attack(evaluation):
    text = (
        "BAGHDAD (UrduPoint News / Sputnik - 3rd February, 2024) Iraqi military base Camp "
        "Taji hosting US-led coalition troops came under rocket fire on Thursday, a security "
        "source told Sputnik."
    )
    (d,) = new_drafts(text, evaluation)
    assert (d.record["base"], str(d.record["date"])) == ("camp-taji", "2024-02-01")


@pytest.mark.parametrize(
    ("told", "day"),
    [
        ("in Syria on Friday, striking", "2024-02-02"),
        ("in Syria, striking", "2024-02-03"),  # no day of its own: the article's, not Jan. 20
    ],
)
def test_the_strikes_told_again_keep_their_day_not_the_attacks_they_answer(told, day, evaluation):
    text = (
        "The United States said it carried out a large-scale military operation against the "
        f"Islamic State group {told} more than 70 targets. President Trump said the strikes "
        "fulfilled his pledge of retaliation following the Jan. 20 attack in Palmyra, where "
        "U.S. forces came under fire."
    )
    strikes = [d for d in new_drafts(text, evaluation) if d.record["kind"] == "strike"]
    assert [(d.record["country"], str(d.record["date"])) for d in strikes] == [("Syria", day)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "Officials said US special forces carried out an attack targeting the terror chief "
            "in the northern province of Idlib late on Friday.",
            "strike",
        ),
        (
            "US officials said Iran-backed militias launched an attack on the Ain al-Asad base "
            "on Friday.",
            "attack",
        ),
        (
            "US-led coalition forces destroyed an Islamic State group command centre inside a "
            "mosque in the Syrian border town of Hajin on Friday, the coalition said.",
            "strike",
        ),
        (  # what US forces destroyed is their strike, unless it was the attack
            "On the morning of Feb. 2, 2024, the U.S. military destroyed two one-way attack "
            "drones near U.S. and Coalition forces in southwest Syria.",
            "attack",
        ),
    ],
)
def test_what_us_forces_attack_or_destroy_is_their_strike(text, kind, evaluation):
    assert [d.record["kind"] for d in drafts_in(text, evaluation)] == [kind]


def test_where_the_speaker_sits_is_not_where_the_strike_was(evaluation):
    text = (
        "The U.S.-led coalition headquarters in Iraq said in a written statement that a U.S. "
        "F-18 Super Hornet shot down a Syrian government SU-22 after it dropped bombs near "
        "US-backed fighters. A U.S. Navy jet shot down the Syrian SU-22 south of Tabqa in "
        "Syria on Friday."
    )
    assert [(d.record["kind"], d.record["country"]) for d in drafts_in(text, evaluation)] == [
        ("strike", "Syria")
    ]


@pytest.mark.parametrize("backed", ["US-backed", "U.S.-backed", "American-backed"])
def test_forces_the_us_backs_are_not_us_forces(backed, evaluation):
    text = (
        "The incident came as a monitoring group reported the first ground fighting between "
        f"Syrian regime troops and the {backed} alliance in Syria on Friday."
    )
    assert drafts_in(text, evaluation) == []
    assert drafts_in(text.replace(f"the {backed} alliance", "US troops"), evaluation)


def test_where_the_rockets_came_from_is_not_what_they_hit(evaluation):
    text = (
        "At least five rockets were launched from the Iraqi town of Zummar toward a U.S. "
        "military base in northeastern Syria on Friday, Reuters reported."
    )
    found = [(d.record.get("location"), d.record["country"]) for d in drafts_in(text, evaluation)]
    assert found == [(None, "Syria")]
