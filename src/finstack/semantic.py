"""The semantic layer from Python: MetricFlow queries on the dbt project.

One MetricFlow engine per process, set up exactly as the `mf` command sets
itself up (the dbt profile and target from the environment, the semantic
manifest from `target/semantic_manifest.json`). The dashboard and the tests
ask it for saved queries and metrics and get plain rows back.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class QueryResult:
    """Rows of a MetricFlow query, with lower-case column names."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


class SemanticLayer:
    """A MetricFlow engine over the project's warehouse.

    `target` picks the dbt target (dev for the demo warehouse, ci for the
    test one); `project_dir` must hold a parsed project, i.e.
    `target/semantic_manifest.json` written by `dbt parse` or `dbt build`
    for that same target (the manifest names the target's database).
    """

    def __init__(self, target: str = "dev", project_dir: Path = ROOT) -> None:
        manifest = project_dir / "target" / "semantic_manifest.json"
        if not manifest.exists():
            raise FileNotFoundError(
                f"{manifest} is missing: run `dbt parse --target {target}` "
                "(or `dbt build`) in the project first"
            )
        os.environ["DBT_TARGET"] = target
        os.environ.setdefault("DBT_PROFILES_DIR", str(project_dir))
        # imported here: MetricFlow and dbt take seconds to import
        from dbt_metricflow.cli.cli_configuration import CLIConfiguration

        self._config = CLIConfiguration()
        self._config.setup(
            dbt_profiles_path=Path(os.environ["DBT_PROFILES_DIR"]),
            dbt_project_path=project_dir,
            configure_file_logging=False,
        )

    @property
    def manifest(self) -> Any:
        """The parsed semantic manifest (semantic models, metrics, saved queries)."""
        return self._config.dbt_artifacts.semantic_manifest

    def sql(self, query: str) -> list[tuple[Any, ...]]:
        """Rows of a plain SQL query on the engine's own connection (the
        dbt adapter: DuckDB or BigQuery alike)."""
        table = self._config.sql_client.query(query)
        return [tuple(_plain(value) for value in row) for row in table.rows]

    def saved_query_names(self) -> list[str]:
        return sorted(query.name for query in self.manifest.saved_queries)

    def query(
        self,
        saved_query: str | None = None,
        metrics: list[str] | None = None,
        group_by: list[str] | None = None,
        where: list[str] | None = None,
        order_by: list[str] | None = None,
        limit: int | None = None,
    ) -> QueryResult:
        """Run a saved query, or metrics by group-bys, and return its rows."""
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

        request = MetricFlowQueryRequest.create(
            saved_query_name=saved_query,
            metric_names=metrics,
            group_by_names=group_by,
            where_constraints=where,
            order_by_names=order_by,
            limit=limit,
        )
        result = self._config.mf.query(mf_request=request)
        table = result.result_df
        assert table is not None, "MetricFlow returned no table"
        columns = [name.lower() for name in table.column_names]
        rows = [tuple(_plain(value) for value in row) for row in table.rows]
        return QueryResult(columns=columns, rows=rows)


def bigquery_sql_of_saved_queries(semantic_manifest: Path) -> dict[str, str]:
    """The BigQuery SQL MetricFlow writes for every saved query, rendered
    offline from a semantic manifest of a BigQuery target (no connection:
    the client below can render but never run)."""
    from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
    from metricflow.protocols.sql_client import SqlEngine
    from metricflow.sql.render.big_query import BigQuerySqlPlanRenderer
    from metricflow_semantics.model.dbt_manifest_parser import (
        parse_manifest_from_dbt_generated_manifest,
    )
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    class OfflineBigQueryClient:
        sql_engine_type = SqlEngine.BIGQUERY
        sql_plan_renderer = BigQuerySqlPlanRenderer()

        def _offline(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("offline BigQuery client: rendering only")

        query = execute = dry_run = _offline

        def close(self) -> None:
            pass

        def render_bind_parameter_key(self, key: str) -> str:
            return f"@{key}"

    manifest = parse_manifest_from_dbt_generated_manifest(semantic_manifest.read_text())
    engine = MetricFlowEngine(SemanticManifestLookup(manifest), OfflineBigQueryClient())
    return {
        query.name: engine.explain(
            MetricFlowQueryRequest.create(saved_query_name=query.name)
        ).sql_statement.without_descriptions.sql
        for query in manifest.saved_queries
    }


def _plain(value: Any) -> Any:
    """Decimals become floats and datetimes at midnight stay datetimes:
    the consumers (charts, comparisons) want plain Python values."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def mf_cli(*args: str, target: str = "ci", env: dict[str, str] | None = None) -> str:
    """Run the `mf` command itself in the project root and return stdout;
    raises with MetricFlow's own output when it fails."""
    command = [str(Path(sys.executable).parent / "mf"), *args]
    full_env = dict(os.environ if env is None else env, DBT_TARGET=target)
    full_env.setdefault("DBT_PROFILES_DIR", str(ROOT))
    done = subprocess.run(command, cwd=ROOT, env=full_env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"mf {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout
