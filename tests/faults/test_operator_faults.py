"""Faults an operator meets, reported in plain words; killed runs marked failed; old runs and raw
files pruned by the retention setting."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.settings import Settings
from pipelines import housekeeping as hk
from pipelines.cli import dagster_yaml_for
from pipelines.cli import main as cli_main
from pipelines.faults import plain
from pipelines.summary import _failures, print_summary

PROJECT = Path(__file__).resolve().parents[2]


def test_disk_full_and_out_of_memory_in_plain_words(tmp_path):
    oom = plain(
        duckdb.OutOfMemoryException(
            "Out of Memory Error: could not allocate block of size 256.0 KiB (1.8 GiB/1.8 GiB used)"
        ),
        home=tmp_path,
    )
    assert "ran out of memory" in oom and "INCLUSION_DUCKDB_MEMORY" in oom
    spill = plain(
        duckdb.OutOfMemoryException(
            "Out of Memory Error: failed to offload data block of size 224.0 KiB"
            " ... This limit was set by the 'max_temp_directory_size' setting."
        ),
        home=tmp_path,
    )
    assert spill.startswith("The disk is full: DuckDB could not spill to disk")
    full = plain(
        duckdb.IOException('IO Error: Could not write file "refresh.duckdb.wal": No space left on device'),
        home=tmp_path,
    )
    assert full.startswith("The disk is full: the refresh could not write to") and "free" in full
    assert "disk is full" in plain(OSError(errno.ENOSPC, "No space left on device"), home=tmp_path)
    storage = plain(
        "sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) database or disk is full\n"
        "[SQL: INSERT INTO event_logs ...]",
        home=tmp_path,
        dagster_home=tmp_path / "dagster_home",
    )
    assert "Dagster's run storage in" in storage and "dagster_home" in storage
    locked = plain(
        duckdb.IOException('IO Error: Could not set lock on file "x.duckdb": Conflicting lock is held'), home=tmp_path
    )
    assert "read-only" in locked
    needs = plain("Catalog Error: Table with name geography__code_map does not exist!", home=tmp_path)
    assert needs.startswith("this step needs the geography source, which has no good data yet")
    assert plain(ValueError("something else"), home=tmp_path) is None


@pytest.mark.parametrize(
    "damage",
    [
        'Could not read enough bytes from file "{work}": attempted to read 262144 bytes from location 13119488',
        'The file "{work}" exists, but it is not a valid DuckDB database file!',
        "Corrupt database file: computed checksum 123 does not match stored checksum 456 in block at location 9",
    ],
)
def test_a_damaged_work_database_is_said_in_plain_words_with_what_to_do(tmp_path, damage):
    """DuckDB's own words for a cut-short or overwritten file (found by truncating and overwriting a
    real work database) used to end the refresh with 'Refresh FAILED: IOException: IO Error: ...'."""
    work = tmp_path / "work" / "refresh.duckdb"
    said = plain(duckdb.IOException("IO Error: " + damage.format(work=work)), home=tmp_path)
    assert said.startswith(f"The refresh's private database {work} is damaged")
    assert "rename it to refresh.duckdb.damaged" in said and "published warehouse and site were not changed" in said


def test_an_interrupted_step_is_said_in_plain_words(tmp_path):
    """Ctrl+C during a refresh summarised the step as 'dagster._core.errors.DagsterExecutionInterruptedError'."""
    said = plain("dagster._core.errors.DagsterExecutionInterruptedError", home=tmp_path)
    assert said.startswith("interrupted (Ctrl+C or a stop signal) while this step ran")
    assert plain(KeyboardInterrupt(), home=tmp_path) == said


def test_a_step_failing_for_lack_of_memory_is_summarised_in_plain_words(tmp_path):
    @dg.op
    def spill():
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block of size 256.0 KiB")

    @dg.job
    def job():
        spill()

    result = job.execute_in_process(raise_on_error=False)
    settings = Settings(home=tmp_path, mirror=None, records_dir=None, target_vintage=None)
    [line] = _failures(result, settings)
    assert line.startswith("spill: DuckDB ran out of memory") and "Traceback" not in line


def test_any_other_step_failure_is_summarised_by_its_own_error_not_dagsters_wrapper(tmp_path, capsys):
    """Unexplained faults used to read "DagsterExecutionStepExecutionError: Error occurred while
    executing op ...", hiding what went wrong; the line now names the error at the root of the chain."""

    @dg.op
    def landing__geography():
        try:
            int("abc")
        except ValueError as exc:
            raise RuntimeError("the geography parser stopped") from exc

    @dg.job
    def job():
        landing__geography()

    result = job.execute_in_process(raise_on_error=False)
    settings = Settings(home=tmp_path, mirror=None, records_dir=None, target_vintage=None)
    assert _failures(result, settings) == ["landing__geography: RuntimeError: the geography parser stopped"]

    # A message over several lines (a YAML error says where on its later lines) is kept whole, on one
    # line, without the caret line: it used to be cut to its last line, "    ^".
    @dg.op
    def landing__igplus_config():
        raise dg.Failure(
            description="bad.yaml: cannot read the IG+ config: while parsing a flow node\n"
            'expected the node content\n  in "<unicode string>", line 3, column 1:\n    \n    ^'
        )

    @dg.job
    def config_job():
        landing__igplus_config()

    [line] = _failures(config_job.execute_in_process(raise_on_error=False), settings)
    assert line == (
        "landing__igplus_config: bad.yaml: cannot read the IG+ config: while parsing a flow node expected the node content "
        'in "<unicode string>", line 3, column 1:'
    )

    # The source whose step failed is not listed as ok (its status row was never updated).
    settings.work_db_path.parent.mkdir(parents=True)
    with duckdb.connect(str(settings.work_db_path)) as con:
        con.execute("CREATE SCHEMA landing")
        con.execute(
            "CREATE TABLE landing.source_status (source_id VARCHAR, status VARCHAR, releases VARCHAR, reason VARCHAR)"
        )
        con.execute(
            "INSERT INTO landing.source_status VALUES ('geography', 'ok', 'LAD 2025', NULL), ('population', 'ok', 'mid-2023', NULL)"
        )
    assert print_summary(result, settings, 1.0) == 1
    out = capsys.readouterr().out
    assert "  geography          failed      LAD 2025\n      reason: its step failed" in out
    assert "  population         ok" in out and "1 source not updated (geography;" in out


