"""`inclusion refresh` leaves out, before the run starts, every asset that has nothing new
(pipelines/plan.py), and what it leaves out is exactly what the whole job would have skipped; the
whole job itself rebuilds only what a changed file feeds.

Each test starts from a copy of the session's refresh of the generated mirror (tests/fixtures/mirror.py:
every source's files in the real layouts, small), so a second refresh costs little and ../shared is
not needed: what is planned and rebuilt depends on the asset graph and the files' bytes, not on
the data's size."""

from __future__ import annotations

import dataclasses
import shutil

import dagster as dg
import duckdb
import pytest

from assets.igplus import DEFAULT_CONFIG
from pipelines.definitions import build_defs
from pipelines.plan import run_planned
from tests.fixtures.warehouses import ALL_BUT_SITE, instance_in, settings_for
from tests.integration.refresh_helpers import materializations, rebuilt, run_refresh

pytestmark = pytest.mark.slow


def planned_refresh(home, mirror, config):
    """What `inclusion refresh` runs, with the tests' IG+ config; the results of its runs."""
    settings = dataclasses.replace(settings_for(home, mirror), igplus_config=config or DEFAULT_CONFIG)
    defs = build_defs(settings)
    instance = instance_in(home)
    return defs, run_planned(
        defs, instance, lambda job: job.execute_in_process(instance=instance, raise_on_error=False)
    )


def mirror_with_a_new_social_mobility_file(source, mirror):
    """The real mirror, linked, but for one social mobility file with a trailing blank line: new
    bytes (a new sha256), the same rows."""
    mirror.mkdir()
    for folder in source.iterdir():
        if folder.is_dir() and folder.name != "social_mobility":
            (mirror / folder.name).symlink_to(folder)
    shutil.copytree(source / "social_mobility", mirror / "social_mobility")
    changed = mirror / "social_mobility" / "205-regions.csv"
    changed.chmod(0o644)
    changed.write_bytes(changed.read_bytes() + b"\n")
    return mirror


def ran(results) -> set[str]:
    return {k for r in results for k in materializations(r)}


class NoBoundValues:
    """A DuckDB connection that fails on any value bound by the Python client: binding one makes the
    client import pandas, numpy and pyarrow (about 0.5 s), which a refresh with nothing new does not
    need (assets/warehouse.py, Warehouse.run_prepared)."""

    def __init__(self, con):
        self._con = con

    def execute(self, sql, parameters=None):
        values = parameters.values() if isinstance(parameters, dict) else parameters or ()
        assert all(v is None for v in values), f"a value bound by DuckDB's Python client: {sql[:200]!r}"
        return self._con.execute(sql, parameters or [])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._con.close()

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_nothing_new_runs_only_the_raw_files_and_a_full_run_after_it_finds_nothing_to_do(
    generated_copy, generated_mirror, small_igplus_config, monkeypatch
):
    """A second refresh of the same mirror: the planned run looks at the raw files only, binding no
    value in DuckDB's Python client (so it loads no pandas), and the whole job run after it (every
    asset, the site included) recomputes nothing and leaves the published file untouched. (This is
    also the whole job's "second refresh with nothing new".)"""
    published = generated_copy / "warehouse.duckdb"
    before = published.stat().st_mtime_ns
    with monkeypatch.context() as patched:
        connect = duckdb.connect
        patched.setattr(duckdb, "connect", lambda *a, **k: NoBoundValues(connect(*a, **k)))
        defs, results = planned_refresh(generated_copy, generated_mirror, small_igplus_config)
    assert len(results) == 1 and results[0].success  # the raw files looked at; no second run
    assert ran(results) == {
        k.to_user_string() for k in defs.resolve_asset_graph().toposorted_asset_keys if k.path[0] == "raw"
    }
    # What was left out had nothing to do: the whole job, run now, rebuilds nothing either.
    result = run_refresh(generated_copy, generated_mirror, small_igplus_config)
    derived = {k for k in materializations(result) if not k.startswith("raw/")}
    assert result.success and "dashboard_site" in derived and "published_warehouse" in derived
    assert not rebuilt(result), sorted(rebuilt(result))  # every derived asset says unchanged
    assert published.stat().st_mtime_ns == before


