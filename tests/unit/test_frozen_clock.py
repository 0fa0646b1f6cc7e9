"""A frozen-clock session sets the clock of the Python processes its tests start, too
(tests/frozen_clock/sitecustomize.py, switched on by tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import FROZEN_CLOCK_DIR

READ_CLOCK = "from datetime import datetime; print(datetime.now().isoformat())"


def _child_now(env: dict[str, str]) -> datetime:
    proc = subprocess.run([sys.executable, "-c", READ_CLOCK], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return datetime.fromisoformat(proc.stdout.strip().splitlines()[-1])


def _env(**clock: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FROZEN_CLOCK_")}
    return {**env, "PYTHONPATH": str(FROZEN_CLOCK_DIR), **clock}


def test_a_child_reads_the_clock_it_is_given():
    assert _child_now(_env(FROZEN_CLOCK_AT="2026-12-31T23:59:50", FROZEN_CLOCK_TICK="0")) == datetime(
        2026, 12, 31, 23, 59, 50
    )


def _real_time(scratch: Path) -> float:
    """The kernel's clock (a file's mtime), which a frozen session's time.time() does not show."""
    scratch.touch()
    return scratch.stat().st_mtime


def test_a_ticking_clock_goes_on_from_where_the_session_is(tmp_path: Path):
    # The session set the clock 20 real seconds ago, so the child is past midnight.
    started = repr(_real_time(tmp_path / "now") - 20)
    now = _child_now(_env(FROZEN_CLOCK_AT="2026-12-31T23:59:50", FROZEN_CLOCK_ORIGIN=started))
    assert now >= datetime(2027, 1, 1, 0, 0, 10)


def test_the_sitecustomize_it_shadows_still_runs(tmp_path: Path):
    (tmp_path / "sitecustomize.py").write_text("import builtins; builtins.SHADOWED_RAN = True\n")
    env = {**_env(FROZEN_CLOCK_AT="2026-12-31T23:59:50", FROZEN_CLOCK_TICK="0")}
    env["PYTHONPATH"] = os.pathsep.join([str(FROZEN_CLOCK_DIR), str(tmp_path)])
    code = "import builtins; print(getattr(builtins, 'SHADOWED_RAN', False))"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "True", proc.stderr


def test_in_a_frozen_session_children_share_the_sessions_clock(pytestconfig):
    if not pytestconfig.getoption("--frozen-clock"):
        pytest.skip("the session runs on the real clock (make test-frozen sets it)")
    before = datetime.now()
    child = _child_now({**os.environ})
    after = datetime.now()
    assert before - timedelta(seconds=1) <= child <= after + timedelta(seconds=1)
