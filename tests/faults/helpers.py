"""Helpers for the fault suite: scratch mirrors beside the real files, and one source's assets run alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb

from assets.resources import resources_for
from assets.settings import Settings
from assets.sources import build_landing_asset, build_raw_asset


def scratch_mirror(real: Path, dest: Path, *, copy: tuple[str, ...] = (), empty: tuple[str, ...] = ()) -> Path:
    """A mirror at dest: folders linked to the real mirror, except those copied (to edit) or left empty."""
    dest.mkdir(parents=True, exist_ok=True)
    for folder in sorted(p for p in real.iterdir() if p.is_dir()):
        target = dest / folder.name
        if folder.name in empty:
            target.mkdir()
            shutil.copyfile(folder / "SOURCE.md", target / "SOURCE.md")
        elif folder.name in copy:
            shutil.copytree(folder, target)
        else:
            target.symlink_to(folder, target_is_directory=True)
    return dest


def land_source(home: Path, mirror: Path, source_id: str, **settings) -> dg.ExecuteInProcessResult:
    """raw/<source> and landing/<source> only, against a home's private warehouse."""
    resources = resources_for(Settings(home=home, mirror=mirror, records_dir=None, target_vintage=None, **settings))
    return dg.materialize(
        [build_raw_asset(source_id), build_landing_asset(source_id)],
        resources=resources,
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def work_query(home: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(
        str(Settings(home=home, mirror=None, records_dir=None, target_vintage=None).work_db_path), read_only=True
    )
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()
