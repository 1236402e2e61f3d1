"""Charts that stay legible from one period to hundreds: labels measured as matplotlib draws them."""

from __future__ import annotations

import itertools
import random

import pandas as pd
import pytest

from citylinks.charts import (
    SINGLE,
    agg_canvas,
    bar_chart,
    heatmap,
    place_labels,
    plt,
    visible_label_boxes,
)
from citylinks.periods import all_periods
from citylinks.sectors import TREND_COLUMNS, plot_sector_heatmap, plot_sector_trends

SECTORS = [  # as long as the lexicon's: they narrow the heatmap once it is laid out
    "Education and training",
    "Health and healthcare",
    "Culture, sport and people-to-people exchange",
    "Tourism",
    "Urban planning and infrastructure",
    "Investment, trade and business",
]


def make_trends(periods: int, *, period: str = "quarter", seed: int = 0) -> pd.DataFrame:
    """Trends as summarise_sector_trends returns them: `periods` periods from 2015, with
    empty, single-article and busier periods."""
    rng = random.Random(seed)
    first = {"quarter": "2015Q1", "month": "2015-01", "year": "2015"}[period]
    last = all_periods(first, "2099Q4" if period == "quarter" else "2099-12", period)
    labels = last[:periods] if period != "year" else [str(2015 + i) for i in range(periods)]
    rows = []
    for label in labels:
        n = rng.choice([0, 1, 1, 2, 5, 40])
        words = 600 * n
        for sector in SECTORS:
            mentions = rng.randint(0, 4 * n) if n else 0
            rows.append(
                {
                    "period": label,
                    "sector": sector.lower(),
                    "label": sector,
                    "mentions": mentions,
                    "words": words,
                    "per_1000_words": mentions / words * 1000 if words else float("nan"),
                    "articles_mentioning": min(n, mentions),
                    "articles_in_period": n,
                    "share_of_articles": min(n, mentions) / n if n else float("nan"),
                }
            )
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def overlapping(boxes) -> list[tuple[int, int]]:
    return [
        (i, j) for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2) if a.overlaps(b)
    ]


def period_axes(chart):
    """The axes whose x tick labels are periods (those showing any)."""
    agg_canvas(chart.figure).draw()
    return [
        ax
        for ax in chart.figure.axes
        if any(t.get_visible() and t.get_text() for t in ax.get_xticklabels())
        and ax.get_label() != "<colorbar>"
    ]


@pytest.mark.parametrize(
    "periods, period",
    [
        (1, "quarter"),
        (4, "year"),
        (12, "quarter"),
        (40, "quarter"),
        (96, "month"),
        (150, "quarter"),
    ],
)
@pytest.mark.parametrize("plot", [plot_sector_heatmap, plot_sector_trends])
def test_period_labels_never_overlap_and_stay_on_the_figure(plot, periods, period):
    chart = plot(make_trends(periods, period=period), top=6)
    axes = period_axes(chart)
    assert axes, "the periods are labelled"
    figure = chart.figure.bbox
    for ax in axes:
        boxes = visible_label_boxes(ax)
        assert overlapping(boxes) == []
        # Nor do they run into the axis title under them (the chart's, for small multiples).
        renderer = chart.figure.canvas.get_renderer()
        fig = chart.figure
        title = ax.xaxis.label
        if not ax.get_xlabel():
            title = next(t for t in fig.texts if t.get_text() == fig.get_supxlabel())
        under = title.get_window_extent(renderer)
        assert under.y0 >= figure.y0 - 1
        assert not any(b.overlaps(under) for b in boxes)
        assert all(
            b.x0 >= figure.x0 - 1 and b.x1 <= figure.x1 + 1 and b.y0 >= figure.y0 - 1 for b in boxes
        )
        # Thinned, not emptied: a label at least every fifth of the axis.
        assert len(boxes) >= min(periods, 5)


