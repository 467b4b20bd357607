"""The benchmark's reading of dbt's run_results.json."""

from __future__ import annotations

from finstack.bench import render, slowest_models


def test_slowest_models_keeps_models_only_slowest_first() -> None:
    run_results = {
        "results": [
            {"unique_id": "model.finstack.stg_a", "execution_time": 1.5},
            {"unique_id": "test.finstack.not_null_x", "execution_time": 9.0},
            {"unique_id": "model.finstack.int_sessions", "execution_time": 4.0},
            {"unique_id": "model.finstack.stg_b", "execution_time": None},
            {"unique_id": "seed.finstack.iso_currencies", "execution_time": 5.0},
        ]
    }
    assert slowest_models(run_results, n=2) == [("int_sessions", 4.0), ("stg_a", 1.5)]
    assert [m for m, _ in slowest_models(run_results)] == ["int_sessions", "stg_a", "stg_b"]


def test_render_states_every_figure() -> None:
    text = render(
        {
            "scale": "tiny",
            "seed": 1,
            "date": "2026-11-28T00:00:00+00:00",
            "generate_seconds": 12.0,
            "full_build_seconds": 80.5,
            "incremental_days": [{"next_day_seconds": 1.0, "build_seconds": 20.0}],
            "peak_memory_gb": 1.5,
            "slowest_models": [("stg_a", 3.0)],
            "session_rows_per_second": [("fct_sessions", 1000, 500.0)],
        }
    )
    for expected in [
        "generation: 12.0 s",
        "full dbt build: 80.5 s",
        "next day 1: generate 1.0 s, dbt run 20.0 s",
        "1.50 GB",
        "stg_a: 3.00 s",
        "fct_sessions: 1,000 rows, 500 rows/s",
    ]:
        assert expected in text


def test_event_model_seconds_sums_the_event_pipeline_only() -> None:
    from finstack.bench import event_model_seconds

    run_results = {
        "results": [
            {"unique_id": "model.finstack.base_segment__messages_unioned", "execution_time": 2.0},
            {"unique_id": "model.finstack.int_events__sessionized", "execution_time": 3.0},
            {"unique_id": "model.finstack.fct_sessions", "execution_time": 1.5},
            {"unique_id": "model.finstack.stg_segment__pages", "execution_time": 9.0},
            {"unique_id": "test.finstack.unique_fct_sessions_session_id", "execution_time": 7.0},
        ]
    }
    assert event_model_seconds(run_results) == 6.5
