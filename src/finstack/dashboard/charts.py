"""Server-side charts of the dashboard tiles: inline SVG and HTML, no JavaScript.

`render_chart(tile, columns, rows)` returns one `<div class="chart">` whose
data attributes say what was drawn: `data-chart`, `data-saved-query`,
`data-rows` (result rows) and `data-marks` (bars, points, cells, cards or
table rows drawn). A result without rows renders an explicit "no data"
state (`data-marks="0"`, class `no-data`). Tiles follow the tile spec of
the exposures' `meta.dashboard` (see `Tile`); mistakes in a tile raise
`DashboardError` naming the exposure and the tile.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from finstack.dashboard.formats import (
    FORMATS,
    format_key,
    format_value,
    grain,
    is_date,
    sort_key,
)

CHART_TYPES = ("kpi", "line", "bar", "stacked_bar", "heatmap", "funnel", "table")
TILE_KEYS = {
    "title",
    "description",
    "saved_query",
    "chart",
    "x",
    "y",
    "series",
    "columns",
    "format",
}

# Okabe-Ito based, readable on white and distinct for colour-blind readers
SERIES_COLOURS = (
    "#2f6db5",
    "#e08a1e",
    "#2a9d78",
    "#c8553d",
    "#7b5ea7",
    "#3fa7c9",
    "#b8860b",
    "#d16ba5",
    "#5c6b73",
    "#8fb339",
)
HEAT_LOW = (238, 244, 251)
HEAT_HIGH = (31, 78, 137)
WIDTH = 640
CHAR_W = 6.3  # average width of an 11px system-font character, in viewBox units


class DashboardError(ValueError):
    """A dashboard declaration that cannot be rendered; names exposure and tile."""


@dataclass(frozen=True)
class Tile:
    """One tile of an exposure's `meta.dashboard.tiles`."""

    exposure: str
    title: str
    saved_query: str
    chart: str
    description: str = ""
    x: str | None = None
    y: tuple[str, ...] = ()
    series: str | None = None
    # tables only: more dimension columns, shown after `x` and `series`
    columns: tuple[str, ...] = ()
    format: str = "number"
    # optional per-metric formats (`format` given as a list parallel to `y`
    # or a mapping metric -> format); metrics not listed use `format`
    formats: tuple[tuple[str, str], ...] = ()

    def format_for(self, column: str | None = None) -> str:
        return dict(self.formats).get(column or "", self.format)

    @property
    def where(self) -> str:
        return f"exposure {self.exposure}, tile {self.title!r}"

    def error(self, message: str) -> DashboardError:
        return DashboardError(f"{self.where}: {message}")

    @classmethod
    def from_meta(cls, exposure: str, index: int, meta: Any) -> Tile:
        """Read a tile from the exposure's meta; fail on missing or unknown keys."""
        if not isinstance(meta, dict):
            raise DashboardError(f"exposure {exposure}, tile #{index + 1}: not a mapping")
        title = str(meta.get("title") or f"#{index + 1}")
        where = f"exposure {exposure}, tile {title!r}"
        unknown = sorted(set(meta) - TILE_KEYS)
        if unknown:
            raise DashboardError(f"{where}: unknown keys {unknown} (allowed: {sorted(TILE_KEYS)})")
        for key in ("title", "saved_query", "chart"):
            if not meta.get(key):
                raise DashboardError(f"{where}: `{key}` is missing")
        y = meta.get("y") or []
        if isinstance(y, str):
            y = [y]
        fmt = meta.get("format") or "number"
        formats: dict[str, str] = {}
        if isinstance(fmt, list):
            if len(fmt) != len(y):
                raise DashboardError(f"{where}: a list `format` needs one entry per `y` metric")
            formats, fmt = dict(zip(y, fmt, strict=True)), fmt[0]
        elif isinstance(fmt, dict):
            formats, fmt = dict(fmt), (fmt.get(y[0]) if y else None) or "number"
        return cls(
            exposure=exposure,
            title=title,
            saved_query=str(meta["saved_query"]),
            chart=str(meta["chart"]),
            description=str(meta.get("description") or ""),
            x=meta.get("x") or None,
            y=tuple(str(name) for name in y),
            series=meta.get("series") or None,
            columns=tuple(str(name) for name in meta.get("columns") or []),
            format=str(fmt),
            formats=tuple((str(k), str(v)) for k, v in formats.items()),
        )


