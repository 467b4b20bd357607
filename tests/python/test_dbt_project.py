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


def test_every_macro_and_seed_is_documented(manifest: dict) -> None:
    ours = [
        m
        for m in manifest["macros"].values()
        if m["package_name"] == "finstack"
        and not m["name"].startswith(("default__", "duckdb__", "bigquery__", "get_", "test_"))
    ]
    undocumented = [m["name"] for m in ours if not m["description"].strip()]
    assert not undocumented, f"macros missing from macros/_macros.yml: {undocumented}"
    seeds = [n for n in manifest["nodes"].values() if n["resource_type"] == "seed"]
    assert seeds and all(s["description"].strip() for s in seeds)


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
