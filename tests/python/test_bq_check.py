"""The offline BigQuery check of the semantic layer: every saved query is
rendered by MetricFlow in the BigQuery dialect and parsed as GoogleSQL."""

from __future__ import annotations

import json

from finstack.bq_check import check_semantic, parse_errors

from conftest import ROOT, BuiltWarehouse


def test_parse_errors_name_the_problem() -> None:
    assert parse_errors("select 1 as one") == []
    assert parse_errors("select sum((amount from t")


def test_every_saved_query_renders_for_bigquery(built_warehouse: BuiltWarehouse, capsys) -> None:
    # the fixture leaves target/ parsed; rendering ignores the database names
    assert check_semantic(ROOT / "target" / "semantic_manifest.json") == 0
    assert " saved queries render as GoogleSQL" in capsys.readouterr().out


def test_a_metric_expression_bigquery_cannot_parse_fails(
    built_warehouse: BuiltWarehouse, tmp_path, capsys
) -> None:
    manifest = json.loads((ROOT / "target" / "semantic_manifest.json").read_text())
    users = next(model for model in manifest["semantic_models"] if model["name"] == "users")
    sign_ups = next(measure for measure in users["measures"] if measure["name"] == "sign_ups")
    sign_ups["expr"] = "sum((user_id"
    broken = tmp_path / "semantic_manifest.json"
    broken.write_text(json.dumps(manifest))
    assert check_semantic(broken) == 1
    assert "FAIL saved query overview_kpis" in capsys.readouterr().err
