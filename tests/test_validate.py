"""Checking records: fields, types, allowed values and the links between records."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import GOOD, TODAY, assert_problems, problems, write_incident

from generator.checks import MAX_DUPLICATE_HINTS
from generator.model import Dataset
from generator.validate import load_dataset

P = "data/incidents/2022/2022-08-15-green-village-rockets.yaml"

STRIKE = """\
id: 2022-08-23-deir-ez-zor-airstrikes
date: 2022-08-23
kind: strike
location: Deir ez-Zor
weapon: airstrike
summary: Jets struck bunkers.
responds_to: [2022-08-15-green-village-rockets]
sources:
  - publisher: CENTCOM
    title: Statement
    published: 2022-08-23
"""
S = "data/incidents/2022/2022-08-23-deir-ez-zor-airstrikes.yaml"


def edit(old: str, new: str, text: str = GOOD) -> str:
    assert old in text
    return text.replace(old, new)


# --- fields and types ----------------------------------------------------------------------


def test_missing_required_field_points_at_the_record(empty_project):
    assert_problems(
        empty_project,
        edit("summary: Rockets were fired at the base.\n", ""),
        f"{P}:1:1: summary: is required but missing",
    )


def test_unknown_field_suggests_the_closest_known_one(empty_project):
    assert_problems(
        empty_project,
        edit("weapon: rocket", "wepon: rocket"),
        f"{P}:5:1: wepon: unknown field; did you mean 'weapon'? Known fields here: also_hit,"
        " attribution, base, casualties, claimed_by, country, damage, date, date_precision,"
        " distinct_from, id, intercepted, kind, lat, location, location_precision, lon, notes,"
        " perpetrator, previous_ids, projectiles, related, responds_to, sources, status,"
        " strikes, summary, tags, target, targets, time, time_zone, title, weapon",
    )


def test_unknown_value_suggests_the_closest_allowed_one(empty_project):
    assert_problems(
        empty_project,
        edit("weapon: rocket", "weapon: rockets"),
        f"{P}:5:9: weapon: 'rockets' is not allowed; did you mean 'rocket'? Use one of: rocket,"
        " drone, mortar, indirect-fire, missile, airstrike, artillery, small-arms, ied, unknown",
    )


def test_wrong_type_says_what_was_expected(empty_project):
    assert_problems(
        empty_project,
        GOOD + "casualties: many\n",
        f"{P}:12:13: casualties: expected a mapping of fields (key: value lines), got 'many'",
    )


def test_text_where_a_number_is_expected(empty_project):
    assert_problems(
        empty_project,
        GOOD + "casualties:\n  killed: many\n",
        f"{P}:13:11: casualties.killed: expected a whole number, or a range such as "
        "{min: 2, max: 5} ({min: 1} for 'at least one'), got 'many'",
    )


def test_quoted_number_is_not_a_number(empty_project):
    assert_problems(
        empty_project,
        GOOD + 'projectiles: "5"\n',
        f"{P}:12:14: projectiles: expected a whole number, got '5'",
    )


def test_negative_numbers(empty_project):
    assert_problems(
        empty_project,
        GOOD + "projectiles: -3\n",
        f"{P}:12:14: projectiles: must be at least 0, got -3",
    )


def test_yaml_booleans_in_text_fields_get_a_hint(empty_project):
    assert_problems(
        empty_project,
        GOOD + "country: NO\n",
        f"{P}:12:10: country: expected text, got false: YAML reads yes/no/on/off/true/false "
        "as true or false; put the text in quotes",
    )


def test_numbers_in_text_fields(empty_project):
    assert_problems(
        empty_project,
        GOOD + "location: 2022\n",
        f"{P}:12:11: location: expected text, got 2022; put it in quotes if you meant it as text",
    )


def test_empty_text(empty_project):
    assert_problems(
        empty_project,
        edit("summary: Rockets were fired at the base.", 'summary: "   "'),
        f"{P}:6:10: summary: must not be empty or only spaces",
    )


def test_invisible_control_characters_in_text(empty_project):
    assert_problems(
        empty_project,
        edit("summary: Rockets were fired at the base.", 'summary: "Rockets\\u2028were fired"'),
        f"{P}:6:10: summary: contains the invisible control character U+2028; "
        "delete it (it often comes from copying out of a PDF or a spreadsheet)",
    )


def test_date_with_a_time(empty_project):
    assert_problems(
        empty_project,
        edit("date: 2022-08-15", "date: 2022-08-15 10:30:00"),
        f"{P}:2:7: date: give the day only, as YYYY-MM-DD (no time)",
    )


def test_date_in_another_format(empty_project):
    assert_problems(
        empty_project,
        edit("date: 2022-08-15", "date: 15/08/2022"),
        f"{P}:2:7: date: write the date as YYYY-MM-DD, for example 2022-08-15, or YYYY-MM "
        "when only the month is known",
    )


def test_impossible_quoted_date(empty_project):
    assert_problems(
        empty_project,
        edit("date: 2022-08-15", 'date: "2022-02-30"'),
        f"{P}:2:7: date: '2022-02-30' is not a real date (check the day and month)",
    )


def test_date_in_the_future(empty_project):
    text = edit("2022-08-16", "2030-08-16", edit("date: 2022-08-15", "date: 2030-08-15"))
    assert_problems(
        empty_project,
        text,
        f"data/incidents/2030/2022-08-15-green-village-rockets.yaml:2:7: date: 2030-08-15 is in"
        f" the future (today is {TODAY}); check the year",
        "data/incidents/2030/2022-08-15-green-village-rockets.yaml:10:16: "
        "sources[0].published: 2030-08-16 is in the future",
        name="2030/2022-08-15-green-village-rockets.yaml",
    )


def test_ids_must_be_slugs(empty_project):
    for bad in ("../../etc/passwd", "Green Village", "a/b", "UPPER", "a--b"):
        write_incident(
            empty_project,
            edit("id: 2022-08-15-green-village-rockets", f"id: '{bad}'"),
            name="2022/x.yaml",
        )
        assert problems(empty_project) == [
            f"data/incidents/2022/x.yaml:1:5: id: '{bad}' must be lower-case letters and "
            "digits joined by single hyphens, like 'green-village'"
        ]


# --- sources -------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["publisher", "title", "published"])
def test_source_without_required_field(empty_project, field):
    lines = [
        ln
        for ln in GOOD.splitlines(keepends=True)
        if not ln.strip().startswith(("- " + field, field))
    ]
    text = "".join(lines)
    if field == "publisher":
        text = text.replace("    title:", "  - title:")
    assert_problems(empty_project, text, f"{P}:8:5: sources[0].{field}: is required but missing")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "ftp://example.com/a",
        "//example.com/a",
        "example.com/a",
        "http:/example.com",
        "https:///path",
        "HTTPS://example.com",
    ],
)
def test_source_url_must_be_http_or_https(empty_project, url):
    assert_problems(
        empty_project,
        edit("https://example.com/a", f"'{url}'"),
        f"{P}:11:10: sources[0].url: must be a web address starting with http:// or https://",
    )


def test_source_url_without_spaces(empty_project):
    assert_problems(
        empty_project,
        edit("https://example.com/a", "'https://example.com/a b'"),
        f"{P}:11:10: sources[0].url: must not contain spaces, backslashes or control characters",
    )


def test_source_needs_at_least_one(empty_project):
    text = GOOD.split("sources:")[0] + "sources: []\n"
    assert_problems(empty_project, text, f"{P}:7:10: sources: needs at least one entry")


def test_source_published_before_the_incident(empty_project):
    assert_problems(
        empty_project,
        edit("published: 2022-08-16", "published: 2022-08-01"),
        f"{P}:10:16: sources[0].published: 2022-08-01 is more than a day before the incident "
        "(2022-08-15); "
        "check both dates, or set date_precision if the day is uncertain",
    )


def test_month_precision_allows_sources_earlier_in_the_month(empty_project):
    write_incident(
        empty_project,
        edit("published: 2022-08-16", "published: 2022-08-01") + "date_precision: month\n",
    )
    assert problems(empty_project) == []


# --- kinds, bases and places ---------------------------------------------------------------


def test_attack_needs_a_base(empty_project):
    assert_problems(
        empty_project,
        edit("base: green-village\n", ""),
        f"{P}:1:1: base: an attack needs 'base': the id of the base attacked (see bases.yaml); "
        "for a site the reporting does not name, give 'country' instead (and 'location' if "
        "known)",
    )


def test_strike_needs_a_location(empty_project):
    write_incident(empty_project, GOOD)
    assert_problems(
        empty_project,
        edit("location: Deir ez-Zor\n", "", STRIKE),
        f"{S}:1:1: location: a strike needs 'location': the place struck, e.g. 'Al-Mayadin'",
    )


def test_a_strike_record_can_stand_for_several_strikes(empty_project):
    write_incident(empty_project, GOOD)
    write_incident(
        empty_project, edit("weapon: airstrike\n", "weapon: airstrike\nstrikes: 4\n", STRIKE)
    )
    dataset = load_dataset(empty_project, as_of=TODAY)
    counts = {i.id: i.counted_strikes for i in dataset.incidents}
    assert counts == {"2022-08-15-green-village-rockets": 0, "2022-08-23-deir-ez-zor-airstrikes": 4}


def test_strikes_must_be_at_least_one(empty_project):
    write_incident(empty_project, GOOD)
    assert_problems(
        empty_project,
        edit("weapon: airstrike\n", "weapon: airstrike\nstrikes: 0\n", STRIKE),
        f"{S}:6:10: strikes: must be at least 1, got 0",
    )


def test_only_a_strike_can_stand_for_several_strikes(empty_project):
    assert_problems(
        empty_project,
        GOOD + "strikes: 3\n",
        f"{P}:12:10: strikes: only a strike record can stand for several strikes; write one "
        "record per attack, or remove 'strikes'",
    )


def test_unknown_base_suggests_the_closest_id(empty_project):
    assert_problems(
        empty_project,
        edit("base: green-village", "base: green-vilage"),
        f"{P}:4:7: base: unknown base 'green-vilage'; did you mean 'green-village'?"
        " Bases are listed in data/bases.yaml",
    )


def test_unknown_base_without_a_close_match_says_where_bases_are(empty_project):
    assert_problems(
        empty_project,
        edit("base: green-village", "base: nowhere"),
        f"{P}:4:7: base: unknown base 'nowhere'; bases are listed in data/bases.yaml",
    )


def test_base_given_by_its_name_or_alias_suggests_the_id(empty_project):
    assert_problems(
        empty_project,
        edit("base: green-village", "base: Ain Assad"),
        f"{P}:4:7: base: unknown base 'Ain Assad'; did you mean 'ain-al-asad'? "
        "Bases are listed in data/bases.yaml",
    )


def test_coordinates_must_be_in_range_and_paired(empty_project):
    assert_problems(
        empty_project, GOOD + "lat: 95.5\n", f"{P}:12:6: lat: must be at most 90, got 95.5"
    )
    assert_problems(
        empty_project, GOOD + "lat: 35.1\n", f"{P}:1:1: lon: give both lat and lon, or neither"
    )


def test_intercepted_cannot_exceed_projectiles(empty_project):
    assert_problems(
        empty_project,
        GOOD + "projectiles: 2\nintercepted: 3\n",
        f"{P}:13:14: intercepted: 3 intercepted is more than the 2 projectiles",
    )


def test_attribution_needs_a_perpetrator(empty_project):
    assert_problems(
        empty_project,
        GOOD + "attribution: claimed\n",
        f"{P}:12:14: attribution: says how the perpetrator is known, but "
        "'perpetrator' is not given",
    )


# --- ids and links between records ---------------------------------------------------------


def test_id_must_match_the_file_name(empty_project):
    assert_problems(
        empty_project,
        GOOD,
        "data/incidents/2022/2022-08-15-gv-rockets.yaml:1:5: id: "
        "'2022-08-15-green-village-rockets' does not match the file name "
        "'2022-08-15-gv-rockets.yaml'; rename the file to "
        "2022-08-15-green-village-rockets.yaml or change the id",
        name="2022/2022-08-15-gv-rockets.yaml",
    )


def test_a_wrong_file_name_is_reported_with_the_record_s_other_problems(empty_project):
    assert_problems(
        empty_project,
        edit("kind: attack\n", ""),
        "data/incidents/2022/2022-08-15-gv-rockets.yaml:1:1: kind: is required but missing",
        "data/incidents/2022/2022-08-15-gv-rockets.yaml:1:5: id: "
        "'2022-08-15-green-village-rockets' does not match the file name "
        "'2022-08-15-gv-rockets.yaml'; rename the file to "
        "2022-08-15-green-village-rockets.yaml or change the id",
        name="2022/2022-08-15-gv-rockets.yaml",
    )


def test_file_must_be_in_its_year_folder(empty_project):
    assert_problems(
        empty_project,
        GOOD,
        "data/incidents/2021/2022-08-15-green-village-rockets.yaml:2:7: date: the date is in "
        "2022 but the file is in the folder '2021'; move it to data/incidents/2022/",
        name="2021/2022-08-15-green-village-rockets.yaml",
    )


def test_duplicate_ids_across_files(empty_project):
    write_incident(empty_project, GOOD)
    moved = edit("date: 2022-08-15", "date: 2023-08-15", edit("2022-08-16", "2023-08-16"))
    write_incident(empty_project, moved, name="2023/2022-08-15-green-village-rockets.yaml")
    assert problems(empty_project) == [
        "data/incidents/2023/2022-08-15-green-village-rockets.yaml:1:5: id: the id "
        "'2022-08-15-green-village-rockets' is already used by "
        f"{P}; ids must be unique",
    ]


def test_related_must_name_an_incident(empty_project):
    assert_problems(
        empty_project,
        GOOD + "related: [2022-08-15-green-village-rocket]\n",
        f"{P}:12:11: related[0]: no incident has the id "
        "'2022-08-15-green-village-rocket'; did you mean "
        "'2022-08-15-green-village-rockets'?",
    )


def test_an_incident_cannot_refer_to_itself(empty_project):
    assert_problems(
        empty_project,
        GOOD + "responds_to: [2022-08-15-green-village-rockets]\n",
        f"{P}:12:15: responds_to[0]: an incident cannot refer to itself",
    )


def test_an_incident_can_only_respond_to_an_earlier_one(empty_project):
    write_incident(
        empty_project, edit("responds_to: [2022-08-15-green-village-rockets]\n", "", STRIKE)
    )
    assert_problems(
        empty_project,
        GOOD + "responds_to: [2022-08-23-deir-ez-zor-airstrikes]\n",
        f"{P}:12:15: responds_to[0]: '2022-08-23-deir-ez-zor-airstrikes' is dated "
        "2022-08-23, after this incident (2022-08-15); an incident can only respond "
        "to an earlier one",
    )


def test_responses_cannot_go_round_in_a_circle(empty_project):
    same_day = edit(
        "date: 2022-08-23",
        "date: 2022-08-15",
        edit("published: 2022-08-23", "published: 2022-08-15", STRIKE),
    )
    write_incident(empty_project, same_day, name="2022/2022-08-23-deir-ez-zor-airstrikes.yaml")
    assert_problems(
        empty_project,
        GOOD + "responds_to: [2022-08-23-deir-ez-zor-airstrikes]\n",
        f"{S}:7:15: responds_to[0]: responses go round in a circle: "
        "2022-08-15-green-village-rockets → 2022-08-23-deir-ez-zor-airstrikes → "
        "2022-08-15-green-village-rockets",
    )


# --- bases.yaml ----------------------------------------------------------------------------


def test_base_listed_twice(empty_project):
    bases = empty_project.bases_file
    bases.write_text(bases.read_text() + "\n- id: al-tanf\n  name: Tanf again\n  country: Syria\n")
    lines = bases.read_text().splitlines()
    line = len(lines) - lines[::-1].index("- id: al-tanf")
    assert problems(empty_project) == [
        f"data/bases.yaml:{line}:7: [6].id: the base 'al-tanf' is listed twice (first on line "
        "18); keep one"
    ]


def test_two_bases_sharing_a_name(empty_project):
    bases = empty_project.bases_file
    bases.write_text(bases.read_text() + "\n- id: tanf-2\n  name: Tanf\n  country: Syria\n")
    line = len(bases.read_text().splitlines()) - 1
    assert problems(empty_project) == [
        f"data/bases.yaml:{line}:9: [6].name: the name 'Tanf' is also used by base 'al-tanf'; "
        "names and aliases must tell bases apart"
    ]


def test_bases_file_missing(empty_project):
    empty_project.bases_file.unlink()
    assert problems(empty_project) == ["data/bases.yaml:1:1: file: is missing; it lists the bases"]


def test_bases_file_must_be_a_list(empty_project):
    empty_project.bases_file.write_text("id: green-village\n")
    assert problems(empty_project) == [
        "data/bases.yaml:1:1: file: must be a list of bases, each starting with '- id: …'"
    ]


def test_base_coordinates_out_of_range(empty_project):
    bases = empty_project.bases_file
    bases.write_text(bases.read_text().replace("lon: 42.44", "lon: 420.44"))
    assert problems(empty_project) == [
        "data/bases.yaml:12:8: [0].lon: must be at most 180, got 420.44"
    ]


# --- the dataset ---------------------------------------------------------------------------


def test_same_day_incidents_follow_the_ones_they_answer(project):
    dataset: Dataset = load_dataset(project, as_of=TODAY)
    ids = [i.id for i in dataset.incidents if str(i.date) == "2021-06-28"]
    assert ids == ["2021-06-28-green-village-rockets", "2021-06-28-green-village-counter-battery"]


def test_sample_dataset_figures(project):
    dataset = load_dataset(project, as_of=TODAY)
    kinds = [i.kind for i in dataset.incidents]
    assert (len(dataset.incidents), kinds.count("attack"), kinds.count("strike")) == (17, 10, 7)
    assert sorted({i.month for i in dataset.incidents}) == ["2021-06", "2022-01", "2022-08"]


# --- long chains are data, not a reason to stall or crash ----------------------------------


def test_circles_reached_finds_each_circle_from_where_a_chain_enters_it():
    from generator.validate import circles_reached

    links = {"x": "a", "a": "b", "b": "a", "c": "d", "d": "e"}
    assert circles_reached(links) == {
        "x": ["a", "b", "a"],
        "a": ["a", "b", "a"],
        "b": ["b", "a", "b"],
    }


def test_a_long_chain_of_actors_and_of_responses_is_checked_without_recursion(empty_project):
    n = 4000
    actors = "".join(
        f"- id: group-{k}\n  name: Group {k}\n"
        + (f"  parent: group-{k + 1}\n" if k < n - 1 else "")
        for k in range(n)
    )
    empty_project.actors_file.write_text(actors + "  parent: group-0\n")  # closes a circle
    found = problems(empty_project)
    assert len(found) == n and all("parents go round in a circle: " in p for p in found)
    assert found[0].endswith(
        "circle: group-0 → group-1 → group-2 → group-3 → group-4 → group-5 → group-6 → group-7 "
        "→ … (3,992 more) → group-0"
    )
    empty_project.actors_file.unlink()
    for k in range(1500):  # each strike answers the one before: a chain 1,500 deep
        record = STRIKE.replace("2022-08-23-deir-ez-zor-airstrikes", f"2022-08-23-strike-{k:04d}")
        earlier = f"[2022-08-23-strike-{k - 1:04d}]" if k else "[]"
        record = record.replace("[2022-08-15-green-village-rockets]", earlier)
        write_incident(empty_project, record)
    assert problems(empty_project) == []
    # 1,500 strikes on one day at one place: every pair not linked by responds_to could be
    # one event. Each record gets its first MAX_DUPLICATE_HINTS, not a million pairs.
    hints = load_dataset(empty_project, as_of=TODAY).hints
    per_record = Counter(h.path for h in hints if "may be the same event as" in h.message)
    assert len(per_record) == 1498  # the first two are told apart (one answers the other)
    assert set(per_record.values()) == {1, 2, MAX_DUPLICATE_HINTS}


# --- bases and the gazetteer ---------------------------------------------------------------


def test_a_base_that_is_a_gazetteer_site_under_another_name_or_far_away_gets_hints(
    empty_project,
):
    """A base whose id is a site of the shipped gazetteer is that site: a name it does not
    know, or coordinates far from its, is a hint (never a problem)."""
    bases = empty_project.bases_file
    text = bases.read_text().replace("name: Green Village", "name: Omar Camp", 1)
    text = text.replace("aliases: [Green Village base, al-Omar oil field base]", "aliases: []")
    bases.write_text(text.replace("lat: 35.03", "lat: 33.03", 1))
    dataset = load_dataset(empty_project, as_of=TODAY)
    hints = [str(h) for h in dataset.hints]
    assert any(
        "name: the id 'green-village' is the gazetteer's site 'Mission Support Site Green "
        "Village', whose names do not include 'Omar Camp' or its aliases" in h
        for h in hints
    ), hints
    assert any("lat: these coordinates are 222 km from the gazetteer's" in h for h in hints)
