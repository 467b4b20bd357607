"""The static dashboard (`python -m finstack dashboard`), built on the tiny
warehouse for target ci and opened in headless Chromium.

The pages and tiles expected come from the dbt manifest (exposures of type
dashboard with `meta.dashboard`), never from a list in this file. The
`built_warehouse` fixture leaves target/ parsed for the ci target, so the
command runs with --no-parse (a re-parse with this environment is a full
parse: the warehouse path in the profile differs). Screenshots go to target/screenshots/dashboard_<page>.png.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from browser import headless_chromium

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "target" / "screenshots"


@dataclass(frozen=True)
class Built:
    out: Path
    manifest: dict
    semantic_manifest: dict
    stdout: str


def _pages(manifest: dict) -> list[dict]:
    """Exposures of type dashboard with meta.dashboard, as declared."""
    return [
        exposure
        for exposure in manifest["exposures"].values()
        if exposure["type"] == "dashboard" and (exposure.get("meta") or {}).get("dashboard")
    ]


def _slug(exposure: dict) -> str:
    return exposure["name"].removeprefix("dashboard_")


@pytest.fixture(scope="module")
def built(built_warehouse, tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("dashboard") / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "finstack",
            "dashboard",
            "--target",
            "ci",
            "--out",
            str(out),
            "--no-parse",
        ],
        cwd=ROOT,
        env=built_warehouse.env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"dashboard failed:\n{done.stdout}\n{done.stderr[-6000:]}"
    return Built(
        out=out,
        manifest=json.loads((ROOT / "target" / "manifest.json").read_text()),
        semantic_manifest=json.loads((ROOT / "target" / "semantic_manifest.json").read_text()),
        stdout=done.stdout,
    )


def test_one_file_per_dashboard_exposure(built: Built) -> None:
    pages = _pages(built.manifest)
    assert pages, "no exposure carries meta.dashboard"
    expected = {"index.html"} | {f"{_slug(page)}.html" for page in pages}
    assert {path.name for path in built.out.glob("*.html")} == expected
    # the command ran against the ci warehouse: its manifests name database ci
    databases = {m["node_relation"]["database"] for m in built.semantic_manifest["semantic_models"]}
    assert databases == {"ci"}


def test_every_saved_query_feeds_a_tile(built: Built) -> None:
    used = {
        tile["saved_query"]
        for page in _pages(built.manifest)
        for tile in page["meta"]["dashboard"]["tiles"]
    }
    declared = {query["name"] for query in built.semantic_manifest["saved_queries"]}
    assert declared - used == set(), "saved queries no dashboard tile uses"
    assert used - declared == set(), "tiles naming unknown saved queries"


def _open(browser, path: Path):
    """A page on a local file; any request that is not file:// is blocked and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    foreign: list[str] = []
    errors: list[str] = []

    def guard(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("request", lambda r: None if r.url.startswith("file://") else foreign.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page, foreign, errors


def test_pages_in_headless_chromium(built: Built) -> None:
    pages = sorted(_pages(built.manifest), key=lambda e: e["meta"]["dashboard"].get("order", 0))
    filenames = {f"{_slug(page)}.html" for page in pages}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with headless_chromium() as browser:
        # the landing page links to every page
        context, page, foreign, errors = _open(browser, built.out / "index.html")
        nav = set(
            page.locator("nav.pages a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        )
        assert nav == filenames
        context.close()
        assert not foreign and not errors, (foreign, errors)

        for exposure in pages:
            slug = _slug(exposure)
            context, page, foreign, errors = _open(browser, built.out / f"{slug}.html")
            where = f"page {slug}"
            # shared navigation: every page, this one marked current
            links = page.locator("nav.pages a")
            hrefs = set(links.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
            if hrefs != filenames:
                problems.append(f"{where}: nav links {sorted(hrefs)} != {sorted(filenames)}")
            current = page.locator("nav.pages a.current").get_attribute("href")
            if current != f"{slug}.html":
                problems.append(f"{where}: current nav link {current}")
            # the exposure's label, description, owner and marts
            head = page.locator("section.page-head")
            if page.locator("h1").inner_text().strip() != exposure["label"]:
                problems.append(f"{where}: heading is not the label {exposure['label']!r}")
            head_text = " ".join(head.inner_text().split())
            wanted = [
                " ".join(exposure["description"].split()),
                f"Declared as dbt exposure {exposure['name']}",
                exposure["owner"]["name"],
                *(node.rsplit(".", 1)[-1] for node in exposure["depends_on"]["nodes"]),
            ]
            problems += [f"{where}: head lacks {w!r}" for w in wanted if w not in head_text]
            # every declared tile, in order, rendered with data
            tiles = exposure["meta"]["dashboard"]["tiles"]
            shown = page.locator("article.tile")
            titles = shown.evaluate_all("els => els.map(e => e.getAttribute('data-tile-title'))")
            if titles != [tile["title"] for tile in tiles]:
                problems.append(
                    f"{where}: tiles {titles} != declared {[t['title'] for t in tiles]}"
                )
                tiles = []
            if page.locator(".no-data").count():
                problems.append(f"{where}: {page.locator('.no-data').count()} tile(s) with no data")
            for index, tile in enumerate(tiles):
                article = shown.nth(index)
                chart = article.locator(".chart")
                label = f"{where}, tile {tile['title']!r}"
                if chart.get_attribute("data-saved-query") != tile["saved_query"]:
                    problems.append(f"{label}: chart does not read {tile['saved_query']}")
                if chart.get_attribute("data-chart") != tile["chart"]:
                    problems.append(f"{label}: chart type {chart.get_attribute('data-chart')}")
                if int(chart.get_attribute("data-rows")) <= 0:
                    problems.append(f"{label}: no rows")
                if int(chart.get_attribute("data-marks")) <= 0:
                    problems.append(f"{label}: nothing drawn")
                caption = " ".join(article.locator(".caption").inner_text().split())
                if caption != f"saved query: {tile['saved_query']}":
                    problems.append(f"{label}: caption {caption!r}")
                visible = (
                    chart.locator("svg").first if tile["chart"] not in ("kpi", "table") else chart
                )
                box = visible.bounding_box() if visible.count() else None
                if not visible.count() or not visible.is_visible() or not box:
                    problems.append(f"{label}: chart not visible")
                elif box["width"] < 50 or box["height"] < 20:
                    problems.append(f"{label}: chart box {box}")
                if tile["chart"] not in ("kpi", "table"):
                    drawn = chart.locator("svg .mark").count()
                    if drawn != int(chart.get_attribute("data-marks")):
                        problems.append(
                            f"{label}: {drawn} marks in the SVG, data-marks says otherwise"
                        )
            page.screenshot(path=str(SCREENSHOTS / f"dashboard_{slug}.png"), full_page=True)
            context.close()
            problems += [f"{where}: request to {url}" for url in foreign]
            problems += [f"{where}: console error {text}" for text in errors]
    assert not problems, "\n".join(problems)
