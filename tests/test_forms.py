"""What real reporting needs the records to say: each form valid and checked, with the
exact message when it is wrong, and how it is counted.

Casualties by side with ranges, month-only dates, local time and sources from another time
zone, several weapons, what a strike hit, actors, sites that are not bases, unnamed sites,
the dataset's countries.
"""

from __future__ import annotations

import textwrap

import pytest
from conftest import GOOD, TODAY, problems, write_incident

from generator.fields import Tally
from generator.stats import Stats
from generator.tools.records import incident_file, record_data
from generator.validate import load_dataset

P = "data/incidents/2022/2022-08-15-green-village-rockets.yaml"


def edit(old: str, new: str, text: str = GOOD) -> str:
    assert old in text, old
    return text.replace(old, new)


def add(lines: str, text: str = GOOD) -> str:
    """The record with more fields before its sources."""
    return edit("sources:\n", textwrap.dedent(lines) + "sources:\n", text)


def dataset(project):
    return load_dataset(project, as_of=TODAY)


def record(project, text: str = GOOD):
    write_incident(project, text)
    return dataset(project).incidents[0]


# --- casualties by side ------------------------------------------------------------------------


def test_casualties_by_side_with_exact_numbers_ranges_and_at_least(empty_project):
    incident = record(
        empty_project,
        add("""\
        casualties:
          us: {killed: 3, injured: {min: 47}}
          partner: {killed: 6}
          civilian: {injured: {min: 1}}
          militant: {killed: {min: 2, max: 5}}
        """),
    )
    sides = incident.casualties.by_side()
    assert list(sides) == ["us", "partner", "civilian", "militant"]
    assert sides["us"].killed.text == "3" and sides["us"].injured.text == "at least 47"
    assert sides["militant"].killed.text == "2–5"
    assert Tally(max=5).text == "up to 5"


def test_the_old_flat_form_means_side_not_stated(empty_project):
    incident = record(empty_project, add("casualties: {killed: 2, injured: 0}\n"))
    assert incident.casualties.by_side()["unknown"].killed.text == "2"
    assert incident.casualties.get("us", "killed") is None


@pytest.mark.parametrize(
    "casualties, message",
    [
        (
            "{usa: {killed: 1}}",
            "casualties.usa: unknown field; did you mean 'us'? Known fields "
            "here: civilian, coalition, injured, killed, militant, partner, unknown, us",
        ),
        ("{us: {killed: {min: 5, max: 2}}}", "casualties.us.killed: min 5 is more than max 2"),
        (
            "{us: {killed: {}}}",
            "casualties.us.killed: give min, max or both (min: 1 means 'at least one')",
        ),
        (
            "{us: {killed: {least: 1}}}",
            "casualties.us.killed.least: unknown field; known fields here: max, min",
        ),
        ("{us: {killed: -1}}", "casualties.us.killed: must be at least 0, got -1"),
        (
            "{killed: 1, unknown: {killed: 1}}",
            "casualties: gives killed/injured (side not stated) "
            "and unknown: as well; they mean the same thing: keep one",
        ),
        (
            "{us: {dead: 1}}",
            "casualties.us.dead: unknown field; known fields here: injured, killed",
        ),
    ],
)
def test_casualties_that_cannot_be_read_say_why(empty_project, casualties, message):
    write_incident(empty_project, add(f"casualties: {casualties}\n"))
    found = problems(empty_project)
    assert len(found) == 1 and found[0].split(": ", 1)[1] == message, found


def test_casualty_totals_keep_ranges_honest(empty_project):
    write_incident(empty_project, add("casualties: {us: {killed: 3, injured: {min: 40}}}\n"))
    second = edit("2022-08-15-green-village-rockets", "2022-08-16-green-village-rockets")
    second = edit("date: 2022-08-15", "date: 2022-08-16", second)
    write_incident(empty_project, add("casualties: {us: {injured: 7}}\n", second))
    stats = Stats(dataset(empty_project))
    us = stats.us_casualties
    assert (us.killed.text, us.injured.text, us.incidents) == ("3", "at least 47", 2)


# --- dates ---------------------------------------------------------------------------------------


def test_a_month_only_date_is_month_precision_and_counts_in_its_month(empty_project):
    incident = record(empty_project, edit("date: 2022-08-15", "date: 2022-08"))
    assert (incident.date_precision, incident.date_text, incident.month) == (
        "month",
        "2022-08",
        "2022-08",
    )
    assert Stats(dataset(empty_project)).attacks_per_month["2022-08"] == 1


def test_a_month_only_date_is_written_back_as_the_month(empty_project):
    incident = record(empty_project, edit("date: 2022-08-15", "date: 2022-08"))
    text = incident_file(record_data(incident), "# modeline").decode()
    assert "\ndate: 2022-08\n" in text and "date_precision" not in text


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ("date: 2022-08-15", "date: 2022-08\ndate_precision: day"),
            "date: '2022-08' gives the "
            "month only, but date_precision says day; leave date_precision out (a month-only date "
            "is month precision) or give the day",
        ),
        (("date: 2022-08-15", "date: 2022-13"), "date: '2022-13' is not a real month"),
        (
            ("date: 2022-08-15", "date: 2022/08/15"),
            "date: write the date as YYYY-MM-DD, for "
            "example 2022-08-15, or YYYY-MM when only the month is known",
        ),
    ],
)
def test_dates_that_cannot_be_read_say_why(empty_project, change, message):
    write_incident(empty_project, edit(*change))
    assert problems(empty_project) == [f"{P}:2:7: {message}"]


def test_a_source_from_washington_may_be_dated_the_day_before(empty_project):
    """A Pentagon statement dated 26 October about a strike at 04:30 on 27 October in Syria."""
    text = edit("published: 2022-08-16", "published: 2022-08-14", add('time: "04:30"\n'))
    assert record(empty_project, text).time == "04:30"
    write_incident(empty_project, edit("published: 2022-08-16", "published: 2022-08-13"))
    assert problems(empty_project) == [
        f"{P}:10:16: sources[0].published: 2022-08-13 is more than a day before the incident "
        "(2022-08-15); check both dates, or set date_precision if the day is uncertain"
    ]


@pytest.mark.parametrize(
    "line, message",
    [
        (
            "time: 4:30",
            'time: put the time in quotes, like time: "04:30": without quotes YAML '
            "reads a time such as 4:30 as a number (here 270)",
        ),
        (
            'time: "4:30 am"',
            'time: write the local time as "HH:MM" on a 24-hour clock, in quotes, e.g. "04:30"',
        ),
        (
            'time: "25:00"',
            'time: write the local time as "HH:MM" on a 24-hour clock, in quotes, e.g. "04:30"',
        ),
    ],
)
def test_times_that_cannot_be_read_say_why(empty_project, line, message):
    write_incident(empty_project, add(line + "\n"))
    found = problems(empty_project)
    assert len(found) == 1 and found[0].split(": ", 1)[1] == message, found


def test_a_time_needs_an_exact_day(empty_project):
    write_incident(empty_project, add('time: "04:30"\n', edit("date: 2022-08-15", "date: 2022-08")))
    [found] = problems(empty_project)
    assert found.endswith(
        "time: a time of day needs an exact day, but the date is known to the month only; "
        "remove time or give the day"
    )


# --- weapons ---------------------------------------------------------------------------------


def test_several_weapons_count_once_each_in_breakdowns_and_once_in_totals(empty_project):
    incident = record(empty_project, edit("weapon: rocket", "weapon: [missile, rocket]"))
    assert incident.weapons == ("missile", "rocket")
    stats = Stats(dataset(empty_project))
    assert stats.weapon_counts == {"missile": 1, "rocket": 1}
    assert len(stats.attacks) == 1
    text = incident_file(record_data(incident), "# modeline").decode()
    assert "\nweapon: [missile, rocket]\n" in text


@pytest.mark.parametrize(
    "weapon, message",
    [
        ("[rocket, rocket]", "weapon: names a weapon twice; keep one"),
        ("[unknown, rocket]", "weapon: says 'unknown' beside known weapons; remove 'unknown'"),
        (
            "[rocket, drones]",
            "weapon[1]: 'drones' is not allowed; did you mean 'drone'? Use one "
            "of: rocket, drone, mortar, indirect-fire, missile, airstrike, artillery, small-arms, "
            "ied, unknown",
        ),
        ("[]", "weapon: needs at least one entry"),
    ],
)
def test_weapon_lists_that_cannot_be_read_say_why(empty_project, weapon, message):
    write_incident(empty_project, edit("weapon: rocket", f"weapon: {weapon}"))
    [found] = problems(empty_project)
    assert found.split(": ", 1)[1] == message


# --- what a strike hit --------------------------------------------------------------------------

STRIKE = """\
id: 2022-08-23-deir-ez-zor-airstrikes
date: 2022-08-23
kind: strike
location: Deir ez-Zor
weapon: airstrike
strikes: 3
target: Bunkers used for ammunition storage
targets: 9
summary: Jets struck bunkers.
sources:
  - publisher: CENTCOM
    title: Statement
    published: 2022-08-23
"""


def test_a_strike_gives_what_it_hit_and_counts_its_strikes_not_its_targets(empty_project):
    incident = record(empty_project, STRIKE)
    assert (incident.target, incident.targets, incident.counted_strikes) == (
        "Bunkers used for ammunition storage",
        9,
        3,
    )
    assert Stats(dataset(empty_project)).total.strikes == 3


@pytest.mark.parametrize("field, value", [("target", "the base"), ("targets", "2")])
def test_only_a_strike_has_targets(empty_project, field, value):
    write_incident(empty_project, add(f"{field}: {value}\n"))
    [found] = problems(empty_project)
    assert f": {field}: only a strike record " in found


# --- places: bases, site types, unnamed sites, the dataset's countries ----------------------------


