"""Chart builders: titled, labelled, captioned figures in a colour-blind-safe palette."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI; notebooks embed the PNG anyway
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

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
    values: pd.Series, *, name: str, title: str, xlabel: str, ylabel: str, caption: str
) -> Chart:
    """Horizontal bars, largest on top, with the value printed at each bar's end."""
    if values.empty:
        return empty_chart(name=name, title=title, message="No data to chart.")
    values = values.sort_values()
    height = max(2.0, 0.35 * len(values) + 1.2)
    fig, ax = plt.subplots(figsize=(8, height), layout="constrained")
    bars = ax.barh([str(i) for i in values.index], values.to_numpy(), color=PALETTE[0])
    ax.bar_label(bars, fmt="%g", padding=3, fontsize=9)
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
) -> Chart:
    """Rows × columns coloured by value, each cell annotated; empty cells stay blank."""
    if table.empty:
        return empty_chart(name=name, title=title, message="No data to chart.")
    width = min(16.0, max(6.0, 0.7 * len(table.columns) + 3.5))
    longest = max((len(str(c)) for c in table.columns), default=0)
    # Rotated column labels need room below the cells.
    height = max(2.2, 0.38 * len(table.index) + 1.6) + 0.07 * min(longest, 28)
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    values = table.to_numpy(dtype=float)
    image = ax.imshow(values, aspect="auto", cmap=SEQUENTIAL)
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


# --- Labels that never overlap -------------------------------------------------------------------
# Where a label may go around its point, in order of preference: (dx, dy) in points, ha, va.
_AROUND = [
    ((6, 0), "left", "center"),
    ((-6, 0), "right", "center"),
    ((0, 6), "center", "bottom"),
    ((0, -6), "center", "top"),
    ((5, 5), "left", "bottom"),
    ((5, -5), "left", "top"),
    ((-5, 5), "right", "bottom"),
    ((-5, -5), "right", "top"),
    ((14, 0), "left", "center"),
    ((-14, 0), "right", "center"),
    ((0, 14), "center", "bottom"),
    ((0, -14), "center", "top"),
]


def freeze_layout(fig) -> None:
    """Lay the figure out now and keep it so: what is measured next stays where it is drawn."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
        fig.set_layout_engine("none")
    for ax in fig.axes:
        ax.apply_aspect()


def place_labels(
    ax,
    points: list[tuple[float, float]],
    texts: list[str],
    *,
    avoid=(),
    gid: str = "label",
    **style,
) -> list:
    """Label points in order of importance without overlap: each label takes the first place
    around its point where it overlaps no label placed before and stays inside the axes, keeping
    clear of the boxes in `avoid` (display units) where it can; a label with no such place is
    left out. Returns the labels drawn. Lay the figure out first (`freeze_layout`)."""
    from matplotlib.transforms import Bbox

    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed: list[Bbox] = []
    drawn = []
    for (x, y), text in zip(points, texts, strict=True):
        label = ax.annotate(
            text, (x, y), xytext=(0, 0), textcoords="offset points", gid=gid, **style
        )
        label.set_in_layout(False)
        fits = None
        for strict in (True, False):
            for (dx, dy), ha, va in _AROUND:
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
