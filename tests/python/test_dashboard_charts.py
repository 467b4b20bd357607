"""Unit tests of the dashboard's formats, charts, page reading and errors.

Charts are rendered from small synthetic results; what is drawn is counted
by parsing the output (it is well-formed XML) and compared with counts made
here from the same rows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest

from finstack.dashboard import build as build_module
from finstack.dashboard.build import build_dashboard, read_pages
from finstack.dashboard.charts import DashboardError, Tile, check_tile, nice_ticks, render_chart
from finstack.dashboard.formats import format_date, format_value

SVG = ""  # inline SVG in HTML: no namespace


def tile(**kwargs) -> Tile:
    base = {"exposure": "dashboard_test", "title": "A tile", "saved_query": "q", "chart": "line"}
    return Tile(**(base | kwargs))


def parse(html: str) -> ET.Element:
    return ET.fromstring(html)


def marks(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter() if "mark" in (el.get("class") or "").split()]


def all_text(root: ET.Element) -> str:
    return " ".join("".join(root.itertext()).split())


# --- formats -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (1234, "count", "1,234"),
        (1234.4, "count", "1,234"),
        (0.1234, "percent", "12.3%"),
        (1, "percent", "100.0%"),
        (1234.5, "gbp", "£1,234.50"),
        (-12.3, "gbp", "-£12.30"),
        (14_546.77, "gbp", "£14.5k"),
        (1_188_822.86, "gbp", "£1.19M"),
        (45, "seconds", "45 s"),
        (90, "seconds", "1.5 min"),
        (1500, "seconds", "25 min"),
        (5400, "seconds", "1 h 30 min"),
        (2.5, "number", "2.50"),
        (3.0, "number", "3"),
        (None, "gbp", "–"),
    ],
)
def test_formats(value, fmt, expected) -> None:
    assert format_value(value, fmt) == expected


def test_compact_formats_for_axes() -> None:
    assert format_value(250_000, "count", compact=True) == "250k"
    assert format_value(0.25, "percent", compact=True) == "25%"
    assert format_value(2_000, "gbp", compact=True) == "£2k"
    assert format_value(0.35, "gbp", compact=True) == "£0.35"  # small axes keep pence
    assert format_value(42.4, "gbp", compact=True) == "£42"
    assert format_value(0, "gbp", compact=True) == "£0"


def test_unknown_format_raises() -> None:
    with pytest.raises(ValueError, match=r"unknown format"):
        format_value(1, "euros")


def test_dates_at_their_grain() -> None:
    day = dt.datetime(2026, 10, 3)
    assert format_date(day, "metric_time__day") == "3 Oct 2026"
    assert format_date(day, "metric_time__day", short=True) == "3 Oct"
    assert format_date(day, "metric_time__month") == "Oct 2026"
    assert format_date(day, "metric_time__quarter") == "Q4 2026"


@pytest.mark.parametrize(("low", "high"), [(0, 7), (3, 956), (-40, 120), (0.01, 0.93), (5, 5)])
def test_nice_ticks_cover_the_range_from_zero(low, high) -> None:
    ticks = nice_ticks(low, high)
    assert ticks[0] <= min(low, 0) and ticks[-1] >= high
    assert any(abs(t) < 1e-9 for t in ticks)
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1 and 2 <= len(ticks) <= 12
    assert all(float(t).is_integer() for t in nice_ticks(0, 3, integer=True))


# --- charts --------------------------------------------------------------------------


def _days(n: int) -> list[dt.datetime]:
    return [dt.datetime(2026, 10, 1) + dt.timedelta(days=i) for i in range(n)]


def test_line_one_point_per_value_and_series() -> None:
    rng = random.Random(3)
    rows = [
        (day, platform, rng.choice([None, rng.randint(0, 50)]))
        for day in _days(20)
        for platform in ("web", "ios", "android")
    ]
    rng.shuffle(rows)
    t = tile(chart="line", x="metric_time__day", y=("sign_ups",), series="user__platform")
    root = parse(render_chart(t, ["metric_time__day", "user__platform", "sign_ups"], rows))
    expected = sum(1 for _, _, value in rows if value is not None)
    assert int(root.get("data-marks")) == expected == len(marks(root))
    assert int(root.get("data-rows")) == len(rows)
    assert root.get("data-saved-query") == "q" and root.get("data-chart") == "line"
    svg = root.find(f"{SVG}svg")
    assert svg is not None and svg.get("viewBox")
    paths = [p for p in svg.iter(f"{SVG}path") if p.get("class") == "line"]
    assert len(paths) == 3  # one line per platform
    legend = all_text(root)
    assert all(name in legend for name in ("web", "ios", "android"))
    assert "1 Oct" in legend  # dates on the axis


def test_grouped_bars_one_per_metric_and_category() -> None:
    rows = [("Direct", 10, 5.5), ("Email", 0, None), ("Paid Search", 7, 2.0)]
    t = tile(chart="bar", x="user__channel", y=("sign_ups", "deposits"), format="count")
    root = parse(render_chart(t, ["user__channel", "sign_ups", "deposits"], rows))
    expected = sum(1 for row in rows for value in row[1:] if value is not None)
    assert int(root.get("data-marks")) == expected == len(marks(root))


def test_stacked_bars_stack_to_the_totals() -> None:
    weeks = _days(3)
    values = {(weeks[0], "a"): 10, (weeks[0], "b"): 30, (weeks[1], "a"): 5, (weeks[2], "b"): 20}
    rows = [(week, key, value) for (week, key), value in values.items()]
    t = tile(chart="stacked_bar", x="metric_time__week", y=("n",), series="s", format="count")
    root = parse(render_chart(t, ["metric_time__week", "s", "n"], rows))
    rects = marks(root)
    assert len(rects) == len(values) == int(root.get("data-marks"))
    heights: dict[str, float] = {}
    for rect in rects:
        heights[rect.get("x")] = heights.get(rect.get("x"), 0) + float(rect.get("height"))
    totals = sorted(sum(v for (w, _), v in values.items() if w == week) for week in weeks)
    ratios = sorted(heights.values())
    # bar heights are proportional to the totals per week
    assert ratios[0] / ratios[-1] == pytest.approx(totals[0] / totals[-1], rel=0.02)


def test_heatmap_cells_and_blank_nulls() -> None:
    cohorts = _days(4)
    rows = []
    for i, cohort in enumerate(cohorts):
        for period in range(4):
            rows.append((cohort, period, None if period + i > 3 else 1 / (period + 1)))
    t = tile(
        chart="heatmap",
        x="cohort__period_number",
        series="metric_time__week",
        y=("retention",),
        format="percent",
    )
    root = parse(render_chart(t, ["metric_time__week", "cohort__period_number", "retention"], rows))
    non_null = [row for row in rows if row[2] is not None]
    cells = marks(root)
    assert len(cells) == len(non_null) == int(root.get("data-marks"))
    fills = {cell.get("fill") for cell in cells}
    assert len(fills) == len({row[2] for row in non_null})  # one colour per distinct value
    labels = [el.text for el in root.iter(f"{SVG}text") if "cell-label" in el.get("class", "")]
    assert sorted(labels) == sorted(format_value(r[2], "percent", compact=True) for r in non_null)


def test_funnel_stage_conversions() -> None:
    rows = [(1000, 400, 100), (500, 100, 50)]  # summed: 1500, 500, 150
    t = tile(chart="funnel", y=("visits", "sign_ups", "deposits"), format="count")
    root = parse(render_chart(t, ["visits", "sign_ups", "deposits"], rows))
    assert int(root.get("data-marks")) == 3 == len(marks(root))
    text = all_text(root)
    totals = [sum(col) for col in zip(*rows, strict=True)]
    assert f"{totals[1] / totals[0] * 100:.1f}% of previous" in text
    assert f"{totals[2] / totals[1] * 100:.1f}% of previous" in text
    assert f"{totals[2] / totals[0] * 100:.1f}% of first" in text
    assert format_value(totals[0], "count") in text


def test_table_every_row_x_series_then_y() -> None:
    rows = [
        (dt.datetime(2026, 11, 1), "web", 3, 1200.5),
        (dt.datetime(2026, 10, 1), "ios", 4, 10.0),
    ]
    t = tile(
        chart="table",
        x="metric_time__month",
        series="user__platform",
        y=("sign_ups", "deposits"),
        formats=(("sign_ups", "count"), ("deposits", "gbp")),
        format="count",
    )
    root = parse(
        render_chart(
            t,
            ["sign_ups", "user__platform", "metric_time__month", "deposits"],
            [(r[2], r[1], r[0], r[3]) for r in rows],
        )
    )
    head = [th.text for th in root.iter("th")]
    assert head == ["Month", "Platform", "Sign ups", "Deposits"]
    body = [
        [td.text for td in tr.iter("td")] for tr in root.iter("tr") if tr.find("td") is not None
    ]
    # the saved query's order is kept (here newest first)
    assert body == [["Nov 2026", "web", "3", "£1,200.50"], ["Oct 2026", "ios", "4", "£10.00"]]
    assert int(root.get("data-marks")) == len(rows)


def test_table_extra_columns_follow_x_and_series() -> None:
    t = tile(chart="table", x="metric_time__day", columns=("kpi__direction",), y=("z",))
    root = parse(
        render_chart(t, ["metric_time__day", "kpi__direction", "z"], [(_days(1)[0], "up", 4.2)])
    )
    assert [th.text for th in root.iter("th")][1:] == ["Direction", "Z"]
    assert [td.text for td in root.iter("td")][1:] == ["up", "4.20"]


def test_columns_only_for_tables() -> None:
    with pytest.raises(DashboardError, match="`columns` is for tables only"):
        check_tile(tile(chart="bar", x="c", columns=("d",), y=("n",)))


def test_kpi_takes_the_last_row_by_x() -> None:
    days = _days(10)
    rows = [(day, i * 10.0) for i, day in enumerate(days)]
    random.Random(1).shuffle(rows)
    t = tile(chart="kpi", x="metric_time__day", y=("aum",), format="gbp")
    root = parse(render_chart(t, ["metric_time__day", "aum"], rows, labels={"aum": "AUM"}))
    latest = max(rows)[1]
    values = [el.text for el in root.iter("div") if el.get("class") == "kpi-value"]
    assert values == [format_value(latest, "gbp")]
    assert int(root.get("data-marks")) == 1
    # one row without x: that row; several rows without x: a clear error
    single = parse(render_chart(tile(chart="kpi", y=("a", "b")), ["a", "b"], [(1, 2)]))
    assert int(single.get("data-marks")) == 2
    with pytest.raises(DashboardError, match=r"dashboard_test, tile 'A tile'.*one-row"):
        render_chart(tile(chart="kpi", y=("a",)), ["a"], [(1,), (2,)])


def test_text_is_escaped() -> None:
    evil = "<script>alert('x')</script> & \"quotes\""
    rows = [(evil, 3), ("ok", 4)]
    for chart in ("bar", "table", "line"):
        t = tile(chart=chart, title=evil, saved_query="q<1>", x="c", y=("n",))
        html = render_chart(t, ["c", "n"], rows, labels={"n": evil})
        assert "<script>" not in html
        root = parse(html)  # well-formed: nothing unescaped broke the markup
        assert not [el for el in root.iter() if el.tag.endswith("script")]
        assert evil in all_text(root) or chart == "line"
        assert root.get("data-saved-query") == "q<1>"


@pytest.mark.parametrize(
    "chart", ["kpi", "line", "bar", "stacked_bar", "heatmap", "funnel", "table"]
)
def test_no_rows_renders_an_explicit_no_data_state(chart) -> None:
    t = tile(chart=chart, x="x", series="s", y=("n",))
    if chart in ("line", "bar", "stacked_bar"):
        t = tile(chart=chart, x="x", y=("n",))
    root = parse(render_chart(t, ["x", "s", "n"], []))
    assert "no-data" in root.get("class").split()
    assert root.get("data-marks") == "0" and root.get("data-rows") == "0"
    assert "No data" in all_text(root)


def test_only_null_values_is_no_data_too() -> None:
    root = parse(render_chart(tile(chart="bar", x="x", y=("n",)), ["x", "n"], [("a", None)]))
    assert root.get("data-marks") == "0" and "no-data" in root.get("class")


# --- errors naming exposure and tile -------------------------------------------------


def test_unknown_chart_type() -> None:
    with pytest.raises(DashboardError, match=r"dashboard_test, tile 'A tile'.*chart type 'pie'"):
        render_chart(tile(chart="pie", y=("n",)), ["n"], [(1,)])


def test_unknown_saved_query() -> None:
    t = tile(chart="kpi", y=("n",), saved_query="nope")
    with pytest.raises(DashboardError, match=r"dashboard_test, tile 'A tile'.*saved query 'nope'"):
        check_tile(t, {"overview_kpis"})
    check_tile(tile(chart="kpi", y=("n",), saved_query="overview_kpis"), {"overview_kpis"})


def test_unknown_column() -> None:
    t = tile(chart="line", x="metric_time__day", y=("sign_ups", "typo"))
    with pytest.raises(
        DashboardError, match=r"dashboard_test, tile 'A tile'.*typo.*not in the result"
    ):
        render_chart(t, ["metric_time__day", "sign_ups"], [(dt.datetime(2026, 1, 1), 1)])


def test_tile_keys_are_checked() -> None:
    with pytest.raises(DashboardError, match=r"dashboard_x, tile 'T'.*unknown keys"):
        Tile.from_meta(
            "dashboard_x", 0, {"title": "T", "saved_query": "q", "chart": "kpi", "colour": 1}
        )
    with pytest.raises(DashboardError, match=r"`saved_query` is missing"):
        Tile.from_meta("dashboard_x", 0, {"title": "T", "chart": "kpi", "y": ["n"]})
    with pytest.raises(DashboardError, match=r"unknown format 'euro'"):
        check_tile(
            Tile.from_meta(
                "d",
                0,
                {"title": "T", "saved_query": "q", "chart": "kpi", "y": ["n"], "format": "euro"},
            )
        )


# --- pages from a manifest, and the build with a stand-in semantic layer ------------


def _manifest(tiles_a: list[dict], tiles_b: list[dict]) -> dict:
    def exposure(name: str, order: int, tiles: list[dict] | None, kind: str = "dashboard") -> dict:
        meta = {"dashboard": {"order": order, "tiles": tiles}} if tiles is not None else {}
        return {
            "name": name,
            "type": kind,
            "label": name.title(),
            "description": f"About {name} <b>.",
            "owner": {"name": "Team", "email": "team@example.com"},
            "depends_on": {"nodes": ["model.finstack.rpt_x"]},
            "meta": meta,
        }

    return {
        "exposures": {
            "a": exposure("dashboard_second", 2, tiles_a),
            "b": exposure("dashboard_first", 1, tiles_b),
            "c": exposure("dashboard_plain", 0, None),
            "d": exposure("notebook", 0, tiles_b, kind="notebook"),
        },
        "nodes": {},
    }


KPI = {"title": "Total", "saved_query": "totals", "chart": "kpi", "y": ["n"], "format": "count"}
EMPTY = {"title": "Nothing", "saved_query": "empty", "chart": "bar", "x": "c", "y": ["n"]}


def test_read_pages_orders_and_filters() -> None:
    pages = read_pages(_manifest([KPI], [KPI, KPI]))
    assert [p.slug for p in pages] == ["first", "second"]
    assert [len(p.tiles) for p in pages] == [2, 1]
    assert pages[0].depends_on == ("rpt_x",) and pages[0].filename == "first.html"


class FakeLayer:
    def __init__(self, target: str, project_dir: Path) -> None:
        self.manifest = SimpleNamespace(metrics=[SimpleNamespace(name="n", label="Things")])

    def saved_query_names(self) -> list[str]:
        return ["empty", "totals"]

    def query(self, saved_query: str):
        rows = [] if saved_query == "empty" else [(dt.datetime(2026, 5, 1), 7)]
        columns = ["c", "n"] if saved_query == "empty" else ["metric_time__day", "n"]
        return SimpleNamespace(columns=columns, rows=rows)


def _project(tmp_path: Path, manifest: dict) -> Path:
    (tmp_path / "target").mkdir()
    (tmp_path / "target" / "manifest.json").write_text(json.dumps(manifest))
    return tmp_path


def test_build_writes_every_page(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("finstack.semantic.SemanticLayer", FakeLayer)
    project = _project(tmp_path, _manifest([KPI, EMPTY], [KPI]))
    written = build_dashboard("ci", tmp_path / "out", project_dir=project, parse=False)
    assert [p.name for p in written] == ["index.html", "first.html", "second.html"]
    second = (tmp_path / "out" / "second.html").read_text()
    assert 'Declared as dbt exposure <code class="exposure">dashboard_second</code>' in second
    assert "About dashboard_second &lt;b&gt;." in second
    assert 'href="first.html"' in second and 'class="current"' in second
    assert 'data up to <span class="data-end">2026-05-01</span>' in second
    assert second.count('data-marks="0"') == 1  # the empty tile says so
    assert "no data in exposure dashboard_second, tile 'Nothing'" in capsys.readouterr().err


def test_build_fails_on_unknown_saved_query_before_querying(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("finstack.semantic.SemanticLayer", FakeLayer)
    monkeypatch.setattr(FakeLayer, "query", lambda *a, **k: pytest.fail("queried"))
    bad = dict(KPI, saved_query="overview_kpiz")
    project = _project(tmp_path, _manifest([KPI], [bad]))
    with pytest.raises(DashboardError, match=r"dashboard_first, tile 'Total'.*'overview_kpiz'"):
        build_dashboard("ci", tmp_path / "out", project_dir=project, parse=False)


def test_build_fails_on_unknown_column(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("finstack.semantic.SemanticLayer", FakeLayer)
    bad = dict(KPI, y=["m"])
    project = _project(tmp_path, _manifest([bad], [KPI]))
    with pytest.raises(DashboardError, match=r"dashboard_second, tile 'Total'.*column\(s\) m"):
        build_dashboard("ci", tmp_path / "out", project_dir=project, parse=False)
    assert build_module.PREFIX == "dashboard_"
