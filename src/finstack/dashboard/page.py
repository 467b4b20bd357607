"""HTML of the dashboard pages: one shared layout, inline CSS, no JavaScript."""

from __future__ import annotations

from html import escape

CSS = """
:root {
  --ink: #1d2733; --muted: #5b6773; --line: #e3e7ec; --panel: #ffffff;
  --page: #f4f6f8; --accent: #2f6db5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
    Arial, "Noto Sans", "Liberation Sans", sans-serif;
  color: var(--ink); background: var(--page);
}
* { box-sizing: border-box; }
body { margin: 0; font-size: 15px; line-height: 1.45; }
a { color: var(--accent); }
header.site { background: #17212c; color: #fff; padding: 0 24px; }
header.site .inner { max-width: 1280px; margin: 0 auto; display: flex;
  align-items: center; gap: 24px; flex-wrap: wrap; }
header.site .brand { font-weight: 700; letter-spacing: .02em; padding: 14px 0;
  color: #fff; text-decoration: none; }
nav.pages { display: flex; flex-wrap: wrap; gap: 0 2px; flex: 1 1 600px; }
nav.pages a { color: #c9d3dd; text-decoration: none; padding: 10px 8px;
  font-size: 14px; border-bottom: 3px solid transparent; }
nav.pages a:hover { color: #fff; }
nav.pages a.current { color: #fff; border-bottom-color: #6aa5e8; }
main { max-width: 1280px; margin: 0 auto; padding: 24px; }
.page-head h1 { margin: 0 0 6px; font-size: 26px; }
.page-head .description { margin: 0 0 10px; color: var(--muted); max-width: 900px; }
.page-head .facts { display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 13px;
  color: var(--muted); margin: 0 0 20px; padding: 0; list-style: none; }
.page-head .facts code { color: var(--ink); background: #e8edf2; padding: 1px 5px;
  border-radius: 4px; font-size: 12px; }
.tiles { display: grid; grid-template-columns: repeat(12, minmax(0, 1fr)); gap: 18px; }
.tile { grid-column: span 6; background: var(--panel); border: 1px solid var(--line);
  border-radius: 10px; padding: 16px 18px 12px; display: flex; flex-direction: column;
  min-width: 0; }
.tile.kpi-tile { grid-column: span 4; }
.tile.wide { grid-column: span 12; }
.tile h2 { font-size: 16px; margin: 0 0 2px; }
.tile .tile-description { font-size: 13px; color: var(--muted); margin: 0 0 10px; }
.tile .caption { margin-top: auto; padding-top: 8px; font-size: 11.5px; color: #8a96a3; }
.tile .caption code { font-size: 11.5px; }
.chart svg { width: 100%; height: auto; display: block; overflow: visible; }
.chart text { font-family: inherit; fill: var(--ink); }
.chart text.tick { font-size: 11px; fill: var(--muted); }
.chart text.legend { font-size: 11.5px; }
.chart text.axis-title { font-size: 11.5px; fill: var(--muted); font-weight: 600; }
.chart text.cell-label { font-size: 10.5px; fill: #1d2733; }
.chart text.cell-label.dark { fill: #ffffff; }
.chart text.stage { font-size: 13px; font-weight: 600; }
.chart text.value { font-size: 12.5px; font-weight: 600; }
.chart text.rate { font-size: 12.5px; font-weight: 600; fill: var(--accent); }
.chart text.rate-sub { font-size: 11px; fill: var(--muted); }
.chart line.grid { stroke: #edf0f3; stroke-width: 1; }
.chart line.axis-zero { stroke: #aab4bf; stroke-width: 1; }
.chart path.line { fill: none; stroke-width: 2.2; stroke-linejoin: round;
  stroke-linecap: round; }
.kpis { display: flex; flex-wrap: wrap; gap: 12px; }
.kpi { flex: 1 1 180px; }
.kpi-label { font-size: 13px; color: var(--muted); }
.kpi-value { font-size: 34px; font-weight: 700; letter-spacing: -.01em;
  font-variant-numeric: tabular-nums; }
.kpi .sparkline { width: 100%; max-width: 240px; height: 40px; display: block; margin: 2px 0; }
.kpi-note { font-size: 12px; color: var(--muted); }
.table-wrap { overflow: auto; max-height: 460px; }
table { border-collapse: collapse; width: 100%; font-size: 13px;
  font-variant-numeric: tabular-nums; }
th { position: sticky; top: 0; background: #f7f9fa; text-align: left; font-weight: 600;
  border-bottom: 1px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid #f0f2f4; padding: 5px 8px; }
th.num, td.num { text-align: right; }
.no-data { border: 1px dashed #d9a3a3; border-radius: 8px; background: #fdf5f5; }
.no-data-text { color: #a33; margin: 24px; text-align: center; }
.landing { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
  gap: 18px; }
.landing a.card { display: block; background: var(--panel); border: 1px solid var(--line);
  border-radius: 10px; padding: 16px 18px; color: var(--ink); text-decoration: none; }
.landing a.card:hover { border-color: var(--accent); }
.landing h2 { margin: 0 0 6px; font-size: 17px; color: var(--accent); }
.landing p { margin: 0 0 8px; font-size: 13.5px; color: var(--muted); }
footer { max-width: 1280px; margin: 0 auto; padding: 8px 24px 32px; font-size: 12px;
  color: #8a96a3; }
@media (max-width: 900px) {
  .tile, .tile.kpi-tile { grid-column: span 12; }
}
"""


def layout(title: str, nav: str, body: str, footer: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · finstack dashboard</title>"
        f"<style>{CSS}</style></head><body>"
        '<header class="site"><div class="inner">'
        '<a class="brand" href="index.html">finstack dashboard</a>'
        f'<nav class="pages" aria-label="Dashboard pages">{nav}</nav></div></header>'
        f"<main>{body}</main><footer>{footer}</footer></body></html>\n"
    )
