"""Numbers a newsroom can publish: the checks that catch wrong records, each on a real case
from the 2023–24 campaign (examples/campaign-2023-24).

- strikes dated by Washington's clock (the 2 February 2024 strikes began at 16:00 EST, which
  is 00:00 on 3 February in Syria), and a clock the project does not know said so;
- the same event twice (the 8 December 2023 rockets on the embassy and Union III; a base
  given by an alias; a real pair reviewed with distinct_from);
- who claimed an attack apart from who is blamed (Tower 22, Erbil on 25 December 2023);
- official tallies beside the records' own count (the Pentagon's 102 attacks by 21
  December 2023), on the overview's casualty card over the same days;
- not stated apart from none, on the pages and in the downloads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil

import pytest
import yaml
from conftest import CAMPAIGN, TODAY, copy_project

from generator.build import generate
from generator.errors import DataError
from generator.project import Project
from generator.stats import Stats
from generator.validate import load_dataset

STRIKES = "incidents/2024/2024-02-03-syria-airstrikes.yaml"
TOWER_22 = "incidents/2024/2024-01-28-tower-22-drone.yaml"


@pytest.fixture
def campaign(tmp_path) -> Project:
    root = copy_project(tmp_path / "project", data=False).root
    shutil.rmtree(root / "data")
    shutil.copytree(CAMPAIGN, root / "data")
    return Project(root)


def edit(project: Project, name: str, old: str, new: str) -> None:
    path = project.data_dir / name
    text = path.read_text()
    assert re.search(old, text, re.M), f"{old!r} is not in {name}"
    path.write_text(re.sub(old, new, text, count=1, flags=re.M))


def problems(project: Project) -> list[str]:
    try:
        load_dataset(project, as_of=TODAY)
    except DataError as e:
        return [str(p) for p in e.problems]
    return []


def hints(project: Project) -> list[str]:
    return [str(h) for h in load_dataset(project, as_of=TODAY).hints]


# --- time zones ---------------------------------------------------------------------------


def test_a_strike_dated_by_washington_s_clock_is_told_its_local_date(campaign):
    edit(campaign, STRIKES, r"^date: 2024-02-03", "date: 2024-02-02")
    edit(campaign, STRIKES, r'^time: "00:00"', 'time: "16:00"\ntime_zone: America/New_York')
    found = [p for p in problems(campaign) if "syria-airstrikes" in p]
    assert found[0].endswith(
        "date: 16:00 America/New_York on 2 February 2024 is 00:00 on 3 February 2024 in Syria; "
        "a record's date is the local date of the place: write date: 2024-02-03 and time: "
        '"00:00" (the local time) without time_zone, and say in notes what the source\'s '
        "clock said"
    )


def test_a_time_on_another_clock_that_keeps_the_day_is_accepted(campaign):
    edit(campaign, STRIKES, r'^time: "00:00"', 'time: "08:00"\ntime_zone: UTC')
    assert problems(campaign) == []  # 08:00 UTC is 11:00 in Syria, the same day


@pytest.mark.parametrize(
    "lines, message",
    [
        (
            "time_zone: America/New_York",
            "time_zone: says which clock 'time' is on, but no time is given; give time or "
            "remove time_zone",
        ),
        (
            'time: "16:00"\ntime_zone: Washington',
            "time_zone: 'Washington' is not a time zone; write its IANA name, e.g. "
            "America/New_York for Washington's clock, UTC, or Asia/Baghdad",
        ),
    ],
)
def test_time_zones_that_cannot_be_used_say_why(campaign, lines, message):
    edit(campaign, STRIKES, r'^time: "00:00"\n', lines + "\n")
    assert any(p.endswith(message) for p in problems(campaign)), problems(campaign)


ASAD_27 = "incidents/2023/2023-10-27-ain-al-asad-drone.yaml"  # 07:00 on Washington's clock


def _move_to(project: Project, country: str) -> None:
    """The 27 October 2023 drone, moved to a site in ``country`` (which the dataset covers)."""
    edit(project, "dataset.yaml", r"^countries: \[", f"countries: [{country}, ")
    edit(project, ASAD_27, r"^base: ain-al-asad", f"country: {country}")


def test_the_clock_of_a_gulf_country_is_known(campaign):
    _move_to(campaign, "Kuwait")
    edit(campaign, ASAD_27, r'^time: "07:00"', 'time: "18:00"')
    found = [p for p in problems(campaign) if "ain-al-asad-drone.yaml" in p]
    assert found == [
        f"data/{ASAD_27}:3:7: date: 18:00 America/New_York on 27 October 2023 is 01:00 on 28 "
        "October 2023 in Kuwait; a record's date is the local date of the place: write date: "
        '2023-10-28 and time: "01:00" (the local time) without time_zone, and say in notes what '
        "the source's clock said"
    ]


def zone_hints(project: Project) -> list[str]:
    return [h for h in hints(project) if ": time_zone: " in h]


def test_a_time_in_a_country_whose_clock_is_not_known_is_a_hint(campaign):
    _move_to(campaign, "Ruritania")
    assert problems(campaign) == []
    assert zone_hints(campaign) == [
        f"data/{ASAD_27}:5:12: time_zone: the local clock of Ruritania is not known here, so "
        "the date could not be checked against 07:00 on the America/New_York clock; make sure "
        "date is the local date in Ruritania, and add the country's time zone to "
        "generator/gazetteer/clocks.yaml"
    ]


def test_a_border_strike_is_checked_by_the_clock_of_both_countries(campaign):
    edit(campaign, ASAD_27, r"^base: ain-al-asad", "country: Iraq and Syria")
    edit(campaign, ASAD_27, r'^time: "07:00"', 'time: "18:00"')
    assert any(
        "is 01:00 on 28 October 2023 in Iraq and Syria; a record's date" in p
        for p in problems(campaign)
    )


def test_the_campaign_s_times_are_all_checked(campaign):
    assert zone_hints(campaign) == []


# --- claims and blame -----------------------------------------------------------------------


def test_who_claimed_is_apart_from_who_is_blamed(campaign):
    """Erbil, 25 December 2023: the Islamic Resistance in Iraq claimed it; US officials blamed
    Kata'ib Hezbollah."""
    stats = Stats(load_dataset(campaign, as_of=TODAY))
    erbil = stats.dataset.incident_by_id["2023-12-25-erbil-air-base-drone"]
    iri = stats.dataset.actor_by_id["islamic-resistance-in-iraq"]
    kh = stats.dataset.actor_by_id["kataib-hezbollah"]
    assert (erbil.perpetrator, erbil.claimed_by) == (
        "kataib-hezbollah",
        ["islamic-resistance-in-iraq"],
    )
    assert erbil in stats.claimed_by(iri) and erbil not in stats.claimed_by(kh)
    assert erbil in stats.by_actor(kh)  # held responsible, by officials


