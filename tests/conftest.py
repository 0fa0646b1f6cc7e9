"""Shared test fixtures (tests/README.md lists them). Real publisher files are read from
../shared/data (or $INCLUSION_TEST_MIRROR) when it exists.

Session-wide behaviour set here:
- CI=true turns a skipped browser test, or a test skipped because the mirror is missing, into a
  failure: CI must never pass by not testing.
- INCLUSION_TEST_FROZEN_CLOCK=2026-12-01T23:59:50 (or --frozen-clock=...) runs the whole session with
  the clock set there (it ticks on, so a run crosses midnight 10 s in);
  INCLUSION_TEST_FROZEN_CLOCK_TICK=0 holds it still instead. Python processes the tests start (the
  CLI, Dagster's step processes) read the same clock (tests/frozen_clock/).
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("INCLUSION_TEST_MIRROR", PROJECT.parent / "shared" / "data"))
IN_CI = os.environ.get("CI", "").lower() == "true"
REAL_FILES_MISSING = "real publisher files not found at"  # a skip saying this fails in CI
MIRROR_MISSING = f"{REAL_FILES_MISSING} {SHARED_DATA}"
FROZEN_CLOCK_DIR = Path(__file__).resolve().parent / "frozen_clock"


def real_file(path: Path) -> Path:
    """`path` (a file under ../shared) or a skip naming it: one reason, which CI turns into a failure."""
    if not path.exists():
        pytest.skip(f"{REAL_FILES_MISSING} {path}")
    return path


def pytest_addoption(parser):
    parser.addoption(
        "--frozen-clock",
        default=os.environ.get("INCLUSION_TEST_FROZEN_CLOCK", ""),
        help="ISO date-time the clock is set to for the whole session (default $INCLUSION_TEST_FROZEN_CLOCK)",
    )


def pytest_configure(config):
    when = config.getoption("--frozen-clock")
    if when:
        import time_machine

        tick = os.environ.get("INCLUSION_TEST_FROZEN_CLOCK_TICK", "1") != "0"
        if os.environ.get("FROZEN_CLOCK_AT") == when:
            return  # a worker of a frozen session: its clock was set as it started (sitecustomize)
        _set_the_clock_of_child_processes(when, tick)
        traveller = time_machine.travel(datetime.fromisoformat(when), tick=tick)
        traveller.start()
        time.time()  # time_machine ticks from the first read: make that now, as the children do
        config._inclusion_clock = traveller


def _set_the_clock_of_child_processes(when: str, tick: bool) -> None:
    """Python processes the tests start read the same clock (tests/frozen_clock/sitecustomize.py)."""
    os.environ.update(
        FROZEN_CLOCK_AT=when,
        FROZEN_CLOCK_TICK="1" if tick else "0",
        FROZEN_CLOCK_ORIGIN=repr(time.time()),  # real time, read before this process travels
        PYTHONPATH=os.pathsep.join(p for p in (str(FROZEN_CLOCK_DIR), os.environ.get("PYTHONPATH")) if p),
    )


def pytest_unconfigure(config):
    traveller = getattr(config, "_inclusion_clock", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    when = config.getoption("--frozen-clock")
    return [
        f"mirror: {SHARED_DATA} ({'present' if SHARED_DATA.is_dir() else 'absent'}); CI={IN_CI}"
        + (f"; clock set to {when}" if when else "")
    ]


# Fixtures that read ../shared: a test using one (directly or through another fixture) needs it.
NEEDS_SHARED = {"shared_data", "refreshed_home", "refreshed_copy"}


def pytest_collection_modifyitems(config, items):
    """Every test that needs ../shared is marked realdata (those marked by hand, and those using a
    fixture of NEEDS_SHARED), so `-m "not realdata"` runs exactly the tests that need no mirror;
    without the mirror they skip (a failure in CI)."""
    skip_real = pytest.mark.skip(reason=MIRROR_MISSING)
    for item in items:
        if NEEDS_SHARED & set(getattr(item, "fixturenames", ())) and "realdata" not in item.keywords:
            item.add_marker(pytest.mark.realdata)
        if "realdata" in item.keywords and not SHARED_DATA.is_dir():
            item.add_marker(skip_real)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile` hands the longest modules out first (tests/xdist_order.py): no idle core at the end."""
    if config.getvalue("dist") == "loadfile":
        from tests.xdist_order import LongModulesFirst

        return LongModulesFirst(config, log)
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a browser test that skips, or a test skipped for want of real files, fails instead."""
    outcome = yield
    report = outcome.get_result()
    if not (IN_CI and report.skipped):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if "browser" in item.keywords or REAL_FILES_MISSING in reason:
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run it: {reason}"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real-data mirror (../shared/data). Tests using it are marked realdata."""
    if not SHARED_DATA.is_dir():
        pytest.skip(MIRROR_MISSING)
    return SHARED_DATA


