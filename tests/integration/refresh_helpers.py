"""Run the real full_refresh job in-process against a chosen home and mirror."""
from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from pipelines.definitions import build_defs
from pipelines.settings import Settings


def run_refresh(home: Path, mirror: Path | None):
    settings = Settings(home=home, mirror=mirror, records_dir=None, target_vintage=None)
    job = build_defs(settings).resolve_job_def("full_refresh")
    return job.execute_in_process(raise_on_error=False, instance=dg.DagsterInstance.ephemeral())


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