def test_a_claim_by_an_unknown_group_is_refused(campaign):
    edit(campaign, TOWER_22, r"^attribution: .*", r"\g<0>\nclaimed_by: [islamic-resistance]")
    assert any(
        "claimed_by[0]: no actor has the id 'islamic-resistance'; did you mean "
        "'islamic-resistance-in-iraq'?" in p
        for p in problems(campaign)
    )


ERBIL_25 = "incidents/2023/2023-12-25-erbil-air-base-drone.yaml"


def claim_hints(project: Project) -> list[str]:
    return [h for h in hints(project) if ": attribution: " in h]


def test_the_campaign_s_claims_agree_with_their_attributions(campaign):
    assert claim_hints(campaign) == []


def test_a_claim_that_claimed_by_does_not_record_is_a_hint(campaign):
    """Erbil, 25 December 2023, written the way Tower 22 once was: attribution: claimed,
    with the claim only in the notes."""
    edit(campaign, ERBIL_25, r"^attribution: attributed", "attribution: claimed")
    edit(campaign, ERBIL_25, r"^claimed_by: .*\n", "")
    assert claim_hints(campaign) == [
        f"data/{ERBIL_25}:9:14: attribution: says the perpetrator claimed it, but claimed_by "
        "does not say who claimed it; add claimed_by: [kataib-hezbollah] (the actor ids of "
        "the groups whose claim a source of the record reports), or change attribution to "
        "attributed or suspected if no claim is reported"
    ]