@pytest.fixture
def archive(tmp_path):
    from sources.archive import Archive

    return Archive(tmp_path / "archive")


def _shared_dir(tmp_path_factory) -> Path:
    """Where session fixtures that several pytest processes may share live: $INCLUSION_TEST_SHARED_DIR
    when set (CI: one refresh for the integration and browser stages), else the run's base temporary
    folder, which pytest-xdist's workers have in common (each worker's own is a subfolder of it)."""
    given = os.environ.get("INCLUSION_TEST_SHARED_DIR", "").strip()
    if given:
        folder = Path(given).resolve()
    elif os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.getbasetemp().parent / "shared"
    else:
        folder = tmp_path_factory.getbasetemp() / "shared"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def small_igplus_config(tmp_path_factory) -> Path:
    """config/igplus.v1.yaml with a 200-draw Monte Carlo: what every test refresh uses. Only
    tests/integration/test_igplus_real.py::test_monte_carlo_at_full_size runs the method at 2000."""
    from tests.fixtures.warehouses import shared_small_igplus_config

    return shared_small_igplus_config(_shared_dir(tmp_path_factory))


@pytest.fixture(scope="session")
def refreshed_home(tmp_path_factory, shared_data, small_igplus_config) -> Path:
    """One full refresh of the real mirror for the whole run (every xdist worker and, in CI, every
    stage shares it): <home>/warehouse.duckdb, site/, work/refresh.duckdb. Open it read-only
    (tests.integration.refresh_helpers.query); a test that refreshes again or writes takes
    `refreshed_copy` instead."""
    from tests.fixtures.warehouses import shared_refreshed_home

    return shared_refreshed_home(_shared_dir(tmp_path_factory), shared_data, small_igplus_config)


@pytest.fixture(scope="session")
def generated_mirror(tmp_path_factory) -> Path:
    """A small mirror written by tests/fixtures/mirror.py: every source, tiny files in the real
    layouts (eleven authorities). Needs no ../shared."""
    from tests.fixtures.mirror import shared_generated_mirror

    return shared_generated_mirror(_shared_dir(tmp_path_factory))


@pytest.fixture(scope="session")
def generated_home(tmp_path_factory, generated_mirror, small_igplus_config) -> Path:
    """One full refresh of `generated_mirror` for the whole run (warehouse, site, work database),
    shared like refreshed_home: a fault test that needs a whole warehouse and site, not the real
    data, starts from a copy of it (tests.fixtures.warehouses.copy_home)."""
    from tests.fixtures.warehouses import shared_refreshed_home

    return shared_refreshed_home(_shared_dir(tmp_path_factory), generated_mirror, small_igplus_config, "generated")


@pytest.fixture
def generated_copy(generated_home, tmp_path) -> Path:
    """A private copy of the session's refresh of the generated mirror, for a test that refreshes
    again or writes and needs a whole warehouse, not the real data."""
    from tests.fixtures.warehouses import copy_home

    return copy_home(generated_home, tmp_path / "generated_home")


@pytest.fixture
def refreshed_copy(refreshed_home, tmp_path) -> Path:
    """A private copy of the session's refreshed home, for a test that refreshes again or writes."""
    from tests.fixtures.warehouses import copy_home

    return copy_home(refreshed_home, tmp_path / "home")


@pytest.fixture(scope="session")
def sources_mart(tmp_path_factory) -> Path:
    """A DuckDB file whose marts.sources was built by the real SQL from tiny landing tables (one
    source, rough_sleeping, ok): the real column names and types, never a hand-made copy."""
    from tests.fixtures.warehouses import build_sources_mart

    return build_sources_mart(tmp_path_factory.mktemp("sources") / "sources.duckdb")
