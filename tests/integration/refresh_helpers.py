"""Run the real full_refresh job in-process against a chosen home and mirror."""
from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from pipelines.definitions import build_defs
from assets.settings import Settings


def instance_in(home: Path) -> dg.DagsterInstance:
    """A Dagster instance kept in the home, as `inclusion refresh` keeps one: the data versions it
    records are what lets the next run skip unchanged work."""
    (home / "dagster_home").mkdir(parents=True, exist_ok=True)
    return dg.DagsterInstance.local_temp(str(home / "dagster_home"), overrides={"telemetry": {"enabled": False}})


def run_refresh(home: Path, mirror: Path | None):
    settings = Settings(home=home, mirror=mirror, records_dir=None, target_vintage=None)
    job = build_defs(settings).resolve_job_def("full_refresh")
    return job.execute_in_process(raise_on_error=False, instance=instance_in(home))


def rebuilt(result) -> set[str]:
    """Assets this run actually recomputed (raw assets always look at their files, so are left out)."""
    return {k for k, v in materializations(result).items() if not k.startswith("raw/") and not v.get("unchanged")}


def query(path: Path, sql: str, params=None):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def materializations(result) -> dict[str, dict]:
    """Asset key -> its materialization metadata, for one run."""
    out = {}
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        out[mat.asset_key.to_user_string()] = {k: v.value for k, v in mat.metadata.items()}
    return out
