"""Periods: each publish date's month, quarter or year label; every period between two."""

from __future__ import annotations

import pandas as pd
import pytest

from citylinks.periods import all_periods, assign_period, choose_period


@pytest.mark.parametrize(
    ("published", "period", "label"),
    [
        ("2024-03-22", "month", "2024-03"),
        ("2024-03-22", "quarter", "2024Q1"),
        ("2024-10-01", "quarter", "2024Q4"),
        ("2024-03-22", "year", "2024"),
        ("", "month", ""),  # no date
        ("2023-02-29", "quarter", ""),  # not a real date
        ("22/03/2024", "year", ""),  # not written YYYY-MM-DD
    ],
)
def test_assign_period(published, period, label):
    assert assign_period(pd.Series([published], dtype=str), period).tolist() == [label]


@pytest.mark.parametrize("period", ["month", "quarter", "year"])
def test_a_long_column_gets_each_dates_own_label_and_keeps_its_index(period):
    dates = ["2024-03-22", "", "2023-12-18", "2024-03-22", "bad", "2024-11-06"] * 500
    column = pd.Series(dates, index=range(10, 10 + 2 * len(dates), 2), dtype=str)
    labels = assign_period(column, period)
    alone = {d: assign_period(pd.Series([d], dtype=str), period).iloc[0] for d in set(dates)}
    assert labels.tolist() == [alone[d] for d in dates]
    assert labels.index.equals(column.index)
    assert assign_period(column.iloc[:0], period).tolist() == []


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError, match="period must be one of"):
        assign_period(pd.Series(["2024-03-22"]), "week")


@pytest.mark.parametrize(
    ("dates", "period"),
    [
        (["2024-01-05", "2024-03-22", "2024-02-10", "2024-02-11"], "month"),
        (["2023-01-05", "2023-12-22"] * 3, "quarter"),  # 12 months but only 6 articles
        (["2019-01-05", "2024-12-22"], "year"),
        ([""], "quarter"),  # no date at all
    ],
)
def test_choose_period(dates, period):
    assert choose_period(pd.Series(dates, dtype=str)) == period


def test_all_periods_fill_the_gaps():
    assert all_periods("2023Q4", "2024Q2", "quarter") == ["2023Q4", "2024Q1", "2024Q2"]
    assert all_periods("2024-11", "2025-01", "month") == ["2024-11", "2024-12", "2025-01"]
    assert all_periods("", "2024", "year") == []
