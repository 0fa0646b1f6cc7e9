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
from sources.rough_sleeping.discover import COLLECTION_PATH, FIRST_YEAR
from tests.fixtures.http_server import LocalServer
from tests.unit.test_rough_sleeping import LAS_2022, LAS_2024, LAS_2025, count, edition_sheets, write_workbook

PAGE = "/api/content/government/statistics/rough-sleeping-snapshot-in-england-autumn-{year}"
THIS_YEAR = 2026  # fixed, so no test depends on today's date (a new year included)
LATEST = THIS_YEAR - 1  # this year's page answers 404: not published yet
FILE_PATH = f"/media/699daa58/Rough_sleeping_snapshot_in_England__autumn_{LATEST}.ods"


def content_item(attachments: list[dict]) -> bytes:
    return json.dumps(
        {"title": f"Rough sleeping snapshot in England: autumn {LATEST}", "details": {"attachments": attachments}}
    ).encode()


def attachments(base: str) -> list[dict]:
    title = f"Rough sleeping snapshot in England: autumn {LATEST}"
    return [
        {
            "title": f"{title} - tables (accessible)",
            "url": f"{base}/media/1/accessible.ods",
            "filename": "accessible.ods",
        },
        {"title": f"{title}", "url": f"{base}/media/2/statistical_release.pdf", "filename": "statistical_release.pdf"},
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
    server.static(PAGE.format(year=LATEST), content_item(attachments(server.url)), "application/json")
    import time_machine  # in requirements.lock (make setup)

    with time_machine.travel(datetime(THIS_YEAR, 12, 31, 23, 59, 59), tick=False):  # default: this year
        found = rs.discover(http, base_url=server.url)
    assert len(found) == 1
    assert found[0].url == server.url + FILE_PATH
    assert found[0].name == f"Rough_sleeping_snapshot_in_England__autumn_{LATEST}.ods"
    assert found[0].release == f"autumn {LATEST}"
    pages = [PAGE.format(year=y) for y in range(LATEST + 1, FIRST_YEAR - 1, -1)]
    # the series' collection first (not served here: 404), then the page pattern year by year
    assert [p for p in paths_requested(server) if p.startswith("/api/content")] == [COLLECTION_PATH, *pages]
    assert found.listed[0].title == f"autumn {LATEST}" and found.listed[0].state == "published"


def test_full_acquire_then_conditional_refetch(server, http, archive, ods_bytes):
    server.static(PAGE.format(year=LATEST), content_item(attachments(server.url)), "application/json")
    server.static(FILE_PATH, ods_bytes, "application/vnd.oasis.opendocument.spreadsheet")
    discover = partial(rs.discover, base_url=server.url, latest_year=THIS_YEAR)

    files, mode = acquire(rs.SOURCE_ID, archive=archive, mirror=None, http=http, discover=discover)
    assert mode == "live" and len(files) == 1
    assert files[0].origin == server.url + FILE_PATH and files[0].release == f"autumn {LATEST}"
    tables = rs.parse(files)
    assert tables.releases == [f"autumn {LATEST}"]
    westminster = tables.values[
        (tables.values.area_code == "E09000033")
        & (tables.values.period == str(LATEST))
        & (tables.values.indicator_id == "rough_sleeping_count")
    ]
    assert westminster.value.tolist() == [count("Westminster", LATEST)]

    again, _ = acquire(rs.SOURCE_ID, archive=archive, mirror=None, http=http, discover=discover)
    file_requests = [headers for _, path, headers in server.requests if path == FILE_PATH]
    assert len(file_requests) == 1  # a GOV.UK media URL is one edition's bytes: archived, not refetched
    assert again[0].sha256 == files[0].sha256
    provenance = json.loads((archive.root / rs.SOURCE_ID / files[0].sha256 / "provenance.json").read_text())
    assert len(provenance) == 1  # the 304 stored nothing new


def test_server_error_on_the_file_is_source_unavailable(server, http, archive):
    server.static(PAGE.format(year=LATEST), content_item(attachments(server.url)), "application/json")
    server.routes[FILE_PATH] = lambda req: (500, {}, b"boom")
    with pytest.raises(SourceUnavailable, match="source rough_sleeping could not be reached") as err:
        acquire(
            rs.SOURCE_ID,
            archive=archive,
            mirror=None,
            http=http,
            discover=partial(rs.discover, base_url=server.url, latest_year=THIS_YEAR),
        )
    assert err.value.source_id == "rough_sleeping" and "HTTP 500" in str(err.value)


def test_page_without_tables_attachment_lists_no_files(server, http, archive):
    only_accessible = attachments(server.url)[:2]
    server.static(PAGE.format(year=LATEST), content_item(only_accessible), "application/json")
    assert rs.discover(http, base_url=server.url, latest_year=THIS_YEAR) == []
    with pytest.raises(SourceUnavailable, match="listed no files"):
        acquire(
            rs.SOURCE_ID,
            archive=archive,
            mirror=None,
            http=http,
            discover=partial(rs.discover, base_url=server.url, latest_year=THIS_YEAR),
        )


def test_no_published_page_at_all_is_source_unavailable(server, http, archive):
    with pytest.raises(SourceUnavailable, match="no rough sleeping snapshot page found"):
        acquire(
            rs.SOURCE_ID,
            archive=archive,
            mirror=None,
            http=http,
            discover=partial(rs.discover, base_url=server.url, latest_year=THIS_YEAR),
        )
    assert PAGE.format(year=2019) in paths_requested(server)


# ---- every edition, a new release between two refreshes, a withdrawn one, the release calendar


def edition_page(server, year: int, published: str, withdrawn: bool = False) -> bytes:
    page = {
        "title": f"Rough sleeping snapshot in England: autumn {year}",
        "first_public_at": f"{published}T09:30:00.000+00:00",
        "details": {
            "attachments": [
                {
                    "title": f"Rough sleeping snapshot in England: autumn {year} - tables",
                    "url": f"{server.url}/media/{year}/Rough_sleeping_snapshot_in_England__autumn_{year}.ods",
                    "filename": f"Rough_sleeping_snapshot_in_England__autumn_{year}.ods",
                }
            ]
        },
    }
    if withdrawn:
        page["withdrawn_notice"] = {"explanation": "Withdrawn: errors found", "withdrawn_at": published}
    return json.dumps(page).encode()


def publish(server, tmp_path, year: int, published: str, las, **kwargs):
    """Serve edition `year`: its Content API page and its ODS tables (the described 2023-2025 layout)."""
    path = tmp_path / f"autumn{year}.ods"
    write_workbook(path, edition_sheets(year, las, cover=True))
    server.static(PAGE.format(year=year), edition_page(server, year, published, **kwargs), "application/json")
    server.static(f"/media/{year}/Rough_sleeping_snapshot_in_England__autumn_{year}.ods", path.read_bytes())


def calendar(server, entries: list[dict]):
    server.static("/api/search.json", json.dumps({"results": entries}).encode(), "application/json")


def media_requests(server) -> list[str]:
    return [path for _, path, _ in server.requests if path.startswith("/media/")]


def test_every_edition_is_loaded_and_only_a_new_release_is_fetched_next_time(server, http, archive, tmp_path):
    from sources.acquire import acquire as acquire_files
    from sources.catalogue import parse_source

    publish(server, tmp_path, LATEST - 2, f"{LATEST - 1}-02-27", LAS_2024)
    publish(server, tmp_path, LATEST - 1, f"{LATEST}-02-26", LAS_2025)
    calendar(
        server,
        [
            {
                "title": f"Rough sleeping snapshot in England: autumn {LATEST}",
                "link": f"/government/statistics/announcements/rough-sleeping-autumn-{LATEST}",
                "release_timestamp": f"{LATEST + 1}-02-25T09:30:00.000+00:00",
                "statistics_announcement_state": "confirmed",
            },
            {
                "title": "Statutory homelessness in England: July to September",
                "release_timestamp": f"{LATEST}-12-18T09:30:00.000+00:00",
            },
        ],
    )
    discover = partial(rs.discover, base_url=server.url, latest_year=LATEST)
    listed: list = []
    files, _ = acquire_files(rs.SOURCE_ID, archive=archive, mirror=None, http=http, discover=discover, listed=listed)
    assert sorted(f.release for f in files) == [f"autumn {LATEST - 2}", f"autumn {LATEST - 1}"]
    assert [(r.title, r.release_date, r.state) for r in listed] == [
        (f"Rough sleeping snapshot in England: autumn {LATEST}", f"{LATEST + 1}-02-25", "announced"),
        (f"autumn {LATEST - 1}", f"{LATEST}-02-26", "published"),
        (f"autumn {LATEST - 2}", f"{LATEST - 1}-02-27", "published"),
    ]
    tables = parse_source(rs.SOURCE_ID, files)
    # every year from 2010 comes from the newest edition; the older one is read and superseded
    assert set(tables.values.release) == {f"autumn {LATEST - 1}"}
    assert sorted(set(tables.values.period), key=int) == [str(y) for y in range(2010, LATEST)]
    older = tables.edition_choice.set_index("release").loc[f"autumn {LATEST - 2}"]
    assert not older.used and older.periods_superseded.startswith("2010, 2011")
    assert len(media_requests(server)) == 2

    # autumn LATEST is published between two refreshes: only its file is downloaded
    publish(server, tmp_path, LATEST, f"{LATEST + 1}-02-25", LAS_2025)
    before = len(media_requests(server))
    files, _ = acquire_files(
        rs.SOURCE_ID,
        archive=archive,
        mirror=None,
        http=http,
        discover=partial(rs.discover, base_url=server.url, latest_year=LATEST + 1),
    )
    assert media_requests(server)[before:] == [
        f"/media/{LATEST}/Rough_sleeping_snapshot_in_England__autumn_{LATEST}.ods"
    ]
    assert len(files) == 3
    newest = parse_source(rs.SOURCE_ID, files).values
    assert set(newest.release) == {f"autumn {LATEST}"} and str(LATEST) in set(newest.period)


def test_a_withdrawn_edition_is_listed_as_withdrawn_and_its_figures_are_not_used(server, http, archive, tmp_path):
    from sources.catalogue import parse_source

    publish(server, tmp_path, LATEST - 2, f"{LATEST - 1}-02-27", LAS_2024)
    publish(server, tmp_path, LATEST - 1, f"{LATEST}-02-26", LAS_2025)
    calendar(server, [])
    discover = partial(rs.discover, base_url=server.url, latest_year=LATEST)
    first, _ = acquire(rs.SOURCE_ID, archive=archive, mirror=None, http=http, discover=discover)
    assert len(first) == 2
    publish(server, tmp_path, LATEST - 1, f"{LATEST}-02-26", LAS_2025, withdrawn=True)
    listed: list = []
    files, _ = acquire(rs.SOURCE_ID, archive=archive, mirror=None, http=http, discover=discover, listed=listed)
    assert [f.release for f in files] == [f"autumn {LATEST - 2}"]
    assert [(r.title, r.state) for r in listed] == [
        (f"autumn {LATEST - 1}", "withdrawn"),
        (f"autumn {LATEST - 2}", "published"),
    ]
    assert set(parse_source(rs.SOURCE_ID, files).values.release) == {f"autumn {LATEST - 2}"}


# ---- editions before autumn 2019, found through the series' collection

# The Content API's document collection lists its pages under links.documents[] (title, api_path,
# base_path), as GOV.UK's content schemas give it. ../shared records neither the pre-2019 pages'
# slugs and titles nor a pre-2019 tables file, so: the older pages here have another slug and
# title ("Rough sleeping in England: autumn 2017"), which discovery must not depend on; the autumn
# 2017 tables follow the real autumn 2020 file's xlsx layout (../shared/data/rough_sleeping/SOURCE.md
# section 1: 'Table 1 Total', header on row 4, years 2010 onwards) as an assumption; and autumn 2016's
# tables cannot be read, which must not stop the source since every newer edition restates 2010 on.
OLD_PAGE = "/api/content/government/statistics/rough-sleeping-in-england-autumn-{year}"


def test_the_collection_finds_the_editions_before_2019_and_an_unreadable_older_one_is_set_aside(
    server, http, archive, tmp_path
):
    from sources.catalogue import parse_source

    publish(server, tmp_path, LATEST, f"{LATEST + 1}-02-25", LAS_2025)
    for year, readable in ((2017, True), (2016, False)):
        media = f"/media/{year}/rs_statistics{year}.xlsx"
        if readable:
            write_workbook(tmp_path / f"rs{year}.xlsx", edition_sheets(year, LAS_2022, layout="xlsx", rates=False))
            body = (tmp_path / f"rs{year}.xlsx").read_bytes()
        else:
            body = b"PK\x03\x04 not a workbook"
        server.static(media, body)
        page = {
            "title": f"Rough sleeping in England: autumn {year}",
            "first_public_at": f"{year + 1}-01-25T09:30:00.000+00:00",
            "details": {
                "attachments": [
                    {"title": f"Rough sleeping in England: autumn {year} - tables", "url": server.url + media}
                ]
            },
        }
        server.json(OLD_PAGE.format(year=year), page)
    server.json(
        COLLECTION_PATH,
        {
            "document_type": "document_collection",
            "title": "Homelessness statistics",
            "links": {
                "documents": [
                    {"title": "Statutory homelessness in England: April to June 2025", "api_path": "/api/x"},
                    *(
                        {
                            "title": f"Rough sleeping in England: autumn {y}",
                            "api_path": OLD_PAGE.format(year=y),
                            "base_path": OLD_PAGE.format(year=y).removeprefix("/api/content"),
                        }
                        for y in (2017, 2016)
                    ),
                ]
            },
        },
    )
    listed: list = []
    discover = partial(rs.discover, base_url=server.url, latest_year=LATEST)
    files, _ = acquire(rs.SOURCE_ID, archive=archive, mirror=None, http=http, discover=discover, listed=listed)
    assert sorted(f.release for f in files) == ["autumn 2016", "autumn 2017", f"autumn {LATEST}"]
    assert [r.title for r in listed if r.state == "published"] == [f"autumn {LATEST}", "autumn 2017", "autumn 2016"]
    assert "/api/x" not in paths_requested(server)  # not a rough sleeping edition
    tables = parse_source(rs.SOURCE_ID, files)
    assert set(tables.values.release) == {f"autumn {LATEST}"}  # it restates every year from 2010
    older = tables.edition_choice.set_index("release").loc["autumn 2017"]
    assert not older.used and older.periods_superseded == ", ".join(str(y) for y in range(2010, 2018))
    assert any(n.startswith("skipped rs_statistics2016.xlsx (autumn 2016): it could not be read") for n in tables.notes)
