"""The nightly schedule and the Dagster UI refresh as `inclusion refresh` does: the schedule runs
refresh_sources (the roots), and when that run ends the planned_refresh sensor asks for a run of
full_refresh holding only what may have anything new (pipelines/plan.py), or for nothing."""

from __future__ import annotations

import dataclasses

import dagster as dg
import pytest

from pipelines.definitions import build_defs
from pipelines.plan import REFRESH_TAG
from tests.fixtures.warehouses import instance_in, settings_for
from tests.integration.test_refresh_plan import mirror_with_a_new_social_mobility_file

pytestmark = pytest.mark.slow


def sources_then_sensor(home, mirror, config, cursor=None):
    """One run of refresh_sources as the schedule starts it, then one tick of planned_refresh."""
    defs = build_defs(dataclasses.replace(settings_for(home, mirror), igplus_config=config))
    instance = instance_in(home)
    assert defs.resolve_schedule_def("nightly_refresh").job_name == "refresh_sources"
    first = defs.resolve_job_def("refresh_sources").execute_in_process(instance=instance, raise_on_error=False)
    assert first.success
    sensor = defs.resolve_sensor_def("planned_refresh")
    with dg.build_sensor_context(
        instance=instance, repository_def=defs.get_repository_def(), resources=defs.resources, cursor=cursor
    ) as context:
        ticks = [sensor(context), sensor(context)]  # the second tick sees the cursor the first left
    return first, ticks


def test_nothing_new_the_sensor_asks_for_nothing_and_a_new_file_asks_for_its_downstream_only(
    generated_copy, generated_mirror, small_igplus_config, tmp_path
):
    _, (tick, _) = sources_then_sensor(generated_copy, generated_mirror, small_igplus_config)
    assert isinstance(tick, dg.SkipReason) and "nothing new" in tick.skip_message

    mirror = mirror_with_a_new_social_mobility_file(generated_mirror, tmp_path / "mirror")
    first, (tick, again) = sources_then_sensor(generated_copy, mirror, small_igplus_config)
    assert isinstance(tick, dg.RunRequest), tick
    planned = {k.to_user_string() for k in tick.asset_selection}
    assert {"landing/social_mobility", "marts/indicator_values", "published_warehouse", "dashboard_site"} <= planned
    assert not {"raw/social_mobility", "landing/geography", "landing/rough_sleeping", "marts/areas"} & planned
    assert "landing/social_mobility" in {k.asset_key.to_user_string() for k in tick.asset_check_keys}
    assert tick.tags[REFRESH_TAG] == first.run_id  # retention counts the two runs as one refresh
    assert isinstance(again, dg.SkipReason)  # one planned run per run of refresh_sources
