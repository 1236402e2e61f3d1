"""What a report shows: charts with captions, readable tables, notes; all article text escaped."""

from __future__ import annotations

import base64
import html
import io
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from citylinks.tables import export_csv

if TYPE_CHECKING:  # a chart comes drawn: tables and notes need no matplotlib
    from citylinks.charts import Chart

# Wide tables and long sentences stay readable inside a scrolling box.
TABLE_STYLE = "max-height:28em;overflow:auto;border:1px solid #ddd;margin:0.5em 0 1em 0"


class HTML:
    """Rich HTML output for a notebook cell (what IPython.display.HTML does, without importing it)."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:  # plain-text fallback, e.g. in a terminal
        return "<HTML output>"


def figure_png(figure) -> str:
    """Return a figure as a base64 PNG data URI, so the report needs no image files."""
    buffer = io.BytesIO()
    # A figure laid out by its layout engine fits its page already; cropping it "tight" would
    # lay it out a second time (a third of the time of saving it).
    crop = None if figure.get_layout_engine() is not None else "tight"
    with warnings.catch_warnings():
        # Layout hints about crowded labels are for the developer; the layout handles them.
        warnings.simplefilter("ignore", UserWarning)
        figure.savefig(buffer, format="png", bbox_inches=crop)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def chart_html(chart: Chart, *, csv_href: str | None) -> str:
    """Return the HTML of a chart: image with alt text, caption and a link to its data."""
    link = (
        f' <a href="{html.escape(csv_href)}">Data behind this chart (CSV)</a>' if csv_href else ""
    )
    return (
        f'<figure class="cl-chart" id="chart-{html.escape(chart.name)}">'
        f'<img src="{figure_png(chart.figure)}" alt="{html.escape(chart.alt)}" '
        'style="max-width:100%;height:auto">'
        f"<figcaption>{html.escape(chart.caption)}{link}</figcaption></figure>"
    )


def publish_chart(chart: Chart, *, out_dir: str | Path) -> str:
    """Write the data behind a chart next to the report; return the chart's HTML linking it."""
    href = None
    if not chart.data.empty:
        export_csv(chart.data, out_dir, f"chart_{chart.name}")
        href = f"data/chart_{chart.name}.csv"
    return chart_html(chart, csv_href=href)


def show_chart(chart: Chart, *, out_dir: str | Path) -> HTML:
    """Display a chart in a notebook and write the data behind it next to the report."""
    return HTML(publish_chart(chart, out_dir=out_dir))


CELL_CHARS = 240  # longer cells are cut in the page; the CSV keeps them whole


def _shorten(value):
    if isinstance(value, str) and len(value) > CELL_CHARS:
        return value[: CELL_CHARS - 1].rstrip() + "…"
    return value


def table_html(
    df: pd.DataFrame,
    *,
    top: int,
    csv_href: str | None,
    caption: str = "",
    total: int | None = None,
    link_names: bool = True,
) -> str:
    """Return an escaped HTML table of the first `top` rows, saying how many there are in all.

    `total` gives the size of the whole table when `df` holds only its first rows. With
    `link_names`, partner and sector names link to their sentences (`link_evidence`)."""
    shown = df.head(top).copy()
    for column in shown.columns:
        if not pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].map(_shorten)
    if link_names:
        shown = link_evidence(shown)
    body = shown.to_html(
        index=False, escape=not link_names, border=0, classes="cl-table", na_rep=""
    )
    total = len(df) if total is None else total
    count = f"All {total} rows." if total <= top else f"First {top} of {total} rows."
    link = (
        f' Full table: <a href="{html.escape(csv_href)}">{html.escape(csv_href)}</a>'
        if csv_href
        else ""
    )
    head = f"<p class='cl-caption'>{html.escape(caption)} {count}{link}</p>"
    if total == 0:
        return f"<p class='cl-caption'>{html.escape(caption)} No rows.</p>"
    return f'{head}<div class="cl-scroll" style="{TABLE_STYLE}">{body}</div>'


def link_evidence(shown: pd.DataFrame) -> pd.DataFrame:
    """Return a table's cells as escaped HTML, with each partner name (column `partner`) and
    sector name (column `label`, beside `sector`) a link to its section of the evidence pages;
    a row of one period (`period`, with `mentions`) links that period's sentences."""
    from citylinks.evidence import partner_href, sector_href

    linked = shown.copy()
    for column in linked.columns:
        if not pd.api.types.is_numeric_dtype(linked[column]):
            linked[column] = linked[column].map(
                lambda v: html.escape(v) if isinstance(v, str) else v
            )

    def anchor(href: str, text) -> str:
        return (
            f'<a href="{html.escape(href)}">{text}</a>' if isinstance(text, str) and text else text
        )

    if "partner" in shown:
        linked["partner"] = [
            anchor(partner_href(p), t)
            for p, t in zip(shown["partner"], linked["partner"], strict=True)
        ]
    if "sector" in shown and "label" in shown:
        periods = shown["period"] if "period" in shown else pd.Series(None, index=shown.index)
        counted = (
            shown["mentions"] > 0 if "mentions" in shown else pd.Series(False, index=shown.index)
        )
        linked["label"] = [
            anchor(sector_href(s, p if c and isinstance(p, str) else None), t)
            for s, p, c, t in zip(shown["sector"], periods, counted, linked["label"], strict=True)
        ]
    return linked


def show_table(
    df: pd.DataFrame,
    *,
    out_dir: str | Path,
    name: str,
    top: int = 50,
    caption: str = "",
    columns: list[str] | None = None,
    total: int | None = None,
) -> HTML:
    """Display the top rows (and chosen columns) of a table; write all of it as CSV.

    With `total`, `df` is only the first rows of a table of that many rows whose CSV
    (`data/<name>.csv`) is written elsewhere, e.g. one streamed to disk."""
    if total is None:
        export_csv(df, out_dir, name)
    shown = df[columns] if columns else df
    return HTML(
        table_html(shown, top=top, csv_href=f"data/{name}.csv", caption=caption, total=total)
    )


def show_summary(figures: dict[str, object]) -> HTML:
    """Display key figures as a small grid of labelled numbers."""
    items = "".join(
        f'<div class="cl-kpi"><div class="cl-kpi-value">{html.escape(str(v))}</div>'
        f'<div class="cl-kpi-label">{html.escape(str(k))}</div></div>'
        for k, v in figures.items()
    )
    return HTML(f'<div class="cl-kpis">{items}</div>')


def show_notes(
    notes: list[str], *, title: str = "Notes", empty: str = "Nothing to report."
) -> HTML:
    """Display a list of notes or warnings for the analyst to review."""
    if not notes:
        return HTML(
            f'<div class="cl-notes"><strong>{html.escape(title)}:</strong> '
            f"{html.escape(empty)}</div>"
        )
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    return HTML(
        f'<div class="cl-notes"><strong>{html.escape(title)}</strong><ul>{items}</ul></div>'
    )