def test_a_claim_by_another_group_than_the_perpetrator_is_a_hint(campaign):
    """Erbil, 25 December 2023: the Islamic Resistance in Iraq claimed it, officials blamed
    Kata'ib Hezbollah; 'claimed' would say Kata'ib Hezbollah claimed it."""
    edit(campaign, ERBIL_25, r"^attribution: attributed", "attribution: claimed")
    assert claim_hints(campaign) == [
        f"data/{ERBIL_25}:9:14: attribution: says 'kataib-hezbollah' claimed it, but "
        "claimed_by names islamic-resistance-in-iraq only; if 'kataib-hezbollah' claimed it, "
        "add it to claimed_by; if the claim was another group's and officials hold "
        "'kataib-hezbollah' responsible, write attribution: attributed (or suspected)"
    ]


def test_a_claim_by_a_member_group_is_a_claim_of_its_umbrella(campaign):
    edit(campaign, ERBIL_25, r"^perpetrator: .*", "perpetrator: islamic-resistance-in-iraq")
    edit(campaign, ERBIL_25, r"^attribution: attributed", "attribution: claimed")
    edit(campaign, ERBIL_25, r"^claimed_by: .*", "claimed_by: [kataib-hezbollah]")
    assert claim_hints(campaign) == []


# --- the same event twice -------------------------------------------------------------------

TANF_19 = "incidents/2023/2023-10-19-al-tanf-drones.yaml"


def _copy_record(project: Project, name: str, new_id: str, day: str) -> None:
    text = (project.data_dir / name).read_text()
    old_id = name.rsplit("/", 1)[1].removesuffix(".yaml")
    text = text.replace(old_id, new_id).replace(f"date: {old_id[:10]}", f"date: {day}")
    (project.data_dir / f"incidents/{day[:4]}/{new_id}.yaml").write_text(text)


def test_two_records_of_one_event_give_a_hint_that_distinct_from_silences(campaign):
    _copy_record(campaign, TANF_19, "2023-10-20-al-tanf-drones", "2023-10-20")
    found = [h for h in hints(campaign) if "2023-10-20-al-tanf-drones" in h]
    assert len(found) == 1
    assert ("id: may be the same event as '2023-10-19-al-tanf-drones' (both attacks on ") in found[
        0
    ]
    assert "on 19 October 2023 and 20 October 2023); if it is, merge them" in found[0]
    assert "add distinct_from: [2023-10-19-al-tanf-drones] to this record" in found[0]
    edit(
        campaign,
        "incidents/2023/2023-10-20-al-tanf-drones.yaml",
        r"^kind: attack",
        "kind: attack\ndistinct_from: [2023-10-19-al-tanf-drones]",
    )
    assert not [h for h in hints(campaign) if "2023-10-20-al-tanf-drones" in h]


GREEN_VILLAGE_1 = "incidents/2024/2024-01-01-green-village-drone.yaml"
GREEN_VILLAGE_31 = "incidents/2023/2023-12-31-green-village-drones.yaml"


