"""The countries' outlines the map is drawn with (the vendored Natural Earth TopoJSON), read
for one thing: the spots inside a country, in the part of it the map shows, where its name
can be written. charts.js writes each name at the first of its spots where it covers no
marker and no other label.
"""

from __future__ import annotations

import json
import math
from collections import deque
from functools import cache
from itertools import accumulate, pairwise
from pathlib import Path

import yaml

OUTLINES = Path(__file__).parent.parent / "vendor" / "topojson" / "asia_50m.json"
COUNTRY_IDS = Path(__file__).with_name("countries.yaml")  # name -> its id in the outlines

Ring = list[tuple[float, float]]  # (lon, lat), closed
Spot = tuple[float, float]  # (lat, lon)

GRID = 40  # columns of the grid the spots are chosen from (rows: as many as the shape needs)
SPOTS = 8  # spots offered per country, best first
APART = 4  # grid steps between two spots of a country


def mercator(lat: float) -> float:
    """How far north a latitude is drawn, in the units of a degree of longitude."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _latitude(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


@cache
def country_ids() -> dict[str, str]:
    """Country name (as datasets write it) -> its id in the outlines."""
    loaded = yaml.safe_load(COUNTRY_IDS.read_text("utf-8"))
    return {str(name): str(code) for name, code in loaded.items()}


@cache
def _rings() -> dict[str, tuple[Ring, ...]]:
    """Country id -> the rings of its outline (outer rings and holes alike)."""
    topology = json.loads(OUTLINES.read_text("utf-8"))
    scale, move = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = [
        [
            (x * scale[0] + move[0], y * scale[1] + move[1])
            for x, y in zip(
                accumulate(p[0] for p in arc), accumulate(p[1] for p in arc), strict=True
            )
        ]
        for arc in topology["arcs"]
    ]

    def ring(indices: list[int]) -> Ring:
        points: Ring = []
        for k in indices:
            part = arcs[k] if k >= 0 else arcs[~k][::-1]
            points.extend(part if not points else part[1:])
        return points

    out: dict[str, tuple[Ring, ...]] = {}
    for shape in topology["objects"]["countries"]["geometries"]:
        if "id" not in shape:
            continue
        polygons = shape["arcs"] if shape["type"] == "MultiPolygon" else [shape["arcs"]]
        out[shape["id"]] = tuple(ring(r) for polygon in polygons for r in polygon)
    return out


def name_spots(
    country: str, lat_range: list[float], lon_range: list[float]
) -> tuple[list[Spot], int]:
    """Where the map can write a country's name: up to SPOTS points inside its outline and
    within the ranges shown, the deepest inside first (farthest from its borders and the
    map's edges), at least APART grid steps from each other; and how deep the best one is,
    in grid steps (0: none of the country is in view, or its outline is not known)."""
    rings = _rings().get(country_ids().get(country, ""), ())
    if not rings:
        return [], 0
    west, east = lon_range
    top, bottom = mercator(lat_range[1]), mercator(lat_range[0])
    step = (east - west) / GRID
    rows = max(1, round((top - bottom) / step))
    lats = [_latitude(top - (r + 0.5) * (top - bottom) / rows) for r in range(rows)]
    lons = [west + (c + 0.5) * step for c in range(GRID)]
    inside = [_row_inside(rings, lat, lons) for lat in lats]
    depth = _depths(inside)
    ranked = sorted(
        ((depth[r][c], r, c) for r in range(rows) for c in range(GRID) if depth[r][c]),
        key=lambda d: (-d[0], d[1], d[2]),
    )
    chosen: list[tuple[int, int, int]] = []
    for d, r, c in ranked:
        if all(max(abs(r - r2), abs(c - c2)) >= APART for _, r2, c2 in chosen):
            chosen.append((d, r, c))
            if len(chosen) == SPOTS:
                break
    spots = [(round(lats[r], 3), round(lons[c], 3)) for _, r, c in chosen]
    return spots, chosen[0][0] if chosen else 0


def _row_inside(rings: tuple[Ring, ...], lat: float, lons: list[float]) -> list[bool]:
    """Which of the points (lat, lon) of one row lie inside the outline (even-odd rule):
    the row's crossings with every edge, once, then each point against them."""
    crossings = sorted(
        x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
        for ring in rings
        for (x0, y0), (x1, y1) in pairwise(ring)
        if (y0 > lat) != (y1 > lat)
    )
    out, k = [], 0
    for lon in lons:
        while k < len(crossings) and crossings[k] < lon:
            k += 1
        out.append(k % 2 == 1)
    return out


def _depths(inside: list[list[bool]]) -> list[list[int]]:
    """Each cell's distance in grid steps (diagonals too) to the nearest cell outside the
    country or beyond the map's edge; 0 outside."""
    rows, cols = len(inside), len(inside[0])
    depth = [[0] * cols for _ in range(rows)]
    todo: deque[tuple[int, int]] = deque()
    for r in range(rows):
        for c in range(cols):
            edge = r in (0, rows - 1) or c in (0, cols - 1)
            if inside[r][c] and (edge or _next_to_outside(inside, r, c)):
                depth[r][c] = 1
                todo.append((r, c))
    while todo:
        r, c = todo.popleft()
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                rr, cc = r + dr, c + dc
                if 0 <= rr < rows and 0 <= cc < cols and inside[rr][cc] and not depth[rr][cc]:
                    depth[rr][cc] = depth[r][c] + 1
                    todo.append((rr, cc))
    return depth


def _next_to_outside(inside: list[list[bool]], r: int, c: int) -> bool:
    return any(
        not inside[r + dr][c + dc]
        for dr in (-1, 0, 1)
        for dc in (-1, 0, 1)
        if 0 <= r + dr < len(inside) and 0 <= c + dc < len(inside[0])
    )
