"""The records sensor requests a full refresh when a file is added, changed or removed."""

from __future__ import annotations

import os
import time

import dagster as dg

from assets.resources import RecordsResource
from pipelines.sensors import records_directory_changed, sensors


def evaluate(tmp_path, records_dir, cursor=None):
    resource = RecordsResource(home=str(tmp_path / "home"), records_dir=str(records_dir) if records_dir else None)
    # A context manager, so any resource it is given is set up and torn down as in a real tick
    # (bb30ce4: the warehouse resource holds the run's DuckDB connection open while in use).
    with dg.build_sensor_context(cursor=cursor, resources={"records": resource}) as context:
        return records_directory_changed(context), context.cursor


def settle(path):
    old = time.time() - 3600
    os.utime(path, (old, old))


def test_sensor_runs_by_default_only_with_a_records_folder(tmp_path):
    from assets.settings import Settings

    (quiet,) = sensors(Settings(home=tmp_path, mirror=None, records_dir=None, target_vintage=None))
    (watching,) = sensors(Settings(home=tmp_path, mirror=None, records_dir=tmp_path, target_vintage=None))
    assert quiet.default_status == dg.DefaultSensorStatus.STOPPED
    assert watching.default_status == dg.DefaultSensorStatus.RUNNING
    assert quiet.name == watching.name == "records_directory_changed"


def just_written(path):
    """mtime = now by the clock the sensor reads (the file system's clock may differ under a test clock)."""
    now = time.time()
    os.utime(path, (now, now))


def test_sensor_requests_the_records_branch_on_change(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    (records / "a.xlsx").write_bytes(b"one")
    settle(records / "a.xlsx")
    first, cursor = evaluate(tmp_path, records)
    assert isinstance(first, dg.RunRequest) and cursor
    assert records_directory_changed.job_name == "records_refresh"
    same, cursor2 = evaluate(tmp_path, records, cursor)
    assert isinstance(same, dg.SkipReason) and cursor2 == cursor
    (records / "a.xlsx").write_bytes(b"changed")
    settle(records / "a.xlsx")
    changed, cursor3 = evaluate(tmp_path, records, cursor)
    assert isinstance(changed, dg.RunRequest) and changed.run_key != first.run_key
    (records / "b_csv").mkdir()
    (records / "b_csv" / "activities.csv").write_text("activity_id\n")
    settle(records / "b_csv" / "activities.csv")
    added, cursor4 = evaluate(tmp_path, records, cursor3)
    assert isinstance(added, dg.RunRequest)
    (records / "a.xlsx").unlink()
    removed, _ = evaluate(tmp_path, records, cursor4)
    assert isinstance(removed, dg.RunRequest)


def test_sensor_ignores_lock_files_and_waits_for_writes_to_finish(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    (records / "a.xlsx").write_bytes(b"one")
    settle(records / "a.xlsx")
    _, cursor = evaluate(tmp_path, records)
    (records / "~$a.xlsx").write_bytes(b"lock")
    result, _ = evaluate(tmp_path, records, cursor)
    assert isinstance(result, dg.SkipReason)
    (records / "a.xlsx").write_bytes(b"being saved")
    just_written(records / "a.xlsx")
    waiting, cursor_after = evaluate(tmp_path, records, cursor)
    assert isinstance(waiting, dg.SkipReason) and "settle" in waiting.skip_message
    assert cursor_after == cursor


def test_sensor_skips_without_a_records_directory(tmp_path):
    result, _ = evaluate(tmp_path, None)
    assert isinstance(result, dg.SkipReason) and "INCLUSION_RECORDS" in result.skip_message
    missing, _ = evaluate(tmp_path, tmp_path / "nowhere")
    assert isinstance(missing, dg.SkipReason) and "does not exist" in missing.skip_message


def test_records_job_starts_only_the_records_branch():
    """A records change re-runs the records assets and what reads them; no public source is fetched."""
    from pipelines.definitions import defs

    job = defs.resolve_job_def("records_refresh")
    keys = {k.to_user_string() for k in job.asset_layer.selected_asset_keys}
    assert {"raw/records", "landing/records", "marts/record_measures", "published_warehouse", "dashboard_site"} <= keys
    assert not any(k.startswith("raw/") and k != "raw/records" for k in keys)
    assert not {"landing/geography", "landing/rough_sleeping", "marts/areas", "marts/indicator_values"} & keys


def test_a_file_dated_in_the_future_is_not_waited_for_for_ever(tmp_path):
    """A records file whose modification time is ahead of the clock (unpacked from an archive with a
    wrong date, copied from a machine whose clock runs ahead) was taken as "still being written" until
    that time came: the sensor never requested the refresh."""
    records = tmp_path / "records"
    records.mkdir()
    (records / "a.xlsx").write_bytes(b"one")
    ahead = time.time() + 30 * 86400
    os.utime(records / "a.xlsx", (ahead, ahead))
    result, cursor = evaluate(tmp_path, records)
    assert isinstance(result, dg.RunRequest) and cursor
