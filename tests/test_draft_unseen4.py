"""`draft` on wording learned from the misses of heldout8 and heldout9, read once they had
been measured unseen (they are folds of the cross-validation now)."""

from __future__ import annotations

from conftest import new_drafts


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
