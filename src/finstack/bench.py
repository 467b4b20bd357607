"""`make bench`: generation, a full dbt build and incremental next-day builds, timed.

Runs everything in a work folder of its own (raw file, warehouse, dbt target):
generate SCALE, `dbt build`, then DAYS times `generate --next-day`, `dbt run`
(the incremental build of every model) and, unless told not to, `dbt test`. It prints and writes (Markdown and JSON) the generation time, the
full build time, each incremental build time, the ten slowest models of the
full build (from dbt's run_results.json), the peak memory of the child
processes, and rows per second of the session models once they exist.
Figures are times on this machine in one run: compare runs, not machines.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]


def slowest_models(run_results: dict, n: int = 10) -> list[tuple[str, float]]:
    """The n model nodes that took longest to execute, slowest first."""
    models = [
        (r["unique_id"].split(".")[-1], float(r.get("execution_time") or 0.0))
        for r in run_results.get("results", [])
        if r["unique_id"].startswith("model.")
    ]
    return sorted(models, key=lambda m: (-m[1], m[0]))[:n]


# the incremental event pipeline: messages, sessionized events, identity,
# sessions and the event marts (the targets of the product-analytics issue)
EVENT_MODEL_PREFIXES = (
    "base_segment__",
    "int_events__",
    "int_identity__",
    "int_sessions__",
    "fct_sessions",
    "fct_events",
    "fct_page_views",
)


def event_model_seconds(run_results: dict) -> float:
    """Execution seconds of the event pipeline's models in one dbt run."""
    return sum(
        secs
        for name, secs in slowest_models(run_results, n=10_000)
        if name.startswith(EVENT_MODEL_PREFIXES)
    )


def _run(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=True)
    return time.perf_counter() - t0


def _session_rates(warehouse: Path, raw: Path, run_results: dict) -> list[tuple[str, int, float]]:
    """Rows per second of every model whose name mentions sessions."""
    timed = {
        name: secs for name, secs in slowest_models(run_results, n=10_000) if "session" in name
    }
    if not timed:
        return []
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        con.execute(f"ATTACH '{raw}' AS raw (READ_ONLY)")
        rates = []
        for name, secs in sorted(timed.items()):
            rows = con.execute(f"SELECT count(*) FROM main.{name}").fetchone()[0]
            rates.append((name, rows, rows / secs if secs else 0.0))
        return rates
    finally:
        con.close()


def run_bench(
    scale: str, seed: int, workdir: Path, results: Path, days: int = 3, day_tests: bool = True
) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    raw, warehouse = workdir / "raw.duckdb", workdir / "bench.duckdb"
    for stale in (raw, warehouse):
        stale.unlink(missing_ok=True)
    env = dict(
        os.environ, FINSTACK_RAW_PATH=str(raw), FINSTACK_WAREHOUSE=str(warehouse), DBT_TARGET="dev"
    )
    dbt_options = [
        "--target",
        "dev",
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
        "--quiet",
    ]
    dbt_bin = str(Path(sys.executable).parent / "dbt")
    dbt = [dbt_bin, "build", *dbt_options]
    finstack = [sys.executable, "-m", "finstack", "generate"]

    figures: dict = {
        "scale": scale,
        "seed": seed,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    figures["generate_seconds"] = _run(
        [*finstack, "--scale", scale, "--seed", str(seed), "--raw", str(raw), "--quiet"], env
    )
    figures["full_build_seconds"] = _run(dbt, env)
    full_results = json.loads((workdir / "target" / "run_results.json").read_text())
    figures["slowest_models"] = slowest_models(full_results)
    figures["full_event_model_seconds"] = event_model_seconds(full_results)
    figures["session_rows_per_second"] = _session_rates(warehouse, raw, full_results)
    figures["incremental_days"] = []
    for _ in range(days):
        gen = _run([*finstack, "--next-day", "--raw", str(raw), "--quiet"], env)
        # the incremental run of every model, then (optionally) every test
        build = _run([dbt_bin, "run", *dbt_options], env)
        day_results = json.loads((workdir / "target" / "run_results.json").read_text())
        day = {
            "next_day_seconds": gen,
            "build_seconds": build,
            "event_model_seconds": event_model_seconds(day_results),
        }
        if day_tests:
            day["test_seconds"] = _run([dbt_bin, "test", *dbt_options], env)
        figures["incremental_days"].append(day)
    # ru_maxrss is in KiB on Linux: the largest child process of the run
    figures["peak_memory_gb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2

    results.parent.mkdir(parents=True, exist_ok=True)
    results.with_suffix(".json").write_text(json.dumps(figures, indent=2))
    results.write_text(render(figures))
    print(render(figures))
    return figures


def render(f: dict) -> str:
    lines = [
        f"# Benchmark: scale {f['scale']}, seed {f['seed']} ({f['date']})",
        "",
        f"- generation: {f['generate_seconds']:.1f} s",
        f"- full dbt build: {f['full_build_seconds']:.1f} s"
        f" (event models {f.get('full_event_model_seconds', 0.0):.1f} s of it)",
    ]
    for i, day in enumerate(f["incremental_days"], 1):
        lines.append(
            f"- next day {i}: generate {day['next_day_seconds']:.1f} s, "
            f"dbt run {day['build_seconds']:.1f} s"
            f" (event models {day.get('event_model_seconds', 0.0):.1f} s of it)"
            + (f", dbt test {day['test_seconds']:.1f} s" if "test_seconds" in day else "")
        )
    lines.append(f"- peak memory of a child process: {f['peak_memory_gb']:.2f} GB")
    lines += ["", "Ten slowest models of the full build:", ""]
    lines += [f"- {name}: {secs:.2f} s" for name, secs in f["slowest_models"]]
    lines += ["", "Sessionization:"]
    rates = f["session_rows_per_second"]
    lines += [f"- {name}: {rows:,} rows, {rate:,.0f} rows/s" for name, rows, rate in rates] or [
        "- no session models yet"
    ]
    return "\n".join(lines) + "\n"
