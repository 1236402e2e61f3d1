"""The overview page: the corpus at a glance, headline findings, data quality and provenance."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pandas as pd

from citylinks.publish import REPORT_CSS, TEMPLATES, provenance_html


def _read(work: Path, name: str) -> pd.DataFrame | None:
    path = work / f"{name}.parquet"
    return pd.read_parquet(path) if path.exists() else None


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


def write_overview(
    out: Path,
    work: Path,
    *,
    info: dict,
    reports: list[tuple[str, str]],
    sections: list[dict] | None = None,
    quality: dict | None = None,
) -> Path:
    """Write `<out>/index.html` from the stage tables of a finished run."""
    articles = _read(work, "articles")
    notes_table = _read(work, "corpus_notes")
    notes = list(notes_table.note) if notes_table is not None else []
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    page = env.get_template("overview.html.j2").render(
        css=REPORT_CSS,
        home=info.get("parameters", {}).get("home_city", "Hanoi"),
        summary=corpus_summary(articles),
        sections=sections or [],
        quality={**data_quality(articles, notes), **(quality or {})},
        reports=reports,
        tables=sorted(p.name for p in (out / "data").glob("*.csv")),
        provenance=provenance_html(info),
    )
    target = out / "index.html"
    target.write_text(page, encoding="utf-8")
    return target
