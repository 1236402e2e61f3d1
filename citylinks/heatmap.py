"""The sector × period heatmap as an HTML table whose rows and cells link to the evidence."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from citylinks.evidence import sector_href


def _cell_colours(value: float, vmax: float) -> tuple[str, str]:
    from matplotlib import colormaps, colors

    from citylinks.charts import SEQUENTIAL  # the image charts' map: readable in grey

    share = value / vmax if vmax else 0.0
    background = colors.to_hex(colormaps[SEQUENTIAL](share))
    return background, "black" if share > 0.55 else "white"


def heatmap_table(trends: pd.DataFrame, *, top: int = 12) -> pd.DataFrame:
    """Return the heatmap's numbers: mentions per 1,000 words of the `top` sectors (rows, most
    mentioned first) by period, with each period's articles."""
    if trends.empty:
        return pd.DataFrame()
    totals = trends.groupby(["sector", "label"], sort=False)["mentions"].sum()
    totals = totals[totals > 0].sort_values(ascending=False, kind="stable").head(top)
    shown = trends.set_index(["sector", "label"]).loc[totals.index].reset_index()
    table = shown.pivot(index=["sector", "label"], columns="period", values="per_1000_words")
    return table.reindex(index=totals.index)


def sector_heatmap_html(trends: pd.DataFrame, *, top: int = 12, csv_href: str | None = None) -> str:
    """Return the sector × period heatmap as an HTML table: each sector's name links to its
    evidence, each coloured cell to the sentences of that sector in that period."""
    from citylinks.sectors import _count, _thin_note

    table = heatmap_table(trends, top=top)
    title = "Sector mentions over time"
    if table.empty:
        message = (
            "No dated article in the window: nothing to draw over time (see the undated list)."
        )
        return (
            f'<figure class="cl-chart" id="chart-sector_heatmap"><p><strong>{title}</strong></p>'
            f"<figcaption>{html.escape(message)}</figcaption></figure>"
        )
    articles = trends.drop_duplicates("period").set_index("period")["articles_in_period"]
    mentions = trends.set_index(["sector", "period"])["mentions"]
    vmax = float(pd.DataFrame(table).max().max() or 1.0)
    head = []
    for period in table.columns:
        n = int(articles.get(period, 0))
        thin = ' class="cl-thin" title="a single article"' if n == 1 else ""
        head.append(f'<th scope="col"{thin}>{html.escape(period)}<br>n={n}</th>')
    body = []
    for (sector, label), values in table.iterrows():
        cells = []
        for period, value in values.items():
            n_articles = int(articles.get(period, 0))
            if pd.isna(value) or not n_articles:
                cells.append("<td></td>")
                continue
            count = int(mentions.get((sector, period), 0))
            if not count:  # articles in the period, none mentioning the sector
                cells.append('<td class="cl-zero" title="no mention">0</td>')
                continue
            background, ink = _cell_colours(float(value), vmax)
            tip = (
                f"{label}, {period}: {count} mention{'s' if count != 1 else ''} in "
                f"{_count(n_articles, 'article')} of the period"
            )
            shown = f'<a href="{sector_href(sector, period)}">{value:.1f}</a>'
            cells.append(
                f'<td style="background:{background};color:{ink}" title="{html.escape(tip)}">'
                f"{shown}</td>"
            )
        body.append(
            f'<tr><th scope="row"><a href="{sector_href(sector)}">{html.escape(label)}</a></th>'
            + "".join(cells)
            + "</tr>"
        )
    n = int(articles.sum())
    caption = (
        f"{title}: mentions per 1,000 words in {_count(n, 'dated article')}, by period (n = "
        f"articles in it){_thin_note(trends)}. A sector's name opens its sentences; a cell, "
        "those of that period."
    )
    link = (
        f' <a href="{html.escape(csv_href)}">Data behind this chart (CSV)</a>' if csv_href else ""
    )
    return (
        f'<figure class="cl-chart" id="chart-sector_heatmap"><div class="cl-scroll" '
        f'style="overflow-x:auto"><table class="cl-heatmap"><caption class="cl-caption" '
        f'style="caption-side:top;text-align:left"><strong>{title}</strong></caption><thead><tr>'
        f'<th scope="col">Sector</th>{"".join(head)}</tr></thead><tbody>{"".join(body)}'
        f"</tbody></table></div><figcaption>{html.escape(caption)}{link}</figcaption></figure>"
    )


def show_sector_heatmap(trends: pd.DataFrame, *, top: int = 12, out_dir: str | Path):
    """Display the linked sector × period heatmap in a notebook and write the numbers behind it
    (`data/chart_sector_heatmap.csv`)."""
    from citylinks.report import HTML
    from citylinks.tables import export_csv

    table = heatmap_table(trends, top=top)
    href = None
    if not table.empty:
        export_csv(table.reset_index(), out_dir, "chart_sector_heatmap")
        href = "data/chart_sector_heatmap.csv"
    return HTML(sector_heatmap_html(trends, top=top, csv_href=href))