def test_an_attack_on_an_unnamed_site_counts_at_an_unnamed_site_in_its_country(empty_project):
    text = edit("base: green-village\n", "country: Syria\nlocation: a base near Hasakah\n")
    incident = record(empty_project, text)
    stats = Stats(dataset(empty_project))
    site = stats.site_of(incident)
    assert (site.id, site.name, site.unnamed) == ("unnamed-syria", "Unnamed site in Syria", True)
    assert stats.attacks_per_site["unnamed-syria"] == 1
    assert [s.id for s in stats.sites_ranked] == ["unnamed-syria"]


def test_an_attack_on_two_bases_is_told_to_be_two_records(empty_project):
    write_incident(empty_project, edit("base: green-village", "base: [green-village, conoco]"))
    assert problems(empty_project) == [
        f"{P}:4:7: base: names 2 bases; write one record per base attacked and link the records "
        "with related: [their ids]"
    ]


def test_a_country_outside_the_dataset_is_refused_and_the_setting_named(empty_project):
    text = edit("base: green-village\n", "country: Jordan\n")
    write_incident(empty_project, text)
    assert problems(empty_project) == [
        f"{P}:4:10: country: 'Jordan' is not one of the countries this dataset covers (Iraq, "
        "Syria); check the spelling, or add it to countries in dataset.yaml"
    ]
    empty_project.info_file.write_text("countries: [Iraq, Syria, Jordan]\n")
    assert problems(empty_project) == []


def test_a_base_type_comes_from_its_vocabulary(empty_project):
    bases = empty_project.bases_file
    bases.write_text(
        bases.read_text().replace(
            "  name: Conoco gas field\n", "  name: Conoco gas field\n  type: gas-field\n"
        )
    )
    [found] = problems(empty_project)
    assert found.endswith(
        "type: 'gas-field' is not allowed; did you mean 'oil-gas-field'? Use one of: base, "
        "airport, diplomatic, oil-gas-field, patrol, other"
    )
    bases.write_text(bases.read_text().replace("type: gas-field", "type: oil-gas-field"))
    assert dataset(empty_project).base_by_id["conoco"].type == "oil-gas-field"


# --- actors -----------------------------------------------------------------------------------

ACTORS = """\
- id: islamic-resistance-in-iraq
  name: Islamic Resistance in Iraq
  aliases: [IRI]
- id: kataib-hezbollah
  name: Kata'ib Hezbollah
  aliases: [Kataib Hezbollah, KH]
  parent: islamic-resistance-in-iraq
"""


def test_a_perpetrator_can_name_an_actor_and_its_umbrella_counts_it(empty_project):
    empty_project.actors_file.write_text(ACTORS)
    record(
        empty_project,
        add(
            "perpetrator: kataib-hezbollah\nattribution: claimed\nclaimed_by: [kataib-hezbollah]\n"
        ),
    )
    data = dataset(empty_project)
    stats = Stats(data)
    umbrella = data.actor_by_id["islamic-resistance-in-iraq"]
    assert [i.id for i in stats.by_actor(umbrella)] == ["2022-08-15-green-village-rockets"]
    assert data.hints == ()


def test_free_text_stays_valid_with_a_hint_towards_the_actor(empty_project):
    empty_project.actors_file.write_text(ACTORS)
    write_incident(empty_project, add("perpetrator: Kataib Hezbollah\n"))
    data = dataset(empty_project)
    assert [str(h) for h in data.hints] == [
        f"{P}:7:14: perpetrator: 'Kataib Hezbollah' is a name of the actor 'kataib-hezbollah'; "
        "write perpetrator: kataib-hezbollah to link the record to it"
    ]
    write_incident(empty_project, add("perpetrator: Kataib Hizballah\n"))
    [hint] = dataset(empty_project).hints
    assert "if it is 'kataib-hezbollah' (Kata'ib Hezbollah), write perpetrator: " in str(hint)


@pytest.mark.parametrize(
    "actors, message",
    [
        (
            ACTORS.replace("parent: islamic-resistance-in-iraq", "parent: irq"),
            "data/actors.yaml:7:11: [1].parent: no actor has the id 'irq'",
        ),
        (
            ACTORS + "  description: x\n- id: iri\n  name: IRI\n",
            "data/actors.yaml:10:9: "
            "[2].name: the name 'IRI' is also used by actor 'islamic-resistance-in-iraq'; names "
            "and aliases must tell actors apart",
        ),
        (
            ACTORS.replace("  aliases: [IRI]\n", "  aliases: [IRI]\n  parent: kataib-hezbollah\n"),
            "data/actors.yaml:4:11: [0].parent: parents go round in a circle: "
            "islamic-resistance-in-iraq → kataib-hezbollah → islamic-resistance-in-iraq",
        ),
    ],
)
def test_actors_that_cannot_be_used_say_why(empty_project, actors, message):
    empty_project.actors_file.write_text(actors)
    found = problems(empty_project)
    assert message in found, found
