"""Live discovery for sources.population against a LocalServer playing ONS and Nomis."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest

from sources import population
from sources.acquire import acquire
from sources.catalogue import parse_source
from sources.errors import SourceError
from sources.http import FetchError, HttpClient
from tests.fixtures.http_server import LocalServer

LANDING = population.ONS_LANDING
NEW = LANDING + "/mid20232023localauthorityboundarieseditionofthisdataset"
OLD = LANDING + "/mid2022"
NOMIS_PATH = "/api/v01/dataset/NM_2002_1.data.csv"
PAGE_ROWS = 25  # rows per Nomis page here (25,000 on the real API)
LADS = [("E06000001", 100), ("E06000002", 200), ("E06000003", 300), ("E07000163", 40), ("E09000001", 10)]


def landing_json(**extra) -> bytes:
    # Shape of https://www.ons.gov.uk/<dataset landing page>/data: editions under "datasets",
    # older edition listed first here so the test proves we pick by date, not position.
    return json.dumps(
        {
            "type": "dataset_landing_page",
            "uri": LANDING,
            "description": {
                "title": "Estimates of the population for England and Wales",
                "releaseDate": "2024-07-14T23:00:00.000Z",
                "nextRelease": "30 July 2025",
            },
            "datasets": [{"uri": OLD}, {"uri": NEW}],
            **extra,
        }
    ).encode()


def edition_json(uri, edition, released, files, versions=()) -> bytes:
    return json.dumps(
        {
            "type": "dataset",
            "uri": uri,
            "versions": list(versions),
            "description": {
                "title": "Estimates of the population for England and Wales",
                "edition": edition,
                "releaseDate": released,
            },
            "downloads": [{"file": f, "size": "832569"} for f in files],
        }
    ).encode()


def workbook_bytes(old: bool = False, first_version: bool = False) -> bytes:
    """mye23 (mid-2023 and a revised mid-2022), or the older mid-2022 edition (unrevised); the first
    version of mye23 had Hartlepool one person lower in mid-2023 (corrected since)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "MYE4"
    ws.append(["MYE4: Population estimates"])
    if old:
        ws.append(["Code", "Name", "Geography", "Mid-2022"])
        rows = [
            ("E92000001", "ENGLAND", "Country", 588),
            ("E12000001", "NORTH EAST", "Region", 588),
            ("E06000001", "Hartlepool", "Unitary Authority", 98),
            ("E06000002", "Middlesbrough", "Unitary Authority", 490),
        ]
    else:
        ws.append(["Code", "Name", "Geography", "Mid-2023", "Mid-2022"])
        rows = [
            ("E92000001", "ENGLAND", "Country", 599 if first_version else 600, 590),
            ("E12000001", "NORTH EAST", "Region", 599 if first_version else 600, 590),
            ("E06000001", "Hartlepool", "Unitary Authority", 100 if first_version else 101, 99),
            ("E06000002", "Middlesbrough", "Unitary Authority", 499, 491),
        ]
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def file_handler(req):
    """ONS serves each edition's file at /file?uri=<edition uri>/<name>."""
    uri = parse_qs(urlsplit(req.path).query)["uri"][0]
    return 200, {}, workbook_bytes(old=uri.startswith(OLD + "/"), first_version="/previous/v1/" in uri)


# What Nomis answers for date=latest (mid-2021 here) and for the back-fill, every mid-year from 2010.
NOMIS_DATES = {"latest": [2021], "latestMINUS11-latest": list(range(2010, 2022))}


def nomis_handler(page_rows: int, served: list, *, ignore_offset: bool = False):
    """Answer the Nomis query page by page, as the API does with recordoffset; a year back is one
    fewer person in every authority."""

    def handler(req):
        query = parse_qs(urlsplit(req.path).query)
        assert query["geography"] == ["TYPE432"] and query["c_age"] == ["200"]
        years = NOMIS_DATES[query["date"][0]]
        observations = [(year, code, value - (2021 - year)) for year in years for code, value in LADS]
        offset = 0 if ignore_offset else int(query.get("recordoffset", ["0"])[0])
        served.append(offset)
        out = io.StringIO()
        writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(
            [
                "DATE_NAME",
                "GEOGRAPHY_CODE",
                "GEOGRAPHY_TYPE",
                "GEOGRAPHY_TYPECODE",
                "C_AGE_NAME",
                "OBS_VALUE",
                "OBS_STATUS",
                "URN",
                "RECORD_OFFSET",
                "RECORD_COUNT",
            ]
        )
        for i, (year, code, value) in list(enumerate(observations))[offset : offset + page_rows]:
            writer.writerow(
                [
                    str(year),
                    code,
                    "local authorities: district / unitary (as of April 2021)",
                    432,
                    "All Ages",
                    value,
                    "A",
                    f"Nm-2002d1d1d{i}",
                    i,
                    len(observations),
                ]
            )
        return 200, {"Content-Type": "text/csv"}, out.getvalue().encode()

    return handler


@pytest.fixture
def server():
    with LocalServer() as srv:
        srv.static(LANDING + "/data", landing_json(), "application/json")
        srv.static(
            OLD + "/data",
            edition_json(OLD, "Mid-2022", "2023-11-22T00:00:00.000Z", ["mye22tablesew.xlsx"]),
            "application/json",
        )
        srv.static(
            NEW + "/data",
            edition_json(
                NEW,
                "Mid-2023 (2023 local authority boundaries)",
                "2024-07-14T23:00:00.000Z",
                ["mye23tablesew.xlsx", "mye23tablesew.csv"],
                # an earlier version of the edition, replaced by a correction: an edition of its own
                [{"uri": NEW + "/previous/v1", "updateDate": "2024-07-10T23:00:00.000Z", "correctionNotice": "x"}],
            ),
            "application/json",
        )
        srv.static(
            NEW + "/previous/v1/data",
            edition_json(
                NEW + "/previous/v1",
                "Mid-2023 (2023 local authority boundaries)",
                "2024-07-14T23:00:00.000Z",
                ["mye23tablesew.xlsx"],
            ),
            "application/json",
        )
        srv.routes["/file"] = file_handler
        srv.served_offsets = []
        srv.routes[NOMIS_PATH] = nomis_handler(PAGE_ROWS, srv.served_offsets)
        yield srv


