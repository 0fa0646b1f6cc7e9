"""Helpers for the fault suite: scratch mirrors beside the real files, and one source's assets run alone."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd

from assets.resources import resources_for
from assets.settings import Settings
from assets.sources import build_landing_asset, build_raw_asset

PROJECT = Path(__file__).resolve().parents[2]


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


def cli_env(home: Path, mirror: Path, config: Path) -> dict[str, str]:
    """The environment of an operator's `inclusion refresh` for this home, mirror and IG+ config; no
    other INCLUSION_ or DAGSTER_ setting leaks in from the test run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INCLUSION_", "DAGSTER_"))}
    env.update(
        {
            "INCLUSION_HOME": str(home),
            "INCLUSION_MIRROR": str(mirror),
            "INCLUSION_DUCKDB_MEMORY": "2GB",
            "INCLUSION_IGPLUS_CONFIG": str(config),
        }
    )
    return env


def run_module(module: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`python -m module args...` from the project root (a refresh in its own process, to be killed).
    Prints the process's CPU time (user + sys, its children included) for `pytest -s`: reported,
    never asserted."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [sys.executable, "-m", module, *args], env=env, cwd=PROJECT, capture_output=True, text=True, timeout=1800
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(f"{module} {' '.join(args)}: exit {proc.returncode}, {cpu:.1f} s CPU")
    return proc


def published_state(home: Path) -> dict:
    """What an analyst sees in the published warehouse: its build, each source's status, the number
    of values per source, and a checksum of every published value (the same file gives the same)."""
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return {
            "built_at": con.execute("SELECT * FROM marts.build_info").df().to_dict("records"),
            "sources": dict(con.execute("SELECT source_id, status FROM marts.sources").fetchall()),
            "values": dict(con.execute("SELECT source_id, count(*) FROM marts.indicator_values GROUP BY 1").fetchall()),
            "checksum": dict(
                con.execute(
                    "SELECT source_id, sum(hash(indicator_id, area_code, period, value)) "
                    "FROM marts.indicator_values GROUP BY 1"
                ).fetchall()
            ),
        }
    finally:
        con.close()


def published_values(home: Path) -> pd.DataFrame:
    """Every published value, keyed by source, indicator, area and period, in key order."""
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "SELECT source_id, indicator_id, area_code, period, value FROM marts.indicator_values "
            "ORDER BY source_id, indicator_id, area_code, period"
        ).df()
    finally:
        con.close()