def test_a_changed_mirror_file_runs_that_sources_downstream_and_leaves_nothing_stale(
    generated_copy, generated_mirror, small_igplus_config, tmp_path
):
    """New bytes in one social mobility file: the second run holds its landing step and what is
    downstream of it, nothing of the other sources, and a whole-job run after it rebuilds nothing
    (the planned runs left no asset behind)."""
    mirror = mirror_with_a_new_social_mobility_file(generated_mirror, tmp_path / "mirror")

    defs, results = planned_refresh(generated_copy, mirror, small_igplus_config)
    assert len(results) == 2 and all(r.success for r in results)
    graph = defs.resolve_asset_graph()
    downstream = {
        k.to_user_string()
        for k in dg.AssetSelection.assets(dg.AssetKey(["raw", "social_mobility"])).downstream().resolve(graph)
    }
    second = set(materializations(results[1]))
    assert {"landing/social_mobility", "marts/indicator_values", "published_warehouse", "dashboard_site"} <= second
    assert second <= downstream, sorted(second - downstream)
    assert not {"landing/geography", "landing/rough_sleeping", "landing/records", "marts/areas"} & second
    checks = {e.asset_check_key.asset_key.to_user_string() for e in results[1].get_asset_check_evaluations()}
    assert "landing/social_mobility" in checks  # its checks run with it (the GX contract included)

    result = run_refresh(generated_copy, mirror, small_igplus_config)
    assert result.success and not rebuilt(result), sorted(rebuilt(result))


def test_a_changed_mirror_file_rebuilds_only_that_sources_downstream(
    generated_copy, generated_mirror, small_igplus_config, tmp_path
):
    """New bytes in one social mobility file: its landing asset and what reads it (and its provenance
    in marts.raw_files) are rebuilt, and nothing that does not read it (areas, records, other sources).
    A rough sleeping file only touched (a new modification time, the same bytes) rebuilds nothing."""
    import os

    import dagster as dg

    from assets.settings import Settings
    from pipelines.definitions import build_defs

    home = generated_copy
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for folder in generated_mirror.iterdir():
        if folder.is_dir() and folder.name not in ("social_mobility", "rough_sleeping"):
            (mirror / folder.name).symlink_to(folder)
    shutil.copytree(generated_mirror / "social_mobility", mirror / "social_mobility")
    shutil.copytree(generated_mirror / "rough_sleeping", mirror / "rough_sleeping")
    touched = next(p for p in (mirror / "rough_sleeping").iterdir() if p.suffix == ".xlsx")
    later = touched.stat().st_mtime + 86400
    os.utime(touched, (later, later))
    changed = mirror / "social_mobility" / "205-regions.csv"
    changed.chmod(0o644)
    changed.write_bytes(changed.read_bytes() + b"\n")  # a trailing blank line: new sha256, same rows
    result = run_refresh(home, mirror, small_igplus_config, selection=ALL_BUT_SITE)
    assert result.success
    graph = build_defs(Settings(home=home, mirror=mirror, records_dir=None, target_vintage=None)).resolve_asset_graph()
    downstream = {
        k.to_user_string()
        for k in dg.AssetSelection.assets(dg.AssetKey(["raw", "social_mobility"])).downstream().resolve(graph)
    }
    done = rebuilt(result)
    assert "landing/social_mobility" in done and "marts/indicator_values" in done
    assert done <= downstream, sorted(done - downstream)
    assert (
        not {
            "landing/geography",
            "landing/rough_sleeping",
            "marts/areas",
            "staging/code_map",
            "landing/records",
            "marts/record_measures",
        }
        & done
    )


def test_a_home_without_a_private_database_runs_the_whole_job_once(tmp_path, generated_mirror, small_igplus_config):
    """Nothing to predict from (a first refresh, or the work database deleted): one run of everything.
    Only the plan is looked at: the job handed over is the whole one, not run here."""
    seen = []

    def execute(job):
        seen.append(job)
        return None

    settings = dataclasses.replace(settings_for(tmp_path / "home", generated_mirror), igplus_config=small_igplus_config)
    defs = build_defs(settings)
    run_planned(defs, instance_in(tmp_path / "home"), execute)
    assert len(seen) == 1 and seen[0] is defs.resolve_job_def("full_refresh")


def test_what_a_failed_raw_step_feeds_is_left_out_as_the_whole_job_would_skip_it(
    generated_copy, generated_mirror, small_igplus_config, tmp_path, monkeypatch
):
    """raw/rough_sleeping crashes (a fault outside the source's own error handling) while a social
    mobility file is new: the social mobility landing still runs, but nothing fed by the failed step
    (the marts, the publish, the site) does, and the refresh is reported failed."""
    import assets.sources

    real_acquire = assets.sources.acquire

    def acquire(source_id, **kwargs):
        if source_id == "rough_sleeping":
            raise RuntimeError("injected fault")
        return real_acquire(source_id, **kwargs)

    monkeypatch.setattr(assets.sources, "acquire", acquire)
    mirror = mirror_with_a_new_social_mobility_file(generated_mirror, tmp_path / "mirror")

    _, results = planned_refresh(generated_copy, mirror, small_igplus_config)
    assert not results[0].success and "raw/rough_sleeping" not in materializations(results[0])
    assert len(results) == 2
    second = set(materializations(results[1]))
    assert "landing/social_mobility" in second
    assert not {"landing/source_status", "marts/indicator_values", "published_warehouse", "dashboard_site"} & second