def check_tile(tile: Tile, saved_queries: Collection[str] | None = None) -> None:
    """Static checks of a tile (before any query runs)."""
    if tile.chart not in CHART_TYPES:
        raise tile.error(f"unknown chart type {tile.chart!r} (one of {', '.join(CHART_TYPES)})")
    for fmt in {tile.format, *dict(tile.formats).values()}:
        if fmt not in FORMATS:
            raise tile.error(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    extra = sorted(set(dict(tile.formats)) - set(tile.y))
    if extra:
        raise tile.error(f"`format` names columns that are not in `y`: {extra}")
    if saved_queries is not None and tile.saved_query not in saved_queries:
        known = ", ".join(sorted(saved_queries)) or "none"
        raise tile.error(f"unknown saved query {tile.saved_query!r} (known: {known})")
    if not tile.y:
        raise tile.error("`y` lists no metric column")
    if tile.chart in ("line", "bar", "stacked_bar", "heatmap") and not tile.x:
        raise tile.error(f"a {tile.chart} chart needs `x`")
    if tile.chart == "heatmap" and not tile.series:
        raise tile.error("a heatmap needs `series` (its rows)")
    if tile.columns and tile.chart != "table":
        raise tile.error("`columns` is for tables only")
    if tile.chart in ("line", "bar", "stacked_bar") and tile.series and len(tile.y) > 1:
        raise tile.error("with `series`, `y` must name exactly one metric")


def check_columns(tile: Tile, columns: Sequence[str]) -> None:
    """Every column the tile names must be in the saved query's result."""
    named = [tile.x, tile.series, *tile.columns, *tile.y]
    missing = [name for name in named if name and name not in columns]
    if missing:
        raise tile.error(
            f"column(s) {', '.join(missing)} not in the result of saved query "
            f"{tile.saved_query!r} (columns: {', '.join(columns)})"
        )


class Palette:
    """One colour per series key, the same key keeping its colour across charts."""

    def __init__(self) -> None:
        self._assigned: dict[str, str] = {}

    def colour(self, key: str) -> str:
        if key not in self._assigned:
            self._assigned[key] = SERIES_COLOURS[len(self._assigned) % len(SERIES_COLOURS)]
        return self._assigned[key]


def humanize(column: str) -> str:
    """`user__signup_platform` -> 'Signup platform', `metric_time__week` -> 'Week'."""
    if column.startswith("metric_time__"):
        return column.rsplit("__", 1)[-1].capitalize()
    text = column.rsplit("__", 1)[-1] if "__" in column else column
    return text.replace("_", " ").capitalize()


@dataclass
class Context:
    tile: Tile
    records: list[dict[str, Any]]
    labels: dict[str, str]
    palette: Palette
    uid: str
    notes: list[str] = field(default_factory=list)

    def label(self, column: str | None) -> str:
        if not column:
            return ""
        return self.labels.get(column) or humanize(column)

    def fmt(self, value: Any, compact: bool = False, column: str | None = None) -> str:
        column = column or (self.tile.y[0] if self.tile.y else None)
        return format_value(value, self.tile.format_for(column), compact=compact)


def render_chart(
    tile: Tile,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    labels: dict[str, str] | None = None,
    palette: Palette | None = None,
    uid: str = "chart",
) -> str:
    """The chart of one tile from its saved query's result."""
    check_tile(tile)
    check_columns(tile, columns)
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    context = Context(tile, records, labels or {}, palette or Palette(), uid)
    attrs = (
        f'data-chart="{escape(tile.chart)}" data-saved-query="{escape(tile.saved_query)}" '
        f'data-rows="{len(records)}"'
    )
    if not records:
        return (
            f'<div class="chart chart-{escape(tile.chart)} no-data" {attrs} data-marks="0">'
            f'<p class="no-data-text">No data: saved query {escape(tile.saved_query)} '
            "returned no rows.</p></div>"
        )
    body, marks = RENDERERS[tile.chart](context)
    if marks == 0:
        body += '<p class="no-data-text">No data: every value is empty.</p>'
    no_data = " no-data" if marks == 0 else ""
    return (
        f'<div class="chart chart-{escape(tile.chart)}{no_data}" {attrs} '
        f'data-marks="{marks}">{body}</div>'
    )


# --- shared pieces ---------------------------------------------------------------


def nice_ticks(low: float, high: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round tick values covering [low, high], about `count` intervals."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude)
    if integer:
        step = max(1.0, math.ceil(step))
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    return [start + i * step for i in range(round((end - start) / step) + 1)]


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, cls: str = "", anchor: str = "middle", **attrs) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(str(v))}"' for k, v in attrs.items())
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}"{klass}{extra}>'
        f"{escape(text)}</text>"
    )


def _svg(width: float, height: float, body: str, label: str, max_width: float | None = None) -> str:
    style = f' style="max-width: {_num(max_width)}px"' if max_width else ""
    return (
        f'<svg viewBox="0 0 {_num(width)} {_num(height)}"{style} role="img" '
        f'aria-label="{escape(label)}" preserveAspectRatio="xMidYMid meet">{body}</svg>'
    )


def _legend(
    items: list[tuple[str, str]], left: float, width: float, top: float
) -> tuple[str, float]:
    """Swatches and labels in rows; returns the SVG and the height used."""
    if len(items) <= 1:
        return "", 0.0
    parts, x, y = [], left, top
    for colour, label in items:
        text = label if len(label) <= 28 else label[:27] + "…"
        item_w = 16 + len(text) * CHAR_W + 14
        if x + item_w > left + width and x > left:
            x, y = left, y + 18
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(y - 9)}" width="10" height="10" rx="2" '
            f'fill="{colour}"/>' + _text(x + 15, y, text, "legend", anchor="start")
        )
        x += item_w
    return f'<g class="legend">{"".join(parts)}</g>', y - top + 18


def _sum(values: Iterable[Any]) -> float | None:
    present = [v for v in values if v is not None]
    return float(sum(present)) if present else None


def _series_data(ctx: Context) -> tuple[list[Any], list[tuple[str, str, dict[Any, float | None]]]]:
    """The x values (sorted) and one (key, label, {x: value}) per series."""
    tile = ctx.tile
    xs = sorted({r[tile.x] for r in ctx.records}, key=sort_key)
    series: list[tuple[str, str, dict[Any, float | None]]] = []
    if tile.series:
        metric = tile.y[0]
        keys = sorted({r[tile.series] for r in ctx.records}, key=sort_key)
        for key in keys:
            values = {
                x: _sum(r[metric] for r in ctx.records if r[tile.x] == x and r[tile.series] == key)
                for x in xs
            }
            label = format_key(key, tile.series)
            series.append((label, label, values))
    else:
        for metric in tile.y:
            values = {x: _sum(r[metric] for r in ctx.records if r[tile.x] == x) for x in xs}
            series.append((metric, ctx.label(metric), values))
    return xs, series


def _y_axis(
    ctx: Context, low: float, high: float, top: float, bottom: float, left: float, right: float
) -> tuple[str, Callable[[float], float]]:
    ticks = nice_ticks(low, high, integer=ctx.tile.format == "count")
    lo, hi = ticks[0], ticks[-1]

    def scale(value: float) -> float:
        return bottom - (value - lo) / (hi - lo) * (bottom - top)

    parts = []
    for tick in ticks:
        y = scale(tick)
        cls = "axis-zero" if tick == 0 else "grid"
        parts.append(
            f'<line x1="{_num(left)}" x2="{_num(right)}" y1="{_num(y)}" y2="{_num(y)}" class="{cls}"/>'
        )
        parts.append(_text(left - 6, y + 4, ctx.fmt(tick, compact=True), "tick", anchor="end"))
    return f'<g class="y-axis">{"".join(parts)}</g>', scale


def _left_margin(ctx: Context, low: float, high: float) -> float:
    ticks = nice_ticks(low, high, integer=ctx.tile.format == "count")
    longest = max(len(ctx.fmt(t, compact=True)) for t in ticks)
    return max(40.0, longest * CHAR_W + 14)


