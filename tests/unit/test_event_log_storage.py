"""The event log pipelines/dagster.yaml selects (pipelines/event_log.py) keeps its SQLite databases
open: the same files and tables as Dagster's default, so a home written by either is read by the
other, with every event and data version kept."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from pipelines.cli import dagster_yaml_for
from pipelines.event_log import KEEP_OPEN, OpenSqliteEventLogStorage


@dg.asset
def first() -> dg.MaterializeResult:
    return dg.MaterializeResult(data_version=dg.DataVersion("v-first"))


@dg.asset(deps=[first])
def second() -> dg.MaterializeResult:
    return dg.MaterializeResult(data_version=dg.DataVersion("v-second"))


JOB = dg.Definitions(
    assets=[first, second],
    jobs=[dg.define_asset_job("both", executor_def=dg.in_process_executor)],
).resolve_job_def("both")


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A Dagster home as `inclusion refresh` makes one (its dagster.yaml names the event log's folder),
    opened by a process without DAGSTER_HOME, as the tests' own instances are."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(dagster_yaml_for(home))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.chdir(tmp_path)  # a relative folder would land here
    return home


def version_of(instance: dg.DagsterInstance, name: str) -> str | None:
    record = instance.get_latest_data_version_record(dg.AssetKey(name))
    return None if record is None else record.event_log_entry.tags.get("dagster/data_version")


def test_events_are_stored_where_dagster_keeps_them_and_read_back_by_a_new_instance(home, monkeypatch):
    # Two databases open at once (the index and one run) instead of KEEP_OPEN: the same eviction
    # with fewer runs to make.
    assert KEEP_OPEN > 2
    monkeypatch.setattr("pipelines.event_log.KEEP_OPEN", 2)
    instance = dg.DagsterInstance.from_config(str(home))
    assert isinstance(instance.event_log_storage, OpenSqliteEventLogStorage)
    runs = [JOB.execute_in_process(instance=instance) for _ in range(3)]  # more runs than kept open
    assert len(instance.event_log_storage._engines) == 2  # the oldest run's database was closed
    assert all(r.success for r in runs)
    events = [len(instance.all_logs(r.run_id)) for r in runs]
    instance.dispose()

    again = dg.DagsterInstance.from_config(str(home))
    assert [len(again.all_logs(r.run_id)) for r in runs] == events and min(events) > 8
    assert (version_of(again, "first"), version_of(again, "second")) == ("v-first", "v-second")
    assert all((home / "history" / "runs" / f"{r.run_id}.db").exists() for r in runs)
    assert not (home.parent / "history").exists()
    with again.event_log_storage.index_connection() as conn:  # commits are flushed at checkpoints only
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_a_home_written_by_dagsters_default_storage_keeps_its_history(home):
    ours = (home / "dagster.yaml").read_text()
    (home / "dagster.yaml").unlink()  # a home made before (or without) the project's dagster.yaml
    default = dg.DagsterInstance.local_temp(str(home), overrides={"telemetry": {"enabled": False}})
    assert not isinstance(default.event_log_storage, OpenSqliteEventLogStorage)
    earlier = JOB.execute_in_process(instance=default)
    default.dispose()
    (home / "dagster.yaml").write_text(ours)  # then `inclusion refresh` copies it in

    instance = dg.DagsterInstance.from_config(str(home))
    assert isinstance(instance.event_log_storage, OpenSqliteEventLogStorage)
    assert version_of(instance, "second") == "v-second"
    assert len(instance.all_logs(earlier.run_id)) > 8


def test_without_a_folder_or_dagster_home_it_says_so_instead_of_writing_somewhere_else(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    with pytest.raises(dg.DagsterInvariantViolationError, match="base_dir or DAGSTER_HOME"):
        OpenSqliteEventLogStorage()
