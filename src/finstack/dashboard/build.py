"""Build the static dashboard: pages from the dbt exposures, data from saved queries.

`build_dashboard(target, out)`:
1. `dbt parse --target <target>` so that target/manifest.json and
   target/semantic_manifest.json describe the target queried (the semantic
   manifest names the target's database);
2. reads the pages: exposures of type dashboard with `meta.dashboard`
   (order, tiles), in navigation order;
3. checks every tile (chart type, format, saved query) before any query;
4. runs each saved query once through one in-process MetricFlow engine
   (`finstack.semantic.SemanticLayer`) and renders every tile;
5. writes `<out>/index.html` (a landing page) and `<out>/<page>.html` per
   exposure (its name without `dashboard_`), inline CSS and SVG only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from finstack.dashboard.charts import DashboardError, Palette, Tile, check_tile, render_chart
from finstack.dashboard.formats import sort_key
from finstack.dashboard.page import layout

ROOT = Path(__file__).resolve().parents[3]
PREFIX = "dashboard_"


@dataclass(frozen=True)
class Page:
    """One dashboard page: a dbt exposure with `meta.dashboard`."""

    name: str
    label: str
    description: str
    owner_name: str
    owner_email: str
    depends_on: tuple[str, ...]
    order: float
    tiles: tuple[Tile, ...]

    @property
    def slug(self) -> str:
        return self.name.removeprefix(PREFIX)

    @property
    def filename(self) -> str:
        return f"{self.slug}.html"


def read_pages(manifest: dict[str, Any]) -> list[Page]:
    """The dashboard pages declared in a dbt manifest, in navigation order."""
    pages = []
    for exposure in manifest.get("exposures", {}).values():
        meta = (exposure.get("meta") or {}).get("dashboard")
        if exposure.get("type") != "dashboard" or not meta:
            continue
        name = exposure["name"]
        if not isinstance(meta, dict) or not isinstance(meta.get("tiles"), list):
            raise DashboardError(f"exposure {name}: meta.dashboard needs a list of `tiles`")
        if not meta["tiles"]:
            raise DashboardError(f"exposure {name}: meta.dashboard lists no tiles")
        tiles = tuple(Tile.from_meta(name, i, tile) for i, tile in enumerate(meta["tiles"]))
        owner = exposure.get("owner") or {}
        nodes = (exposure.get("depends_on") or {}).get("nodes") or []
        pages.append(
            Page(
                name=name,
                label=exposure.get("label") or name,
                description=(exposure.get("description") or "").strip(),
                owner_name=owner.get("name") or "",
                owner_email=owner.get("email") or "",
                depends_on=tuple(sorted(node.rsplit(".", 1)[-1] for node in nodes)),
                order=float(meta.get("order", 1e9)),
                tiles=tiles,
            )
        )
    pages.sort(key=lambda page: (page.order, page.name))
    slugs = [page.slug for page in pages]
    clash = sorted({s for s in slugs if slugs.count(s) > 1 or s == "index"})
    if clash:
        raise DashboardError(f"dashboard page names clash: {clash}")
    return pages


def dbt_parse(target: str, project_dir: Path = ROOT) -> None:
    """`dbt parse` for the target, so both manifests in target/ describe it."""
    dbt = Path(sys.executable).parent / "dbt"  # the venv's dbt, else the one on PATH
    if not dbt.exists():
        dbt = Path(shutil.which("dbt") or "dbt")
    env = dict(os.environ, DBT_TARGET=target)
    env.setdefault("DBT_PROFILES_DIR", str(project_dir))
    command = [str(dbt), "parse", "--target", target, "--quiet"]
    done = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise DashboardError(
            f"`dbt parse --target {target}` failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        )


def _labels(layer: Any) -> dict[str, str]:
    """Metric labels of the semantic manifest, for legends and table heads."""
    return {
        metric.name: metric.label
        for metric in layer.manifest.metrics
        if getattr(metric, "label", None)
    }


def _data_end_date(layer: Any, manifest: dict[str, Any], pages: list[Page]) -> dt.date | None:
    """The latest `data_end_date` of the marts the pages read (None if none has one)."""
    relations = []
    wanted = {model for page in pages for model in page.depends_on}
    for node in manifest.get("nodes", {}).values():
        columns = node.get("columns") or {}
        if node.get("name") in wanted and "data_end_date" in columns and node.get("relation_name"):
            relations.append(node["relation_name"])
    if not relations:
        return None
    sql = " union all ".join(
        f"select max(data_end_date) as d from {rel}" for rel in sorted(relations)
    )
    rows = layer.sql(f"select max(d) as data_end_date from ({sql}) as ends")
    value = rows[0][0] if rows else None
    return value.date() if isinstance(value, dt.datetime) else value


def _latest_date(results: dict[str, Any]) -> dt.date | None:
    dates = [
        value
        for result in results.values()
        for row in result.rows
        for value in row
        if isinstance(value, dt.date)
    ]
    if not dates:
        return None
    latest = max(dates, key=sort_key)
    return latest.date() if isinstance(latest, dt.datetime) else latest


def _nav(pages: list[Page], current: str | None) -> str:
    links = []
    for page in pages:
        cls = ' class="current" aria-current="page"' if page.name == current else ""
        links.append(f'<a href="{escape(page.filename)}"{cls}>{escape(page.label)}</a>')
    return "".join(links)


def _footer(generated: dt.datetime, data_end: dt.date | None, target: str) -> str:
    end = data_end.isoformat() if data_end else "unknown"
    return (
        f"Generated {generated:%Y-%m-%d %H:%M} UTC from dbt target <code>{escape(target)}</code>"
        f" · data up to {escape(end)} · static page: no scripts, no network"
    )


def _page_body(
    page: Page, tiles_html: list[str], generated: dt.datetime, data_end: dt.date | None
) -> str:
    owner = escape(page.owner_name)
    if page.owner_email:
        owner += f' (<a href="mailto:{escape(page.owner_email)}">{escape(page.owner_email)}</a>)'
    marts = ", ".join(f"<code>{escape(m)}</code>" for m in page.depends_on) or "none"
    end = data_end.isoformat() if data_end else "unknown"
    return (
        f'<section class="page-head" data-exposure="{escape(page.name)}">'
        f"<h1>{escape(page.label)}</h1>"
        f'<p class="description">{escape(page.description)}</p>'
        '<ul class="facts">'
        f'<li>Declared as dbt exposure <code class="exposure">{escape(page.name)}</code></li>'
        f"<li>Owner: {owner}</li>"
        f'<li class="marts">Marts: {marts}</li>'
        f'<li>Generated {generated:%Y-%m-%d %H:%M} UTC · data up to <span class="data-end">{escape(end)}</span></li>'
        "</ul></section>"
        f'<section class="tiles">{"".join(tiles_html)}</section>'
    )


def _tile_html(tile: Tile, chart: str, index: int) -> str:
    size = {"kpi": " kpi-tile", "table": " wide", "heatmap": " wide"}.get(tile.chart, "")
    return (
        f'<article class="tile{size}" id="tile-{index}" data-tile-title="{escape(tile.title)}">'
        f"<h2>{escape(tile.title)}</h2>"
        f'<p class="tile-description">{escape(tile.description)}</p>'
        f"{chart}"
        f'<div class="caption">saved query: <code>{escape(tile.saved_query)}</code></div>'
        "</article>"
    )


def _landing(pages: list[Page]) -> str:
    cards = []
    for page in pages:
        cards.append(
            f'<a class="card" href="{escape(page.filename)}"><h2>{escape(page.label)}</h2>'
            f"<p>{escape(page.description)}</p>"
            f"<p>{len(page.tiles)} tile{'s' if len(page.tiles) != 1 else ''} · exposure <code>{escape(page.name)}</code> · "
            f"{escape(page.owner_name)}</p></a>"
        )
    return (
        '<section class="page-head"><h1>finstack dashboard</h1>'
        '<p class="description">Every page is a dbt exposure of type dashboard; every tile '
        "reads one saved query of the MetricFlow semantic layer.</p></section>"
        f'<section class="landing">{"".join(cards)}</section>'
    )


def build_dashboard(
    target: str,
    out: Path,
    project_dir: Path = ROOT,
    parse: bool = True,
    quiet: bool = False,
) -> list[Path]:
    """Write the dashboard into `out`; returns the files written (index first)."""
    from finstack.semantic import SemanticLayer

    if parse:
        if not quiet:
            print(f"dashboard: dbt parse --target {target}", flush=True)
        dbt_parse(target, project_dir)
    manifest_path = project_dir / "target" / "manifest.json"
    if not manifest_path.exists():
        raise DashboardError(f"{manifest_path} is missing: run `dbt parse --target {target}`")
    manifest = json.loads(manifest_path.read_text())
    pages = read_pages(manifest)
    if not pages:
        raise DashboardError(
            "no exposure of type dashboard carries meta.dashboard: nothing to build"
        )

    layer = SemanticLayer(target=target, project_dir=project_dir)
    known = set(layer.saved_query_names())
    for page in pages:
        for tile in page.tiles:
            check_tile(tile, known)

    results: dict[str, Any] = {}
    for name in sorted({tile.saved_query for page in pages for tile in page.tiles}):
        try:
            results[name] = layer.query(saved_query=name)
        except Exception as exc:  # MetricFlow's errors are long: name the query first
            users = [f"{t.where}" for p in pages for t in p.tiles if t.saved_query == name]
            raise DashboardError(
                f"saved query {name!r} failed ({'; '.join(users)}): {exc}"
            ) from exc
    labels = _labels(layer)
    data_end = _data_end_date(layer, manifest, pages) or _latest_date(results)
    generated = dt.datetime.now(dt.UTC)
    palette = Palette()

    out.mkdir(parents=True, exist_ok=True)
    footer = _footer(generated, data_end, target)
    written = [out / "index.html"]
    written[0].write_text(layout("Pages", _nav(pages, None), _landing(pages), footer))
    empty = []
    for page in pages:
        tiles_html = []
        for index, tile in enumerate(page.tiles, start=1):
            result = results[tile.saved_query]
            chart = render_chart(
                tile, result.columns, result.rows, labels, palette, uid=f"{page.slug}-{index}"
            )
            if 'data-marks="0"' in chart:
                empty.append(tile.where)
            tiles_html.append(_tile_html(tile, chart, index))
        body = _page_body(page, tiles_html, generated, data_end)
        path = out / page.filename
        path.write_text(layout(page.label, _nav(pages, page.name), body, footer))
        written.append(path)
    if not quiet:
        tiles = sum(len(page.tiles) for page in pages)
        print(
            f"dashboard: {len(pages)} pages, {tiles} tiles, {len(results)} saved queries -> {out}"
        )
        for where in empty:
            print(f"dashboard: no data in {where}", file=sys.stderr)
    return written
