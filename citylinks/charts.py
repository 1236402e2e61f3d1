"""Chart builders: titled, labelled, captioned figures in a colour-blind-safe palette."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI; notebooks embed the PNG anyway
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision
# deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Sequential map for heatmaps: perceptually uniform and readable in grey.
SEQUENTIAL = "cividis"

plt.rcParams.update(
    {
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titleweight": "bold",
        "axes.titlesize": 12,
        "font.size": 10,
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    }
)


@dataclass
class Chart:
    """A figure with what a reader needs around it: a caption, alt text and the data behind it."""

    figure: Figure
    name: str  # file stem of the CSV behind the chart
    caption: str  # one line: what the chart shows
    alt: str  # text alternative for screen readers
    data: pd.DataFrame  # the numbers drawn, exported next to the report


def empty_chart(*, name: str, title: str, message: str) -> Chart:
    """Return a small placeholder chart saying why there is nothing to draw."""
    fig, ax = plt.subplots(figsize=(8, 1.6), layout="constrained")
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    plt.close(fig)
    return Chart(fig, name, message, f"{title}: {message}", pd.DataFrame())


def bar_chart(
    values: pd.Series,
    *,
    name: str,
    title: str,
    xlabel: str,
    ylabel: str,
    caption: str,
    groups: pd.Series | None = None,
) -> Chart:
    """Horizontal bars, largest on top, with the value printed at each bar's end; with `groups`
    (a label per item), bars are coloured by group and a legend names the groups."""
    if values.empty:
        return empty_chart(name=name, title=title, message="No data to chart.")
    values = values.sort_values(kind="stable")
    height = max(2.0, 0.35 * len(values) + 1.2)
    fig, ax = plt.subplots(figsize=(8, height), layout="constrained")
    if groups is None:
        colours = [PALETTE[0]] * len(values)
    else:
        # Colours go to the groups in their order (a categorical's order, else the commonest
        # first); the legend lists them from the top bar down.
        if isinstance(groups.dtype, pd.CategoricalDtype):
            order = list(groups.cat.categories)
        else:
            order = list(groups.value_counts(sort=True).index)
        group = groups.reindex(values.index).astype(str)
        colour_of = {g: PALETTE[[0, 1, 2, 3, 4, 7][i % 6]] for i, g in enumerate(order)}
        names = list(dict.fromkeys(group.iloc[::-1]))
        colours = [colour_of[g] for g in group]
    bars = ax.barh([str(i) for i in values.index], values.to_numpy(), color=colours)
    ax.bar_label(bars, fmt="%g", padding=3, fontsize=9)
    if groups is not None:
        from matplotlib.patches import Patch

        ax.legend(
            handles=[Patch(color=colour_of[g], label=g) for g in names],
            frameon=False,
            fontsize=8,
            loc="best",
        )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.margins(x=0.12)
    plt.close(fig)
    top = ", ".join(f"{i} ({v:g})" for i, v in values.sort_values(ascending=False).head(3).items())
    alt = f"{title}. Bar chart of {len(values)} items; largest: {top}."
    data = values.sort_values(ascending=False).rename(xlabel).rename_axis(ylabel).reset_index()
    return Chart(fig, name, caption, alt, data)


def heatmap(
    table: pd.DataFrame,
    *,
    name: str,
    title: str,
    xlabel: str,
    ylabel: str,
    colorbar_label: str,
    caption: str,
    fmt: str = "{:.1f}",
    single: list[bool] | None = None,
) -> Chart:
    """Rows × columns coloured by value, each cell annotated; empty cells stay blank.

    With `single` (one flag per column), the columns are periods: labelled so that they never
    overlap, and those resting on a single article outlined."""
    if table.empty:
        return empty_chart(name=name, title=title, message="No data to chart.")
    width = min(16.0, max(6.0, 0.7 * len(table.columns) + 3.5))
    longest = max((len(str(c)) for c in table.columns), default=0)
    # Rotated column labels need room below the cells.
    height = max(2.2, 0.38 * len(table.index) + 1.6) + 0.07 * min(longest, 28)
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    values = table.to_numpy(dtype=float)
    image = ax.imshow(values, aspect="auto", cmap=SEQUENTIAL)
    if single is None:
        ax.set_xticks(
            range(len(table.columns)),
            [textwrap.shorten(str(c), 28, placeholder="…") for c in table.columns],
            rotation=45,
            ha="right",
        )
    ax.set_yticks(range(len(table.index)), [str(i) for i in table.index])
    vmax = float(pd.DataFrame(values).max().max() or 1)
    if len(table.index) * len(table.columns) <= 400:
        for (r, c), v in pd.DataFrame(values).stack().items():
            if v > 0:
                colour = "black" if v > 0.55 * vmax else "white"
                ax.text(c, r, fmt.format(v), ha="center", va="center", fontsize=8, color=colour)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.spines[:].set_visible(False)
    fig.colorbar(image, ax=ax, label=colorbar_label, shrink=0.8)
    if single is not None:
        for column in np.flatnonzero(single):
            ax.add_patch(
                Rectangle(
                    (column - 0.5, -0.5),
                    1,
                    len(table.index),
                    fill=False,
                    edgecolor=SINGLE,
                    linewidth=1.6,
                    clip_on=False,
                    zorder=3,
                )
            )
        fit_period_axes(fig, [ax], [str(c) for c in table.columns], single=single)
    plt.close(fig)
    alt = (
        f"{title}. Heatmap of {len(table.index)} {ylabel.lower()} by {len(table.columns)} "
        f"{xlabel.lower()}; darker is lower, lighter is higher."
    )
    return Chart(fig, name, caption, alt, table.reset_index())


def line_chart(
    table: pd.DataFrame, *, name: str, title: str, xlabel: str, ylabel: str, caption: str
) -> Chart:
    """One line per column over the index (periods), with markers so single points show."""
    if table.empty:
        return empty_chart(name=name, title=title, message="No data to chart.")
    fig, ax = plt.subplots(figsize=(9, 4.2), layout="constrained")
    markers = "osD^vP*X"
    x = [str(i) for i in table.index]
    for i, column in enumerate(table.columns):
        ax.plot(
            x,
            table[column].to_numpy(),
            marker=markers[i % len(markers)],
            label=str(column),
            color=PALETTE[i % len(PALETTE)],
            linewidth=1.8,
        )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if len(x) > 8:
        ax.tick_params(axis="x", rotation=45)
    plt.close(fig)
    alt = f"{title}. Lines for {', '.join(map(str, table.columns))} over {len(x)} {xlabel.lower()}."
    return Chart(fig, name, caption, alt, table.reset_index())


def small_multiples(
    table: pd.DataFrame,
    articles: pd.Series,
    *,
    name: str,
    title: str,
    xlabel: str,
    ylabel: str,
    caption: str,
) -> Chart:
    """One small panel per column over the index (periods), on one shared scale, under a strip
    of the articles behind each period: lines that never cross each other. Points and bars of
    periods resting on a single article are marked (hollow points, coloured bars)."""
    if table.empty:
        return empty_chart(name=name, title=title, message="No data to chart.")
    labels = [str(i) for i in table.index]
    n = articles.reindex(table.index).fillna(0).to_numpy(dtype=float)
    single = [bool(k == 1) for k in n]
    count = len(table.columns)
    cols = 1 if count == 1 else 2 if count <= 6 else 3
    rows = -(-count // cols)
    fig = plt.figure(figsize=(9, 1.5 + 1.75 * rows + 0.9), layout="constrained")
    grid = fig.add_gridspec(rows + 1, cols, height_ratios=[0.55] + [1.0] * rows)
    strip = fig.add_subplot(grid[0, :])
    x = np.arange(len(labels))
    strip.bar(x, n, color=[SINGLE if one else "#9a9a9a" for one in single], width=0.8)
    strip.set_ylabel("Articles", fontsize=8)
    strip.set_title("Articles behind each period (one article: coloured)", fontsize=9, loc="left")
    strip.tick_params(labelbottom=False, labelsize=7)
    strip.set_xlim(-0.6, len(labels) - 0.4)
    panels = []
    top = float(np.nanmax(table.to_numpy(dtype=float))) if table.notna().any().any() else 1.0
    for i, column in enumerate(table.columns):
        ax = fig.add_subplot(grid[1 + i // cols, i % cols], sharex=strip)
        values = table[column].to_numpy(dtype=float)
        colour = PALETTE[i % len(PALETTE)]
        # Beads on every point only while there are few: at scale the line says it.
        marker = "o" if len(labels) <= 40 else None
        ax.plot(x, values, marker=marker, markersize=4, color=colour, linewidth=1.6)
        lone = np.array(single) & ~np.isnan(values)
        ax.scatter(
            x[lone],
            values[lone],
            s=28,
            facecolor="white",
            edgecolor=colour,
            linewidth=1.4,
            zorder=3,
        )
        ax.set_title(str(column), fontsize=9, loc="left")
        ax.set_ylim(0, top * 1.1 or 1)
        ax.grid(axis="y", alpha=0.3)
        ax.tick_params(labelsize=7)
        below = i + cols < count
        ax.tick_params(labelbottom=not below)
        if i % cols:
            ax.tick_params(labelleft=False)
        panels.append((ax, below))
    fig.suptitle(title, fontweight="bold", fontsize=12)
    fig.supxlabel(xlabel, fontsize=9)
    fig.supylabel(ylabel, fontsize=9)
    fit_period_axes(fig, [ax for ax, below in panels if not below], labels, single=single)
    plt.close(fig)
    alt = (
        f"{title}. One panel per line, for {', '.join(map(str, table.columns))}, over "
        f"{len(labels)} {xlabel.lower()}, under the number of articles in each."
    )
    return Chart(fig, name, caption, alt, table.reset_index())


# --- Labels that never overlap -------------------------------------------------------------------
# Where a label may go around its point, in order of preference: a direction, ha, va; tried
# just clear of the marker, then a little further out.
_AROUND = [
    ((1, 0), "left", "center"),
    ((-1, 0), "right", "center"),
    ((0, 1), "center", "bottom"),
    ((0, -1), "center", "top"),
    ((0.75, 0.75), "left", "bottom"),
    ((0.75, -0.75), "left", "top"),
    ((-0.75, 0.75), "right", "bottom"),
    ((-0.75, -0.75), "right", "top"),
]


def place_labels(
    ax,
    points: list[tuple[float, float]],
    texts: list[str],
    *,
    avoid=(),
    taken: list | None = None,
    clear: list[float] | None = None,
    gid: str = "label",
    **style,
) -> list:
    """Label points in order of importance without overlap: each label takes the first place
    around its point where it overlaps no label placed before and stays inside the axes, keeping
    clear of the boxes in `avoid` (display units) where it can; a label with no such place is
    left out. `taken` holds the boxes of labels placed before, and gets these ones' boxes;
    `clear` is each point's marker radius in points (a label starts beyond it).
    Returns the labels drawn. The axes must have its final place on the figure."""
    renderer = agg_canvas(ax.figure).get_renderer()
    frame = ax.get_window_extent(renderer)
    placed = taken if taken is not None else []
    drawn = []
    clear = clear if clear is not None else [3.0] * len(points)
    for (x, y), text, radius in zip(points, texts, clear, strict=True):
        spots = [
            ((dx * (radius + gap), dy * (radius + gap)), ha, va)
            for gap in (3, 10)
            for (dx, dy), ha, va in _AROUND
        ]
        label = ax.annotate(
            text, (x, y), xytext=(0, 0), textcoords="offset points", gid=gid, **style
        )
        label.set_in_layout(False)
        fits = None
        for strict in (True, False):
            for (dx, dy), ha, va in spots:
                label.set_position((dx, dy))
                label.set_ha(ha)
                label.set_va(va)
                box = label.get_window_extent(renderer).padded(1.5)
                inside = (
                    box.x0 >= frame.x0
                    and box.x1 <= frame.x1
                    and box.y0 >= frame.y0
                    and box.y1 <= frame.y1
                )
                if not inside or any(box.overlaps(other) for other in placed):
                    continue
                if strict and any(box.overlaps(other) for other in avoid):
                    continue
                fits = box
                break
            if fits is not None:
                break
        if fits is None:
            label.remove()
            continue
        placed.append(fits)
        drawn.append(label)
    return drawn


# --- Period axes that stay legible from 1 to hundreds of periods ---------------------------------
# Steps between labelled periods, by periods in a year: ones that keep labels on year starts.
_STEPS = {
    12: (1, 2, 3, 4, 6, 12, 24, 36, 60, 120),
    4: (1, 2, 4, 8, 12, 20, 40),
    1: (1, 2, 5, 10, 20, 50, 100),
}
SINGLE = PALETTE[5]  # what marks a period resting on a single article


def label_periods(
    ax, labels: list[str], *, single: list[bool] | None = None, fontsize=8
) -> tuple[int, int, bool]:
    """Label positions 0..n-1 of the x axis with period labels that never overlap: level when
    they all fit (on two lines if that helps), else upright, and then only every k-th (on year
    starts where it can) so that neighbours keep clear of each other. Labels of single-article
    periods are coloured. Returns (rotation, step, wrapped). Measured for the axes' current width: lay
    the figure out first, or use `fit_period_axes`."""
    n = len(labels)
    single = single if single is not None else [False] * n
    if not n:
        ax.set_xticks([])
        return 0, 1, False
    renderer = agg_canvas(ax.figure).get_renderer()
    spacing = ax.get_window_extent(renderer).width / n
    # Period labels share one pattern: the longest few stand for all (ticks are costly).
    longest = sorted(set(labels), key=len, reverse=True)[:3]
    width, height = _text_size(ax, longest, fontsize, renderer)
    shown, rotation, step = list(labels), 0, 1
    if width + 4 > spacing and any(" (" in label for label in labels):
        # "2024Q1 (n=3)" on two lines is narrower: tried before turning labels upright.
        wrapped = [label.replace(" (", "\n(", 1) for label in labels]
        if (
            _text_size(
                ax, [w for w in wrapped if w.count("\n")][:3] or wrapped[:1], fontsize, renderer
            )[0]
            + 4
            <= spacing
        ):
            shown, width = wrapped, 0.0
    if width + 4 > spacing:
        rotation = 90
        per_year = _per_year(labels[0])
        room = 1.6 * height + 2  # upright, a label is as thick as a line is tall; and a gap
        step = next((s for s in _STEPS[per_year] if s * spacing >= room), None)
        step = step or int(np.ceil(room / spacing))
        starts = [i for i, label in enumerate(labels) if _starts_year(label)]
        aligned = starts and (per_year % step == 0 or step % per_year == 0)
        first = starts[0] % step if aligned else 0
        keep = range(first, n, step)
    else:
        keep = range(n)
    ax.set_xticks(
        list(keep), [shown[i] for i in keep], fontsize=fontsize, rotation=rotation, ha="center"
    )
    for i, tick in zip(keep, ax.get_xticklabels(), strict=True):
        if single[i]:
            tick.set_color(SINGLE)
            tick.set_fontweight("bold")
    return rotation, step, shown[0] != labels[0]


def _text_size(ax, texts: list[str], fontsize, renderer) -> tuple[float, float]:
    """Widest and tallest of these texts, level, in display units."""
    probe = ax.figure.text(0, 0, "", fontsize=fontsize)
    sizes = []
    for text in texts:
        probe.set_text(text)
        box = probe.get_window_extent(renderer)
        sizes.append((box.width, box.height))
    probe.remove()
    return max(w for w, _ in sizes), max(h for _, h in sizes)


def fit_period_axes(fig, axes, labels: list[str], *, single: list[bool] | None = None) -> None:
    """Label the period axis of each of `axes`, lay the figure out and keep that layout: the
    labels are chosen for the axes' final width (laid out again only when that changed them)."""
    engine = fig.get_layout_engine()
    chosen = [label_periods(ax, labels, single=single) for ax in axes]
    if engine is None:
        return
    engine.execute(fig)
    if [label_periods(ax, labels, single=single) for ax in axes] != chosen:
        engine.execute(fig)
        for ax in axes:
            label_periods(ax, labels, single=single)
    fig.set_layout_engine("none")


def _starts_year(label: str) -> bool:
    head = label.split(" ", 1)[0]
    return head.endswith("Q1") or head.endswith("-01")


def _per_year(label: str) -> int:
    head = label.split(" ", 1)[0]
    return 4 if "Q" in head else 12 if "-" in head else 1


def agg_canvas(fig):
    """Return the figure's canvas, drawing with Agg (a closed figure's plain canvas cannot)."""
    if not hasattr(fig.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    return fig.canvas


def visible_label_boxes(ax, *, axis: str = "x") -> list:
    """Return the display boxes of the axes' visible tick labels, after drawing the figure."""
    canvas = agg_canvas(ax.figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    ticks = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [t.get_window_extent(renderer) for t in ticks if t.get_visible() and t.get_text()]
