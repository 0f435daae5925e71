"""`draft` on wording learned from the misses of the twelve-fold cross-validation (2026-12-08,
after heldout10 was measured unseen and became a fold)."""

from __future__ import annotations

import pytest
from conftest import FRIDAY_NEXT


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