def test_dagster_storage_full_is_reported_without_a_traceback(tmp_path, monkeypatch, capsys):
    import sqlalchemy.exc

    import pipelines.cli as cli

    def full(_settings):
        raise sqlalchemy.exc.OperationalError("INSERT INTO runs", {}, Exception("database or disk is full"))

    monkeypatch.setattr(cli, "_instance", full)
    monkeypatch.setattr(cli, "preflight", lambda _settings: [])
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    assert cli_main(["refresh"]) == 3
    err = capsys.readouterr().err
    assert "The disk is full: Dagster's run storage" in err and "Traceback" not in err


def test_ctrl_c_before_any_step_is_said_in_plain_words(tmp_path, monkeypatch, capsys):
    import pipelines.cli as cli

    def interrupted(_settings):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_instance", interrupted)
    monkeypatch.setattr(cli, "preflight", lambda _settings: [])
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path))
    assert cli_main(["refresh"]) == 130
    err = capsys.readouterr().err
    assert err.startswith("Refresh interrupted: the published warehouse and site were not changed")


def test_busy_port_for_serve(tmp_path, monkeypatch, capsys):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html></html>")
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli_main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in err and "already in use" in err and "--port" in err


KILLED_RUN = textwrap.dedent("""
    import os, signal, dagster as dg

    @dg.op
    def dies():
        os.kill(os.getpid(), signal.SIGKILL)

    @dg.job
    def killed():
        dies()

    killed.execute_in_process(instance=dg.DagsterInstance.get())
""")


def _instance(home: Path) -> dg.DagsterInstance:
    home.mkdir(parents=True, exist_ok=True)
    return dg.DagsterInstance.from_config(str(home))


def test_killed_run_is_marked_failed_at_the_next_start(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_RUN],
        env={**os.environ, "DAGSTER_HOME": str(home)},
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL
    instance = _instance(home)
    [run] = instance.get_runs()
    assert run.status == dg.DagsterRunStatus.STARTED  # what Dagster leaves behind
    assert hk.run_pid(instance, run.run_id) is not None
    assert hk.fail_orphaned_runs(instance) == [run.run_id]
    run = instance.get_run_by_id(run.run_id)
    assert run.status == dg.DagsterRunStatus.FAILURE
    messages = [r.message for r in instance.all_logs(run.run_id) if r.message]
    assert any("ended without finishing" in m for m in messages)
    assert hk.fail_orphaned_runs(instance) == []  # once only


