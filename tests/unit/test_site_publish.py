"""The site is published atomically (dashboards/sitefiles.py): built aside and swapped in one step,
so a build killed at any point leaves the previous site whole; files of areas no longer built go;
unchanged files are not rewritten; `inclusion serve` keeps serving across a swap."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import signal
import urllib.request
from pathlib import Path
from threading import Thread

import duckdb
import pytest

from dashboards import build_site, sitefiles
from dashboards.serve import make_server

from .test_dashboards import make_warehouse


def build_then_die(warehouse: Path, site: Path, after: int) -> None:
    """In a forked child: build the site and SIGKILL this process after writing the after-th file of
    the new version (a kill the build cannot catch or clean up after)."""
    original, count = sitefiles.SiteWriter.write_bytes, 0

    def write_then_die(self, relative, data):
        nonlocal count
        path = original(self, relative, data)
        count += 1
        if count == after:
            os.kill(os.getpid(), signal.SIGKILL)
        return path

    sitefiles.SiteWriter.write_bytes = write_then_die  # the child's copy of the class only
    build_site(warehouse, site, workers=1)


def snapshot(site: Path) -> dict[str, str]:
    """Every file reachable under site/, with its sha256."""
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    """The fixture warehouse and its first site (site -> site.versions/<id>), built once per module."""
    folder = tmp_path_factory.mktemp("published")
    warehouse = make_warehouse(folder / "w.duckdb")
    summary = build_site(warehouse, folder / "site", workers=1)
    return folder, summary


@pytest.fixture
def built(first_build, tmp_path):
    """A private copy of first_build (warehouse, the site's relative symlink and its versions), for a
    test that changes the warehouse or builds the site again."""
    folder, summary = first_build
    home = shutil.copytree(folder, tmp_path / "home", symlinks=True)
    return home / "w.duckdb", home / "site", summary


def test_site_is_a_symlink_to_one_complete_version(built):
    warehouse, site, summary = built
    assert site.is_symlink() and (site / "index.html").is_file()
    versions = [p for p in (site.parent / "site.versions").iterdir() if p.name != ".lock"]
    assert versions == [site.resolve()]
    assert summary["files_written"] > 0 and summary["files_unchanged"] == 0


@pytest.mark.parametrize("after", [1, 5, 12, 30])
def test_a_build_killed_midway_leaves_the_previous_site_whole(built, after):
    warehouse, site, _ = built
    before = snapshot(site)
    # The next build has different content, so a mix of old and new pages would show.
    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE marts.build_info SET value = '2024-04-01T08:00:00Z' WHERE key = 'built_at'")
    con.execute("UPDATE marts.indicator_values SET value = value + 1")
    con.close()
    child = multiprocessing.get_context("fork").Process(target=build_then_die, args=(warehouse, site, after))
    child.start()
    child.join(300)
    assert child.exitcode == -signal.SIGKILL, child.exitcode
    assert snapshot(site) == before  # nothing mixed in
    assert all(p.stat().st_size > 0 for p in site.rglob("*.html"))  # no empty page
    # The next build replaces the whole site, and the half-built version is gone.
    build_site(warehouse, site, workers=1)
    after_build = snapshot(site)
    assert after_build["index.html"] != before["index.html"]
    assert set(after_build) == set(before)
    assert [p for p in (site.parent / "site.versions").iterdir() if p.name != ".lock"] == [site.resolve()]


def test_files_of_areas_no_longer_built_disappear(built):
    warehouse, site, first = built
    areas = sorted(p for p in first["pages"] if p.startswith("areas/"))
    assert len(areas) >= 2
    keep = [areas[0].removeprefix("areas/").removesuffix(".html")]
    gone = areas[1].removeprefix("areas/").removesuffix(".html")
    assert (site / areas[1]).is_file()
    build_site(warehouse, site, area_codes=keep, workers=1)
    assert (site / areas[0]).is_file() and not (site / areas[1]).exists()
    assert not list((site / "data" / "areas").glob(f"{gone}-*"))


def test_unchanged_files_are_not_rewritten(built):
    warehouse, site, first = built
    index = site / "index.html"
    inode, page = index.stat().st_ino, (site / first["pages"][-1])
    page_inode = page.stat().st_ino
    second = build_site(warehouse, site, workers=1)
    assert second["files_written"] == 0 and second["files_unchanged"] == first["files_written"]
    assert index.stat().st_ino == inode and page.stat().st_ino == page_inode


def test_parallel_and_serial_builds_are_identical(first_build, tmp_path):
    warehouse = first_build[0] / "w.duckdb"  # read only
    serial = build_site(warehouse, tmp_path / "one", workers=1)
    parallel = build_site(warehouse, tmp_path / "two", workers=2)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    for key in ("pages", "bytes", "charts", "tables", "reading_ease", "downloads"):
        assert serial[key] == parallel[key], key


def test_serve_follows_the_swap(built):
    warehouse, site, _ = built
    server = make_server(site, port=0)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        first = urllib.request.urlopen(url, timeout=10).read()
        con = duckdb.connect(str(warehouse))
        con.execute("UPDATE marts.build_info SET value = '2024-04-01T08:00:00Z' WHERE key = 'built_at'")
        con.close()
        build_site(warehouse, site, workers=1)
        second = urllib.request.urlopen(url, timeout=10).read()
        assert first != second and second == (site / "index.html").read_bytes()
    finally:
        server.shutdown()
        server.server_close()


def test_a_site_built_before_versions_is_replaced(first_build, tmp_path):
    warehouse = first_build[0] / "w.duckdb"  # read only
    site = tmp_path / "site"
    (site / "areas").mkdir(parents=True)
    (site / "areas" / "E09999999.html").write_text("an old page")
    (site / "index.html").write_text("old")
    build_site(warehouse, site, workers=1)
    assert site.is_symlink() and not (site / "areas" / "E09999999.html").exists()
    assert sorted(os.listdir(site.parent / "site.versions")) == [".lock", site.resolve().name]


def test_text_cells_that_look_like_formulas_are_quoted(tmp_path):
    import pandas as pd

    from dashboards import sitefiles
    from dashboards.downloads import write_csv as _csv

    writer = sitefiles.SiteWriter(tmp_path, None)
    frame = pd.DataFrame(
        {
            "name": ["=1+2", "+44 1234", "-x", "@SUM(A1)", "plain", "", None],
            "value": [1, 2, 3, 4, 5, 6, 7],
            "mixed": [None, 1.5, "=A1", None, 2, None, None],
        }
    )
    _csv(frame, writer, "out.csv")
    back = pd.read_csv(tmp_path / "out.csv", keep_default_na=False)
    assert back["name"].tolist() == ["'=1+2", "'+44 1234", "'-x", "'@SUM(A1)", "plain", "", ""]
    assert back["mixed"].tolist()[2] == "'=A1" and back["value"].tolist() == list(range(1, 8))
    _csv(pd.DataFrame({"empty": [None, None]}, dtype=object), writer, "empty.csv")
