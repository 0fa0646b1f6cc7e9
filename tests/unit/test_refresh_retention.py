"""INCLUSION_RETENTION_RUNS keeps that many refreshes, not runs: `inclusion refresh` makes up to two
Dagster runs (pipelines/plan.py), tagged with the refresh's id, and they are kept or pruned together."""

from __future__ import annotations

import time

import dagster as dg

from pipelines import housekeeping as hk
from pipelines.cli import dagster_yaml_for
from pipelines.plan import REFRESH_TAG


@dg.op
def noop():
    return 1


@dg.job
def small():
    noop()


def test_the_runs_of_one_refresh_count_once_and_go_together(tmp_path, monkeypatch):
    # The instance `inclusion refresh` opens: its dagster.yaml and so its event log storage.
    (tmp_path / "dagster.yaml").write_text(dagster_yaml_for(tmp_path))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    refreshes = [
        [small.execute_in_process(instance=instance, tags={REFRESH_TAG: f"r{i}"}).run_id for _ in range(2)]
        for i in range(2)
    ]
    untagged = small.execute_in_process(instance=instance).run_id  # e.g. a run launched from the UI
    later = time.time() + 91 * 86400

    pruned = hk.prune_runs(instance, days=90, keep=2, now=later)

    # Kept: the untagged run and the newest refresh (both its runs): two, as asked.
    assert sorted(pruned) == sorted(refreshes[0])
    assert {r.run_id for r in instance.get_runs()} == {untagged, *refreshes[1]}
    # Pruned runs go with their event logs (the storage `inclusion refresh` uses keeps them open).
    assert all(instance.all_logs(run_id) == [] for run_id in pruned)
    assert all(instance.all_logs(run_id) for run_id in refreshes[1])
    instance.dispose()
