"""Sensors: re-run the records branch when a records file is added, changed or removed."""

from __future__ import annotations

import hashlib
import json
import time

import dagster as dg

from assets.resources import RecordsResource
from sources.records.reading import file_states

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
    if time.time() - newest < SETTLE_SECONDS:
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


def sensors(settings) -> list[dg.SensorDefinition]:
    return [records_sensor(watching=settings.records_dir is not None)]
