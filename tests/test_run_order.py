"""Report notebooks start longest first by their last run's times, kept in the cache folder."""

from __future__ import annotations

from pathlib import Path

from analysis.present import run_order

NOTEBOOKS = [Path("00-index.ipynb"), Path("01-quickstart.ipynb"), Path("02-concept-report.ipynb"),
             Path("03-trends.ipynb")]


def test_without_times_the_file_order_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHGOV_CACHE_DIR", str(tmp_path))
    assert run_order.last_times() == {}
    assert run_order.longest_first(NOTEBOOKS) == NOTEBOOKS


def test_times_are_remembered_and_order_the_next_run(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHGOV_CACHE_DIR", str(tmp_path))
    run_order.remember({"00-index.ipynb": 1.6, "02-concept-report.ipynb": 6.1, "03-trends.ipynb": 6.3})
    run_order.remember({"00-index.ipynb": 1.2})  # a later run of one notebook keeps the others' times
    assert run_order.last_times() == {"00-index.ipynb": 1.2, "02-concept-report.ipynb": 6.1, "03-trends.ipynb": 6.3}
    # 01 has no time yet: it starts first; then the longest
    assert [p.name for p in run_order.longest_first(NOTEBOOKS)] == [
        "01-quickstart.ipynb", "03-trends.ipynb", "02-concept-report.ipynb", "00-index.ipynb"]


def test_a_damaged_times_file_is_ignored_and_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHGOV_CACHE_DIR", str(tmp_path))
    (tmp_path / run_order.TIMES_FILE).write_text('{"00-index.ipynb": "slow", ', encoding="utf-8")
    assert run_order.last_times() == {}
    assert run_order.longest_first(NOTEBOOKS) == NOTEBOOKS
    run_order.remember({"03-trends.ipynb": 2.0})
    assert run_order.last_times() == {"03-trends.ipynb": 2.0}


def test_an_unusable_cache_folder_changes_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("ZHGOV_CACHE_DIR", str(blocker))
    run_order.remember({"00-index.ipynb": 1.0})  # no error: the run goes on without remembering
    assert run_order.last_times() == {}
    assert blocker.read_text(encoding="utf-8") == "not a folder"
