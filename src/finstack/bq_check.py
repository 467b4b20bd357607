"""Offline BigQuery readiness: parse every compiled model as GoogleSQL.

``dbt compile --target bq_offline --no-introspect --no-populate-cache`` renders
the project for BigQuery without a connection; this module then parses each
compiled ``.sql`` file with sqlglot's ``bigquery`` dialect. A file that fails
names itself, with the parser's message. The semantic layer's SQL is written
by MetricFlow at query time, so ``check_semantic`` renders every saved query
for BigQuery from the same compile's semantic manifest and parses it too.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sqlglot
from sqlglot.errors import ParseError, TokenError


def parse_errors(sql: str) -> list[str]:
    try:
        sqlglot.parse(sql, read="bigquery")
    except ParseError as exc:
        return [
            str(e.get("description", exc)) + f" (line {e.get('line')}, col {e.get('col')})"
            for e in exc.errors
        ] or [str(exc)]
    except TokenError as exc:
        return [f"tokenizer: {exc}"]
    return []


def check_compiled(compiled_dir: str | Path) -> int:
    # sqlglot parses nested calls recursively; generated SQL (the BigQuery
    # percent-decoding chain) nests deeper than Python's default limit
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    root = Path(compiled_dir)
    files = sorted(root.rglob("*.sql"))
    if not files:
        print(
            f"bq-check: no compiled SQL under {root}: did `dbt compile --target bq_offline` run?",
            file=sys.stderr,
        )
        return 1
    failures = 0
    for path in files:
        errors = parse_errors(path.read_text())
        if errors:
            failures += 1
            print(f"FAIL {path.relative_to(root)}", file=sys.stderr)
            for e in errors[:3]:
                print(f"    {e}", file=sys.stderr)
    print(f"bq-check: {len(files) - failures} of {len(files)} compiled files parse as GoogleSQL")
    return 1 if failures else 0


def check_semantic(semantic_manifest: str | Path) -> int:
    from finstack.semantic import bigquery_sql_of_saved_queries

    path = Path(semantic_manifest)
    if not path.exists():
        print(f"bq-check: {path} is missing: did `dbt compile --target bq_offline` run?")
        return 1
    rendered = bigquery_sql_of_saved_queries(path)
    failures = 0
    for name, sql in sorted(rendered.items()):
        errors = parse_errors(sql)
        if errors:
            failures += 1
            print(f"FAIL saved query {name}", file=sys.stderr)
            for e in errors[:3]:
                print(f"    {e}", file=sys.stderr)
    print(
        f"bq-check: {len(rendered) - failures} of {len(rendered)} saved queries "
        "render as GoogleSQL (MetricFlow, BigQuery dialect)"
    )
    return 1 if failures or not rendered else 0