def _extent(series: list[tuple[str, str, dict[Any, float | None]]], stacked: bool = False):
    if stacked:
        xs = series[0][2].keys() if series else []
        highs = [sum(max(s[2][x] or 0, 0) for s in series) for x in xs]
        lows = [sum(min(s[2][x] or 0, 0) for s in series) for x in xs]
        return min(lows, default=0.0), max(highs, default=0.0)
    values = [v for s in series for v in s[2].values() if v is not None]
    return min(values, default=0.0), max(values, default=0.0)


def _x_labels(ctx: Context, xs: list[Any], positions: list[float], band: float, bottom: float):
    """Category or date labels under the plot: thinned for dates, rotated for long text."""
    column = ctx.tile.x
    texts = [format_key(x, column, short=True) for x in xs]
    texts = [t if len(t) <= 22 else t[:21] + "…" for t in texts]
    widest = max(len(t) for t in texts) * CHAR_W
    dates = all(is_date(x) for x in xs)
    rotate = not dates and widest + 6 > band and len(xs) <= 40
    room = widest + (8 if not dates else 26)
    step = 1 if rotate or room <= band else math.ceil(room / max(band, 1))
    parts = []
    for i, (text, x) in enumerate(zip(texts, positions, strict=True)):
        if i % step:
            continue
        if rotate:
            parts.append(
                _text(
                    x,
                    bottom + 14,
                    text,
                    "tick",
                    anchor="end",
                    transform=f"rotate(-35 {_num(x)} {_num(bottom + 14)})",
                )
            )
        else:
            parts.append(_text(x, bottom + 16, text, "tick"))
    extra = widest * 0.6 + 10 if rotate else 0.0
    return f'<g class="x-axis">{"".join(parts)}</g>', extra


def _x_title(ctx: Context, left: float, right: float, y: float) -> str:
    return _text((left + right) / 2, y, ctx.label(ctx.tile.x), "axis-title")


# --- the chart types ----------------------------------------------------------------


def _line(ctx: Context) -> tuple[str, int]:
    xs, series = _series_data(ctx)
    low, high = _extent(series)
    items = [(ctx.palette.colour(key), label) for key, label, _ in series]
    left = _left_margin(ctx, low, high)
    right = WIDTH - 24
    legend, legend_h = _legend(items, left, right - left, 14)
    top = 16 + legend_h
    dates = all(is_date(x) for x in xs)
    rotate_room = 0.0 if dates else max(len(format_key(x, ctx.tile.x)) for x in xs) * CHAR_W * 0.6
    height = 250 + legend_h + min(rotate_room, 90)
    bottom = height - 40 - min(rotate_room, 90)
    if dates and len(xs) > 1:
        first = xs[0].toordinal()
        span = xs[-1].toordinal() - first
        positions = [left + (x.toordinal() - first) / span * (right - left) for x in xs]
    elif len(xs) > 1:
        positions = [left + i / (len(xs) - 1) * (right - left) for i in range(len(xs))]
    else:
        positions = [(left + right) / 2]
    band = (right - left) / max(len(xs) - 1, 1)
    axis, scale = _y_axis(ctx, low, high, top, bottom, left, right)
    x_axis, _ = _x_labels(ctx, xs, positions, band, bottom)
    where = dict(zip(xs, positions, strict=True))
    radius = 2.6 if len(xs) <= 40 else 1.8
    parts, marks = [axis, x_axis, legend], 0
    for key, label, values in series:
        colour = ctx.palette.colour(key)
        points = [(where[x], scale(v), x, v) for x, v in values.items() if v is not None]
        if not points:
            continue
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{_num(px)},{_num(py)}"
            for i, (px, py, _, _) in enumerate(points)
        )
        parts.append(f'<path d="{path}" class="line" stroke="{colour}"/>')
        for px, py, x, v in points:
            tip = f"{label} · {format_key(x, ctx.tile.x)}: {ctx.fmt(v, column=None if ctx.tile.series else key)}"
            parts.append(
                f'<circle cx="{_num(px)}" cy="{_num(py)}" r="{radius}" fill="{colour}" class="mark">'
                f"<title>{escape(tip)}</title></circle>"
            )
            marks += 1
    parts.append(_x_title(ctx, left, right, height - 6))
    return _svg(WIDTH, height, "".join(parts), ctx.tile.title), marks


