"""How `--dist loadfile` hands test modules to the pytest-xdist workers: the longest first, so the
last to finish is a short one and no core sits idle at the end; and modules that build the same
costly per-process fixture together, so it is built once, not once per worker.

pytest-xdist's own order is by number of tests, largest first; a module of a few long tests (a
property search over 40 workbooks) then goes last and runs alone while the other worker has
finished. LONG_MODULES lists the work units that cost the most CPU, longest first (measured with
`pytest -n 0 --durations=0`); every other module keeps xdist's order after them.

SHARED_FIXTURES lists modules that go to one worker as one unit, named by its first module: each
builds, once per process, a fixture of several seconds of CPU (the IG+ warehouse of
tests/unit/test_igplus_index.default_build, the Dagster-built marts.sources of
tests/fixtures/warehouses.sources_mart, Great Expectations' context). The grouping changes where and
when a module runs, never what it runs or whether it passes.
"""

from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

SHARED_FIXTURES = (
    # default_build (records ingest + the IG+ SQL and Monte Carlo, ~3 s CPU), sources_mart (a Dagster
    # run, ~2.5 s) and the site builds over make_warehouse.
    (
        "tests/unit/test_igplus_index.py",
        "tests/unit/test_igplus_montecarlo.py",
        "tests/unit/test_dashboards_areas.py",
        "tests/unit/test_page_text.py",
        "tests/unit/test_dashboards_shared_parts.py",
        "tests/unit/test_dashboards.py",
        "tests/unit/test_site_publish.py",
    ),
    # Great Expectations: imported and its context made once per process (assets/quality.py, ~3.5 s).
    ("tests/unit/test_landing_contracts.py", "tests/unit/test_quality.py"),
)
_UNIT_OF = {module: group[0] for group in SHARED_FIXTURES for module in group}

# Longest first (a group by its first module). A module missing from a run (another stage, -k) is
# simply not there.
LONG_MODULES = (
    # The integration stage (CPU seconds of one run, 2026-12-01). The first two each build one shared
    # refresh (tests/conftest.py), so they start side by side and neither waits on the other's lock.
    "tests/faults/test_refresh_kills.py",  # builds generated_home (~30), then five CLI refreshes (~40)
    "tests/integration/test_refresh_real.py",  # builds refreshed_home (~45)
    "tests/integration/test_refresh_plan.py",  # ~50
    "tests/integration/test_live_editions.py",  # ~36
    "tests/integration/test_records_pipeline.py",  # ~35
    "tests/integration/test_refresh_real_again.py",  # ~32
    "tests/faults/test_first_build_broken_source.py",  # ~23
    "tests/integration/test_live_refresh.py",  # ~20
    "tests/integration/test_igplus_real.py",  # ~17
    # The unit stage (CPU seconds of one run, 16:10 UTC, load 11-13).
    "tests/unit/test_records_check_mode.py",  # ~59 (a 33 s property search)
    "tests/unit/test_records_properties.py",  # ~48
    "tests/unit/test_igplus_index.py",  # ~35 with the site modules grouped with it
    "tests/unit/test_records_ingest.py",  # ~35
    "tests/unit/test_records_hardening.py",  # ~24
    "tests/unit/test_landing_contracts.py",  # ~11 with test_quality
    "tests/unit/test_records_measures.py",  # ~8
    "tests/unit/test_records_landing.py",  # ~7
    "tests/unit/test_records_frameworks.py",  # ~7
    "tests/unit/test_records_feedback.py",  # ~4
    "tests/unit/test_organisation_reports.py",  # ~4
)
_RANK = {path: rank for rank, path in enumerate(LONG_MODULES)}


def unit_of(module: str) -> str:
    """The work unit a module's tests go out in: its group's first module, or itself."""
    module = module.replace("\\", "/")
    return _UNIT_OF.get(module, module)


def rank(unit: str) -> int:
    """A unit's place in the hand-out order: its place in LONG_MODULES, else after all of them."""
    return _RANK.get(unit.replace("\\", "/"), len(LONG_MODULES))


class LongModulesFirst(LoadFileScheduling):
    """LoadFileScheduling with SHARED_FIXTURES' modules as one unit each, handing out the longest
    unit still waiting (by LONG_MODULES) next."""

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(super()._split_scope(nodeid))

    def _assign_work_unit(self, node) -> None:
        # min() keeps the first of equals, so unlisted modules stay in xdist's own order.
        self.workqueue.move_to_end(min(self.workqueue, key=rank), last=False)
        super()._assign_work_unit(node)
