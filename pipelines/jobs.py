"""The refresh jobs and the nightly schedule."""

from __future__ import annotations

import dagster as dg

from assets.records import RAW as RAW_RECORDS

# In-process: DuckDB allows one writing process per file, so the whole refresh runs in one
# process (the warehouse lock serialises it against any other run).
full_refresh = dg.define_asset_job(
    name="full_refresh",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Fetch every source, rebuild the marts, publish build/warehouse.duckdb and the dashboards.",
    tags={"inclusion/writes": "warehouse"},
)

# What a changed records file can reach: the records branch, what reads it, the publish and the site.
records_refresh = dg.define_asset_job(
    name="records_refresh",
    selection=dg.AssetSelection.assets(RAW_RECORDS).downstream(),
    executor_def=dg.in_process_executor,
    description="Re-check the co-production records and rebuild only what depends on them, then publish.",
    tags={"inclusion/writes": "warehouse"},
)


# The first run of a planned refresh (pipelines/plan.py): the roots, whose versions are only known by
# running them; when it ends, the planned_refresh sensor runs only what may have anything new.
SOURCES = dg.AssetSelection.all().roots()
refresh_sources = dg.define_asset_job(
    name="refresh_sources",
    selection=SOURCES,
    executor_def=dg.in_process_executor,
    description="A refresh that runs only what has anything new: look at every source's files, the records "
    "folder and the IG+ config; then the planned_refresh sensor runs the rest of full_refresh that may have "
    "changed (nothing, when nothing is new). What the nightly schedule runs; full_refresh runs every step.",
    tags={"inclusion/writes": "warehouse"},
)


def nightly_refresh(on: bool = False) -> dg.ScheduleDefinition:
    """02:00 UK time. Off unless INCLUSION_NIGHTLY=on: a fresh install must not start fetching
    from publishers every night before an operator decides it should. It runs refresh_sources; the
    planned_refresh sensor follows it with only what may have changed."""
    return dg.ScheduleDefinition(
        name="nightly_refresh",
        job=refresh_sources,
        cron_schedule="0 2 * * *",
        execution_timezone="Europe/London",
        default_status=dg.DefaultScheduleStatus.RUNNING if on else dg.DefaultScheduleStatus.STOPPED,
        description="02:00 UK time, every night" + ("." if on else " (off: set INCLUSION_NIGHTLY=on)."),
    )
