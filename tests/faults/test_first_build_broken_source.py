"""A first build (an empty home) whose mirror has one broken file: the other sources are published,
the broken one is marked unavailable, and `inclusion refresh` exits non-zero naming the source and
the file, in plain words (no traceback). (tests/faults/test_refresh_kills.py kills refreshes.)"""

from __future__ import annotations

import pytest

from tests.faults.helpers import cli_env, published_state, run_module, scratch_mirror
from tests.fixtures.warehouses import write_small_igplus_config

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

BROKEN = "CI4-3.0-promising-prospects--full-dataset.csv"


@pytest.fixture(scope="module")
def first(tmp_path_factory, shared_data):
    tmp = tmp_path_factory.mktemp("first")
    config = write_small_igplus_config(tmp / "igplus.small.yaml", draws=20)  # the fault, not the statistics
    mirror = scratch_mirror(shared_data, tmp / "mirror", copy=("social_mobility",))
    (mirror / "social_mobility" / BROKEN).write_text("not,a\nvalid,file\n")
    home = tmp / "home"
    proc = run_module("pipelines.cli", "refresh", "--log-level", "WARNING", env=cli_env(home, mirror, config))
    return proc, published_state(home)


def test_first_build_publishes_the_other_sources_and_names_the_failed_one(first):
    proc, published = first
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "social_mobility" in proc.stdout.splitlines()[0] and "FAILED" in proc.stdout.splitlines()[0]
    assert BROKEN in proc.stdout
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
    assert "Traceback" not in proc.stdout + proc.stderr
