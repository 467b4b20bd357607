"""Command line: ``python -m finstack generate ...`` and project tooling."""

from __future__ import annotations

import argparse
import datetime as dt

from finstack.generator.config import SCALES


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m finstack", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write raw data for every source into a DuckDB file")
    gen.add_argument("--scale", choices=sorted(SCALES), help="tiny (CI), demo, large or xl")
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument("--raw", required=True, help="path of the raw DuckDB database")
    gen.add_argument(
        "--end-date", type=_date, default=None, help="last day of data (default: today, UTC)"
    )
    gen.add_argument(
        "--parquet", default=None, help="also write one Parquet file per raw table here"
    )
    gen.add_argument(
        "--next-day", action="store_true", help="deliver one more day into an existing raw database"
    )
    gen.add_argument("--quiet", action="store_true")

    con = sub.add_parser(
        "contracts", help="write the dbt column-contract macros from the generator's tables"
    )
    con.add_argument(
        "--check", action="store_true", help="fail if the committed macros are out of date"
    )

    doc = sub.add_parser(
        "defects-doc", help="write docs/generator-defects.md from the generator's defects"
    )
    doc.add_argument(
        "--check", action="store_true", help="fail if the committed table is out of date"
    )

    bench = sub.add_parser(
        "bench", help="time generation, a full build and incremental next-day builds"
    )
    bench.add_argument("--scale", choices=sorted(SCALES), default="demo")
    bench.add_argument("--seed", type=int, default=42)
    bench.add_argument("--days", type=int, default=3, help="incremental next-day builds")
    bench.add_argument("--workdir", default="warehouse/bench")
    bench.add_argument(
        "--skip-day-tests",
        action="store_true",
        help="time only `dbt run` after each next day, not `dbt test`",
    )
    bench.add_argument("--results", default=None, help="Markdown results file (JSON beside it)")

    bq = sub.add_parser("bq-check", help="parse every compiled model of target/ as GoogleSQL")
    bq.add_argument("--compiled-dir", default="target/compiled")
    bq.add_argument(
        "--semantic-manifest",
        help="also render every saved query for BigQuery from this semantic_manifest.json",
    )

    dash = sub.add_parser(
        "dashboard", help="write the static dashboard (one page per exposure) from saved queries"
    )
    dash.add_argument("--target", default="dev", help="dbt target whose warehouse is queried")
    dash.add_argument("--out", default="warehouse/dashboard", help="folder of the HTML pages")
    dash.add_argument(
        "--no-parse",
        action="store_true",
        help="skip `dbt parse` (target/ already holds this target's manifests)",
    )
    dash.add_argument("--quiet", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "generate":
        from finstack.generator.generate import generate, next_day

        if args.next_day:
            if args.scale or args.end_date:
                raise SystemExit(
                    "--next-day continues an existing raw database: do not pass --scale or --end-date"
                )
            next_day(args.raw, parquet=args.parquet, quiet=args.quiet)
        else:
            if not args.scale:
                raise SystemExit("generate needs --scale (tiny, demo, large or xl)")
            generate(
                args.scale,
                args.seed,
                args.raw,
                end_date=args.end_date,
                parquet=args.parquet,
                quiet=args.quiet,
            )
        return 0
    if args.command == "contracts":
        from finstack.contracts import write_contracts

        return write_contracts(check=args.check)
    if args.command == "defects-doc":
        from finstack.defects_doc import write

        return write(check=args.check)
    if args.command == "bench":
        from pathlib import Path

        from finstack.bench import run_bench

        results = Path(args.results or f"bench/results/{args.scale}.md")
        run_bench(
            args.scale,
            args.seed,
            Path(args.workdir),
            results,
            days=args.days,
            day_tests=not args.skip_day_tests,
        )
        return 0
    if args.command == "bq-check":
        from finstack.bq_check import check_compiled, check_semantic

        failed = check_compiled(args.compiled_dir)
        if args.semantic_manifest:
            failed |= check_semantic(args.semantic_manifest)
        return failed
    if args.command == "dashboard":
        from pathlib import Path

        from finstack.dashboard import DashboardError, build_dashboard

        try:
            build_dashboard(args.target, Path(args.out), parse=not args.no_parse, quiet=args.quiet)
        except DashboardError as exc:
            raise SystemExit(f"dashboard: {exc}") from exc
        return 0
    return 2
