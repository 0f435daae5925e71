"""Cut a TopoJSON file (plotly.js base-map outlines) down to the shapes near a region.

The site serves plotly's `asia_50m.json` outlines itself. Whole, they weigh 85 KB
compressed; the map only ever shows the Middle East, so this keeps the geometries (or the
parts of multi-geometries) whose bounding box meets the region, and the arcs they use,
renumbered. Run once when updating the file:

    python scripts/subset_topojson.py SOURCE.json TARGET.json [west south east north]
"""

from __future__ import annotations

import json
import sys
from itertools import accumulate

REGION = (20.0, 10.0, 70.0, 47.0)  # west, south, east, north: Egypt to Iran, Yemen to Turkey
# The site's map never shows the ocean (plotly draws it only with `showocean`), and the
# ocean is one shape the size of the world: most of the file.
DROP = {"ocean"}


def decode(arc: list[list[int]], scale: list[float], translate: list[float]) -> list[tuple]:
    xs = accumulate(p[0] for p in arc)
    ys = accumulate(p[1] for p in arc)
    return [
        (x * scale[0] + translate[0], y * scale[1] + translate[1])
        for x, y in zip(xs, ys, strict=True)
    ]


def arc_ids(part) -> list[int]:
    """Arc indexes in a (nested) list of them; a negative index -i-1 means arc i reversed."""
    if isinstance(part, int):
        return [part if part >= 0 else ~part]
    return [a for p in part for a in arc_ids(p)]


def subset(topology: dict, region: tuple[float, float, float, float]) -> dict:
    west, south, east, north = region
    t = topology["transform"]
    boxes = []
    for arc in topology["arcs"]:
        points = decode(arc, t["scale"], t["translate"])
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))

    def meets(ids: list[int]) -> bool:
        x0 = min(boxes[i][0] for i in ids)
        y0 = min(boxes[i][1] for i in ids)
        x1 = max(boxes[i][2] for i in ids)
        y1 = max(boxes[i][3] for i in ids)
        return x0 <= east and x1 >= west and y0 <= north and y1 >= south

    kept: dict[int, int] = {}

    def renumber(part):
        if isinstance(part, int):
            old = part if part >= 0 else ~part
            new = kept.setdefault(old, len(kept))
            return new if part >= 0 else ~new
        return [renumber(p) for p in part]

    def centred(g: dict) -> bool:
        """Countries come whole, so keep those centred in the region, not all that touch it."""
        centre = (g.get("properties") or {}).get("ct")
        return centre is None or (west <= centre[0] <= east and south <= centre[1] <= north)

    objects = {}
    for name, obj in topology["objects"].items():
        geometries = obj["geometries"] if obj["type"] == "GeometryCollection" else [obj]
        out = []
        for g in geometries:
            if "arcs" not in g or name in DROP or not centred(g):
                continue
            if g["type"].startswith("Multi"):
                parts = [p for p in g["arcs"] if meets(arc_ids(p))]
                if parts:
                    out.append({**g, "arcs": renumber(parts)})
            elif meets(arc_ids(g["arcs"])):
                out.append({**g, "arcs": renumber(g["arcs"])})
        objects[name] = {"type": "GeometryCollection", "geometries": out}
    arcs = [None] * len(kept)
    for old, new in kept.items():
        arcs[new] = topology["arcs"][old]
    return {**topology, "objects": objects, "arcs": arcs, "bbox": [west, south, east, north]}


if __name__ == "__main__":
    source, target, *box = sys.argv[1:]
    region = tuple(map(float, box)) if box else REGION
    with open(source) as f:
        topology = json.load(f)
    with open(target, "w") as f:
        json.dump(subset(topology, region), f, separators=(",", ":"))
