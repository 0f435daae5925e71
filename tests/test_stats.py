"""The rules behind the overview's and the map's figures, each on a few made-up records:
the recent windows, where the map places an incident, episodes, and page titles."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import GOOD, TODAY, write_incident

from generator.stats import Stats
from generator.validate import load_dataset
from generator.wording import page_titles, tag_label

_made = iter(range(100, 1000))


def record(day: str, kind: str = "attack", **fields: object) -> str:
    """GOOD moved to another day (and kind), with fields added or replaced; ids in the
    order the records are made ('2022-08-01-attack-100')."""
    lines = {"id": f"{day}-{kind}-{next(_made)}", "date": day, "kind": kind}
    if kind == "strike":
        lines |= {"location": "Abu Kamal", "country": "Syria", "weapon": "airstrike"}
    lines |= {k: str(v) for k, v in fields.items()}
    text = GOOD
    for key in ("id", "date", "kind", "weapon"):
        if key in lines:
            text = "\n".join(line for line in text.splitlines() if not line.startswith(f"{key}:"))
    if kind == "strike":
        text = text.replace("base: green-village\n", "")
    text = text.replace("published: 2022-08-16", "published: 2022-09-30")
    return "\n".join(f"{k}: {v}" for k, v in lines.items()) + "\n" + text + "\n"


def stats_of(project, *records: str) -> Stats:
    for text in records:
        write_incident(project, text)
    return Stats(load_dataset(project, as_of=TODAY))


def test_the_windows_end_on_the_latest_record_and_count_strikes_as_strikes(empty_project):
    stats = stats_of(
        empty_project,
        record("2022-08-31"),  # the latest: day 1 of the last 30
        record("2022-08-02"),  # day 30: in
        record("2022-08-01"),  # day 31: the 30 days before
        record("2022-07-15", "strike", strikes=4),  # before, 4 strikes
        record("2022-08-20", "strike", strikes=3),
        record("2022-06-02"),  # day 91: outside the 90 days, in the 90 before
    )
    assert stats.as_of == dt.date(2022, 8, 31)
    w = stats.window(30)
    assert (w.start, w.end) == (dt.date(2022, 8, 2), dt.date(2022, 8, 31))
    assert (w.attacks, w.strikes, w.attacks_before, w.strikes_before) == (2, 3, 1, 4)
    w = stats.window(90)
    assert (w.attacks, w.strikes, w.attacks_before, w.strikes_before) == (3, 7, 1, 0)


def test_a_month_only_record_is_left_out_of_the_windows(empty_project):
    stats = stats_of(empty_project, record("2022-08-31"), record("2022-08", date_precision="month"))
    assert stats.month_only == 1
    assert stats.window(30).attacks == 1


def test_the_map_places_an_attack_at_its_base_and_a_strike_at_its_own_place(empty_project):
    stats = stats_of(
        empty_project,
        record("2022-08-01", lat=35.1, lon=40.6),  # an attack with its own coordinates
        record("2022-08-02", "strike", lat=34.4, lon=40.9, location_precision="approximate"),
        # near the base, at a place the gazetteer does not know
        record("2022-08-03", "strike", base="green-village", location="a desert road"),
        record("2022-08-04", "strike", location="a desert road"),  # nothing to place it by
    )
    base = stats.dataset.base_by_id["green-village"]
    attack, strike, near, lost = stats.dataset.incidents
    assert (stats.position(attack).lat, stats.position(attack).at_base) == (base.lat, True)
    assert (stats.position(strike).lat, stats.position(strike).precision) == (34.4, "approximate")
    assert stats.position(near).at_base and stats.position(near).lon == base.lon
    assert stats.position(lost) is None and stats.unplaced == (lost,)


def test_a_strike_without_coordinates_is_placed_where_its_location_names(empty_project):
    """The gazetteer (generator/gazetteer/) gives a strike told by its town or area a place
    of its own, not a spot beside a base; its most specific part, in its country."""
    stats = stats_of(
        empty_project,
        record("2022-08-01", "strike", base="green-village"),  # Abu Kamal, Syria
        record("2022-08-02", "strike", location="'Mashtal, eastern Baghdad'", country="Iraq"),
        record("2022-08-03", "strike", location="Deir ez-Zor province"),
    )
    abu_kamal, mashtal, province = (stats.position(i) for i in stats.dataset.incidents)
    assert (round(abu_kamal.lat, 2), round(abu_kamal.lon, 2)) == (34.45, 40.92)
    assert (abu_kamal.at_base, abu_kamal.precision, abu_kamal.place) == (
        False,
        "approximate",
        "Ālbū Kamāl",
    )
    assert (mashtal.place, mashtal.precision) == ("New Baghdad", "approximate")
    assert (province.place, province.precision) == ("Deir ez-Zor", "region")


def test_an_episode_is_every_incident_reached_through_responses(empty_project):
    a = record("2022-08-01")
    a_id = a.split("\n")[0][4:]
    s = record("2022-08-02", "strike", responds_to=f"[{a_id}]")
    s_id = s.split("\n")[0][4:]
    b = record("2022-08-03", responds_to=f"[{s_id}]")
    alone = record("2022-09-01")
    stats = stats_of(empty_project, a, s, b, alone)
    (episode,) = stats.episodes
    assert [i.id for i in episode.incidents] == [a_id, s_id, b.split("\n")[0][4:]]
    assert (episode.id, episode.first, episode.last) == (
        "episode-2022-08-01",
        dt.date(2022, 8, 1),
        dt.date(2022, 8, 3),
    )
    assert stats.episode_of(stats.dataset.incidents[-1]) is None


def test_page_titles_tell_alike_incidents_apart(empty_project):
    stats = stats_of(
        empty_project,
        record("2022-08-01"),
        record("2022-08-01", time='"21:50"'),
        record("2022-08-02"),
    )
    titles = page_titles(stats.dataset)
    first, timed, other = (
        titles[i.id] for i in sorted(stats.dataset.incidents, key=lambda i: i.id)
    )
    assert other == "Rocket attack on Green Village, 2 Aug 2022"
    assert timed == "Rocket attack on Green Village, 1 Aug 2022, 21:50"
    assert first.startswith("Rocket attack on Green Village, 1 Aug 2022 (2022-08-01-attack")
    assert len(set(titles.values())) == 3


@pytest.mark.parametrize(
    ("tag", "label"),
    [
        ("us-retaliation", "US retaliation"),
        ("tower-22", "Tower 22"),
        ("iran-backed-groups", "Iran-backed groups"),
        ("us-led-coalition", "US-led coalition"),
        ("soleimani-anniversary", "Soleimani anniversary"),
    ],
)
def test_a_tag_reads_as_words_with_its_compound_adjectives_hyphenated(tag, label):
    assert tag_label(tag) == label