def test_a_real_pair_reviewed_as_two_events_gives_a_hint_without_distinct_from(campaign):
    """Drones on Green Village on 31 December 2023 and again on 1 January 2024: a reviewer
    read both and wrote distinct_from. Without it the pair is a hint; with it on either
    record, it is not."""
    pair = "2023-12-31-green-village-drones"
    assert not [h for h in hints(campaign) if f"'{pair}'" in h]
    edit(campaign, GREEN_VILLAGE_1, rf"^distinct_from: \[{pair}\]\n", "")
    assert [h for h in hints(campaign) if f"'{pair}'" in h] == [
        f"data/{GREEN_VILLAGE_1}:2:5: id: may be the same event as '{pair}' (both attacks on "
        "Mission Support Site Green Village (al-Omar oil field), on 31 December 2023 and 1 "
        "January 2024); if it is, merge them into one record (previous_ids: "
        f"[{pair}] keeps the other's address); if it is not, add distinct_from: [{pair}] to "
        "this record"
    ]
    edit(
        campaign,
        GREEN_VILLAGE_31,
        r"^distinct_from: \[",
        "distinct_from: [2024-01-01-green-village-drone, ",
    )
    assert not [h for h in hints(campaign) if f"'{pair}'" in h]


RUMALYN_31 = "incidents/2023/2023-12-31-rumalyn-drone.yaml"


def test_an_attack_at_a_base_given_by_an_alias_is_at_that_base(campaign):
    """The 31 December 2023 drone on Rumalyn, recorded again from a report that gives the
    site only as a place: 'Rmelan', one of Rumalyn's aliases in bases.yaml."""
    _copy_record(campaign, RUMALYN_31, "2023-12-31-rmelan-drone", "2023-12-31")
    copy = "incidents/2023/2023-12-31-rmelan-drone.yaml"
    edit(
        campaign,
        copy,
        r"^base: rumalyn$",
        "country: Syria\nlocation: near Rmelan, Hasakah province",
    )
    assert problems(campaign) == []
    found = [h for h in hints(campaign) if "2023-12-31-rmelan-drone" in h]
    assert found == [  # on the later of the two by date and id
        f"data/{RUMALYN_31}:2:5: id: may be the same event as '2023-12-31-rmelan-drone' (both "
        "attacks on Rumalyn Landing Zone, one given as 'near Rmelan, Hasakah province', on 31 "
        "December 2023); if it is, merge them into one record (previous_ids: "
        "[2023-12-31-rmelan-drone] keeps the other's address); if it is not, add "
        "distinct_from: [2023-12-31-rmelan-drone] to this record"
    ]
    # A place that is no base's name is no base: the pair is two attacks in Syria.
    edit(campaign, copy, r"^location: .*", "location: near Qamishli")
    assert not [h for h in hints(campaign) if "2023-12-31-rmelan-drone" in h]


@pytest.mark.parametrize(
    "change",
    [
        r"^weapon: drone$/weapon: rocket",  # rockets the next day: another attack
        r"^related: \[/related: [2023-10-19-al-tanf-drones, ",  # linked to it: known
    ],
)
def test_records_told_apart_give_no_hint(campaign, change):
    _copy_record(campaign, TANF_19, "2023-10-20-al-tanf-drones", "2023-10-20")
    old, new = change.split("/", 1)
    edit(campaign, "incidents/2023/2023-10-20-al-tanf-drones.yaml", old, new)
    assert not [h for h in hints(campaign) if "2023-10-20-al-tanf-drones" in h]


def test_the_same_weapon_the_same_day_is_still_a_hint(campaign):
    _copy_record(campaign, TANF_19, "2023-10-19-al-tanf-drones-2", "2023-10-19")
    edit(
        campaign,
        "incidents/2023/2023-10-19-al-tanf-drones-2.yaml",
        r"^weapon: drone$",
        "weapon: [drone, rocket]",
    )
    assert [h for h in hints(campaign) if "2023-10-19-al-tanf-drones-2" in h]


