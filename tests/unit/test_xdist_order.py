"""`--dist loadfile` hands the longest test modules out first, and modules sharing a costly
per-process fixture out together (tests/xdist_order.py)."""

from __future__ import annotations

from collections import OrderedDict

from tests.conftest import PROJECT
from tests.xdist_order import LONG_MODULES, SHARED_FIXTURES, LongModulesFirst


def test_every_listed_module_exists_once():
    """A renamed or removed module would silently fall back to xdist's order: the lists must name
    real files, each once."""
    grouped = [m for group in SHARED_FIXTURES for m in group]
    assert [m for m in [*LONG_MODULES, *grouped] if not (PROJECT / m).is_file()] == []
    assert len(set(LONG_MODULES)) == len(LONG_MODULES) and len(set(grouped)) == len(grouped)
    assert not {m for group in SHARED_FIXTURES for m in group[1:]} & set(LONG_MODULES)  # a group by its first


def test_long_units_go_first_longest_first_then_xdists_order(monkeypatch):
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


def test_modules_sharing_a_fixture_go_out_as_one_unit():
    scheduler = LongModulesFirst.__new__(LongModulesFirst)
    for group in SHARED_FIXTURES:
        assert {scheduler._split_scope(f"{m}::test_x[1]") for m in group} == {group[0]}
    assert scheduler._split_scope("tests/unit/test_words.py::test_x") == "tests/unit/test_words.py"
