"""Sets the clock of every Python process a frozen-clock test session starts (the CLI, the kill
points, Dagster's step processes) to the session's clock, so a child cannot read the real date.

tests/conftest.py puts this folder first on PYTHONPATH, and sets the variables below, only when the
session runs with INCLUSION_TEST_FROZEN_CLOCK. The names avoid the INCLUSION_ prefix because tests
strip INCLUSION_* settings from a child's environment. A ticking clock goes on from where the
session's clock is now (the session started at FROZEN_CLOCK_AT at real time FROZEN_CLOCK_ORIGIN).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import time
from datetime import datetime, timedelta


def _travel() -> None:
    at = os.environ.get("FROZEN_CLOCK_AT")
    if not at:
        return
    try:
        import time_machine
    except ImportError:  # a Python without the test tools: not one of ours
        return
    tick = os.environ.get("FROZEN_CLOCK_TICK", "1") != "0"
    start = datetime.fromisoformat(at)
    origin = os.environ.get("FROZEN_CLOCK_ORIGIN")
    if tick and origin:
        start += timedelta(seconds=time.time() - float(origin))
    time_machine.travel(start, tick=tick).start()
    time.time()  # time_machine ticks from the first read: make that now, not at the first use


def _chain() -> None:
    """Run the sitecustomize this one shadows (e.g. the distribution's), as Python would have."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is not None and spec.loader is not None:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


_travel()
_chain()
