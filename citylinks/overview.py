"""The overview page: the corpus at a glance, headline findings, data quality and provenance."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pandas as pd

from citylinks.publish import REPORT_CSS, TEMPLATES, provenance_html
from citylinks.report import publish_chart, table_html


def _read(work: Path, name: str, *, skip: tuple[str, ...] = ()) -> pd.DataFrame | None:
    import pyarrow.parquet as pq

    path = work / f"{name}.parquet"
    if not path.exists():
        return None
    columns = [c for c in pq.read_schema(path).names if c not in skip]
    return pd.read_parquet(path, columns=columns)


_CHART_ID = re.compile(r'<figure class="cl-chart" id="chart-([^"]+)"')


def shown_charts(work: Path) -> dict[str, str]:
    """Return the HTML of each chart the executed stage notebooks showed, by chart name: the
    overview shows the same figures without drawing them again."""
    import nbformat

    found: dict[str, str] = {}
    for path in sorted((work / "executed").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                markup = output.get("data", {}).get("text/html", "")
                markup = "".join(markup) if isinstance(markup, list) else markup
                match = _CHART_ID.match(markup)
                if match:
                    found[match.group(1)] = markup
    return found


def _chart(charts: dict[str, str], name: str, draw, out: Path) -> str:
    # The notebook's figure when it showed one of this name; else drawn here (`draw` imports the
    # plotting code, which a run that reuses the notebooks' figures never loads).
    return charts.get(name) or publish_chart(draw(), out_dir=out)


def corpus_summary(articles: pd.DataFrame) -> dict[str, object]:
    """Return the corpus figures shown at the top of the overview."""
    ok = articles[articles.status == "ok"]
    dated = ok.published[ok.published != ""]
    return {
        "articles analysed": len(ok),
        "files read": len(articles),
        "first date": dated.min() if len(dated) else "none",
        "last date": dated.max() if len(dated) else "none",
        "words": f"{int(ok.words.sum()):,}",
        "outlets": ", ".join(sorted({s for s in ok.source if s})) or "not stated",
    }


def data_quality(articles: pd.DataFrame, notes: list[str]) -> dict[str, list[str]]:
    """Return the problems a reader should know about, grouped."""
    groups: dict[str, list[str]] = {}
    q = articles[articles.status == "quarantined"]
    if len(q):
        groups["Quarantined files"] = [f"{r.file}: {r.reason}" for r in q.itertuples()]
    d = articles[articles.status == "duplicate"]
    if len(d):
        groups["Duplicates (counted once)"] = [f"{r.file}: {r.reason}" for r in d.itertuples()]
    undated = articles[(articles.status == "ok") & (articles.published == "")]
    if len(undated):
        groups["Articles without a date (left out of time charts)"] = [
            f"{r.file}: {r.title or '(no title)'}" for r in undated.itertuples()
        ]
    if notes:
        groups["Corpus notes"] = list(notes)
    return groups


def sector_section(
    work: Path, out: Path, *, top: int, charts: dict[str, str] | None = None
) -> dict | None:
    """Return the overview's sector findings: top sectors and how the leading ones move."""
    charts = charts or {}
    mentions, trends = _read(work, "sector_mentions"), _read(work, "sector_trends")
    if mentions is None or trends is None:
        return None
    text = "No sector term was found in the analysed articles."
    if not mentions.empty:
        totals = mentions.groupby("label").agg(
            count=("count", "sum"), articles=("article_id", "nunique")
        )
        lead = totals.sort_values("count", ascending=False).iloc[0]
        text = (
            f"The most mentioned sector is {lead.name}: {int(lead['count'])} mentions in "
            f"{int(lead['articles'])} articles. Trends are per 1,000 words, with the number of "
            "articles behind each period on its label."
        )

    def draw_totals():
        from citylinks.sectors import plot_sector_totals

        return plot_sector_totals(mentions, top=top)

    def draw_trends():
        from citylinks.sectors import plot_sector_trends

        return plot_sector_trends(trends, top=min(top, 6))

    return {
        "anchor": "sectors",
        "title": "Sectors: what Hanoi cooperates on",
        "text": text,
        "blocks": [
            _chart(charts, "sector_totals", draw_totals, out),
            _chart(charts, "sector_trends", draw_trends, out),
        ],
        "link": "02-sector-mentions.html",
        "link_text": "All sectors, the heatmap and the sentence behind every count",
    }


