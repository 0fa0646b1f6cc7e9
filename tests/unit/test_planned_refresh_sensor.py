"""The planned_refresh sensor never waits on a running refresh: its tick does not take the private
database's lock to set up its resources, and when a run holds it, planning waits for the next tick."""

from __future__ import annotations

import uuid

import dagster as dg

from assets.warehouse import Warehouse
from pipelines.definitions import build_defs
from pipelines.sensors import planned_refresh
from tests.fixtures.warehouses import settings_for


def tick(defs, instance, cursor=None):
    with dg.build_sensor_context(
        instance=instance, repository_def=defs.get_repository_def(), resources=defs.resources, cursor=cursor
    ) as context:
        return planned_refresh(context), context.cursor


def test_a_tick_while_a_refresh_holds_the_work_database_returns_at_once(tmp_path):
    home = tmp_path / "home"
    defs = build_defs(settings_for(home, None))
    (tmp_path / "dagster_home").mkdir()
    instance = dg.DagsterInstance.local_temp(
        str(tmp_path / "dagster_home"), overrides={"telemetry": {"enabled": False}}
    )
    layout = defs.resources["warehouse"].layout
    running = Warehouse(layout.work_db_path, layout.warehouse_path)

    with running.locked():  # a refresh in progress (a second flock from this process would wait)
        nothing, _ = tick(defs, instance)
        assert isinstance(nothing, dg.SkipReason) and "no run of refresh_sources" in nothing.skip_message

        ended = dg.DagsterRun(job_name="refresh_sources", run_id=str(uuid.uuid4()), status=dg.DagsterRunStatus.SUCCESS)
        instance.add_run(ended)
        busy, cursor = tick(defs, instance)
        assert isinstance(busy, dg.SkipReason) and "holds the private database" in busy.skip_message
        assert cursor is None  # not planned yet: the next tick plans it
