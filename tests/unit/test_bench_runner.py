"""`make bench`'s runner: each figure is judged against its issue's target, and running some benchmarks
by name keeps the latest figures of the others in bench/latest.json."""

import json

import pytest

import bench.__main__ as runner


@pytest.mark.parametrize(
    ("name", "ratio", "met"),
    [
        ("submit_vs_raw_pg", 0.27, False),
        ("submit_vs_raw_pg", 0.5, True),
        ("duckdb_vs_pandas", 3.1, False),
        ("import_vs_lxml", 1.35, True),
        ("import_vs_lxml", 2.01, False),
        ("submit_to_screen", 2.9, True),
        ("something_else", 1.0, None),
    ],
)
def test_a_figure_is_judged_against_its_target(name, ratio, met):
    assert runner.verdict(name, ratio)[1] is met


def test_running_one_benchmark_keeps_the_others_latest_figures(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(runner, "HERE", tmp_path)
    monkeypatch.setattr(
        runner,
        "collect",
        lambda: {"import_vs_lxml": lambda: (1.4, "x"), "duckdb_vs_pandas": lambda: (3.0, "y")},
    )
    (tmp_path / "latest.json").write_text(
        json.dumps({"duckdb_vs_pandas": {"ratio": 2.9, "details": "earlier"}, "gone": {"ratio": 1}})
    )
    assert runner.main(["import_vs_lxml"]) == 0
    latest = json.loads((tmp_path / "latest.json").read_text())
    assert set(latest) == {"import_vs_lxml", "duckdb_vs_pandas"}  # a benchmark that no longer exists goes
    assert latest["duckdb_vs_pandas"]["details"] == "earlier"
    assert latest["import_vs_lxml"]["ratio"] == 1.4 and latest["import_vs_lxml"]["met"] is True
    assert "measured_at" in latest["import_vs_lxml"]
    assert "import_vs_lxml: 1.40 (x) [target ≤ 2: met]" in capsys.readouterr().out
