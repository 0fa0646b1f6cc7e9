"""Sensors: re-run the records branch when a records file is added, changed or removed; after a run
of refresh_sources, run only what may have anything new (the second half of a planned refresh)."""

from __future__ import annotations

import hashlib
import json
import time

import dagster as dg

from assets.resources import IgplusResource, PublishersResource, RecordsResource, WarehouseResource
from assets.warehouse import Warehouse, WarehouseBusy
from sources.records.reading import file_states

from .jobs import SOURCES, full_refresh, refresh_sources
from .plan import REFRESH_TAG, second_run

# A file written in the last few seconds may still be being saved; look again next tick.
SETTLE_SECONDS = 10


def _records_changed(context: dg.SensorEvaluationContext, records: RecordsResource):
    root = records.records_path
    if root is None:
        return dg.SkipReason("INCLUSION_RECORDS is not set: the fictional example records are used")
    if not root.exists():
        return dg.SkipReason(f"the records directory {root} does not exist")
    states = file_states(root)
    previous = json.loads(context.cursor) if context.cursor else {}
    if states == previous:
        return dg.SkipReason("no records file added, changed or removed")
    newest = max((mtime for mtime, _ in states.values()), default=0) / 1e9
    # Only an mtime of the last few seconds means "being written": one further ahead than that (a file
    # unpacked or copied with a wrong date, another machine's clock) would otherwise wait for ever.
    if -SETTLE_SECONDS < time.time() - newest < SETTLE_SECONDS:
        return dg.SkipReason("a records file is still being written; waiting for it to settle")
    changed = sorted(name for name in states.keys() | previous.keys() if states.get(name) != previous.get(name))
    context.log.info("records changed: " + ", ".join(changed[:20]))
    cursor = json.dumps(states, sort_keys=True)
    context.update_cursor(cursor)
    return dg.RunRequest(
        run_key="records-" + hashlib.sha256(cursor.encode()).hexdigest()[:16],
        tags={"inclusion/trigger": "records_directory"},
    )


def records_sensor(watching: bool) -> dg.SensorDefinition:
    """Running by default only when there is a records folder to watch: with none set it would
    tick every 30 seconds to say so."""
    return dg.sensor(
        name="records_directory_changed",
        job_name="records_refresh",
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING if watching else dg.DefaultSensorStatus.STOPPED,
        description="Watches INCLUSION_RECORDS; requests a records refresh (the records branch and what "
        "reads it) when a file is added, changed or removed. The cursor holds each file's modification time and size."
        + ("" if watching else " Off: INCLUSION_RECORDS is not set."),
    )(_records_changed)


records_directory_changed = records_sensor(watching=True)


ENDED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE]


def _plan_after_sources(
    context: dg.SensorEvaluationContext,
    warehouse: WarehouseResource,
    publishers: PublishersResource,
    records: RecordsResource,
    igplus: IgplusResource,
):
    """After the newest run of refresh_sources ended: the planned rest of full_refresh, or nothing."""
    ended = context.instance.get_run_records(
        filters=dg.RunsFilter(job_name=refresh_sources.name, statuses=ENDED), limit=1
    )
    if not ended:
        return dg.SkipReason("no run of refresh_sources has ended yet")
    first = ended[0].dagster_run
    if context.cursor == first.run_id:
        return dg.SkipReason(f"run {first.run_id[:8]} of refresh_sources was planned for already")
    if context.repository_def is None:
        return dg.SkipReason("no repository to plan from")
    graph = context.repository_def.asset_graph
    materialized = {
        r.event_log_entry.dagster_event.asset_key
        for r in context.instance.get_records_for_run(
            first.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION, limit=10_000
        ).records
        if r.event_log_entry.dagster_event
    }
    resources = {"warehouse": warehouse, "publishers": publishers, "records": records, "igplus": igplus}
    work = warehouse.warehouse
    try:  # planning looks into the private database some twenty times: held open, if no run holds it
        with Warehouse(work.work_path, work.published_path, lock_timeout=0).held():
            plan = second_run(graph, context.instance, resources, set(SOURCES.resolve(graph)), materialized)
    except WarehouseBusy:
        return dg.SkipReason("a refresh holds the private database; planning at the next tick")
    context.update_cursor(first.run_id)
    if not plan:
        return dg.SkipReason(f"nothing new after run {first.run_id[:8]} of refresh_sources")
    return dg.RunRequest(
        run_key="planned-" + first.run_id,
        asset_selection=sorted(plan.assets, key=lambda k: k.to_user_string()),
        asset_check_keys=sorted(plan.checks, key=lambda k: (k.asset_key.to_user_string(), k.name)),
        tags={REFRESH_TAG: first.tags.get(REFRESH_TAG) or first.run_id, "inclusion/trigger": "planned_refresh"},
    )


planned_refresh = dg.sensor(
    name="planned_refresh",
    job=full_refresh,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="When a run of refresh_sources (the nightly schedule's, or one launched in the UI) ends, "
    "requests a run of full_refresh holding only what may have anything new, as `inclusion refresh` "
    "plans it (pipelines/plan.py); none when nothing is new.",
)(_plan_after_sources)


def sensors(settings) -> list[dg.SensorDefinition]:
    return [records_sensor(watching=settings.records_dir is not None)]
