"""Fault injection: a refresh killed (SIGKILL) at several points never damages the published
warehouse or site, its killed runs are marked failed at the next start, and the next refresh
succeeds and loses nothing, even with an analyst holding the published file open for writing.

The story starts from a copy of the session's refresh of the generated mirror (the last good
warehouse and site: tests/fixtures/mirror.py, every source in its real layout, eleven authorities,
so each refresh is small and ../shared is not needed) and a corrected social mobility release (one
value changed), so every refresh below has real work to do and each kill lands in it. The first
build with a broken file is tests/faults/test_first_build_broken_source.py."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
from pathlib import Path

import dagster as dg
import numpy as np
import pandas as pd
import pytest

from tests.faults.helpers import cli_env, published_state, published_values, run_module, scratch_mirror
from tests.fixtures.mirror import smc_score
from tests.fixtures.warehouses import copy_home

pytestmark = pytest.mark.slow

CORRECTED = "CI4-3.0-promising-prospects--full-dataset.csv"
# Westminster's Promising Prospects score for 2018 to 2020, as published, and as the corrected
# release has it.
AREA, AREA_CODE, PERIOD = "Westminster", "E09000033", "2018 to 2020"
OLD_VALUE = smc_score("ci4", AREA, PERIOD)
NEW_VALUE = round(OLD_VALUE + 0.5, 3)
OLD_ROW = f'"{AREA}","time_period","{PERIOD}",'
KILL_POINTS = ["landing_transaction", "sql_step", "publish_rename", "site_pages"]
ANALYST = (
    "import duckdb, sys, time\n"
    "con = duckdb.connect(sys.argv[1])          # read-write: the DuckDB CLI's default\n"
    "con.execute('SELECT count(*) FROM marts.sources').fetchall()\n"
    "print('open', flush=True)\n"
    "time.sleep(3600)\n"
)


def _site_index(home: Path) -> bytes:
    index = home / "site" / "index.html"
    return index.read_bytes() if index.exists() else b""


def _site_files(home: Path) -> dict[str, str]:
    """Every file of the site a home shows now, by its path in the site: its bytes' sha256."""
    site = (home / "site").resolve()
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()
    }


def _changed(old: pd.DataFrame, new: pd.DataFrame) -> list[tuple]:
    """Values in `new` that differ from `old` (key, old value, new value). Values rebuilt from
    unchanged inputs may differ in their last bit (a sum's order is not fixed), so a change means more
    than a relative 1e-12; a value gained or lost is always a change."""
    both = old.merge(new, on=["source_id", "indicator_id", "area_code", "period"], how="outer", indicator=True)
    moved = ~np.isclose(both.value_x, both.value_y, rtol=1e-12, atol=0, equal_nan=True)
    rows = both[(both._merge != "both") | moved]
    return [
        (r.source_id, r.indicator_id, r.area_code, r.period, r.value_x, r.value_y) for r in rows.itertuples(index=False)
    ]


def _runs(instance_home: Path, *statuses: dg.DagsterRunStatus) -> dict[str, dg.DagsterRunStatus]:
    with dg.DagsterInstance.from_config(str(instance_home)) as instance:
        filters = dg.RunsFilter(statuses=list(statuses)) if statuses else None
        return {r.run_id: r.status for r in instance.get_runs(filters=filters)}


