"""Adapter for the CENTCOM strikes CSV (centcom-strikes-2014-2016.csv: 5,605 rows, one per
day and place of US Central Command's daily releases on coalition strikes against ISIL in
Iraq and Syria, October 2014 to October 2016).

    python -m generator import-csv ../shared/data/centcom-strikes-2014-2016.csv \\
        --adapter examples/centcom/adapter.py --into ../centcom-site

Columns: date (MM/DD/YYYY), country, location, number (strikes that day near that place),
description (what was hit), line (the release's line as scraped). One row becomes one
record of kind strike that stands for `number` strikes.
"""

from __future__ import annotations

import re

from generator.text import strip_invisible
from generator.tools.importer import Place, Places, Row, slug

COLUMNS = ("date", "country", "location", "number", "description", "line")

# Spellings of one place, merged under one location. Names match whatever the case,
# spaces, hyphens and apostrophe style. A place's country wins over the country column,
# which puts a few Syrian towns in Iraq (Ar Raqqah, Al Hasakah, Ayn Isa) and Al Qaim once
# in Syria. Places not listed are kept as written, with the country column's value.
# Strikes near Al Asad and At Tanf are linked to those bases (see bases.yaml here). Every
# spelling is written out as the CSV has it (case aside), so that tests/test_centcom.py can
# check the site against the CSV with a plain lookup in this table.
PLACES = {
    "Iraq": Place("Iraq (place not named)", "Iraq"),
    "Syria": Place("Syria (place not named)", "Syria"),
    **dict.fromkeys(
        ["Abu Kamal", "Near Abu Kamal", "Al Bukamal", "Albu Kamal"], Place("Abu Kamal", "Syria")
    ),
    **dict.fromkeys(["Al Asad"], Place("Al Asad", "Iraq", base="ain-al-asad")),
    **dict.fromkeys(["At Tanf", "Near At Tanf"], Place("At Tanf", "Syria", base="al-tanf")),
    **dict.fromkeys(["Al Baghdadi", "Baghdadi", "Near Al Baghdadi"], Place("Al Baghdadi", "Iraq")),
    **dict.fromkeys(["Al Hasakah", "Hasakah"], Place("Al Hasakah", "Syria")),
    "Al Hasakah and Dayr Az Zawr": Place(country="Syria"),
    "Al Hawl": Place("Al Hawl", "Syria"),
    **dict.fromkeys(
        ["Al Huwayjah", "Huwayjah", "Al Huwayja", "Al Hawayjah", "Al Hawijah"],
        Place("Al Huwayjah", "Iraq"),
    ),
    "Al Qaim": Place(country="Iraq"),
    "Ayn Isa": Place(country="Syria"),
    **dict.fromkeys(["Al Shaddadi", "Al Shadaddi", "Al Shadadi"], Place("Al Shaddadi", "Syria")),
    **dict.fromkeys(["Ar Raqqah", "Al Raqqah", "Raqqah"], Place("Ar Raqqah", "Syria")),
    **dict.fromkeys(["Ar Rutbah", "Ar Rut bah", "Al Rutbah"], Place("Ar Rutbah", "Iraq")),
    **dict.fromkeys(
        [
            "Dayr Az Zawr",
            "Dawr az Zawr",
            "Day az Zawr",
            "Dayr Ar Zawr",
            "Dayr as Zawr",
            "Dayz Ar Awr",
            "Dayz Az Zawr",
            "Dayz ar Zawr",
        ],
        Place("Dayr Az Zawr", "Syria"),
    ),
    **dict.fromkeys(["Erbil", "Irbil"], Place("Erbil", "Iraq")),
    **dict.fromkeys(["Habbaniyah", "Habbaniya"], Place("Habbaniyah", "Iraq")),
    **dict.fromkeys(["Hit", "Hit in Al Anbar Province"], Place("Hit", "Iraq")),
    **dict.fromkeys(["Makhmur", "Mahkmur"], Place("Makhmur", "Iraq")),
    **dict.fromkeys(["Mar’a", "Mar'a"], Place("Mar’a", "Syria")),
    **dict.fromkeys(["Palmyra", "Tadmur"], Place("Palmyra", "Syria")),
    **dict.fromkeys(["Tal Abyad", "Tal Abayad"], Place("Tal Abyad", "Syria")),
    **dict.fromkeys(["Tal Afar", "Tallafar"], Place("Tal Afar", "Iraq")),
    **dict.fromkeys(["Waleed", "Walweed"], Place("Waleed")),
    **dict.fromkeys(["Washiyah", "Washiya"], Place("Washiyah", "Syria")),
}
_PLACES = Places(PLACES)
# The country column's odd cells: the town in the country column, or no country at all.
COUNTRIES = {"Tikrit, Iraq": "Iraq", "Unknown": None}

# Several description cells run a second bullet or a heading of the release into their
# own ("…building.         vNear Mosul, seven strikes…"). The text from that point is
# dropped, so a summary never describes another place's strikes: two or more spaces and a
# capital letter start such text, except the release's own continuations ("  ISIL
# vehicle." after a line break). The whole line, as scraped, is kept in the notes.
# (A run of spaces is tried from its first space only, (?<!\s): trying every space of a
# long run as a start would take time quadratic in its length.)
MERGED_BULLET = re.compile(
    r"(?<!\s)\s{2,}v?(?=(?!ISIL\b|The strikes\b|These strikes\b|The airstrikes\b)[A-Z])"
)


def record(row: Row) -> dict[str, object]:
    day = row.date("date", "%m/%d/%Y")
    cell = row["location"]
    if not cell:
        row.problem("location", "the place is empty; every record needs one")
    place = _PLACES.get(cell) or Place()
    location = place.location or cell
    country_cell = row["country"]
    country = place.country or COUNTRIES.get(country_cell, country_cell or None)
    number = row.whole_number("number")
    description = MERGED_BULLET.split(strip_invisible(row.raw("description")), maxsplit=1)[0]
    description = " ".join(description.split())
    return {
        "id": f"{day.isoformat()}-{slug(location)}-{{n}}",
        "date": day,
        "kind": "strike",
        "title": f"Coalition strikes near {location}",
        "base": place.base,
        "location": location,
        "country": country,
        "location_precision": "region",  # "near" a town
        "weapon": "airstrike",
        "status": "confirmed",  # reported by the coalition itself
        "perpetrator": "US-led coalition",
        "attribution": "claimed",
        "strikes": number,
        "summary": f"US Central Command counted {number} coalition strike(s) near {location} "
        f"that day. Its daily release said the {description}",
        "notes": "From a line of US Central Command's daily release on coalition strikes, as "
        f"kept in a public scraped dataset: “{row['line']}” The dataset gives one date per "
        "line; the release's own publication date is not in it, so the source below is dated "
        "with the strike.",
        "tags": ["coalition-airstrikes", "isil"],
        "sources": [
            {
                "publisher": "US Central Command",
                "title": "Daily release on coalition airstrikes against ISIL in Iraq and Syria",
                "published": day,
            }
        ],
    }
