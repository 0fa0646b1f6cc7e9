"""A first build (an empty home) whose mirror has one broken file: the other sources are published
in full, the broken one is marked unavailable, and `inclusion refresh` exits non-zero naming the
source and the file, in plain words (no traceback). On the generated mirror (tests/fixtures/mirror.py:
every source in its real layout, small), so the cold build costs little and needs no ../shared.
(tests/faults/test_refresh_kills.py kills refreshes.)"""

from __future__ import annotations

import pytest

from tests.faults.helpers import cli_env, published_state, run_module, scratch_mirror
from tests.fixtures.warehouses import write_small_igplus_config

pytestmark = pytest.mark.slow

BROKEN = "CI4-3.0-promising-prospects--full-dataset.csv"


@pytest.fixture(scope="module")
def first(tmp_path_factory, generated_mirror):
    tmp = tmp_path_factory.mktemp("first")
    config = write_small_igplus_config(tmp / "igplus.small.yaml", draws=20)  # the fault, not the statistics
    mirror = scratch_mirror(generated_mirror, tmp / "mirror", copy=("social_mobility",))
    (mirror / "social_mobility" / BROKEN).write_text("not,a\nvalid,file\n")
    home = tmp / "home"
    proc = run_module("pipelines.cli", "refresh", "--log-level", "WARNING", env=cli_env(home, mirror, config))
    return proc, published_state(home)


def test_first_build_publishes_the_other_sources_and_names_the_failed_one(first, generated_home):
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
    # Every other source's values, as a clean build of the same mirror publishes them: none lost.
    clean = published_state(generated_home)
    others = {s: n for s, n in clean["values"].items() if s != "social_mobility"}
    assert others and published["values"] == others
    assert published["checksum"] == {s: v for s, v in clean["checksum"].items() if s != "social_mobility"}
    assert "Traceback" not in proc.stdout + proc.stderr
