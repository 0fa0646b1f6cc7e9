"""The refresh's last line says what its exit code says (never "succeeded" with exit code 1)."""

from __future__ import annotations

from types import SimpleNamespace

import duckdb

from assets.settings import Settings
from pipelines.summary import print_summary


def settings_with_sources(tmp_path, rows) -> Settings:
    settings = Settings(home=tmp_path, mirror=None, records_dir=None, target_vintage=None)
    settings.work_db_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(settings.work_db_path))
    con.execute("create schema landing")
    con.execute(
        "create table landing.source_status (source_id varchar, status varchar, releases varchar, reason varchar)"
    )
    con.executemany("insert into landing.source_status values (?, ?, ?, ?)", rows)
    con.close()
    return settings


def run(tmp_path, capsys, success, rows):
    code = print_summary(SimpleNamespace(success=success, all_events=[]), settings_with_sources(tmp_path, rows), 12.0)
    return code, capsys.readouterr().out.strip().splitlines()[-1]


def test_all_fresh_says_succeeded_with_exit_code_0(tmp_path, capsys):
    code, last = run(tmp_path, capsys, True, [("rough_sleeping", "ok", "autumn 2022", None)])
    assert code == 0 and last == "Refresh succeeded (exit code 0)."


def test_stale_source_says_finished_with_problems_and_exit_code_1(tmp_path, capsys):
    code, last = run(
        tmp_path,
        capsys,
        True,
        [("rough_sleeping", "ok", "autumn 2022", None), ("in_work_poverty", "stale", "FYE 2021", "HTTP 503")],
    )
    assert code == 1
    assert last.startswith("Refresh finished with problems: 1 source not updated (in_work_poverty;")
    assert last.endswith("(exit code 1).") and "succeeded" not in last


def test_failed_run_says_finished_with_problems(tmp_path, capsys):
    code, last = run(tmp_path, capsys, False, [("rough_sleeping", "ok", "autumn 2022", None)])
    assert code == 1 and last == (
        "Refresh finished with problems: a step failed (see the lines marked ! above) (exit code 1)."
    )


def test_a_failed_run_says_the_published_warehouse_and_site_are_the_last_good_ones(tmp_path, capsys):
    """A refresh whose step failed before the publish printed "Published warehouse: ..." as if it had
    published: the warehouse and site shown are an earlier refresh's, and the summary says so."""
    settings = settings_with_sources(tmp_path, [("rough_sleeping", "ok", "autumn 2022", None)])
    settings.warehouse_path.write_bytes(b"an earlier refresh's warehouse")
    (settings.site_dir).mkdir()
    (settings.site_dir / "index.html").write_text("<html></html>")
    for success, said in ((False, True), (True, False)):
        print_summary(SimpleNamespace(success=success, all_events=[]), settings, 12.0)
        out = capsys.readouterr().out
        warehouse_line = f"Published warehouse: {settings.warehouse_path} (not changed by this refresh"
        assert (warehouse_line in out) is said
        assert ("index.html (not changed by this refresh" in out) is said