def test_one_barrage_on_two_sites_counts_once(campaign):
    embassy = "incidents/2023/2023-12-08-us-embassy-baghdad-union-iii-rockets.yaml"
    assert (campaign.data_dir / embassy).is_file()
    text = (campaign.data_dir / embassy).read_text()
    if "also_hit" not in text:
        edit(campaign, embassy, r"^kind: attack", "kind: attack\nalso_hit: [union-iii]")
    stats = Stats(load_dataset(campaign, as_of=TODAY))
    record = stats.dataset.incident_by_id["2023-12-08-us-embassy-baghdad-union-iii-rockets"]
    assert record.base == "us-embassy-baghdad" and "union-iii" in record.also_hit
    assert stats.attack_counts[("us-embassy-baghdad", "2023-12")] >= 1
    assert record not in stats.by_site.get("union-iii", ())  # counted once, at its base…
    assert record in stats.also_hit["union-iii"]  # …and listed at the other site


@pytest.mark.parametrize(
    "value, message",
    [
        ("[us-embassy-baghdad]", "also_hit[0]: 'us-embassy-baghdad' is the record's own base"),
        ("[union-3]", "also_hit[0]: unknown base 'union-3'; did you mean 'union-iii'?"),
    ],
)
def test_sites_also_hit_must_be_other_bases(campaign, value, message):
    embassy = "incidents/2023/2023-12-08-us-embassy-baghdad-union-iii-rockets.yaml"
    text = (campaign.data_dir / embassy).read_text()
    text = re.sub(r"^also_hit: .*\n", "", text, flags=re.M)
    (campaign.data_dir / embassy).write_text(
        text.replace("kind: attack", f"kind: attack\nalso_hit: {value}")
    )
    assert any(message in p for p in problems(campaign)), problems(campaign)


# --- official tallies -----------------------------------------------------------------------


def test_official_tallies_stand_beside_the_records_own_count(campaign):
    info = campaign.info_file
    text = re.sub(r"^tallies:(\n  .*|\n- .*|\n    .*)*", "", info.read_text(), flags=re.M)
    info.write_text(
        text.rstrip()
        + """
tallies:
  - as_of: 2023-12-21
    count: 102
    since: 2023-10-17
    scope: attacks on US forces in Iraq and Syria
    source: {publisher: Pentagon, title: Press briefing, published: 2023-12-21}
  - as_of: 2023-11-21
    count: 66
    since: 2023-10-17
    scope: attacks on US forces in Iraq and Syria
    source: {publisher: Pentagon, title: Press briefing, published: 2023-11-21}
"""
    )
    stats = Stats(load_dataset(campaign, as_of=TODAY))
    first, second = stats.tallies
    assert (first.official.count, second.official.count) == (66, 102)
    since = dt.date(2023, 10, 17)
    counted = [
        i
        for i in stats.attacks
        if i.date_precision != "month" and since <= i.date <= dt.date(2023, 12, 21)
    ]
    assert second.recorded == len(counted)
    assert second.official_since == 36
    assert second.recorded_since == second.recorded - first.recorded
    assert second.share == pytest.approx(second.recorded / 102)
    assert first.official_since is None


# --- not stated is not none -----------------------------------------------------------------

ZERO = "2023-12-06-ain-al-asad-drone"  # an official told AFP nobody was hurt: us 0 and 0
UNSTATED = "2023-10-20-al-harir-drones"  # no source states casualties: the field is left out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict[str, str]:
    """The campaign's pages and downloads, generated in memory (no mkdocs build)."""
    root = copy_project(tmp_path_factory.mktemp("numbers") / "project").root
    outputs = generate(Project(root, CAMPAIGN), as_of=TODAY).outputs
    return {path: data.decode() for path, data in outputs.items() if path.endswith((".md", ".csv"))}


def _record(name: str) -> dict:
    [path] = CAMPAIGN.glob(f"incidents/*/{name}.yaml")
    return yaml.safe_load(path.read_text("utf-8"))


