"""`--dist loadfile` hands the longest test modules out first (tests/xdist_order.py)."""

from __future__ import annotations

from collections import OrderedDict

from tests.conftest import PROJECT
from tests.xdist_order import LONG_MODULES, LongModulesFirst


def test_every_long_module_exists():
    """A renamed or removed module would silently fall back to xdist's order: the list must name real files."""
    assert [m for m in LONG_MODULES if not (PROJECT / m).is_file()] == []
    assert len(set(LONG_MODULES)) == len(LONG_MODULES)


def test_long_modules_go_first_longest_first_then_xdists_order(monkeypatch):
    handed = []
    monkeypatch.setattr(
        "xdist.scheduler.LoadFileScheduling._assign_work_unit",
        lambda self, node: handed.append(self.workqueue.popitem(last=False)[0]),
    )
    scheduler = LongModulesFirst.__new__(LongModulesFirst)  # only the work queue is used here
    xdists_order = ["tests/unit/test_words.py", LONG_MODULES[2], "tests/unit/test_a.py", LONG_MODULES[0]]
    scheduler.workqueue = OrderedDict((m, {}) for m in xdists_order)
    while scheduler.workqueue:
        scheduler._assign_work_unit(node=None)
    assert handed == [LONG_MODULES[0], LONG_MODULES[2], "tests/unit/test_words.py", "tests/unit/test_a.py"]