@pytest.fixture(scope="module")
def story(tmp_path_factory, generated_mirror, generated_home, small_igplus_config):
    tmp = tmp_path_factory.mktemp("kills")
    home = copy_home(generated_home, tmp / "home")
    mirror = scratch_mirror(generated_mirror, tmp / "mirror", copy=("social_mobility",))
    corrected = mirror / "social_mobility" / CORRECTED
    lines = corrected.read_text().splitlines(keepends=True)
    (at,) = [i for i, line in enumerate(lines) if OLD_ROW in line]  # the one row, in the publisher's layout
    assert f',"{PERIOD}",{OLD_VALUE},' in lines[at], lines[at]
    lines[at] = lines[at].replace(f',"{PERIOD}",{OLD_VALUE},', f',"{PERIOD}",{NEW_VALUE},')
    corrected.write_text("".join(lines))  # the publisher corrects one figure
    env = cli_env(home, mirror, small_igplus_config)  # the refreshed home's IG+ config: nothing else changes

    out = {"before": published_state(home), "site_before": _site_index(home), "kills": {}, "left_started": {}}
    out["original_site"] = {"before": _site_files(generated_home)}
    out["values"] = {"before": published_values(home)}
    instance_home = home / "dagster_home"
    for point in KILL_POINTS:
        proc = run_module("tests.faults.kill_at", point, env=env)
        out["kills"][point] = (proc, published_state(home), _site_index(home))
        out["left_started"][point] = list(_runs(instance_home, dg.DagsterRunStatus.STARTED))
    out["values"]["site_pages"] = published_values(home)

    analyst = subprocess.Popen(
        [sys.executable, "-c", ANALYST, str(home / "warehouse.duckdb")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert analyst.stdout.readline().strip() == "open"
        out["final"] = run_module("pipelines.cli", "refresh", "--log-level", "WARNING", env=env)
    finally:
        # SIGKILL: a SIGTERM is ignored when the test process inherited SIGTERM as ignored.
        analyst.kill()
        analyst.wait(timeout=30)
    out["after_final"] = published_state(home)
    out["values"]["final"] = published_values(home)
    out["statuses"] = _runs(instance_home)
    out["original_site"]["after"] = _site_files(generated_home)
    out["site_files_after"] = _site_files(home)
    out["home"] = home
    return out


def test_the_story_starts_from_a_whole_warehouse_and_site(story):
    before = story["before"]
    assert set(before["sources"].values()) == {"ok"} and before["values"]["social_mobility"] > 0
    assert b"</html>" in story["site_before"]


@pytest.mark.parametrize("point", KILL_POINTS[:3])
def test_a_kill_before_the_publish_leaves_the_last_good_warehouse(story, point):
    proc, published, site = story["kills"][point]
    assert proc.returncode == -signal.SIGKILL, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert published == story["before"]  # it opens, with the last good contents, every value the same
    assert site == story["site_before"]


def test_a_kill_while_writing_the_site_leaves_the_new_warehouse_whole(story):
    proc, published, site = story["kills"]["site_pages"]
    before = story["before"]
    assert proc.returncode == -signal.SIGKILL
    # The new warehouse was published in full before the site step: a new build, with the corrected
    # figure and every other value as it was.
    assert published["built_at"] != before["built_at"]
    assert published["values"] == before["values"] and set(published["sources"].values()) == {"ok"}
    assert _changed(story["values"]["before"], story["values"]["site_pages"]) == [
        ("social_mobility", "smc_promising_prospects", AREA_CODE, PERIOD, OLD_VALUE, NEW_VALUE)
    ]
    assert site == story["site_before"]  # the last good site is still whole: the same page


def test_killed_runs_are_left_started_then_marked_failed_at_the_next_start(story):
    # Each kill leaves its own run STARTED; the next start (the next kill's, or the final refresh's)
    # marks it failed, so only the latest killed run is ever left STARTED.
    killed = list(story["left_started"].values())
    assert all(len(ids) == 1 for ids in killed) and len({ids[0] for ids in killed}) == len(KILL_POINTS)
    for (run_id,) in killed:
        assert story["statuses"][run_id] == dg.DagsterRunStatus.FAILURE
    assert "now marked failed" in story["final"].stdout
    assert dg.DagsterRunStatus.STARTED not in story["statuses"].values()


def test_next_refresh_succeeds_with_an_analyst_holding_the_published_file(story):
    final = story["final"]
    assert final.returncode == 0, final.stdout + final.stderr
    after = story["after_final"]
    assert set(after["sources"].values()) == {"ok"}
    assert _changed(story["values"]["site_pages"], story["values"]["final"]) == []  # nothing lost
    assert after["values"] == story["before"]["values"]
    home = story["home"]
    assert b"</html>" in _site_index(home) and _site_index(home) != b""
    assert not (home / "warehouse.duckdb.publishing").exists()
    # The process closed its DuckDB files before it exited (pipelines/cli.py freezes what is left
    # alive at exit): nothing is left for the next open to replay.
    assert not (home / "warehouse.duckdb.wal").exists() and not (home / "work" / "refresh.duckdb.wal").exists()


def test_the_story_leaves_the_home_it_was_copied_from_as_it_was(story):
    """The copy's site shares its files with the session's home by hard links (copy_home): the new
    site versions the story's refreshes write leave every page of the original as it was."""
    original = story["original_site"]
    assert original["after"] == original["before"]
    assert story["site_files_after"] != original["before"]  # the copy's own site did change
