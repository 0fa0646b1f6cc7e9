"""Live path for rough sleeping: GOV.UK Content API discovery and download, against LocalServer."""
from __future__ import annotations

import json
from datetime import datetime
from functools import partial

import pytest

import sources.rough_sleeping as rs
from sources.acquire import acquire
from sources.errors import SourceUnavailable
from sources.http import HttpClient
from tests.fixtures.http_server import LocalServer
from tests.unit.test_rough_sleeping import LAS_2025, count, edition_sheets, write_workbook

PAGE = "/api/content/government/statistics/rough-sleeping-snapshot-in-england-autumn-{year}"
THIS_YEAR = 2026                      # fixed, so no test depends on today's date (a new year included)
LATEST = THIS_YEAR - 1                # this year's page answers 404: not published yet
FILE_PATH = f"/media/699daa58/Rough_sleeping_snapshot_in_England__autumn_{LATEST}.ods"


def content_item(attachments: list[dict]) -> bytes:
    return json.dumps({"title": f"Rough sleeping snapshot in England: autumn {LATEST}",
                       "details": {"attachments": attachments}}).encode()


def attachments(base: str) -> list[dict]:
    title = f"Rough sleeping snapshot in England: autumn {LATEST}"
    return [
        {"title": f"{title} - tables (accessible)", "url": f"{base}/media/1/accessible.ods",
         "filename": "accessible.ods"},
        {"title": f"{title}", "url": f"{base}/media/2/statistical_release.pdf",
         "filename": "statistical_release.pdf"},
        {"title": f"{title} - tables", "url": base + FILE_PATH, "filename": FILE_PATH.rsplit("/", 1)[1]},
    ]


@pytest.fixture
def ods_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("ods") / "edition.ods"
    write_workbook(path, edition_sheets(LATEST, LAS_2025, cover=True))
    return path.read_bytes()


@pytest.fixture
def server():
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def http(tmp_path):
    return HttpClient(tmp_path / "http_cache.json", timeout=5, retries=1, backoff=0.01)


def paths_requested(server):
    return [path for _, path, _ in server.requests]


def test_discover_walks_back_from_this_year_and_picks_the_tables_file(server, http):
    server.static(PAGE.format(year=LATEST), content_item(attachments(server.url)),
                  "application/json")
    import time_machine  # in requirements.lock (make setup)

    with time_machine.travel(datetime(THIS_YEAR, 12, 31, 23, 59, 59), tick=False):  # default: this year
        found = rs.discover(http, base_url=server.url)
    assert len(found) == 1
    assert found[0].url == server.url + FILE_PATH
    assert found[0].name == f"Rough_sleeping_snapshot_in_England__autumn_{LATEST}.ods"
    assert found[0].release == f"autumn {LATEST}"
    assert paths_requested(server) == [PAGE.format(year=LATEST + 1), PAGE.format(year=LATEST)]


def test_full_acquire_then_conditional_refetch(server, http, archive, ods_bytes):
    server.static(PAGE.format(year=LATEST), content_item(attachments(server.url)),
                  "application/json")
    server.static(FILE_PATH, ods_bytes, "application/vnd.oasis.opendocument.spreadsheet")
    discover = partial(rs.discover, base_url=server.url, latest_year=THIS_YEAR)

    files, mode = acquire(rs.SOURCE_ID, archive=archive, mirror=None, http=http, discover=discover)
    assert mode == "live" and len(files) == 1
    assert files[0].origin == server.url + FILE_PATH and files[0].release == f"autumn {LATEST}"
    tables = rs.parse(files)
    assert tables.releases == [f"autumn {LATEST}"]
    westminster = tables.values[(tables.values.area_code == "E09000033")
                                & (tables.values.period == str(LATEST))
                                & (tables.values.indicator_id == "rough_sleeping_count")]
    assert westminster.value.tolist() == [count("Westminster", LATEST)]

    again, _ = acquire(rs.SOURCE_ID, archive=archive, mirror=None, http=http, discover=discover)
    file_requests = [headers for _, path, headers in server.requests if path == FILE_PATH]
    assert len(file_requests) == 2
    assert "If-None-Match" not in file_requests[0] and file_requests[1]["If-None-Match"]
    assert again[0].sha256 == files[0].sha256
    provenance = json.loads((archive.root / rs.SOURCE_ID / files[0].sha256 / "provenance.json")
                            .read_text())
    assert len(provenance) == 1          # the 304 stored nothing new


def test_server_error_on_the_file_is_source_unavailable(server, http, archive):
    server.static(PAGE.format(year=LATEST), content_item(attachments(server.url)),
                  "application/json")
    server.routes[FILE_PATH] = lambda req: (500, {}, b"boom")
    with pytest.raises(SourceUnavailable, match="source rough_sleeping could not be reached") as err:
        acquire(rs.SOURCE_ID, archive=archive, mirror=None, http=http,
                discover=partial(rs.discover, base_url=server.url, latest_year=THIS_YEAR))
    assert err.value.source_id == "rough_sleeping" and "HTTP 500" in str(err.value)


def test_page_without_tables_attachment_lists_no_files(server, http, archive):
    only_accessible = attachments(server.url)[:2]
    server.static(PAGE.format(year=LATEST), content_item(only_accessible),
                  "application/json")
    assert rs.discover(http, base_url=server.url, latest_year=THIS_YEAR) == []
    with pytest.raises(SourceUnavailable, match="listed no files"):
        acquire(rs.SOURCE_ID, archive=archive, mirror=None, http=http,
                discover=partial(rs.discover, base_url=server.url, latest_year=THIS_YEAR))


def test_no_published_page_at_all_is_source_unavailable(server, http, archive):
    with pytest.raises(SourceUnavailable, match="no rough sleeping snapshot page found"):
        acquire(rs.SOURCE_ID, archive=archive, mirror=None, http=http,
                discover=partial(rs.discover, base_url=server.url, latest_year=THIS_YEAR))
    assert PAGE.format(year=2019) in paths_requested(server)
