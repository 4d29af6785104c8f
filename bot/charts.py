"""PNG bar charts for the figures, sized and lettered to be read on a phone.

matplotlib is imported on the first chart drawn, not with this module: it is a third of the
bot's memory, and most days nobody asks for a chart.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.font_manager import FontProperties

_FONT_DIR = Path(__file__).resolve().parent / "data" / "fonts"
_COLOURS = ("#1F3A68", "#E8912D")
_WIDTH_INCHES = 8.0
_DPI = 135
# Telegram shows a photo at most 1280 px on its long side: a taller chart shrinks out of reach.
_MAX_HEIGHT_INCHES = 1280 / _DPI


@dataclass(frozen=True)
class Series:
    """One set of bars: a name for the legend and one value per category."""

    name: str
    values: Sequence[int]


@dataclass(frozen=True)
class BarChart:
    """What to draw: categories along one axis, a few series of counts side by side."""

    title: str
    subtitle: str
    categories: Sequence[str]
    series: Sequence[Series]
    horizontal: bool = False
    empty_note: str = ""


@cache
def _font(bold: bool = False) -> "FontProperties":
    from matplotlib.font_manager import FontProperties

    name = "BeVietnamPro-Bold.ttf" if bold else "BeVietnamPro-Regular.ttf"
    return FontProperties(fname=str(_FONT_DIR / name))


def _sized(size: float, bold: bool = False) -> "FontProperties":
    font = _font(bold).copy()
    font.set_size(size)
    return font


def render_bar_chart(chart: BarChart) -> bytes:
    """Return the chart as PNG bytes (Be Vietnam Pro, so Vietnamese letters show)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    count = len(chart.categories)
    if chart.horizontal:
        height = min(max(5.5, 2.2 + 0.55 * count * max(len(chart.series), 1)), _MAX_HEIGHT_INCHES)
    else:
        height = 6.5
    # A bare Figure on the Agg canvas: no pyplot, so no global state and no GUI backend.
    figure = Figure(figsize=(_WIDTH_INCHES, height), dpi=_DPI)
    FigureCanvasAgg(figure)
    figure.suptitle(chart.title, fontproperties=_sized(17, bold=True), x=0.03, ha="left")
    axes = figure.add_subplot()
    axes.set_title(chart.subtitle, fontproperties=_sized(13), loc="left", color="#555555")
    has_values = any(value for series in chart.series for value in series.values)
    if count and has_values:
        _draw_bars(axes, chart)
    else:
        axes.set_axis_off()
        axes.text(0.5, 0.5, chart.empty_note, ha="center", va="center", fontproperties=_sized(14))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None})
    return buffer.getvalue()


def _draw_bars(axes: "Axes", chart: BarChart) -> None:
    from matplotlib.ticker import MaxNLocator

    count = len(chart.categories)
    groups = max(len(chart.series), 1)
    thickness = 0.8 / groups
    positions = list(range(count))
    top = max(max(series.values, default=0) for series in chart.series)
    for index, series in enumerate(chart.series):
        offsets = [p - 0.4 + thickness * (index + 0.5) for p in positions]
        colour = _COLOURS[index % len(_COLOURS)]
        if chart.horizontal:
            bars = axes.barh(offsets, series.values, height=thickness, color=colour)
        else:
            bars = axes.bar(offsets, series.values, width=thickness, color=colour)
        axes.bar_label(
            bars,
            labels=[str(v) if v else "" for v in series.values],
            padding=3,
            fontproperties=_sized(11 if count <= 12 else 9),
        )
        bars.set_label(series.name)
    labels_font = _sized(12 if count <= 12 else 10)
    if chart.horizontal:
        axes.set_yticks(positions, list(chart.categories))
        axes.invert_yaxis()
        axes.set_xlim(0, top * 1.15 + 1)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(axis="x", alpha=0.3)
        ticks = axes.get_yticklabels()
    else:
        axes.set_xticks(positions, list(chart.categories))
        axes.set_ylim(0, top * 1.15 + 1)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(axis="y", alpha=0.3)
        ticks = axes.get_xticklabels()
        if count > 6:
            for label in ticks:
                label.set_rotation(45)
                label.set_horizontalalignment("right")
    for label in [
        *ticks,
        *(axes.get_xticklabels() if chart.horizontal else axes.get_yticklabels()),
    ]:
        label.set_fontproperties(labels_font)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    # Above the plot, level with the subtitle, where it never hides a bar.
    axes.legend(
        prop=_sized(12),
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=len(chart.series),
        frameon=False,
    )