def test_a_report_of_none_and_a_number_not_stated_read_apart(site):
    assert _record(ZERO)["casualties"] == {"us": {"killed": 0, "injured": 0}}
    assert "casualties" not in _record(UNSTATED)
    zero, unstated = site[f"incidents/{ZERO}.md"], site[f"incidents/{UNSTATED}.md"]
    assert '<th scope="row">Casualties: US forces</th><td>0 killed, 0 injured</td>' in zero
    assert "not stated" not in zero
    assert '<th scope="row">Casualties</th><td>not stated in the record\'s sources</td>' in (
        unstated
    )
    # In every incident table: none as numbers, not stated said so (and sorted below none).
    table = site["incidents/index.md"]
    assert (
        '<td data-label="Casualties" data-value="000000">US forces: 0 killed, 0 injured</td>'
    ) in table.split(f'data-id="{ZERO}"')[1].split("</tr>")[0]
    assert (
        '<td data-label="Casualties" data-value="-00001"><span class="table-note">not stated'
        "</span></td>"
    ) in table.split(f'data-id="{UNSTATED}"')[1].split("</tr>")[0]
    # incidents.csv: 0 for none, an empty cell for not stated.
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(site["data/incidents.csv"]))}
    casualty_columns = [c for c in rows[ZERO] if c.endswith(("_killed", "_injured"))]
    assert (rows[ZERO]["us_killed"], rows[ZERO]["us_injured"]) == ("0", "0")
    assert [rows[UNSTATED][c] for c in casualty_columns] == [""] * len(casualty_columns)
    # casualties.csv: a row of 0 for each none; no row at all for not stated.
    given = list(csv.DictReader(io.StringIO(site["data/casualties.csv"])))
    assert [
        (r["side"], r["outcome"], r["min"], r["max"], r["exact"]) for r in given if r["id"] == ZERO
    ] == [
        ("us", "killed", "0", "0", "yes"),
        ("us", "injured", "0", "0", "yes"),
    ]
    assert not [r for r in given if r["id"] == UNSTATED]


def test_a_base_where_no_record_states_us_deaths_does_not_say_none(site):
    """Tal Baydar: a Pentagon official confirmed a minor injury on 17 November 2023; no
    record of the base says whether anyone was killed."""
    records = [_record(p.stem) for p in CAMPAIGN.glob("incidents/*/*.yaml")]
    here = [r.get("casualties", {}).get("us", {}) for r in records if r.get("base") == "tal-baydar"]
    assert [us["injured"] for us in here if "injured" in us] == [1]
    assert not [us for us in here if "killed" in us]
    page = site["bases/tal-baydar.md"]
    assert '<th scope="row">US personnel killed</th><td>not stated in any record</td>' in page
    assert '<th scope="row">US personnel injured</th><td>1 <span class="figure-note">' in page


# --- the overview's casualty card ------------------------------------------------------------


def test_the_official_count_of_injured_is_set_beside_ours_over_the_same_days(site):
    """The card gives the records' count over the official count's own days, so that the
    two are not compared across different spans."""
    tallies = yaml.safe_load((CAMPAIGN / "dataset.yaml").read_text("utf-8"))["tallies"]
    official = max(
        (t for t in tallies if t.get("of") == "us-injured"), key=lambda t: (t["as_of"], t["count"])
    )
    recorded = 0
    for path in CAMPAIGN.glob("incidents/*/*.yaml"):
        r = yaml.safe_load(path.read_text("utf-8"))
        day = r["date"]
        if not isinstance(day, dt.date) or not official["since"] <= day <= official["as_of"]:
            continue  # dated only to the month, or outside the official count's days
        injured = ((r.get("casualties") or {}).get("us") or {}).get("injured")
        recorded += injured if isinstance(injured, int) else (injured or {}).get("min", 0)
    card = site["index.md"].split("headline__figure--casualties")[1].split("</div>")[0]
    day, since = official["as_of"], official["since"]
    at_least = "at least " if official.get("at_least") else ""
    assert (
        f'<span class="headline__official">Official: {at_least}{official["count"]} US '
        f"personnel injured from {since.day} {since:%B} {since.year} to "
        f"{day.day} {day:%B} {day.year} ({official['source']['publisher']}); recorded here over "
        f"the same days: {recorded} ({round(100 * recorded / official['count'])}%)</span>"
    ) in card, card
