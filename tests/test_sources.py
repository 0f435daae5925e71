"""The sample records say what their articles say, in the project's own words.

The four seed articles (tests/fixtures/articles/seeds/) are the sources of the 17 sample
records. A record's summary, notes, damage and target must not share a run of 8 or more
consecutive words with any seed article it cites (case, punctuation and hyphens aside).
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, TODAY

from generator.project import Project
from generator.validate import load_dataset

SEEDS = ROOT / "tests" / "fixtures" / "articles" / "seeds"
RUN = 8
DATASET = load_dataset(Project(ROOT), as_of=TODAY)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def key(title: str) -> str:
    return " ".join(words(title))


ARTICLES = {key(p.read_text("utf-8").splitlines()[0]): p for p in sorted(SEEDS.glob("*.txt"))}


def shared_run(text: str, article: str) -> str | None:
    """The first run of RUN consecutive words of ``text`` that the article also has."""
    a, b = words(text), words(article)
    grams = {tuple(b[i : i + RUN]) for i in range(len(b) - RUN + 1)}
    return next(
        (
            " ".join(a[n : n + RUN])
            for n in range(len(a) - RUN + 1)
            if tuple(a[n : n + RUN]) in grams
        ),
        None,
    )


def test_every_sample_record_cites_a_seed_article():
    for incident in DATASET.incidents:
        cited = [key(s.title) for s in incident.sources]
        assert any(c in ARTICLES for c in cited), incident.id


@pytest.mark.parametrize("incident", DATASET.incidents, ids=lambda i: i.id)
def test_no_summary_shares_eight_words_in_a_row_with_its_article(incident):
    texts = [incident.summary, incident.notes or "", incident.damage or "", incident.target or ""]
    for source in incident.sources:
        path = ARTICLES.get(key(source.title))
        if path is None:
            continue
        article = path.read_text("utf-8")
        for text in texts:
            shared = shared_run(text, article)
            assert shared is None, f"{incident.id} repeats {path.name}: “{shared}”"


def test_the_check_finds_a_copied_sentence():
    article = next(iter(ARTICLES.values())).read_text("utf-8")
    copied = " ".join(article.split()[40:52])
    assert shared_run(f"As reported, {copied}.", article) is not None