def _bars(ctx: Context, stacked: bool) -> tuple[str, int]:
    xs, series = _series_data(ctx)
    low, high = _extent(series, stacked=stacked)
    items = [(ctx.palette.colour(key), label) for key, label, _ in series]
    left = _left_margin(ctx, low, high)
    right = WIDTH - 16
    legend, legend_h = _legend(items, left, right - left, 14)
    top = 16 + legend_h
    band = (right - left) / len(xs)
    positions = [left + (i + 0.5) * band for i in range(len(xs))]
    # labels first: rotated labels need room below the plot
    _unused, extra = _x_labels(ctx, xs, positions, band, 0)
    height = 250 + legend_h + extra
    bottom = height - 40 - extra
    axis, scale = _y_axis(ctx, low, high, top, bottom, left, right)
    x_axis, _ = _x_labels(ctx, xs, positions, band, bottom)
    zero = scale(0.0)
    parts, marks = [axis, x_axis, legend], 0
    inner = band * (0.72 if len(xs) > 1 else 0.4)
    width = inner if stacked else inner / len(series)
    for i, x in enumerate(xs):
        start = positions[i] - inner / 2
        up = down = 0.0
        for j, (key, label, values) in enumerate(series):
            value = values[x]
            if value is None:
                continue
            if stacked:
                base = up if value >= 0 else down
                y1, y2 = scale(base), scale(base + value)
                if value >= 0:
                    up += value
                else:
                    down += value
                bx = start
            else:
                y1, y2 = zero, scale(value)
                bx = start + j * width
            tip = f"{label} · {format_key(x, ctx.tile.x)}: {ctx.fmt(value, column=None if ctx.tile.series else key)}"
            parts.append(
                f'<rect x="{_num(bx)}" y="{_num(min(y1, y2))}" width="{_num(max(width - 1, 0.8))}" '
                f'height="{_num(abs(y2 - y1))}" fill="{ctx.palette.colour(key)}" class="mark">'
                f"<title>{escape(tip)}</title></rect>"
            )
            marks += 1
    parts.append(
        f'<line x1="{_num(left)}" x2="{_num(right)}" y1="{_num(zero)}" y2="{_num(zero)}" class="axis-zero"/>'
    )
    parts.append(_x_title(ctx, left, right, height - 6))
    return _svg(WIDTH, height, "".join(parts), ctx.tile.title), marks


def _bar(ctx: Context) -> tuple[str, int]:
    return _bars(ctx, stacked=False)


def _stacked_bar(ctx: Context) -> tuple[str, int]:
    return _bars(ctx, stacked=True)


