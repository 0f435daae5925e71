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
