"""A source whose update fails keeps its last good figures, and the Dagster run says so: its
freshness check fails with a warning (the run is not shown as simply green)."""

from __future__ import annotations

import dagster as dg
import pytest

from assets.checks import build_freshness_check
from assets.resources import resources_for
from assets.settings import Settings
from assets.sources import build_landing_asset, build_raw_asset
from tests.faults.helpers import scratch_mirror

pytestmark = pytest.mark.realdata
SOURCE = "social_mobility"


def run_with_check(home, mirror) -> dg.ExecuteInProcessResult:
    resources = resources_for(Settings(home=home, mirror=mirror, records_dir=None, target_vintage=None))
    return dg.materialize(
        [build_raw_asset(SOURCE), build_landing_asset(SOURCE), build_freshness_check(SOURCE)],
        resources=resources,
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def test_failed_update_warns_in_the_run(tmp_path, shared_data):
    home = tmp_path / "home"
    first = run_with_check(home, shared_data)
    (evaluation,) = first.get_asset_check_evaluations()
    assert first.success and evaluation.passed

    broken = scratch_mirror(shared_data, tmp_path / "mirror", empty=(SOURCE,))
    second = run_with_check(home, broken)
    (evaluation,) = second.get_asset_check_evaluations()
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    assert evaluation.description.startswith("stale")
