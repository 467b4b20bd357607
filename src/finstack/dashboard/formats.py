"""How values print on the dashboard: the tile formats and dates.

`format_value(value, fmt)` prints a value for a label or a table cell,
`compact=True` for axis ticks and heat-map cells. Time columns are named
`metric_time__<grain>` (or `<entity>__<dimension>__<grain>`): the grain
picks how dates print.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

FORMATS = ("count", "gbp", "percent", "seconds", "number")
MISSING = "–"


def format_value(value: Any, fmt: str = "number", compact: bool = False) -> str:
    """Print a number in one of FORMATS; None (SQL NULL) prints as a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, int | float):
        return str(value)
    if fmt == "count":
        return _compact(value, "") if compact and abs(value) >= 10_000 else f"{round(value):,}"
    if fmt == "gbp":
        if abs(value) >= 10_000 or (compact and abs(value) >= 1_000):
            return _compact(value, "£")
        sign = "-" if value < 0 else ""
        # small amounts keep their pence on axes, or every tick reads £0
        if compact and (abs(value) >= 10 or value == 0):
            return f"{sign}£{abs(value):,.0f}"
        return f"{sign}£{abs(value):,.2f}"
    if fmt == "percent":
        return f"{value * 100:.0f}%" if compact else f"{value * 100:.1f}%"
    if fmt == "seconds":
        return _duration(value)
    if fmt == "number":
        if compact and abs(value) >= 10_000:
            return _compact(value, "")
        if float(value).is_integer():
            return f"{int(value):,}"
        return f"{value:,.2f}"
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def _compact(value: float, prefix: str) -> str:
    sign = "-" if value < 0 else ""
    size = abs(value)
    for limit, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            scaled = size / limit
            digits = 0 if scaled >= 100 else 1 if scaled >= 10 else 2
            text = f"{scaled:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{scaled:.0f}"
            return f"{sign}{prefix}{text}{suffix}"
    return f"{sign}{prefix}{size:,.0f}"


def _duration(seconds: float) -> str:
    sign = "-" if seconds < 0 else ""
    size = abs(seconds)
    if size < 60:
        return f"{sign}{size:.0f} s"
    if size < 3600:
        minutes = size / 60
        return f"{sign}{minutes:.1f} min" if minutes < 10 else f"{sign}{minutes:.0f} min"
    hours, rest = divmod(round(size / 60), 60)
    return f"{sign}{hours} h {rest:02d} min"


def grain(column: str | None) -> str | None:
    """The time grain a MetricFlow column name ends with, if any."""
    if not column:
        return None
    last = column.rsplit("__", 1)[-1]
    return last if last in ("day", "week", "month", "quarter", "year") else None


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date)


def format_date(value: dt.date, column: str | None = None, short: bool = False) -> str:
    """A date at the column's grain: '3 Oct 2026', 'Oct 2026', 'Q4 2026', '2026'."""
    if isinstance(value, dt.datetime) and (value.hour or value.minute or value.second):
        return f"{value.day} {value:%b %Y %H:%M}"
    kind = grain(column)
    if kind == "year":
        return f"{value:%Y}"
    if kind == "quarter":
        return f"Q{(value.month - 1) // 3 + 1} {value:%Y}"
    if kind == "month":
        return f"{value:%b %y}" if short else f"{value:%b %Y}"
    return f"{value.day} {value:%b}" if short else f"{value.day} {value:%b %Y}"


def format_key(value: Any, column: str | None = None, short: bool = False) -> str:
    """A dimension value (axis category, series name, table cell)."""
    if value is None:
        return "(none)"
    if is_date(value):
        return format_date(value, column, short)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def sort_key(value: Any) -> tuple:
    """Sort mixed dimension values: NULL last, then by type, then by value."""
    if value is None:
        return (1, "", 0)
    if isinstance(value, dt.datetime):
        return (0, "date", value.replace(tzinfo=None))
    if isinstance(value, dt.date):
        return (0, "date", dt.datetime.combine(value, dt.time()))
    if isinstance(value, bool | int | float):
        return (0, "number", float(value))
    return (0, "text", str(value))