def test_few_periods_keep_every_label_level_and_many_are_thinned_on_year_starts():
    few = plot_sector_heatmap(make_trends(4), top=6)
    ax = period_axes(few)[0]
    shown = [t for t in ax.get_xticklabels() if t.get_text()]
    assert len(shown) == 4 and all(t.get_rotation() == 0 for t in shown)
    many = plot_sector_trends(make_trends(150), top=6)
    ax = period_axes(many)[0]
    shown = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert 5 <= len(shown) < 150
    assert all(label.endswith("Q1") for label in shown)  # thinned by whole years


def test_single_article_periods_are_marked():
    trends = make_trends(12, seed=3)
    n = trends.drop_duplicates("period").set_index("period")["articles_in_period"]
    assert (n == 1).any() and (n > 1).any()
    heat = plot_sector_heatmap(trends, top=6)
    ax = period_axes(heat)[0]
    colours = {
        t.get_text().split(" ")[0].split("\n")[0]: t.get_color() for t in ax.get_xticklabels()
    }
    for period, count in n.items():
        if colours.get(period):
            assert (colours[period] == SINGLE) == (count == 1), period
    assert "single article" in heat.caption and "outlined" in heat.caption
    lines = plot_sector_trends(trends, top=6)
    strip = lines.figure.axes[0]
    bars = [p.get_facecolor() for p in strip.patches]
    single = [plt.matplotlib.colors.to_rgba(SINGLE) == c for c in bars]
    assert single == [count == 1 for count in n.to_numpy()]
    assert "hollow points" in lines.caption


def test_trends_are_small_multiples_one_panel_per_sector_on_one_scale():
    chart = plot_sector_trends(make_trends(12), top=6)
    panels = chart.figure.axes[1:]
    assert [ax.get_title(loc="left") for ax in panels] == list(chart.data.columns.drop("period"))
    assert len({ax.get_ylim() for ax in panels}) == 1  # shared scale
    assert all(len(ax.get_lines()) == 1 for ax in panels)  # one line each: nothing crosses
    assert chart.figure.get_suptitle() == "Trends of the top sectors"
    assert chart.data["period"].str.contains(r" \(n=\d+\)").all()


def test_sector_names_as_columns_keep_their_slanted_labels():
    table = pd.DataFrame([[1, 2], [3, 0]], index=["Seoul", "Tokyo"], columns=["Energy", "Health"])
    chart = heatmap(
        table,
        name="t",
        title="T",
        xlabel="Sector",
        ylabel="Partner",
        colorbar_label="n",
        caption="c",
    )
    assert [t.get_rotation() for t in chart.figure.axes[0].get_xticklabels()] == [45, 45]


def test_bars_coloured_by_group_in_the_given_order_with_a_legend():
    values = pd.Series({"Japan": 3, "Seoul": 2, "Paris": 1})
    groups = pd.Series({"Japan": "country", "Seoul": "city", "Paris": "city"}).astype(
        pd.CategoricalDtype(["city", "country"])
    )
    chart = bar_chart(
        values, name="b", title="T", xlabel="x", ylabel="y", caption="c", groups=groups
    )
    ax = chart.figure.axes[0]
    colour = {
        t.get_text(): p.get_facecolor()
        for t, p in zip(ax.get_yticklabels(), ax.patches, strict=True)
    }
    assert colour["Seoul"] == colour["Paris"] != colour["Japan"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["country", "city"]


@pytest.mark.parametrize("count", [1, 5, 60])
def test_placed_labels_never_overlap_and_crowded_ones_are_left_out(count):
    rng = random.Random(count)
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    points = [(rng.uniform(3, 7), rng.uniform(3, 7)) for _ in range(count)]
    drawn = place_labels(ax, points, [f"Place {i}" for i in range(count)], fontsize=8)
    agg_canvas(fig).draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in drawn]
    frame = ax.get_window_extent(renderer)
    assert overlapping(boxes) == []
    assert all(
        frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1
        for b in boxes
    )
    if count <= 5:
        assert len(drawn) == count
    else:
        assert 5 < len(drawn) < count
    plt.close(fig)
