"""Orchestrates a generation: build the world, write it, deliver the raw tables."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from finstack.generator import deliver as dl
from finstack.generator.config import SCALES, make_window
from finstack.generator.sources import SOURCES
from finstack.generator.world import World, build_core


def _progress(quiet: bool):
    t0 = time.perf_counter()

    def say(msg: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - t0:6.1f}s] {msg}", file=sys.stderr, flush=True)

    return say


def build_world(seed: int, scale_name: str, end_date: dt.date | None) -> World:
    scale = SCALES[scale_name]
    world = World(seed=seed, scale=scale, window=make_window(scale, end_date))
    build_core(world)
    for source in SOURCES:
        source.simulate(world)
    return world


def generate(
    scale: str,
    seed: int,
    raw: str | Path,
    end_date: dt.date | None = None,
    parquet: str | Path | None = None,
    quiet: bool = False,
) -> dict[str, int]:
    say = _progress(quiet)
    raw = Path(raw)
    raw.parent.mkdir(parents=True, exist_ok=True)
    if raw.exists():
        raw.unlink()
    Path(str(raw) + ".wal").unlink(missing_ok=True)
    say(f"simulating the world: scale={scale} seed={seed}")
    world = build_world(seed, scale, end_date)
    win = world.window
    say(f"window {win.start_date} .. {win.end_date} (simulated to {win.horizon_date})")
    con = dl.connect(raw)
    try:
        dl.write_world(con, world.frames, say)
        # the world now lives in the raw file; free the frames before delivery
        world.frames.clear()
        dl.install_macros(con, seed)
        landed = dl.deliver(con, None, win.end_date, say)
        dl.write_meta(con, seed, scale, win, win.end_date)
        if parquet:
            dl.export_parquet(con, parquet, say)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    say(f"done: {sum(landed.values()):,} raw rows in {len(landed)} tables -> {raw}")
    return landed


def next_day(
    raw: str | Path, parquet: str | Path | None = None, quiet: bool = False
) -> dict[str, int]:
    say = _progress(quiet)
    raw = Path(raw)
    if not raw.exists():
        raise SystemExit(f"no raw database at {raw}: run `generate --scale ... --raw {raw}` first")
    con = dl.connect(raw)
    try:
        meta = dl.read_meta(con)
        prev = meta["delivered_through"]
        day = prev + dt.timedelta(days=1)
        if day > meta["horizon_date"]:
            raise SystemExit(
                f"{raw} was simulated through {meta['horizon_date']} and is delivered through {prev}; "
                "generate again with a later --end-date to go further"
            )
        dl.install_macros(con, meta["seed"])
        say(f"delivering {day} (late and duplicate rows for earlier days included)")
        landed = dl.deliver(con, prev, day, say)
        con.execute(f"UPDATE {dl.META}.meta SET delivered_through = DATE '{day}'")
        if parquet:
            dl.export_parquet(con, parquet, say)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    say(f"done: {sum(landed.values()):,} new raw rows")
    return landed
