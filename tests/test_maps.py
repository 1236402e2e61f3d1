"""Offline partner pictures: the coordinate map and the engagement timeline."""

from __future__ import annotations

import math

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


def test_partner_map(mentions):
    chart = plot_partner_map(mentions, **HANOI)
    ax = chart.figure.axes[0]
    assert ax.get_title() == "Hanoi and its partners"
    assert "Longitude" in ax.get_xlabel() and "Latitude" in ax.get_ylabel()
    assert "1 place(s) without coordinates" in chart.caption  # Texas has none
    assert set(chart.data["partner"]) == {"Seoul", "South Korea", "Busan", "Texas"}
    assert "Seoul" in {t.get_text() for t in ax.texts}
    lines = [line for line in ax.lines if len(line.get_xdata()) == 2]
    assert len(lines) == 1  # only Seoul is a counterpart: one line from Hanoi
    assert chart.alt.startswith("Hanoi and its partners")


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
