"""Whole-project guards on the dbt manifest: the conventions that keep the
project navigable (descriptions, keys, source() placement, macro files)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def manifest(dbt_parsed: Path) -> dict:
    return json.loads(dbt_parsed.read_text())


def _models(manifest: dict) -> list[dict]:
    return [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]


def test_every_model_and_column_is_described(manifest: dict) -> None:
    undescribed = [m["name"] for m in _models(manifest) if not m["description"].strip()]
    assert not undescribed, f"models without a description: {undescribed}"
    empty_cols = [
        f"{m['name']}.{c}"
        for m in _models(manifest)
        for c, col in m["columns"].items()
        if not col["description"].strip()
    ]
    assert not empty_cols, f"columns without a description: {empty_cols[:20]}"


def test_every_model_has_a_primary_key_test(manifest: dict) -> None:
    tested: set[str] = set()
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test":
            continue
        name = (node.get("test_metadata") or {}).get("name")
        if name in ("unique", "unique_combination_of_columns"):
            tested.update(d for d in node["depends_on"]["nodes"] if d.startswith("model."))
    # base models are per-source slices of a unioned staging model: keyed there
    missing = [
        m["name"]
        for m in _models(manifest)
        if m["unique_id"] not in tested and not m["name"].startswith("base_")
    ]
    assert not missing, f"models without a unique / grain test: {missing}"


def test_source_is_used_only_in_staging() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "models").rglob("*.sql")
        if re.search(r"\{\{\s*source\(", p.read_text()) and "models/staging/" not in str(p)
    ]
    assert not offenders


def test_each_raw_table_feeds_exactly_one_model(manifest: dict) -> None:
    feeds: dict[str, list[str]] = {}
    for m in _models(manifest):
        for dep in m["depends_on"]["nodes"]:
            if dep.startswith("source."):
                feeds.setdefault(dep, []).append(m["name"])
    shared = {s: ms for s, ms in feeds.items() if len(ms) > 1}
    assert not shared, f"raw tables read by several models: {shared}"


def test_macro_files_are_named_after_their_macro() -> None:
    bad = []
    for path in (ROOT / "macros" / "cross_db").glob("*.sql"):
        names = re.findall(r"\{%-?\s*macro\s+(\w+)\(", path.read_text())
        if path.stem not in names:
            bad.append(path.name)
    assert not bad, f"macro files whose name is not one of their macros: {bad}"


ADAPTER_PREFIXES = ("default__", "duckdb__", "bigquery__")
SHARED_DOCS = ROOT / "models" / "_shared__docs.md"
# Doc blocks of _shared__docs.md that are not business or modelling terms:
# the docs home page and the loaders' bookkeeping columns.
NOT_IN_GLOSSARY = {"__overview__", "_loaded_at", "_is_source_deleted"}


def _ours(resources: dict) -> list[dict]:
    return [r for r in resources.values() if r["package_name"] == "finstack"]


def _undescribed(resources: list[dict], key: str = "description") -> list[str]:
    return sorted(r["name"] for r in resources if not (r.get(key) or "").strip())


def _signature(macro: dict) -> list[str] | None:
    """Parameter names of a macro's or generic test's Jinja signature."""
    # a generic test `{% test x(...) %}` is the macro test_x
    names = [rf"macro\s+{macro['name']}"]
    if macro["name"].startswith("test_"):
        names.append(rf"test\s+{macro['name'].removeprefix('test_')}")
    pattern = rf"\{{%-?\s*(?:{'|'.join(names)})\s*\(([^)]*)\)"
    found = re.search(pattern, macro["macro_sql"])
    if found is None:
        return None
    return [p.split("=")[0].strip() for p in found.group(1).split(",") if p.strip()]


def test_every_source_and_source_table_is_described(manifest: dict) -> None:
    tables = _ours(manifest["sources"])
    assert tables
    sources = {t["source_name"] for t in tables if not t["source_description"].strip()}
    assert not sources, f"sources without a description: {sorted(sources)}"
    assert not _undescribed(tables), f"source tables without one: {_undescribed(tables)}"
    cols = [
        f"{t['unique_id']}.{c}"
        for t in tables
        for c, col in t["columns"].items()
        if not col["description"].strip()
    ]
    assert not cols, f"source columns without a description: {cols[:20]}"


def test_every_seed_and_seed_column_is_described(manifest: dict) -> None:
    seeds = [n for n in _ours(manifest["nodes"]) if n["resource_type"] == "seed"]
    assert seeds
    assert not _undescribed(seeds), f"seeds without a description: {_undescribed(seeds)}"
    cols = [
        f"{s['name']}.{c}"
        for s in seeds
        for c, col in s["columns"].items()
        if not col["description"].strip()
    ]
    assert not cols, f"seed columns without a description: {cols}"
    # every column of the CSV is documented, not only the ones in the YAML
    missing = [
        f"{s['name']}.{c}"
        for s in seeds
        for c in (ROOT / s["original_file_path"]).read_text().splitlines()[0].split(",")
        if c.strip() not in s["columns"]
    ]
    assert not missing, f"seed columns missing from seeds/_seeds.yml: {missing}"


def test_every_macro_and_argument_is_documented(manifest: dict) -> None:
    """Every macro, generic test (macro test_<name>) included, has a
    description in macros/_macros.yml, and every parameter of its signature
    a described argument. Adapter implementations (default__x, duckdb__x,
    bigquery__x) take the arguments of x, which documents them."""
    macros = {m["name"]: m for m in _ours(manifest["macros"])}
    generic_tests = [m for m in macros.values() if m["original_file_path"].startswith("tests/")]
    assert len(generic_tests) == len(list((ROOT / "tests" / "generic").glob("*.sql")))
    assert not _undescribed(list(macros.values())), (
        f"macros missing from macros/_macros.yml: {_undescribed(list(macros.values()))}"
    )
    bad = []
    for name, macro in macros.items():
        params = _signature(macro)
        documented = [a["name"] for a in macro["arguments"]]
        blank = [a["name"] for a in macro["arguments"] if not a["description"].strip()]
        if params is None:
            bad.append(f"{name}: signature not found")
            continue
        dispatcher = (
            macros.get(name.split("__", 1)[1]) if name.startswith(ADAPTER_PREFIXES) else None
        )
        if dispatcher is not None and not documented:
            documented = [a["name"] for a in dispatcher["arguments"]]
            # an implementation may add optional parameters after x's own
            params = params[: len(documented)]
        if params != documented or blank:
            bad.append(f"{name}: signature {params}, documented {documented}, blank {blank}")
    assert not bad, "macro arguments not documented:\n" + "\n".join(bad)


def test_every_singular_test_is_described(manifest: dict) -> None:
    singular = [
        n
        for n in _ours(manifest["nodes"])
        if n["resource_type"] == "test" and not n.get("test_metadata")
    ]
    files = {p.stem for p in (ROOT / "tests").glob("*.sql")}
    assert {n["name"] for n in singular} == files
    assert not _undescribed(singular), (
        f"singular tests missing from tests/_tests.yml: {_undescribed(singular)}"
    )


def test_every_exposure_and_semantic_resource_is_described(manifest: dict) -> None:
    exposures = _ours(manifest["exposures"])
    assert exposures
    for kind in ("exposures", "semantic_models", "metrics", "saved_queries"):
        resources = _ours(manifest[kind])
        assert not _undescribed(resources), (
            f"{kind} without a description: {_undescribed(resources)}"
        )
    parts = [
        f"{model['name']}.{part}.{item['name']}"
        for model in _ours(manifest["semantic_models"])
        for part in ("entities", "dimensions", "measures")
        for item in model.get(part) or []
        if not (item.get("description") or "").strip()
    ]
    assert not parts, f"semantic model parts without a description: {parts}"


def test_docs_home_page_describes_the_project(manifest: dict) -> None:
    overview = manifest["docs"]["doc.finstack.__overview__"]["block_contents"]
    for word in ("staging", "intermediate", "marts", "sources", "Where to start"):
        assert word.lower() in overview.lower(), f"__overview__ does not mention {word}"
    named = re.findall(r"`((?:fct|dim|rpt)_\w+)`", overview)
    models = {m["name"] for m in _models(manifest)}
    assert named and set(named) <= models, f"__overview__ names unknown models: {named}"


def _glossary() -> list[tuple[str, str, str]]:
    """(term, doc block, linked file) of each line of the README's Glossary."""
    readme = (ROOT / "README.md").read_text()
    section = re.search(r"^## Glossary\n(.*?)(?=^## )", readme, re.MULTILINE | re.DOTALL)
    assert section, "README.md has no ## Glossary section before the next section"
    entries = []
    for line in section.group(1).splitlines():
        if line.startswith("- "):
            found = re.fullmatch(r"- \*\*(.+?)\*\*.*: .+\. \[`(\w+)`\]\(([^)]+)\)", line)
            assert found, f"glossary line not '- **Term**: definition. [`block`](file)': {line}"
            entries.append(found.groups())
    return entries


