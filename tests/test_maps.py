"""Offline partner pictures: the coordinate map and the engagement timeline."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from citylinks.maps import plot_engagement_timeline, plot_partner_map, summarise_partners

HANOI = {"home_at": (21.028, 105.834)}


def mention(article_id, partner, kind, lat, lon, role="counterpart", count=2):
    return {
        "article_id": article_id,
        "partner": partner,
        "kind": kind,
        "country": "KR",
        "lat": lat,
        "lon": lon,
        "role": role,
        "count": count,
        "primary": role == "counterpart",
    }


@pytest.fixture
def mentions():
    return pd.DataFrame(
        [
            mention("a1", "Seoul", "city", 37.566, 126.978),
            mention("a2", "Seoul", "city", 37.566, 126.978),
            mention("a2", "South Korea", "country", 37.566, 126.978, role="mentioned"),
            mention("a3", "Busan", "city", 35.102, 129.03, role="mentioned"),
            mention("a3", "Texas", "province", math.nan, math.nan),
        ]
    )


def test_summary_counts_articles_and_engagements(mentions):
    summary = summarise_partners(mentions).set_index("partner")
    assert summary.loc["Seoul", "articles"] == 2
    assert summary.loc["Seoul", "engagements"] == 2
    assert summary.loc["South Korea", "engagements"] == 0
    assert summary.index[0] == "Seoul"  # most engaged first


def collection(ax, gid):
    found = [c for c in ax.collections if c.get_gid() == gid]
    assert len(found) == 1, gid
    return found[0]


def test_partner_map(mentions):
    chart = plot_partner_map(mentions, **HANOI)
    ax = chart.figure.axes[0]
    assert ax.get_title() == "Hanoi and its partners"
    assert "1 place(s) without coordinates" in chart.caption  # Texas has none
    assert set(chart.data["partner"]) == {"Seoul", "South Korea", "Busan", "Texas"}
    assert "Seoul" in {t.get_text() for t in ax.texts}
    links = collection(ax, "links")
    assert len(links.get_paths()) == 1  # only Seoul is a counterpart: one line from Hanoi
    assert chart.alt.startswith("Hanoi and its partners")
    assert "coastlines and country borders" in chart.caption


def place(partner, lat, lon, *, kind="city", article=None, role="counterpart"):
    return mention(article or f"{partner}-1", partner, kind, lat, lon, role=role)


ASIA = [
    place("Seoul", 37.566, 126.978),
    place("Tokyo", 35.68, 139.69),
    place("Vientiane", 17.97, 102.6),
    place("Bangkok", 13.75, 100.5, role="mentioned"),
]
EUROPE_ASIA = [*ASIA, place("Paris", 48.86, 2.35), place("Madrid", 40.42, -3.7)]
PACIFIC = [place("Tokyo", 35.68, 139.69), place("Honolulu", 21.31, -157.86)]
CROWDED = [  # Korea's capital region and more: labels that cannot all fit
    place(name, 37.3 + 0.05 * i, 126.6 + 0.07 * i, article=f"k{j}")
    for i, name in enumerate(
        ["Seoul", "Incheon", "Gyeonggi", "Suwon", "Goyang", "Yongin", "Seongnam", "Bucheon"]
    )
    for j in range(8 - i)  # Seoul in the most articles
] + [place("Busan", 35.1, 129.04), place("Paris", 48.86, 2.35)]


def partners_of(rows):
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "rows, west_east",
    [
        (ASIA, (80, 160)),  # Asia only: no Europe, no Americas on the map
        (EUROPE_ASIA, (-40, 160)),
        (PACIFIC, (90, 230)),  # across the Pacific: the map runs past 180°
    ],
)
def test_map_extent_is_fitted_to_home_and_partners(rows, west_east):
    chart = plot_partner_map(partners_of(rows), **HANOI)
    ax = chart.figure.axes[0]
    (west, east), (south, north) = ax.get_xlim(), ax.get_ylim()
    assert west_east[0] <= west < east <= west_east[1]
    for row in rows + [place("Hanoi", *HANOI["home_at"])]:
        lon = row["lon"] if row["lon"] >= west else row["lon"] + 360
        assert west < lon < east and south < row["lat"] < north, row["partner"]


@pytest.mark.parametrize("rows", [ASIA, EUROPE_ASIA, PACIFIC])
def test_map_draws_land_lakes_and_borders_under_home(rows):
    from matplotlib.path import Path as MplPath

    chart = plot_partner_map(partners_of(rows), **HANOI)
    ax = chart.figure.axes[0]
    land = collection(ax, "land").get_paths()
    assert len(land) > 10 and len(collection(ax, "borders").get_paths()) > 5
    lat, lon = HANOI["home_at"]
    assert any(MplPath(p.vertices).contains_point((lon, lat)) for p in land)  # Hanoi on land
    # Mid-ocean is not land: the South China Sea, or the Pacific east of Japan.
    sea = (115.0, 15.0) if rows is not PACIFIC else (180.0, 30.0)
    assert not any(MplPath(p.vertices).contains_point(sea) for p in land)


@pytest.mark.parametrize("rows", [ASIA, EUROPE_ASIA, PACIFIC, CROWDED])
def test_map_labels_never_overlap_and_crowded_ones_are_left_to_the_table(rows):
    from citylinks.charts import agg_canvas

    chart = plot_partner_map(partners_of(rows), **HANOI)
    ax = chart.figure.axes[0]
    canvas = agg_canvas(chart.figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_gid() in ("partner-label", "home-label")]
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert all(not a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]), [
        t.get_text() for t in labels
    ]
    frame = ax.get_window_extent(renderer)
    assert all(
        frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1
        for b in boxes
    )
    names = {t.get_text() for t in labels}
    assert "Hanoi" in names
    partners = chart.data["partner"].nunique()
    if rows is CROWDED:
        assert len(names) - 1 < partners and "every place is in the CSV" in chart.caption
        assert "Seoul" in names  # the most engaged is named first
    else:
        assert len(names) - 1 == partners


@pytest.mark.parametrize(
    "lons, expected",
    [
        ([105.8, 126.9], [105.8, 126.9]),
        ([105.8, 2.3, -3.7], [105.8, 2.3, -3.7]),
        ([105.8, -157.9], [105.8, 202.1]),  # across the Pacific is shorter
        ([174.8, -175.2], [174.8, 184.8]),
        ([-70.0, -60.0], [-70.0, -60.0]),
    ],
)
def test_longitudes_unwrapped_to_the_shortest_span(lons, expected):
    import numpy as np

    from citylinks.maps import unwrap_longitudes

    assert np.allclose(unwrap_longitudes(np.array(lons)), expected)


def test_great_circle_runs_from_one_place_to_the_other_poleward():
    from citylinks.maps import great_circle

    arc = great_circle(105.8, 21.0, 2.35, 48.86)  # Hanoi to Paris
    assert arc[0].tolist() == pytest.approx([105.8, 21.0])
    assert arc[-1].tolist() == pytest.approx([2.35, 48.86], abs=1e-6)
    assert arc[:, 1].max() > 50  # bows north of both ends
    across = great_circle(139.7, 35.7, 202.14, 21.3)  # Tokyo to Honolulu, past 180°
    assert across[-1, 0] == pytest.approx(202.14) and (np.diff(across[:, 0]) > 0).all()


def test_partner_map_without_coordinates_is_a_placeholder():
    empty = pd.DataFrame([mention("a1", "Texas", "province", math.nan, math.nan)])
    chart = plot_partner_map(empty, **HANOI)
    assert "No partner with coordinates" in chart.caption
    assert chart.data.empty


def test_engagement_timeline():
    engagements = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "a3", "a4"],
            "published": ["2024-03-22", "2024-04-02", "2024-05-01", ""],
            "event_date": ["2024-03-21", "", "2024-04-30", ""],
            "partner": ["Seoul", "Seoul", "Guangzhou", "Busan"],
            "type": ["meeting", "agreement", "visit", "other"],
        }
    )
    chart = plot_engagement_timeline(engagements, top=1)
    ax = chart.figure.axes[0]
    assert ax.get_title() == "Engagements over time, by partner"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Seoul"]
    assert chart.data["date"].tolist() == ["2024-03-21", "2024-04-02"]  # event date, else publish
    full = plot_engagement_timeline(engagements, top=10)
    assert set(full.data["partner"]) == {"Seoul", "Guangzhou"}  # Busan has no date at all
    assert "2024-03-21 to 2024-04-30" in full.caption


def test_engagement_timeline_empty():
    chart = plot_engagement_timeline(pd.DataFrame(columns=["partner", "published"]), top=5)
    assert chart.data.empty
    assert "No engagements" in chart.caption


def exploded_partner_sectors(engagements: pd.DataFrame, top: int) -> pd.DataFrame | None:
    """The partner-sector counts written the plain way: one row per engagement and sector."""
    rows = engagements[["partner", "article_id"]].assign(
        sector=engagements["sectors"].str.split(";")
    )
    rows = rows.explode("sector")
    rows = rows[rows["sector"].fillna("") != ""]
    if rows.empty:
        return None
    partners = rows.groupby("partner")["article_id"].nunique().nlargest(top).index
    sectors = rows["sector"].value_counts().head(15).index
    return pd.crosstab(rows["partner"], rows["sector"]).reindex(index=partners, columns=sectors)


@pytest.mark.parametrize("seed", range(6))
def test_partner_sector_counts_are_those_of_every_engagement_and_sector(seed):
    import random

    from citylinks.maps import count_partner_sectors

    rng = random.Random(seed)
    partners = [f"City {i}" for i in range(rng.randint(1, 20))]
    sectors = [f"Sector {i}" for i in range(rng.randint(1, 20))] + [""]
    engagements = pd.DataFrame(
        {
            "article_id": [f"a{rng.randint(1, 60)}" for _ in range(300)],
            "partner": [rng.choice(partners) for _ in range(300)],
            "sectors": [
                ";".join(rng.sample(sectors, rng.randint(1, min(4, len(sectors)))))
                for _ in range(300)
            ],
        },
        dtype="str",
    )
    top = rng.randint(1, 14)
    found = count_partner_sectors(engagements, top=top)
    pd.testing.assert_frame_equal(found, exploded_partner_sectors(engagements, top))
    assert found.to_numpy().sum() > 0


def test_partner_sector_counts_without_sectors():
    from citylinks.maps import count_partner_sectors

    engagements = pd.DataFrame(
        {"article_id": ["a1", "a2"], "partner": ["Seoul", "Busan"], "sectors": ["", ""]},
        dtype="str",
    )
    assert count_partner_sectors(engagements) is None
    assert exploded_partner_sectors(engagements, 12) is None


def test_organisations_are_counted_apart_from_places():
    from citylinks.maps import count_organisation_engagements, plot_partner_engagements

    rows = [
        ("a1", "Manila", "city", "PH", "counterpart"),
        ("a1", "World Health Organization", "organisation", "", "counterpart"),
        ("a2", "World Health Organization", "organisation", "", "counterpart"),
        ("a2", "ASEAN", "organisation", "", "mentioned"),
        ("a3", "JICA", "organisation", "JP", "mentioned"),
        ("a4", "JICA", "organisation", "JP", "counterpart"),
    ]
    table = pd.DataFrame(rows, columns=["article_id", "partner", "kind", "country", "role"])
    assert plot_partner_engagements(table).data.iloc[:, 0].tolist() == ["Manila"]
    found = count_organisation_engagements(table)
    assert found.values.tolist() == [
        ["World Health Organization", "", 2, 2],
        ["JICA", "JP", 1, 2],
        ["ASEAN", "", 0, 1],
    ]
    assert count_organisation_engagements(table[table["kind"] == "city"]).empty
