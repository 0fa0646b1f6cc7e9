"""Fault injection: a refresh killed (SIGKILL) at several points never damages the published
warehouse, its killed runs are marked failed at the next start, and the next refresh succeeds, even
with an analyst holding the published file open for writing. The first build has a broken source:
the others publish, and the refresh exits non-zero naming it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from tests.faults.helpers import scratch_mirror

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

PROJECT = Path(__file__).resolve().parents[2]
BROKEN = "CI4-3.0-promising-prospects--full-dataset.csv"
KILL_POINTS = ["landing_transaction", "sql_step", "publish_rename", "site_pages"]
ANALYST = (
    "import duckdb, sys, time\n"
    "con = duckdb.connect(sys.argv[1])          # read-write: the DuckDB CLI's default\n"
    "con.execute('SELECT count(*) FROM marts.sources').fetchall()\n"
    "print('open', flush=True)\n"
    "time.sleep(3600)\n"
)


def _env(home: Path, mirror: Path, config: Path) -> dict:
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


TIMINGS: dict[str, float] = {}


def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, *args], env=env, cwd=PROJECT, capture_output=True, text=True, timeout=1800)
    TIMINGS[f"{len(TIMINGS) + 1}. {args[1]} {args[2]}"] = round(time.monotonic() - started)  # reported, never asserted
    return proc


def _published(home: Path) -> dict:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return {
            "built_at": con.execute("SELECT * FROM marts.build_info").df().to_dict("records"),
            "sources": dict(con.execute("SELECT source_id, status FROM marts.sources").fetchall()),
            "values": dict(con.execute("SELECT source_id, count(*) FROM marts.indicator_values GROUP BY 1").fetchall()),
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def story(tmp_path_factory, shared_data):
    tmp = tmp_path_factory.mktemp("kills")
    home = tmp / "home"
    config = tmp / "igplus.small.yaml"  # few Monte Carlo draws: the faults, not the statistics
    settings = yaml.safe_load((PROJECT / "config" / "igplus.v1.yaml").read_text())
    settings["monte_carlo"]["draws"] = 20
    config.write_text(yaml.safe_dump(settings))
    mirror = scratch_mirror(shared_data, tmp / "mirror", copy=("social_mobility",))
    good = (mirror / "social_mobility" / BROKEN).read_bytes()
    (mirror / "social_mobility" / BROKEN).write_text("not,a\nvalid,file\n")
    env = _env(home, mirror, config)

    out = {"first": _run(["-m", "pipelines.cli", "refresh", "--log-level", "WARNING"], env)}
    out["after_first"] = _published(home)
    (mirror / "social_mobility" / BROKEN).write_bytes(good)  # the publisher fixes the file

    out["kills"], out["left_started"] = {}, {}
    instance_home = home / "dagster_home"
    for point in KILL_POINTS:
        proc = _run(["-m", "tests.faults.kill_at", point], env)
        out["kills"][point] = (proc, _published(home))
        with dg.DagsterInstance.from_config(str(instance_home)) as instance:  # what Dagster leaves behind
            out["left_started"][point] = [
                r.run_id for r in instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
            ]
        index = home / "site" / "index.html"
        out.setdefault("site_after_kill", {})[point] = index.stat().st_size if index.exists() else 0

    analyst = subprocess.Popen(
        [sys.executable, "-c", ANALYST, str(home / "warehouse.duckdb")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert analyst.stdout.readline().strip() == "open"
        out["final"] = _run(["-m", "pipelines.cli", "refresh", "--log-level", "WARNING"], env)
    finally:
        # SIGKILL: a SIGTERM is ignored when the test process inherited SIGTERM as ignored.
        analyst.kill()
        analyst.wait(timeout=30)
    out["after_final"] = _published(home)
    with dg.DagsterInstance.from_config(str(instance_home)) as instance:
        out["statuses"] = {r.run_id: r.status for r in instance.get_runs()}
    out["home"] = home
    print("fault suite phases (s):", TIMINGS)
    return out


def test_first_build_publishes_the_other_sources_and_names_the_failed_one(story):
    first = story["first"]
    assert first.returncode == 1, first.stdout + first.stderr
    assert "social_mobility" in first.stdout.splitlines()[0] and "FAILED" in first.stdout.splitlines()[0]
    assert BROKEN in first.stdout
    published = story["after_first"]
    assert published["sources"]["social_mobility"] == "unavailable"
    assert {s for s, status in published["sources"].items() if status == "ok"} == {
        "geography",
        "population",
        "living_wage_ashe",
        "in_work_poverty",
        "rough_sleeping",
    }
    assert published["values"]["population"] == 4144 and published["values"]["rough_sleeping"] > 0
    assert "social_mobility" not in published["values"]
    assert "Traceback" not in first.stdout + first.stderr


@pytest.mark.parametrize("point", KILL_POINTS[:3])
def test_a_kill_before_the_publish_leaves_the_last_good_warehouse(story, point):
    proc, published = story["kills"][point]
    assert proc.returncode == -signal.SIGKILL, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert published == story["after_first"]  # it opens, with the last good contents


def test_a_kill_while_writing_the_site_leaves_the_new_warehouse_whole(story):
    proc, published = story["kills"]["site_pages"]
    assert proc.returncode == -signal.SIGKILL
    assert published["sources"]["social_mobility"] == "ok"  # published in full before the site step
    assert published["values"]["social_mobility"] > 0
    assert story["site_after_kill"]["site_pages"] > 0  # the last good site is still whole


def test_killed_runs_are_left_started_then_marked_failed_at_the_next_start(story):
    # Each kill leaves its own run STARTED; the next start (the next kill's, or the final refresh's)
    # marks it failed, so only the latest killed run is ever left STARTED.
    killed = [ids for ids in story["left_started"].values()]
    assert all(len(ids) == 1 for ids in killed) and len({ids[0] for ids in killed}) == len(KILL_POINTS)
    for (run_id,) in killed:
        assert story["statuses"][run_id] == dg.DagsterRunStatus.FAILURE
    assert "now marked failed" in story["final"].stdout
    assert dg.DagsterRunStatus.STARTED not in story["statuses"].values()


def test_next_refresh_succeeds_with_an_analyst_holding_the_published_file(story):
    final = story["final"]
    assert final.returncode == 0, final.stdout + final.stderr
    assert set(story["after_final"]["sources"].values()) == {"ok"}
    assert story["after_final"]["values"]["social_mobility"] > 0
    home = story["home"]
    assert (home / "site" / "index.html").stat().st_size > 0
    assert not (home / "warehouse.duckdb.publishing").exists()