def discover_here(srv):
    return lambda http: population.discover(http, ons_base=srv.url, nomis_base=srv.url, nomis_page_rows=PAGE_ROWS)


def test_discover_lists_every_edition_newest_first_and_pages_nomis(server, tmp_path):
    remote = discover_here(server)(HttpClient(tmp_path / "etags.json", retries=0))
    ons, old, first, *pages = remote
    assert ons.name == "mye23tablesew.xlsx"
    assert ons.url == f"{server.url}/file?uri={NEW}/mye23tablesew.xlsx"
    assert ons.release == "Mid-2023 (2023 local authority boundaries)" and ons.release_date == "2024-07-14"
    assert (old.name, old.release, old.release_date) == ("mye22tablesew.xlsx", "Mid-2022", "2023-11-22")
    assert first.url == f"{server.url}/file?uri={NEW}/previous/v1/mye23tablesew.xlsx" and first.immutable
    assert first.release == "Mid-2023 (2023 local authority boundaries) (previous version v1)"
    assert [(r.title, r.release_date, r.state) for r in remote.listed] == [
        ("next release (30 July 2025)", "2025-07-30", "announced"),
        ("Mid-2023 (2023 local authority boundaries)", "2024-07-14", "published"),
        ("Mid-2023 (2023 local authority boundaries) (previous version v1)", "2024-07-10", "superseded"),
        ("Mid-2022", "2023-11-22", "published"),
    ]
    # every mid-year from 2010: 12 years x 5 authorities = 60 rows, in pages of 25
    assert [urlsplit(p.url).query.split("recordoffset=")[1] for p in pages] == ["0", "25", "50"]
    assert all("date=latestMINUS11-latest" in p.url for p in pages)
    assert all(p.release == "mid-2010 to mid-2021" for p in pages)


def test_acquire_and_parse_live(server, tmp_path, archive):
    files, mode = acquire(
        "population",
        archive=archive,
        mirror=None,
        http=HttpClient(tmp_path / "etags.json", retries=0),
        discover=discover_here(server),
    )
    assert mode == "live" and len(files) == 6
    assert 50 in server.served_offsets  # the last page was really requested
    assert server.requested(f"/file?uri={NEW}/previous/v1/") != []  # the previous version is loaded too
    tables = parse_source("population", files)
    v = tables.values.set_index(["area_code", "period"]).value
    assert v[("E06000001", "2023")] == 101  # workbook, as corrected: never the first version's 100
    first = tables.edition_choice[tables.edition_choice.release.str.endswith("(previous version v1)")]
    assert len(first) == 1 and not first.used.any() and first.periods_superseded.tolist() == ["2022, 2023"]
    assert v[("E06000001", "2022")] == 99  # the revision, not the older edition's 98
    assert v[("E07000163", "2021")] == 40  # Nomis
    assert v[("E06000001", "2010")] == 89  # back-filled from Nomis: the workbooks start at mid-2022 here
    assert sorted(set(tables.values.period)) == [str(y) for y in range(2010, 2024)]
    assert v[("E09000001", "2021")] == 10
    assert len(tables.values[tables.values.period == "2021"]) == 5
    assert set(tables.values[tables.values.period == "2022"].release) == {"Mid-2023 (2023 local authority boundaries)"}
    assert tables.releases == [
        "Mid-2023 (2023 local authority boundaries)",
        "mid-2010 to mid-2021 (Nomis NM_2002_1, April 2021 LA boundaries)",
    ]
    # the next refresh fetches no archived edition again; only Nomis ("latest") is asked again
    requests = len([p for _, p, _ in server.requests if p.startswith("/file")])
    acquire(
        "population",
        archive=archive,
        mirror=None,
        http=HttpClient(tmp_path / "etags.json", retries=0),
        discover=discover_here(server),
    )
    assert len([p for _, p, _ in server.requests if p.startswith("/file")]) == requests


def test_truncated_nomis_page_is_caught(server, tmp_path, archive):
    # A Nomis server that silently stops after the first page, answering every offset with it.
    server.routes[NOMIS_PATH] = nomis_handler(3, [], ignore_offset=True)
    files, _ = acquire(
        "population",
        archive=archive,
        mirror=None,
        http=HttpClient(tmp_path / "etags.json", retries=0),
        discover=discover_here(server),
    )
    with pytest.raises(SourceError, match="record offset 0 appears twice"):
        population.parse(files)


def test_landing_page_with_downloads_directly_is_accepted(tmp_path):
    with LocalServer() as srv:
        body = json.loads(landing_json())
        body.update(datasets=[], downloads=[{"file": "mye24tablesew.xlsx"}])
        srv.static(LANDING + "/data", json.dumps(body).encode(), "application/json")
        [ons] = population.discover(HttpClient(retries=0), ons_base=srv.url, include_nomis=False)
    assert ons.url == f"{srv.url}/file?uri={LANDING}/mye24tablesew.xlsx"


def test_no_workbook_listed_is_a_fetch_error(tmp_path):
    with LocalServer() as srv:
        srv.static(LANDING + "/data", landing_json(datasets=[]), "application/json")
        with pytest.raises(FetchError, match="no edition lists an .xlsx"):
            population.discover(HttpClient(retries=0), ons_base=srv.url, include_nomis=False)
