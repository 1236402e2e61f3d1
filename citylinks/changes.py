"""What is new since the last run: articles, partners, sectors, rates and quarantined files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

MOVERS = 3  # sectors whose rate moved most, shown


def _read(work: Path, name: str, columns: list[str]) -> pd.DataFrame | None:
    import pyarrow.parquet as pq

    path = work / f"{name}.parquet"
    try:
        present = set(pq.read_schema(path).names)
        if not set(columns) <= present:
            return None
        return pd.read_parquet(path, columns=columns)
    except (OSError, ValueError):
        return None


def read_run(work: Path) -> dict[str, pd.DataFrame | None]:
    """Return the tables of one run that what-is-new compares (None for a missing one)."""
    return {
        "articles": _read(work, "articles", ["file", "title", "status", "reason", "words"]),
        "partners": _read(
            work, "partner_mentions", ["article_id", "partner", "kind", "country_name", "role"]
        ),
        "sectors": _sector_totals(work),
    }


def _sector_totals(work: Path) -> pd.DataFrame | None:
    # Summed by Arrow as read: the table has a row per article and term (millions at scale).
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(
            work / "sector_mentions.parquet",
            columns=["sector", "label", "count"],
            read_dictionary=["sector", "label"],  # a few distinct strings, millions of rows
        )
    except (OSError, KeyError, ValueError):
        return None
    totals = (
        table.unify_dictionaries()
        .group_by(["sector", "label"])
        .aggregate([("count", "sum")])
        .to_pandas()
    )
    totals = totals.rename(columns={"count_sum": "count"})
    return totals.astype({"sector": str, "label": str})


def sector_rates(run: dict) -> pd.Series:
    """Return each sector's mentions per 1,000 words of the analysed articles, by label."""
    articles, sectors = run["articles"], run["sectors"]
    if articles is None or sectors is None:
        return pd.Series(dtype=float)
    words = articles.loc[articles["status"] == "ok", "words"].sum()
    counts = sectors.groupby("label")["count"].sum()
    return counts * 1000.0 / words if words else counts * 0.0


def compare_runs(previous: dict, current: dict) -> dict:
    """Return what changed from one run's tables to the next: articles added and removed,
    partners and sectors seen for the first time, the sectors whose rate moved most, newly
    quarantined files."""
    old, new = previous["articles"], current["articles"]
    ok_old = old[old["status"] == "ok"]
    ok_new = new[new["status"] == "ok"]
    added = ok_new[~ok_new["file"].isin(set(old["file"]))]
    removed = ok_old[~ok_old["file"].isin(set(new["file"]))]
    quarantined = new[
        (new["status"] == "quarantined")
        & ~new["file"].isin(set(old.loc[old["status"] == "quarantined", "file"]))
    ]
    changes = {
        "added": [(r.file, r.title) for r in added.itertuples()],
        "removed": [(r.file, r.title) for r in removed.itertuples()],
        "quarantined": [(r.file, r.reason) for r in quarantined.itertuples()],
        "partners": _new_partners(previous["partners"], current["partners"]),
        "sectors": [],
        "moved": [],
    }
    if previous["sectors"] is not None and current["sectors"] is not None:
        seen = set(previous["sectors"].loc[previous["sectors"]["count"] > 0, "sector"])
        fresh = current["sectors"][
            (current["sectors"]["count"] > 0) & ~current["sectors"]["sector"].isin(seen)
        ]
        changes["sectors"] = sorted(set(zip(fresh["sector"], fresh["label"], strict=True)))
        changes["moved"] = _movers(sector_rates(previous), sector_rates(current), current)
    return changes


def _new_partners(old: pd.DataFrame | None, new: pd.DataFrame | None) -> list[dict]:
    if new is None or new.empty:
        return []
    seen = set() if old is None else set(old["partner"])
    fresh = new[~new["partner"].isin(seen)]
    counterpart = fresh["article_id"].where(fresh["role"] == "counterpart")
    table = (
        fresh.assign(counterpart=counterpart)
        .groupby("partner")
        .agg(
            kind=("kind", "first"),
            country=("country_name", "first"),
            articles=("article_id", "nunique"),
            counterpart=("counterpart", "nunique"),
        )
        .sort_values(["counterpart", "articles"], ascending=False, kind="stable")
    )
    return [{"partner": name, **row} for name, row in table.to_dict("index").items()]


def _movers(old: pd.Series, new: pd.Series, current: dict) -> list[dict]:
    both = pd.concat([old.rename("before"), new.rename("after")], axis=1).fillna(0.0)
    both["change"] = both["after"] - both["before"]
    both = both[both["change"].round(2) != 0]
    ids = dict(zip(current["sectors"]["label"], current["sectors"]["sector"], strict=True))
    top = both.reindex(both["change"].abs().sort_values(ascending=False, kind="stable").index)
    return [
        {"label": label, "sector": ids.get(label, ""), **row}
        for label, row in top.head(MOVERS).to_dict("index").items()
    ]


def describe_changes(previous_work: Path | None, current_work: Path) -> dict:
    """Return what is new in the run whose tables are in `current_work` since the run whose
    tables are in `previous_work` (the work folder before this run replaces them); a first
    run (no previous tables) says so."""
    before = read_run(Path(previous_work)) if previous_work else None
    if before is None or before["articles"] is None:
        return {"first_run": True}
    current = read_run(Path(current_work))
    if current["articles"] is None:
        return {"first_run": True}
    changes = compare_runs(before, current)
    stamp = datetime.fromtimestamp((Path(previous_work) / "articles.parquet").stat().st_mtime)
    changes["since"] = stamp.astimezone().isoformat(sep=" ", timespec="minutes")
    changes["first_run"] = False
    changes["nothing"] = not any(
        changes[k] for k in ("added", "removed", "quarantined", "partners", "sectors", "moved")
    )
    return changes