def _heat_colour(share: float) -> str:
    rgb = [round(lo + (hi - lo) * share) for lo, hi in zip(HEAT_LOW, HEAT_HIGH, strict=True)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _heatmap(ctx: Context) -> tuple[str, int]:
    tile = ctx.tile
    metric = tile.y[0]
    cols = sorted({r[tile.x] for r in ctx.records}, key=sort_key)
    rows = sorted({r[tile.series] for r in ctx.records}, key=sort_key)
    cells: dict[tuple[Any, Any], float | None] = {}
    for r in ctx.records:
        key = (r[tile.series], r[tile.x])
        cells[key] = _sum([cells.get(key), r[metric]])
    values = [v for v in cells.values() if v is not None]
    low, high = min(values, default=0.0), max(values, default=0.0)
    row_labels = [format_key(v, tile.series) for v in rows]
    left = max(len(t) for t in row_labels) * CHAR_W + 16
    # cells of about 56 units: text keeps its size however many columns there are
    width = min(max(left + 56 * len(cols) + 10, 420.0), 1240.0)
    right = width - 10
    top, cell_h = 44, 24
    cell_w = (right - left) / len(cols)
    bottom = top + cell_h * len(rows)
    height = bottom + 46
    parts = [
        _text(left + (right - left) / 2, 14, ctx.label(tile.x), "axis-title"),
        _text(8, 14, ctx.label(tile.series), "axis-title", anchor="start"),
    ]
    step = max(
        1, math.ceil(max(len(format_key(c, tile.x, short=True)) for c in cols) * CHAR_W / cell_w)
    )
    for j, col in enumerate(cols):
        if j % step == 0:
            parts.append(
                _text(
                    left + (j + 0.5) * cell_w, top - 8, format_key(col, tile.x, short=True), "tick"
                )
            )
    marks = 0
    show_values = cell_w >= 30
    for i, row in enumerate(rows):
        y = top + i * cell_h
        parts.append(_text(left - 8, y + cell_h / 2 + 4, row_labels[i], "tick", anchor="end"))
        for j, col in enumerate(cols):
            value = cells.get((row, col))
            if value is None:
                continue
            share = 0.0 if high == low else (value - low) / (high - low)
            x = left + j * cell_w
            tip = (
                f"{row_labels[i]} · {ctx.label(tile.x)} {format_key(col, tile.x)}: {ctx.fmt(value)}"
            )
            parts.append(
                f'<rect x="{_num(x + 1)}" y="{_num(y + 1)}" width="{_num(cell_w - 2)}" '
                f'height="{cell_h - 2}" rx="2" fill="{_heat_colour(share)}" class="mark">'
                f"<title>{escape(tip)}</title></rect>"
            )
            if show_values:
                cls = "cell-label dark" if share > 0.55 else "cell-label"
                parts.append(
                    _text(x + cell_w / 2, y + cell_h / 2 + 4, ctx.fmt(value, compact=True), cls)
                )
            marks += 1
    # colour scale
    gradient = f"{ctx.uid}-scale"
    scale_left, scale_w, scale_y = left, min(220.0, right - left), bottom + 16
    parts.append(
        f'<defs><linearGradient id="{gradient}"><stop offset="0" stop-color="{_heat_colour(0)}"/>'
        f'<stop offset="1" stop-color="{_heat_colour(1)}"/></linearGradient></defs>'
        f'<rect x="{_num(scale_left)}" y="{_num(scale_y)}" width="{_num(scale_w)}" height="8" '
        f'rx="2" fill="url(#{gradient})" class="scale"/>'
    )
    parts.append(_text(scale_left, scale_y + 22, ctx.fmt(low), "tick", anchor="start"))
    parts.append(_text(scale_left + scale_w, scale_y + 22, ctx.fmt(high), "tick", anchor="end"))
    parts.append(
        _text(scale_left + scale_w + 10, scale_y + 8, "blank: no value yet", "tick", anchor="start")
    )
    return _svg(width, height, "".join(parts), tile.title, max_width=width * 1.15), marks


def _funnel(ctx: Context) -> tuple[str, int]:
    stages = [(metric, _sum(r[metric] for r in ctx.records)) for metric in ctx.tile.y]
    first = stages[0][1]
    widest = max((v for _, v in stages if v is not None), default=0.0)
    label_w = max(len(ctx.label(m)) for m, _ in stages) * CHAR_W + 16
    left, bar_right, row_h = label_w, WIDTH - 170, 44
    height = 12 + row_h * len(stages)
    parts, marks, previous = [], 0, None
    for i, (metric, value) in enumerate(stages):
        y = 8 + i * row_h
        parts.append(_text(left - 10, y + 20, ctx.label(metric), "stage", anchor="end"))
        if value is not None and widest > 0:
            width = max(value / widest * (bar_right - left), 1.5)
            colour = SERIES_COLOURS[0]
            parts.append(
                f'<rect x="{_num(left)}" y="{_num(y + 6)}" width="{_num(width)}" height="22" rx="3" '
                f'fill="{colour}" fill-opacity="{_num(1 - 0.12 * i) if i < 6 else "0.3"}" class="mark">'
                f"<title>{escape(ctx.label(metric))}: {escape(ctx.fmt(value, column=metric))}</title></rect>"
            )
            parts.append(
                _text(
                    left + width + 6, y + 21, ctx.fmt(value, column=metric), "value", anchor="start"
                )
            )
            marks += 1
        if i > 0:
            step_rate = value / previous if value is not None and previous else None
            total_rate = value / first if value is not None and first else None
            parts.append(
                _text(
                    WIDTH - 8,
                    y + 15,
                    f"{format_value(step_rate, 'percent')} of previous",
                    "rate",
                    anchor="end",
                )
            )
            parts.append(
                _text(
                    WIDTH - 8,
                    y + 29,
                    f"{format_value(total_rate, 'percent')} of first",
                    "rate-sub",
                    anchor="end",
                )
            )
        previous = value
    return _svg(WIDTH, height, "".join(parts), ctx.tile.title), marks


def _table(ctx: Context) -> tuple[str, int]:
    tile = ctx.tile
    keys = [c for c in (tile.x, tile.series, *tile.columns) if c]
    columns = keys + list(tile.y)
    # rows in the saved query's own order (its order_by), e.g. newest first
    records = ctx.records
    head = "".join(
        f'<th class="{"num" if c in tile.y else "key"}">{escape(ctx.label(c))}</th>'
        for c in columns
    )
    body = []
    for r in records:
        cells = "".join(
            f'<td class="num">{escape(ctx.fmt(r[c], column=c))}</td>'
            if c in tile.y
            else f'<td class="key">{escape(format_key(r[c], c))}</td>'
            for c in columns
        )
        body.append(f'<tr class="mark">{cells}</tr>')
    html = (
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
    return html, len(body)


def _sparkline(values: list[float | None], colour: str) -> str:
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return ""
    low, high = min(v for _, v in points), max(v for _, v in points)
    span = (high - low) or 1.0
    width, height = 160, 36
    coords = [
        (i / (len(values) - 1) * (width - 4) + 2, height - 3 - (v - low) / span * (height - 6))
        for i, v in points
    ]
    path = " ".join(
        f"{'M' if k == 0 else 'L'}{_num(x)},{_num(y)}" for k, (x, y) in enumerate(coords)
    )
    return (
        f'<svg class="sparkline" viewBox="0 0 {width} {height}" aria-hidden="true">'
        f'<path d="{path}" class="line" stroke="{colour}"/></svg>'
    )


def _kpi(ctx: Context) -> tuple[str, int]:
    tile = ctx.tile
    records = ctx.records
    if tile.x:
        records = sorted(records, key=lambda r: sort_key(r[tile.x]))
    elif len(records) > 1:
        raise tile.error(
            f"a kpi without `x` needs a one-row result; saved query {tile.saved_query!r} "
            f"returned {len(records)} rows"
        )
    last = records[-1]
    cards = []
    for metric in tile.y:
        value = last[metric]
        note = ""
        if tile.x:
            note = f"latest {ctx.label(tile.x).lower()}: {format_key(last[tile.x], tile.x)}"
            if len(records) > 1 and value is not None:
                before = records[-2][metric]
                if before:
                    change = (value - before) / abs(before)
                    arrow = "▲" if change > 0 else "▼" if change < 0 else "="
                    note += f" · {arrow} {format_value(abs(change), 'percent')} on previous"
        spark = (
            _sparkline([r[metric] for r in records], ctx.palette.colour(metric)) if tile.x else ""
        )
        cards.append(
            f'<div class="kpi mark"><div class="kpi-label">{escape(ctx.label(metric))}</div>'
            f'<div class="kpi-value">{escape(ctx.fmt(value, column=metric))}</div>'
            f'{spark}<div class="kpi-note">{escape(note)}</div></div>'
        )
    return f'<div class="kpis">{"".join(cards)}</div>', len(cards)


RENDERERS: dict[str, Callable[[Context], tuple[str, int]]] = {
    "kpi": _kpi,
    "line": _line,
    "bar": _bar,
    "stacked_bar": _stacked_bar,
    "heatmap": _heatmap,
    "funnel": _funnel,
    "table": _table,
}
__all__ = [
    "CHART_TYPES",
    "DashboardError",
    "Palette",
    "Tile",
    "check_tile",
    "grain",
    "render_chart",
]
