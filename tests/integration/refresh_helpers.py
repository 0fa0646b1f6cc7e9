"""Run the real full_refresh job in-process against a chosen home and mirror, and read the result.
The shared refreshed warehouse and the other fixtures are in tests/conftest.py (see tests/README.md)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.fixtures.warehouses import instance_in, refresh, settings_for  # noqa: F401 - instance_in for tests


def run_refresh(home: Path, mirror: Path | None, config: Path | None = None, selection=None, **overrides):
    """The full_refresh job (or only `selection`, asset keys like "marts/sources"), with the IG+
    config `config` (pass the `small_igplus_config` fixture; None = config/igplus.v1.yaml)."""
    return refresh(settings_for(home, mirror, **overrides), config, selection)


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
