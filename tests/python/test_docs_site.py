"""The single-file static dbt docs (`dbt docs generate --static`) in headless
Chromium: a mart's page shows its description and, following the "Depends
On" links of the rendered pages, its lineage all the way up to its sources,
without touching the network."""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

from browser import headless_chromium
from conftest import ROOT, BuiltWarehouse, dbt

MART = "model.finstack.dim_users"
SCREENSHOTS = ROOT / "target" / "screenshots"


@dataclass(frozen=True)
class StaticDocs:
    html: Path
    manifest: dict


@pytest.fixture(scope="session")
def static_docs(
    tmp_path_factory: pytest.TempPathFactory, built_warehouse: BuiltWarehouse
) -> StaticDocs:
    """target/static_index.html when `make test` (ci-build) or a developer
    has generated it since the last parse, else generated here against the
    built warehouse. The manifest is the one written with it, by the same
    run (docs generate writes the manifest first, the page last)."""
    target = ROOT / "target"
    page, manifest = target / "static_index.html", target / "manifest.json"
    if not page.exists() or page.stat().st_mtime < manifest.stat().st_mtime:
        target = tmp_path_factory.mktemp("docs_target")
        dbt(
            ["docs", "generate", "--static", "--target", "ci", "--target-path", str(target)],
            env=built_warehouse.env,
        )
    return StaticDocs(
        html=target / "static_index.html",
        manifest=json.loads((target / "manifest.json").read_text()),
    )


def _page_url(docs: StaticDocs, unique_id: str) -> str:
    return f"{docs.html.resolve().as_uri()}#!/{unique_id.split('.')[0]}/{unique_id}"


def _open(page: Page, docs: StaticDocs, unique_id: str) -> None:
    """Show a node's page, wait until Angular has rendered it (its section
    tabs link to the node's id) and check that it is the node's page: the
    app renders an empty page for an unknown id. The first call loads the
    file; later ones change only the #! route, as following a link does."""
    url = _page_url(docs, unique_id)
    if page.url.split("#")[0] != url.split("#")[0]:
        page.goto(url)
    else:
        page.evaluate("hash => { window.location.hash = hash }", url.split("#", 1)[1])
    page.wait_for_selector(f"a[href='#!/{unique_id.split('.')[0]}/{unique_id}#details']")
    title = page.evaluate(
        "() => document.querySelector('[ui-view] .app-title h1 .break').textContent.trim()"
    )
    # a model page is titled by its name, a source page by source.table
    expected = ".".join(unique_id.split(".")[2:])
    assert title == expected, f"the docs show no page for {unique_id} (title {title!r})"


# Click each tab of the Depends On list but Macros (the list shows one
# resource type at a time: Models, Sources, Seeds) and read its links; one
# round trip per page. Angular applies a click synchronously.
READ_DEPENDS_ON = """() => {
    const target = document.getElementById('depends_on');
    const section = target && target.closest('section');
    if (!section || section.offsetParent === null) return [];
    const found = [];
    for (const tab of section.querySelectorAll('ul.nav-tabs > li > a')) {
        if (tab.textContent.trim() === 'Macros') continue;
        tab.click();
        for (const link of section.querySelectorAll('ul.list-unstyled a[href]'))
            found.push(link.getAttribute('href'));
    }
    return found;
}"""


def _depends_on(page: Page) -> set[str]:
    """Unique ids in the Depends On list of the page shown (a node without
    parents hides the section)."""
    return {href.rsplit("/", 1)[1] for href in page.evaluate(READ_DEPENDS_ON)}


def _upstream(manifest: dict, unique_id: str) -> set[str]:
    """Every node and source upstream of a node, from the manifest."""
    seen: set[str] = set()
    todo = [unique_id]
    while todo:
        node = manifest["nodes"].get(todo.pop())
        for parent in (node or {}).get("depends_on", {}).get("nodes", []):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def _words(text: str) -> str:
    """Text without Markdown punctuation, whitespace collapsed."""
    return " ".join(re.sub(r"[`*_#>]", "", text).split())


def crawl_lineage(docs: StaticDocs, start: str, screenshot: Path | None = None) -> dict:
    """Open `start` in the static docs, read its description, then follow
    the rendered Depends On links breadth-first through every upstream
    model to the source pages, opening each page reached (`_open` checks
    its title). Returns the description text, the parent of each node
    reached (to rebuild paths) and every URL the page requested."""
    requests: list[str] = []
    parent_of: dict[str, str | None] = {start: None}
    with headless_chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("request", lambda request: requests.append(request.url))
        _open(page, docs, start)
        description = page.locator("#description ~ .section-content .model-markdown")
        description_text = description.inner_text() if description.count() else ""
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=False)
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node != start:
                _open(page, docs, node)
            if node.startswith("source."):
                continue  # a source page: the end of this path
            for parent in sorted(_depends_on(page)):
                if parent not in parent_of:
                    parent_of[parent] = node
                    if parent.startswith(("model.", "source.")):
                        queue.append(parent)
    return {"description": description_text, "parent_of": parent_of, "requests": requests}


@pytest.fixture(scope="module")
def dim_users_crawl(static_docs: StaticDocs) -> dict:
    return crawl_lineage(static_docs, MART, screenshot=SCREENSHOTS / "docs_dim_users.png")


def test_mart_page_shows_its_description(static_docs: StaticDocs, dim_users_crawl: dict) -> None:
    expected = static_docs.manifest["nodes"][MART]["description"]
    assert expected.strip(), "dim_users has no description to show"
    assert _words(expected) == _words(dim_users_crawl["description"])
    assert (SCREENSHOTS / "docs_dim_users.png").stat().st_size > 0


def test_mart_page_lineage_reaches_its_sources(
    static_docs: StaticDocs, dim_users_crawl: dict
) -> None:
    parent_of = dim_users_crawl["parent_of"]
    seen_sources = {n for n in parent_of if n.startswith("source.")}
    assert seen_sources, "no source reached from dim_users through Depends On links"
    # one complete path, as clicked through: dim_users -> ... -> a source
    source = min(seen_sources)
    path = [source]
    while parent_of[path[-1]] is not None:
        path.append(parent_of[path[-1]])
    assert path[-1] == MART and len(path) >= 3, path
    # the rendered lineage is the manifest's: same upstream sources and models
    upstream = _upstream(static_docs.manifest, MART)
    assert seen_sources == {n for n in upstream if n.startswith("source.")}
    assert {n for n in parent_of if n.startswith("model.")} - {MART} == {
        n for n in upstream if n.startswith("model.")
    }


def test_docs_site_makes_no_network_request(dim_users_crawl: dict) -> None:
    requests = dim_users_crawl["requests"]
    assert requests
    offline = [url for url in requests if not url.startswith(("file://", "data:", "about:"))]
    assert not offline, f"the static docs requested: {sorted(set(offline))[:10]}"


def test_a_wrong_page_is_caught(static_docs: StaticDocs) -> None:
    """The checks can fail: another mart's page does not carry dim_users'
    description nor its sources."""
    other = "model.finstack.rpt_support_daily"
    crawl = crawl_lineage(static_docs, other)
    expected = static_docs.manifest["nodes"][MART]["description"]
    assert _words(expected) != _words(crawl["description"])
    own_sources = {n for n in _upstream(static_docs.manifest, MART) if n.startswith("source.")}
    seen = {n for n in crawl["parent_of"] if n.startswith("source.")}
    assert seen and seen != own_sources
