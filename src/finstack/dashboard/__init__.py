"""The static dashboard (`python -m finstack dashboard`): one page per dbt
exposure with `meta.dashboard`, one chart per tile, each from a saved query
of the semantic layer. Inline CSS and server-side SVG, no JavaScript."""

from finstack.dashboard.build import Page, build_dashboard, read_pages
from finstack.dashboard.charts import DashboardError, Tile, render_chart

__all__ = ["DashboardError", "Page", "Tile", "build_dashboard", "read_pages", "render_chart"]
