"""Synthetic incident datasets that look like real ones, for ``make bench``.

About 30 bases in Iraq and Syria with names, aliases and coordinates; incidents spread
over six years of months (with busier and quieter spells); about 70 % attacks and 30 %
US strikes with a realistic mix of weapons, statuses, 1 to 3 sources, summaries of 1 to 4
sentences, date precision, some casualty figures, tags, and responds_to / related links.

Everything comes from one seeded ``random.Random``: the same size and seed give
byte-identical files. The text is made up; nothing here is a real event.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.model import Incident
from generator.project import Project
from generator.tools.records import incident_file, record_data

FIRST = dt.date(2019, 1, 1)
LAST = dt.date(2024, 12, 31)  # six years of months

# (name, country, province, lat, lon): plausible sites; coordinates are rough.
BASES = [
    ("Ain al-Asad Air Base", "Iraq", "Anbar", 33.79, 42.44),
    ("Al-Tanf Garrison", "Syria", "Homs", 33.50, 38.65),
    ("Green Village", "Syria", "Deir ez-Zor", 35.03, 40.57),
    ("Conoco gas field", "Syria", "Deir ez-Zor", 35.30, 40.30),
    ("Camp Victory", "Iraq", "Baghdad", 33.27, 44.24),
    ("Erbil Air Base", "Iraq", "Erbil", 36.24, 43.96),
    ("Harir Air Base", "Iraq", "Erbil", 36.54, 44.35),
    ("Al-Shaddadi base", "Syria", "Al-Hasakah", 36.05, 40.73),
    ("Rumeilan Landing Zone", "Syria", "Al-Hasakah", 36.85, 42.04),
    ("Tal Baydar base", "Syria", "Al-Hasakah", 36.72, 40.87),
    ("Qasrak base", "Syria", "Al-Hasakah", 36.62, 40.78),
    ("Mission Support Site Euphrates", "Syria", "Deir ez-Zor", 35.16, 40.43),
    ("Omar oil field", "Syria", "Deir ez-Zor", 35.06, 40.55),
    ("Baghdad Diplomatic Support Center", "Iraq", "Baghdad", 33.27, 44.23),
    ("Union III", "Iraq", "Baghdad", 33.31, 44.40),
    ("Camp Taji", "Iraq", "Baghdad", 33.53, 44.26),
    ("Qayyarah West Airfield", "Iraq", "Nineveh", 35.77, 43.12),
    ("K-1 Air Base", "Iraq", "Kirkuk", 35.51, 44.29),
    ("Al-Malikiyah base", "Syria", "Al-Hasakah", 37.17, 42.13),
    ("Kharab al-Jir airstrip", "Syria", "Al-Hasakah", 36.93, 42.08),
    ("Tal Tamr outpost", "Syria", "Al-Hasakah", 36.65, 40.37),
    ("Hasakah city base", "Syria", "Al-Hasakah", 36.50, 40.75),
    ("Ayn Issa outpost", "Syria", "Raqqa", 36.39, 38.86),
    ("Deir ez-Zor airport outpost", "Syria", "Deir ez-Zor", 35.28, 40.17),
    ("Balad Air Base", "Iraq", "Saladin", 33.94, 44.36),
    ("Al-Asad northern annex", "Iraq", "Anbar", 33.83, 42.41),
    ("Baghdad airport logistics hub", "Iraq", "Baghdad", 33.26, 44.23),
    ("Al-Hol perimeter post", "Syria", "Al-Hasakah", 36.38, 41.15),
    ("Shaddadi oil station", "Syria", "Al-Hasakah", 36.08, 40.70),
    ("Tower Ridge patrol base", "Syria", "Homs", 33.40, 38.80),
]
PLACES = [
    ("Al-Mayadin", "Syria"),
    ("Al-Bukamal", "Syria"),
    ("Deir ez-Zor", "Syria"),
    ("Abu Kamal", "Syria"),
    ("Jurf al-Sakhar", "Iraq"),
    ("Al-Qaim", "Iraq"),
    ("Kataib Hezbollah depot near Baghdad", "Iraq"),
    ("Saker Island", "Syria"),
    ("Mahkan", "Syria"),
    ("Hamdan airport", "Syria"),
    ("Al-Quriyah", "Syria"),
    ("Akashat", "Iraq"),
]
ATTACK_WEAPONS = {"rocket": 35, "drone": 30, "indirect-fire": 15, "mortar": 10, "missile": 5}
ATTACK_WEAPONS["unknown"] = 5
STRIKE_WEAPONS = {"airstrike": 60, "artillery": 20, "drone": 10, "missile": 10}
STATUSES = {"reported": 50, "confirmed": 35, "claimed": 15}
PRECISIONS = {"day": 90, "week": 7, "month": 3}
PUBLISHERS = [
    "Reuters",
    "Associated Press",
    "Al-Monitor",
    "CNN",
    "Rudaw",
    "The National",
    "Military Times",
    "US Central Command",
    "Syrian Observatory for Human Rights",
    "Kurdistan 24",
    "Shafaq News",
    "Long War Journal",
]
GROUPS = ["Islamic Resistance in Iraq", "Kataib Hezbollah", "Iran-backed militias", None]
TAGS = ["iran-backed-groups", "retaliation", "oil-fields", "air-defence", "border", "drones"]
SENTENCES = [
    "{what} struck the area around {place} in the {time}.",
    "Officials said {n} projectiles were fired and that {damage}.",
    "A local monitor reported the launch site to the {dir} of {place}.",
    "Air defences engaged at least part of the salvo before it reached the perimeter.",
    "No group claimed the attack in the first reports, and officials gave few details.",
    "The incident followed several days of rising tension in {province} province.",
    "Witnesses described explosions and smoke near the {dir}ern edge of {place}.",
    "A statement the next day gave a fuller account of the damage and the response.",
    "Reports differed on the number of {weapon}s, and this record follows the earliest.",
]
TIMES = ["early morning", "afternoon", "evening", "night"]
DIRS = ["north", "south", "east", "west"]
DAMAGES = ["there was no damage", "a vehicle was damaged", "nobody was hurt", "a fire broke out"]


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass(frozen=True)
class Dataset:
    bases_yaml: str
    incidents: list[Incident]


def bases_yaml() -> str:
    entries = []
    for name, country, province, lat, lon in BASES:
        entries.append(
            {
                "id": slug(name),
                "name": name,
                "country": country,
                "province": province,
                "aliases": [f"{name} (synthetic alias)"],
                "lat": lat,
                "lon": lon,
                "location_precision": "approximate",
                "description": f"A synthetic site in {province} province, {country}, made "
                "up for the benchmark.",
            }
        )
    return "# Synthetic bases for `make bench`.\n" + yaml.safe_dump(
        entries, sort_keys=False, allow_unicode=True
    )


def _date(rng: random.Random, month_weights: list[float]) -> dt.date:
    months = (LAST.year - FIRST.year + 1) * 12
    k = rng.choices(range(months), weights=month_weights)[0]
    year, month = FIRST.year + k // 12, k % 12 + 1
    return dt.date(year, month, rng.randint(1, 28))


def synthetic_dataset(size: int, seed: int = 2024) -> Dataset:
    """``size`` incidents (and the bases) as checked records; same size and seed, same data."""
    rng = random.Random(seed * 1_000_003 + size)
    months = (LAST.year - FIRST.year + 1) * 12
    # Busy and quiet spells: some months see several times the attacks of others.
    month_weights = [rng.choice((0.3, 1, 1, 1, 2, 4)) for _ in range(months)]
    dates = sorted(_date(rng, month_weights) for _ in range(size))
    base_ids = [slug(b[0]) for b in BASES]
    base_info = {slug(b[0]): b for b in BASES}
    used: dict[str, int] = {}
    incidents: list[Incident] = []
    attacks: list[Incident] = []
    for date in dates:
        kind = "attack" if rng.random() < 0.7 else "strike"
        weapon = pick(rng, ATTACK_WEAPONS if kind == "attack" else STRIKE_WEAPONS)
        base = rng.choice(base_ids)
        name, country, province, lat, lon = base_info[base]
        record: dict = {
            "date": date,
            "date_precision": pick(rng, PRECISIONS),
            "kind": kind,
            "weapon": weapon,
            "status": pick(rng, STATUSES),
        }
        if kind == "attack":
            record["base"] = base
            place, where = name, base
            if rng.random() < 0.4:
                n = rng.randint(1, 12)
                record["projectiles"] = n
                if rng.random() < 0.5:
                    record["intercepted"] = rng.randint(0, n)
            if rng.random() < 0.3:
                record["casualties"] = {"killed": 0, "injured": rng.choice((0, 0, 1, 2, 5))}
            group = rng.choice(GROUPS)
            if group:
                record["perpetrator"] = group
                record["attribution"] = rng.choice(("claimed", "attributed", "suspected"))
        else:
            place, country = rng.choice(PLACES)
            where = slug(place)
            record |= {"location": place, "country": country, "location_precision": "region"}
            if rng.random() < 0.3:
                record["base"] = base
            if rng.random() < 0.4:
                record["lat"] = round(lat + rng.uniform(-0.3, 0.3), 3)
                record["lon"] = round(lon + rng.uniform(-0.3, 0.3), 3)
            if rng.random() < 0.1:
                record["strikes"] = rng.randint(2, 4)
            earlier = [a for a in attacks[-40:] if a.date < date]
            if earlier and rng.random() < 0.3:
                record["responds_to"] = [rng.choice(earlier).id]
        stem = f"{date.isoformat()}-{where}-{slug(weapon)}"
        used[stem] = used.get(stem, 0) + 1
        record["id"] = stem if used[stem] == 1 else f"{stem}-{used[stem]}"
        fill = {
            "what": "Rockets" if kind == "attack" else "US aircraft",
            "place": place,
            "time": rng.choice(TIMES),
            "n": rng.randint(2, 9),
            "damage": rng.choice(DAMAGES),
            "dir": rng.choice(DIRS),
            "province": province,
            "weapon": weapon.replace("-", " "),
        }
        sentences = rng.sample(SENTENCES, rng.randint(1, 4))
        record["summary"] = " ".join(s.format(**fill) for s in sentences)
        if rng.random() < 0.2:
            record["notes"] = "Dated from the first report; later reports differ by a day."
        if incidents and rng.random() < 0.1:
            record["related"] = [rng.choice(incidents[-20:]).id]
        if rng.random() < 0.5:
            record["tags"] = sorted(rng.sample(TAGS, rng.randint(1, 2)))
        record["sources"] = [
            {
                "publisher": rng.choice(PUBLISHERS),
                "title": f"{record['kind'].title()} near {place}: report {k + 1}",
                "published": min(date + dt.timedelta(days=rng.randint(0, 3)), LAST),
                **(
                    {"url": f"https://example.org/{record['id']}/{k}"} if rng.random() < 0.8 else {}
                ),
            }
            for k in range(rng.randint(1, 3))
        ]
        incident = Incident.model_validate(record)
        incidents.append(incident)
        if kind == "attack":
            attacks.append(incident)
    return Dataset(bases_yaml(), incidents)


def write_dataset(data_dir: Path, dataset: Dataset) -> None:
    """Write data/bases.yaml and data/incidents/<year>/<id>.yaml under ``data_dir``."""
    (data_dir / "incidents").mkdir(parents=True, exist_ok=True)
    (data_dir / "bases.yaml").write_text(dataset.bases_yaml, "utf-8")
    project = Project(data_dir.parent, data_dir)
    for incident in dataset.incidents:
        path = project.incident_file(incident.id, incident.date)
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(incident_file(record_data(incident), project.schema_modeline(path)))


def write_history(
    root: Path, data_dir: Path, dataset: Dataset, *, corrected: float = 0.1, per_commit: int = 5
) -> int:
    """Make ``root`` a git repository whose history publishes the dataset in one commit and
    then corrects a share of its records (``corrected``), ``per_commit`` records a commit,
    as the corrections log reads it. The working tree ends as the last commit has it.
    Returns the number of corrections. Written with one ``git fast-import``: seconds, not
    the minutes of a commit at a time."""
    rng = random.Random(len(dataset.incidents))
    project = Project(data_dir.parent, data_dir)
    paths = {
        i.id: project.repository_path(project.incident_file(i.id, i.date))
        for i in dataset.incidents
    }
    files = {p: (root / p).read_bytes() for p in paths.values()}
    files[project.repository_path(project.bases_file)] = project.bases_file.read_bytes()
    stream = [_commit("Publish the synthetic dataset", 0, files)]
    chosen = rng.sample(list(dataset.incidents), round(len(dataset.incidents) * corrected))
    for n in range(0, len(chosen), per_commit):
        changed = {}
        for incident in chosen[n : n + per_commit]:
            path = root / paths[incident.id]
            fixed = incident.model_copy(update={"summary": incident.summary + " Corrected."})
            changed[paths[incident.id]] = data = incident_file(
                record_data(fixed), project.schema_modeline(path)
            )
            path.write_bytes(data)
        stream.append(_commit(f"Correct {len(changed)} records", n + 1, changed))
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    for args, stdin in (
        (["init", "-q", "-b", "main"], None),
        (["fast-import", "--quiet"], b"".join(stream)),
        (["reset", "-q"], None),  # the index as the last commit has it; files untouched
    ):
        subprocess.run(
            ["git", "-C", str(root), *args], input=stdin, check=True, env={**os.environ, **env}
        )
    return len(chosen)


def _commit(message: str, n: int, files: dict[str, bytes]) -> bytes:
    """One commit of a ``git fast-import`` stream: ``files`` written, a day apart."""
    when = 1_735_732_800 + n * 86_400  # from 1 January 2025, noon UTC
    text = message.encode()
    out = [
        b"commit refs/heads/main\n",
        b"committer Bench <bench@example.org> %d +0000\n" % when,
        b"data %d\n%s\n" % (len(text), text),
    ]
    for path, data in sorted(files.items()):
        out.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
    return b"".join(out) + b"\n"
