"""``draft``: propose incident records from a news article, every field with its evidence.

One function reads like the pipeline, ``draft_article``:

1. read the article: a text, Markdown or HTML file, standard input or a web address, as
   text and metadata (title, outlet, publication date) — ``read_article``;
2. split the text into sentences — ``sentences``;
3. find the mentions of incidents: a clause with attack or strike wording and a place —
   ``find_mentions`` (the article, ``mentions``), reading each sentence with
   ``mentions_in`` (its clauses, ``clauses``);
4. group the mentions into incidents: same kind, place and date — ``group``; then the
   sentences that speak of each, the day of the act where only the day it was said
   was given, and the town where only the country was — ``attach_support``, ``act_days``,
   ``support_places``;
5. fill each incident's fields, keeping the sentence each came from — ``fill``;
6. tell the news from the background: earlier incidents the article recalls —
   ``is_background``;
7. compare with the data: an incident already recorded says so, and what the article
   adds — ``compare``;
8. write YAML for a person to review (the record part by the one incident-file writer,
   ``records``), or JSON — ``as_yaml``, ``as_json``.

A draft never enters the data by itself: its ``summary`` is left for the person to write
in their own words (no sentence of the article is copied into a record field), and
``make new --from DRAFT`` starts the interview from its values, so that the validator
checks it like any other record.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from generator.model import Dataset
from generator.tools.draft import mentions as mentions_module
from generator.tools.draft.classifier import Classifier, StatusModel, shipped, shipped_status
from generator.tools.draft.dates import When, dates_in
from generator.tools.draft.decisions import _official
from generator.tools.draft.features import features, status_features, voices
from generator.tools.draft.fields import Draft, fill
from generator.tools.draft.incidents import (
    Told,
    act_days,
    attach_support,
    group,
    support_places,
    tallies_in,
)
from generator.tools.draft.mentions import find_mentions
from generator.tools.draft.output import DRAFT_ONLY, as_json, as_yaml, load_drafts, pick_draft
from generator.tools.draft.places import (
    Gazetteer,
    Place,
    _actor_gazetteer,
    gazetteer_for,
    same_place,
)
from generator.tools.draft.reading import Article, DraftError, read_article
from generator.tools.draft.recorded import compare, responds_to
from generator.tools.draft.sentences import Sentence, sentences, tokens

# The sentences that open an article: what they cite speaks for the news they tell.
LEAD_SENTENCES = 3

__all__ = [
    "DRAFT_ONLY",
    "Article",
    "Candidate",
    "Classifier",
    "Draft",
    "DraftError",
    "Gazetteer",
    "Place",
    "Sentence",
    "StatusModel",
    "Told",
    "When",
    "as_json",
    "as_yaml",
    "candidates",
    "dates_in",
    "draft_article",
    "draft_articles",
    "load_drafts",
    "pick_draft",
    "read_article",
    "same_place",
    "sentences",
    "tokens",
]


@dataclass
class Candidate:
    """An incident as told, its draft, and the features that decide news or background."""

    told: Told
    draft: Draft
    features: list[float]
    status_features: list[float]
    status_evidence: dict[str, str]  # the sentence each status would cite


def candidates(article: Article, dataset: Dataset) -> list[Candidate]:
    """Every incident the article tells (and its tallies of attacks), each filled in, with
    the features that decide news or background and its status."""
    found = sentences(article.text)
    gazetteer = gazetteer_for(dataset)
    deadline = time.monotonic() + mentions_module.DRAFT_SECONDS
    mentions = find_mentions(found, gazetteer, article.published, deadline)
    told = group(mentions, dataset, article.published)
    attach_support(told, found)
    act_days(told, article.published)
    support_places(told, gazetteer)
    told = [t for t in told if not all(m.sentence.heading for m in t.mentions)]
    told += tallies_in(found, article.published)
    actors = _actor_gazetteer(dataset)
    lead = [s for s in found if not s.heading][:LEAD_SENTENCES]
    speaking = voices(found, official_publisher=_official(article) is not None)
    title = article.title or ""
    title_words = tokens(title)
    titled = frozenset(
        p.key
        for p in gazetteer.bases_in(title, title_words) + gazetteer.places_in(title, title_words)
        if p.base or p.location
    )
    order = sorted(range(len(told)), key=lambda n: min(m.sentence.n for m in told[n].mentions))
    rank = {n: r for r, n in enumerate(order)}
    out = []
    for n, t in enumerate(told):
        near_lead = lead and min(m.sentence.n for m in t.mentions) <= lead[-1].n
        d = fill(t, article, dataset, actors, lead if near_lead else None)
        values = features(t, d, article.published, found, rank[n], len(told), titled)
        said, evidence = status_features(t, d, speaking)
        out.append(Candidate(t, d, values, said, evidence))
    return out


def draft_article(
    article: Article,
    dataset: Dataset,
    model: Classifier | None = None,
    status_model: StatusModel | None = None,
) -> list[Draft]:
    """The drafts an article gives: the new incidents it reports (each with its evidence),
    those already recorded (with what it adds), then those it recalls as background.
    ``model`` decides news from background and ``status_model`` the status (the shipped
    ones unless given)."""
    model = model or shipped()
    status_model = status_model or shipped_status()
    found = candidates(article, dataset)
    told = [c.told for c in found]
    drafts = [c.draft for c in found]
    for c in found:
        c.draft.background = c.told.aggregate is not None or not model.says(c.features)
        if c.told.aggregate is None:
            status = status_model.decide(c.status_features)
            c.draft.record["status"] = status
            c.draft.evidence["status"] = c.status_evidence[status]
        compare(c.draft, dataset)
    for t, d in zip(told, drafts, strict=True):
        ids = responds_to(t, d.record, told, drafts, dataset, article.published)
        if ids:
            d.record["responds_to"] = ids
            d.evidence["responds_to"] = t.first.sentence.text
    order = {id(d): n for n, d in enumerate(drafts)}
    return sorted(drafts, key=lambda d: (d.background, d.duplicate_of is not None, order[id(d)]))


def draft_articles(
    sources: Iterable[str],
    dataset: Dataset,
    *,
    title: str | None = None,
    publisher: str | None = None,
    published: dt.date | None = None,
    url: str | None = None,
) -> Iterator[tuple[Article, list[Draft]]]:
    """Each article read and drafted, in the order given; the title, publisher, day and
    address given stand for what the article's own page says."""
    for source in sources:
        article = read_article(
            source, title=title, publisher=publisher, published=published, url=url
        )
        yield article, draft_article(article, dataset)
