"""`inclusion refresh` pauses Python's collector while Dagster and the definitions load, then freezes
what they made (pipelines/cli.py, _pause_collector), but only in the command line's own process:
called from a program (a test, a script), the collector is left as it was."""

import gc
import sys

import pytest

from pipelines import cli


@pytest.fixture
def seen(monkeypatch):
    """What the collector was doing inside the refresh, before and after the definitions loaded
    (the refresh itself is replaced: nothing is run)."""
    states: dict[str, tuple[bool, int]] = {}

    def fake_refresh(args, loaded):
        states["loading"] = (gc.isenabled(), gc.get_freeze_count())
        loaded()
        states["loaded"] = (gc.isenabled(), gc.get_freeze_count())
        loaded()  # a second call changes nothing
        return 0

    monkeypatch.setattr(cli, "_refresh", fake_refresh)
    yield states
    gc.unfreeze()  # the test process's objects go back to the collector
    gc.enable()


def test_a_refresh_called_from_a_program_leaves_the_collector_alone(seen):
    frozen = gc.get_freeze_count()
    assert cli.main(["refresh"]) == 0
    assert seen == {"loading": (True, frozen), "loaded": (True, frozen)}
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_the_command_lines_own_refresh_pauses_the_collector_until_loaded(seen, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["inclusion", "refresh"])
    assert cli.main() == 0
    assert seen["loading"][0] is False  # paused while loading
    enabled, frozen = seen["loaded"]
    assert enabled and frozen > 0  # then what was made is frozen and the collector runs again
    assert gc.isenabled()
