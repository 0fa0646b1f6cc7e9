"""Shared test fixtures. Real publisher files are read from ../shared/data when it exists."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("INCLUSION_TEST_MIRROR", PROJECT.parent / "shared" / "data"))


def pytest_collection_modifyitems(config, items):
    skip_real = pytest.mark.skip(reason=f"real publisher files not found at {SHARED_DATA}")
    for item in items:
        if "realdata" in item.keywords and not SHARED_DATA.is_dir():
            item.add_marker(skip_real)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real-data mirror (../shared/data). Tests using it are marked realdata."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real publisher files not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def archive(tmp_path):
    from sources.archive import Archive
    return Archive(tmp_path / "archive")