def test_glossary_metrics_exist(manifest: dict) -> None:
    readme = (ROOT / "README.md").read_text()
    section = re.search(r"^## Glossary\n(.*?)(?=^## )", readme, re.MULTILINE | re.DOTALL)
    assert section
    named = [
        name
        for mention in re.findall(r"\(metrics? ([^)]*)\)", section.group(1))
        for name in re.findall(r"`(\w+)`", mention)
    ]
    metrics = {metric["name"] for metric in _ours(manifest["metrics"])}
    assert named, "the glossary names no metric"
    assert not sorted(set(named) - metrics), f"unknown metrics: {sorted(set(named) - metrics)}"


def test_glossary_links_existing_doc_blocks(manifest: dict) -> None:
    docs = {d["name"]: d for d in _ours(manifest["docs"])}
    entries = _glossary()
    assert entries
    bad = [
        (term, block, path)
        for term, block, path in entries
        if block not in docs
        or docs[block]["original_file_path"] != path
        or not (ROOT / path).is_file()
    ]
    assert not bad, f"glossary entries naming no doc block in the linked file: {bad}"
    shared = {
        d["name"] for d in docs.values() if d["original_file_path"] == "models/_shared__docs.md"
    }
    assert shared == set(re.findall(r"\{%\s*docs\s+(\w+)\s*%\}", SHARED_DOCS.read_text()))
    missing = sorted(shared - NOT_IN_GLOSSARY - {block for _, block, _ in entries})
    assert not missing, f"doc blocks of _shared__docs.md missing from the glossary: {missing}"