def partner_section(
    work: Path,
    out: Path,
    *,
    level: str,
    top: int,
    home: str,
    country: str,
    charts: dict[str, str] | None = None,
) -> dict | None:
    """Return the overview's partner findings: main partners, a map and the latest engagements."""
    from citylinks.partners import roll_up

    charts = charts or {}
    mentions, engagements = _read(work, "partner_mentions"), _read(work, "engagements")
    if mentions is None or engagements is None:
        return None
    rolled = roll_up(mentions, level=level)
    dated = engagements.assign(
        date=engagements["event_date"].where(
            engagements["event_date"] != "", engagements["published"]
        )
    )
    dated["sectors"] = dated["sectors"].str.replace(";", ", ")
    latest = dated.sort_values("date", ascending=False)[
        ["date", "partner", "type", "sectors", "sentence"]
    ]
    counterparts = rolled[rolled["role"] == "counterpart"]
    text = "No partner engagement was found."
    if not counterparts.empty:
        ranking = (
            counterparts.groupby("partner")["article_id"].nunique().sort_values(ascending=False)
        )
        text = (
            f"{len(ranking)} partners appear as the other side of a meeting, visit or agreement; "
            f"the most frequent is {ranking.index[0]} ({int(ranking.iloc[0])} articles)."
        )

    def draw_partners():
        from citylinks.maps import plot_partner_engagements

        return plot_partner_engagements(rolled, top=top, level=level)

    def draw_map():
        from citylinks.maps import plot_partner_map

        return plot_partner_map(rolled, home_name=home, home_country=country)

    return {
        "anchor": "partners",
        "title": f"Partners: who {home} engages with",
        "text": text,
        "blocks": [
            _chart(charts, "partners", draw_partners, out),
            _chart(charts, "partner_map", draw_map, out),
        ],
        "after": "<h3>Latest engagements</h3>"
        + table_html(latest, top=8, csv_href="data/engagements.csv", caption="Newest first."),
        "link": "03-partner-engagement.html",
        "link_text": "Every partner, the timeline, partners × sectors and places to review",
    }


def review_items(work: Path) -> dict[str, list[str]]:
    """Return places and phrases the analyst should review for the gazetteer and lexicon."""
    groups: dict[str, list[str]] = {}
    places = _read(work, "gazetteer_suggestions")
    if places is not None and len(places):
        groups["Places not in the curated gazetteer (review, then add to config/partners.yaml)"] = [
            _suggested_place(r) for r in places.itertuples()
        ]
    phrases = _read(work, "lexicon_suggestions")
    if phrases is not None and len(phrases):
        groups["Frequent phrases no sector covers (review for config/sectors.yaml)"] = [
            f"{r.phrase} ({r.count}×)" for r in phrases.itertuples()
        ]
    return groups


def _suggested_place(r) -> str:
    # A misspelling reads "Vientianne → Vientiane (1 mention)"; a package place with its facts.
    misspelling = getattr(r, "misspelling", "")
    if isinstance(misspelling, str) and misspelling:
        mentions = int(r.mentions)
        return f"{misspelling} → {r.partner} ({mentions} mention{'s' if mentions != 1 else ''})"
    return f"{r.partner} ({r.kind}, {r.country}): {r.articles} articles"


def write_overview(
    out: Path,
    work: Path,
    *,
    info: dict,
    reports: list[tuple[str, str]],
) -> Path:
    """Write `<out>/index.html` from the stage tables of a finished run."""
    articles = _read(work, "articles", skip=("text",))  # the overview needs no article text
    notes_table = _read(work, "corpus_notes")
    notes = list(notes_table.note) if notes_table is not None else []
    params = info.get("parameters", {})
    charts = shown_charts(work)
    sections = [
        sector_section(work, out, top=params.get("top_sectors", 8), charts=charts),
        partner_section(
            work,
            out,
            level=params.get("partner_level", "city"),
            top=params.get("top_partners", 12),
            home=params.get("home_city", "Hanoi"),
            country=params.get("home_country", "VN"),
            charts=charts,
        ),
    ]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    page = env.get_template("overview.html.j2").render(
        css=REPORT_CSS,
        home=info.get("parameters", {}).get("home_city", "Hanoi"),
        summary=corpus_summary(articles),
        sections=[s for s in sections if s],
        quality={**data_quality(articles, notes), **review_items(work)},
        reports=reports,
        tables=sorted(p.name for p in (out / "data").glob("*.csv")),
        provenance=provenance_html(info),
    )
    target = out / "index.html"
    target.write_text(page, encoding="utf-8")
    return target
