"""``make bench-draft SET=campaign``: the drafter on the articles the 2023–24 campaign was
recorded from, against the records people wrote from them.

    python -m bench.draft_campaign [--show]

The campaign's recorders drafted every article, corrected the drafts by hand and logged
each article in ``tests/fixtures/articles/campaign/corrections-*.yaml`` with the records it
gave (``records``). Here each logged article is drafted again by today's drafter against
the campaign's bases, actors and records less the ones it gave, as if it were being
recorded for the first time, and each record is compared with the draft closest to it:
a record without one is missed (all its fields to write by hand), a field that differs is
one to correct, and a new draft that is none of the article's records nor a record already
in the dataset is an extra to delete. Articles marked ``in_training_set`` are also in the
keyed sets the decisions were trained on, and are reported apart.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.draft import ARTICLES, FIELDS, agree, closest, matched, pairs
from generator.model import Dataset, Incident
from generator.project import Project
from generator.tools.draft import draft_article, read_article
from generator.validate import load_dataset

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN = ROOT / "examples" / "campaign-2023-24"
LOGS = ARTICLES / "campaign"


def key(incident: Incident) -> dict[str, Any]:
    """A record as the scoring in ``bench.draft`` reads a key incident."""
    return {
        "id": incident.id,
        "date": incident.date,
        "date_precision": incident.date_precision,
        "kind": incident.kind,
        "base": incident.base,
        "location": incident.location,
        "country": incident.country,
        "weapon": list(incident.weapon),
        "status": incident.status,
        "casualties": incident.model_dump(exclude_none=True).get("casualties") or {},
    }


@dataclass
class Tally:
    articles: int = 0
    records: int = 0
    found: int = 0  # records with a draft agreeing on date, kind and place
    fields: int = 0  # fields compared: FIELDS for every record
    corrected: int = 0  # fields a person had to write or change
    extras: int = 0  # new drafts that are none of the article's records
    per_field: dict[str, int] = field(default_factory=lambda: {f: 0 for f in FIELDS})

    def line(self, label: str) -> str:
        return (
            f"| {label} | {self.articles} | {self.records} | {self.found} | {self.fields} "
            f"| {self.corrected} ({self.corrected / max(self.fields, 1):.0%}) | {self.extras} |"
        )


def without(records: set[str], full: Dataset) -> Dataset:
    """The campaign with ``records`` left out (as before they were written)."""
    kept = tuple(i for i in full.incidents if i.id not in records)
    return dataclasses.replace(full, incidents=kept)


def measure(entry: dict[str, Any], full: Dataset, tally: Tally, show: bool) -> None:
    ids = [str(i) for i in entry.get("records") or []]
    by_id = {i.id: i for i in full.incidents}
    missing = [i for i in ids if i not in by_id]
    if missing:
        sys.exit(f"{entry['article']}: records not in the campaign: {', '.join(missing)}")
    keys = [key(by_id[i]) for i in ids]
    article = read_article(str(LOGS / str(entry["article"])))
    drafts = draft_article(article, without(set(ids), full))
    new = [d.record for d in drafts if d.is_new]
    found = pairs(new, keys, matched)
    aligned = dict((k, d) for d, k in closest(new, keys))
    tally.articles += 1
    tally.records += len(keys)
    tally.found += len(found)
    for k, record in enumerate(keys):
        for f in FIELDS:
            tally.fields += 1
            wrong = k not in aligned or not agree(new[aligned[k]], record, f)
            tally.corrected += wrong
            tally.per_field[f] += wrong
    used = set(aligned.values()) | {d for d, _ in found}
    extras = [d for d in range(len(new)) if d not in used]
    tally.extras += len(extras)
    if show:
        for k, record in enumerate(keys):
            if k not in aligned:
                print(f"{entry['article']}: missed {record['id']}")
            else:
                fields = [f for f in FIELDS if not agree(new[aligned[k]], record, f)]
                if fields:
                    print(f"{entry['article']}: {record['id']}: correct {', '.join(fields)}")
        for d in extras:
            print(f"{entry['article']}: extra {new[d].get('kind')} {new[d].get('date')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="list each correction and extra")
    args = parser.parse_args(argv)
    full = load_dataset(Project(ROOT, CAMPAIGN))
    unseen, trained = Tally(), Tally()
    for log in sorted(LOGS.glob("corrections-*.yaml")):
        for entry in yaml.safe_load(log.read_text("utf-8")) or []:
            if entry.get("records"):
                tally = trained if entry.get("in_training_set") else unseen
                measure(entry, full, tally, args.show)
    total = Tally()
    for part in (unseen, trained):
        for name in ("articles", "records", "found", "fields", "corrected", "extras"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
        for f in FIELDS:
            total.per_field[f] += part.per_field[f]
    print("## draft on the campaign's articles, against the records written from them\n")
    print("| | articles | records | found by a draft | fields | to correct | extra drafts |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(unseen.line("not in the training sets"))
    print(trained.line("also in the training sets"))
    print(total.line("all"))
    print(
        "\nFields corrected, by field (all articles): "
        + ", ".join(f"{f} {total.per_field[f]} of {total.records}" for f in FIELDS)
        + "."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