def test_shared_doc_blocks_are_used(manifest: dict) -> None:
    """The shared definitions conventions §9 names are doc blocks that
    column descriptions actually reference (dbt renders doc() into the
    manifest, so compare the rendered text)."""
    docs = {d["name"]: d["block_contents"].strip() for d in _ours(manifest["docs"])}
    for block in ("user_id", "anonymous_id", "event_at", "channel", "amount_minor"):
        assert block in docs, f"doc block {block} missing from models/_shared__docs.md"
    rendered = [
        col["description"]
        for n in _ours(manifest["nodes"])
        if n["resource_type"] == "model"
        for col in n["columns"].values()
    ]
    unused = [
        b
        for b in (
            "user_id",
            "anonymous_id",
            "event_at",
            "channel",
            "active_user",
            "csat",
            "first_response_business_hours",
        )
        if not any(docs[b] in text for text in rendered)
    ]
    assert not unused, f"shared doc blocks no column references: {unused}"


def test_marts_use_refs_in_import_ctes_only() -> None:
    """ref() sits in import CTEs at the top: never inside a join or subquery."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "models").rglob("*.sql")
        if re.search(r"join\s+\{\{\s*ref\(", p.read_text(), re.IGNORECASE)
    ]
    assert not offenders


def test_quarantine_collects_every_quarantining_model(manifest: dict) -> None:
    """Every model that declares meta.quarantine_key feeds int_quarantined_rows_unioned."""
    declaring = {
        m["unique_id"]
        for m in _models(manifest)
        if (m["config"].get("meta") or {}).get("quarantine_key")
    }
    collector = next(m for m in _models(manifest) if m["name"] == "int_quarantined_rows_unioned")
    missing = sorted(declaring - set(collector["depends_on"]["nodes"]))
    assert not missing, f"add these models to int_quarantined_rows_unioned: {missing}"
