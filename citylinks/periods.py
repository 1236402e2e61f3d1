"""Time periods: month, quarter or year labels for publish dates."""

from __future__ import annotations

import pandas as pd

PERIODS = ("month", "quarter", "year")


def assign_period(published: pd.Series, period: str) -> pd.Series:
    """Return each date's period label ('2024-03', '2024Q1', '2024'); '' where there is no date."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    # Each distinct date is labelled once: a table of millions of rows holds a few thousand.
    codes, dates = pd.factorize(published, use_na_sentinel=True)
    labels = _labels(pd.Series(dates, dtype=object), period).tolist() + [""]  # [-1]: no date
    return pd.Series(labels, dtype=str).take(codes).set_axis(published.index)


def _labels(published: pd.Series, period: str) -> pd.Series:
    dates = pd.to_datetime(published.replace("", None), format="%Y-%m-%d", errors="coerce")
    if period == "month":
        labels = dates.dt.strftime("%Y-%m")
    elif period == "quarter":
        labels = (
            dates.dt.year.astype("Int64").astype(str)
            + "Q"
            + dates.dt.quarter.astype("Int64").astype(str)
        )
    else:
        labels = dates.dt.year.astype("Int64").astype(str)
    return labels.where(dates.notna(), "").astype(str)


def choose_period(published: pd.Series) -> str:
    """Pick the finest period with at most 12 periods and, on average, an article in each."""
    dates = pd.to_datetime(published.replace("", None), format="%Y-%m-%d", errors="coerce").dropna()
    if dates.empty:
        return "quarter"
    first, last = dates.min(), dates.max()
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    spans = {
        "month": months,
        "quarter": (last.year * 4 + (last.month - 1) // 3)
        - (first.year * 4 + (first.month - 1) // 3)
        + 1,
        "year": last.year - first.year + 1,
    }
    for period in ("month", "quarter"):
        if spans[period] <= 12 and len(dates) >= spans[period]:
            return period
    return "year"


def all_periods(first: str, last: str, period: str) -> list[str]:
    """Return every period label from `first` to `last`, so empty periods show as gaps."""
    if not first or not last:
        return []
    freq = {"month": "M", "quarter": "Q", "year": "Y"}[period]
    start = pd.Period(first, freq=freq)
    end = pd.Period(last, freq=freq)
    fmt = {
        "month": lambda p: p.strftime("%Y-%m"),
        "quarter": lambda p: f"{p.year}Q{p.quarter}",
        "year": lambda p: str(p.year),
    }[period]
    return [fmt(p) for p in pd.period_range(start, end, freq=freq)]
