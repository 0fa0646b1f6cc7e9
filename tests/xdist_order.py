"""The order in which `--dist loadfile` hands test modules to the pytest-xdist workers: the longest
modules first, so the last module to finish is a short one and no core sits idle at the end.

pytest-xdist's own order is by number of tests, largest first; a module of a few long tests (a
property search over 40 workbooks) then goes last and runs alone while the other worker has
finished. LONG_MODULES lists the modules that cost the most CPU, longest first (measured with
`pytest -n 0 --durations=0`); every other module keeps xdist's order after them. The order changes
only when a module runs, never what it runs or whether it passes.
"""

from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

# Longest first. A module missing from a run (another stage, -k) is simply not there.
LONG_MODULES = (
    "tests/unit/test_records_properties.py",
    "tests/unit/test_records_ingest.py",
    "tests/unit/test_records_hardening.py",
    "tests/unit/test_igplus_index.py",
    "tests/unit/test_landing_contracts.py",
    "tests/unit/test_site_publish.py",
    "tests/unit/test_dashboards_areas.py",
    "tests/unit/test_dashboards.py",
    "tests/unit/test_event_log_storage.py",
    "tests/unit/test_records_measures.py",
    "tests/unit/test_refresh_retention.py",
    "tests/unit/test_page_text.py",
    "tests/unit/test_organisation_reports.py",
)
_RANK = {path: rank for rank, path in enumerate(LONG_MODULES)}


def rank(module: str) -> int:
    """A module's place in the hand-out order: its place in LONG_MODULES, else after all of them."""
    return _RANK.get(module.replace("\\", "/"), len(LONG_MODULES))


class LongModulesFirst(LoadFileScheduling):
    """LoadFileScheduling that hands out the longest module still waiting (by LONG_MODULES) next."""

    def _assign_work_unit(self, node) -> None:
        # min() keeps the first of equals, so unlisted modules stay in xdist's own order.
        self.workqueue.move_to_end(min(self.workqueue, key=rank), last=False)
        super()._assign_work_unit(node)