def test_orphan_sensor_marks_killed_runs_failed(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    subprocess.run(
        [sys.executable, "-c", KILLED_RUN],
        env={**os.environ, "DAGSTER_HOME": str(home)},
        capture_output=True,
        timeout=120,
    )
    instance = _instance(home)
    result = hk.orphaned_runs(dg.build_sensor_context(instance=instance))
    assert "1 orphaned run(s) marked failed" in str(result)
    assert [r.status for r in instance.get_runs()] == [dg.DagsterRunStatus.FAILURE]


def test_a_live_run_is_never_marked_failed(tmp_path):
    instance = _instance(tmp_path / "dagster_home")

    @dg.op
    def look():
        assert hk.fail_orphaned_runs(instance) == []  # this very run is STARTED and alive

    @dg.job
    def alive():
        look()

    assert alive.execute_in_process(instance=instance).success


def test_old_runs_pruned_newest_kept(tmp_path):
    instance = _instance(tmp_path / "dagster_home")

    @dg.op
    def noop():
        return 1

    @dg.job
    def small():
        noop()

    ids = [small.execute_in_process(instance=instance).run_id for _ in range(4)]
    assert hk.prune_runs(instance, days=90, keep=1) == []  # all recent
    later = time.time() + 91 * 86400
    pruned = hk.prune_runs(instance, days=90, keep=1, now=later)
    assert sorted(pruned) == sorted(ids[:3])  # the newest stays
    assert [r.run_id for r in instance.get_runs()] == [ids[3]]
    assert list(instance.all_logs(ids[0])) == []  # its event log went too


def test_raw_archive_pruned_except_files_in_use(tmp_path):
    from sources.archive import Archive

    archive = Archive(tmp_path / "raw")
    src = tmp_path / "f.csv"
    old = []
    for i in range(2):
        src.write_text(f"a,b\n{i},2\n")
        old.append(archive.store("population", src, origin="mirror"))
    for _ in range(3):
        archive.store("population", src, origin="mirror")  # sightings of the second file
    in_use = {old[1].sha256}
    long_ago = time.time() - 200 * 86400
    for raw in old:
        for p in Path(raw.path).parent.iterdir():
            os.utime(p, (long_ago, long_ago))
    removed = hk.prune_raw_archive(tmp_path / "raw", in_use, days=90)
    assert removed == [f"population/{old[0].sha256}"]
    assert Path(old[1].path).exists() and not Path(old[0].path).exists()
    sightings = json.loads((Path(old[1].path).parent / "provenance.json").read_text())
    assert len(sightings) == 4


def test_raw_provenance_survives_a_kill_mid_write(tmp_path, monkeypatch):
    from sources.archive import Archive

    archive = Archive(tmp_path / "raw")
    src = tmp_path / "f.csv"
    src.write_text("a,b\n1,2\n")
    first = archive.store("population", src, origin="mirror", retrieved_at="2026-01-01T00:00:00+00:00")
    prov = Path(first.path).parent / "provenance.json"
    whole = prov.read_text()

    def killed(self, target):  # the process dies between writing the new history and the rename
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(Path, "replace", killed)
        with pytest.raises(KeyboardInterrupt):
            archive.store("population", src, origin="mirror")
    assert prov.read_text() == whole  # the last whole history is untouched
    assert archive.lookup("population", first.sha256) == first

    prov.write_text(whole[: len(whole) // 2])  # a half-written file, as an older version could leave
    assert archive.lookup("population", first.sha256) is None  # read as unknown, not a traceback
    again = archive.store("population", src, origin="mirror")
    assert archive.lookup("population", first.sha256) == again
    assert (prov.parent / "provenance.unreadable.json").read_text() == whole[: len(whole) // 2]  # kept


def test_retention_settings_are_checked():
    s = Settings.from_env({"INCLUSION_RETENTION_DAYS": "30", "INCLUSION_RETENTION_RUNS": "5"})
    assert (s.retention_days, s.retention_runs) == (30, 5)
    assert Settings.from_env({}).retention_days == 90
    with pytest.raises(ValueError, match="INCLUSION_RETENTION_DAYS"):
        Settings.from_env({"INCLUSION_RETENTION_DAYS": "ninety"})


def test_dagster_yaml_turns_on_run_monitoring_and_tick_retention(tmp_path):
    home = tmp_path / "dh"
    home.mkdir()
    (home / "dagster.yaml").write_text(dagster_yaml_for(home))  # as `inclusion` copies it into a home
    instance = dg.DagsterInstance.from_config(str(home))
    assert instance.run_monitoring_enabled
    assert instance.get_settings("retention")["schedule"]["purge_after_days"] == 90
