"""A strike record with `strikes: N` counts N strikes wherever the site counts strikes."""

from __future__ import annotations

import json
import re

from conftest import GOOD, TODAY, write_incident

from generator.build import generate

STRIKE = """\
id: {id}
date: 2022-08-{day}
kind: strike
location: {place}
country: Syria
weapon: airstrike
{extra}summary: Jets struck bunkers.
sources:
  - publisher: CENTCOM
    title: Statement
    published: 2022-08-25
"""


def strike(project, id_: str, day: int, place: str, strikes: int | None = None) -> None:
    extra = f"strikes: {strikes}\n" if strikes is not None else ""
    write_incident(project, STRIKE.format(id=id_, day=day, place=place, extra=extra))


def outputs(project) -> dict[str, str]:
    return {k: v.decode() for k, v in generate(project, as_of=TODAY).outputs.items()}


def place_rows(month_page: str) -> list[tuple[str, ...]]:
    table = month_page.split('<table id="strikes-by-place">')[1].split("</table>")[0]
    return re.findall(
        r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td><td>(\d+)</td><td>(\d+)</td></tr>', table
    )


def test_records_standing_for_several_strikes_are_counted_as_strikes(empty_project):
    write_incident(empty_project, GOOD)
    strike(empty_project, "2022-08-20-mosul-1", 20, "Mosul", strikes=4)
    strike(empty_project, "2022-08-21-mosul-1", 21, "Mosul")
    strike(empty_project, "2022-08-21-raqqa-1", 21, "Ar Raqqah", strikes=2)
    out = outputs(empty_project)

    month = out["months/2022-08.md"]
    assert "1 attack on bases hosting US forces and 7 US strikes in 3 records." in month
    assert place_rows(month) == [("Mosul", "Syria", "2", "5"), ("Ar Raqqah", "Syria", "1", "2")]

    assert "<td>1</td><td>7</td><td>1</td></tr>" in out["months/index.md"]
    chart = json.loads(out["charts/incidents-per-month.json"])
    assert [t["y"] for t in chart["data"]] == [[1], [7]]
    assert (
        "1 attack on 1 site hosting US forces in Iraq and Syria and 7 US strikes" in out["index.md"]
    )
    assert "7 US strikes, up from 0 in the 30 days before" in out["index.md"]
    assert "and 7 US strikes in 3 records." in out["incidents/index.md"]
    assert "<td>4 (this record stands for 4 strikes)</td>" in out["incidents/2022-08-20-mosul-1.md"]
    assert "Strikes</th>" not in out["incidents/2022-08-21-mosul-1.md"]


def test_one_strike_per_record_reads_as_before(empty_project):
    strike(empty_project, "2022-08-21-mosul-1", 21, "Mosul")
    month = outputs(empty_project)["months/2022-08.md"]
    assert "0 attacks on bases hosting US forces and 1 US strike.\n" in month
    assert place_rows(month) == [("Mosul", "Syria", "1", "1")]


def test_a_month_without_strikes_says_so(empty_project):
    write_incident(empty_project, GOOD)
    month = outputs(empty_project)["months/2022-08.md"]
    assert "No US strikes are recorded this month." in month
