"""in_work_poverty live paths against a local server: GOV.UK discovery + download, and Stat-Xplore."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sources import in_work_poverty as iwp
from sources.acquire import acquire
from sources.http import HttpClient
from tests.fixtures.http_server import LocalServer

SLUG = "/government/statistics/children-in-low-income-families-local-area-statistics"
ODS_NAME = "children-in-low-income-families-local-area-statistics-2014-to-2021.ods"
ODS_PATH = f"/media/6241b7d5e90e075f0c9d0b5a/{ODS_NAME}"
HEADER = [
    "Local Authority [note 2]",
    "Area Code",
    "Number of children \nFYE 2021 \n[p]",
    "Percentage of children\nFYE 2021 \n(%)[p] [note 3]",
]


def tiny_ods(path) -> bytes:
    rows = [
        ["Table 1: children in low income families"],
        ["Back to Contents"],
        HEADER,
        ["United Kingdom [note 4]", "K02000001", 5417 + 91470, 0.3],
        ["Hartlepool", "E06000001", 5417, 0.301],
        ["Birmingham", "E08000025", 91470, 0.356],
    ]
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame(
            [
                [
                    "Children in Low Income Families: local area statistics, United Kingdom, "
                    "financial years ending (FYE) 2021 to 2021"
                ]
            ]
        ).to_excel(writer, sheet_name="Cover_sheet", header=False, index=False)
        for sheet in ("1_Relative_Local_Authority", "2_Absolute_Local_Authority"):
            pd.DataFrame(rows).to_excel(writer, sheet_name=sheet, header=False, index=False)
    return path.read_bytes()


def search_json(base: str) -> dict:
    """Shape of GET /api/search.json (fields as GOV.UK returns them by default)."""

    def result(years, stamp):
        return {
            "title": f"Children in low income families: local area statistics {years.replace('-', ' ')}",
            "link": f"{SLUG}-{years}",
            "format": "official_statistics",
            "public_timestamp": stamp,
            "description": "Statistics on the number and proportion "
            "of children living in low income families by local area.",
            "es_score": None,
            "_id": f"{SLUG}-{years}",
            "document_type": "edition",
        }

    return {
        "results": [
            result("2014-to-2020", "2022-06-01T09:30:00.000+01:00"),  # corrected later, older edition
            result("2014-to-2021", "2022-03-31T09:30:00.000+01:00"),
            {
                "title": "Children in low income families: local area statistics: background information",
                "link": "/government/publications/children-in-low-income-families-local-area-statistics-"
                "background-information-and-methodology",
                "public_timestamp": "2023-03-23T09:30:00Z",
            },
        ],
        "total": 3,
        "start": 0,
        "facets": {},
        "suggested_queries": [],
    }


def content_json(base: str) -> dict:
    """Shape of GET /api/content/government/statistics/<slug> with its attachments."""
    return {
        "base_path": f"{SLUG}-2014-to-2021",
        "content_id": "5c7a1b6e-0000-0000-0000-000000000000",
        "document_type": "official_statistics",
        "schema_name": "publication",
        "locale": "en",
        "title": "Children in low income families: local area statistics 2014 to 2021",
        "first_published_at": "2022-03-31T09:30:00.000+01:00",
        "details": {
            "attachments": [
                {
                    "attachment_type": "html",
                    "id": "x1",
                    "title": "Children in low income families: local area statistics, financial year ending 2021",
                    "url": f"{SLUG}-2014-to-2021/"
                    "children-in-low-income-families-local-area-statistics-financial-year-ending-2021",
                },
                {
                    "attachment_type": "file",
                    "id": "x2",
                    "content_type": "application/vnd.oasis.opendocument.spreadsheet",
                    "filename": ODS_NAME,
                    "file_size": 2494800,
                    "title": "Children in low income families: local area statistics 2014 to 2021",
                    "url": base + ODS_PATH,
                },
                {
                    "attachment_type": "file",
                    "id": "x3",
                    "content_type": "application/pdf",
                    "filename": "background.pdf",
                    "url": base + "/media/abc/background.pdf",
                },
            ],
        },
    }


def json_route(server, path, make):
    def handler(req):
        return 200, {"Content-Type": "application/json"}, json.dumps(make(server.url)).encode()

    server.routes[path] = handler


@pytest.fixture
def govuk(tmp_path):
    with LocalServer() as server:
        json_route(server, "/api/search.json", search_json)
        json_route(server, f"/api/content{SLUG}-2014-to-2021", content_json)
        server.static(ODS_PATH, tiny_ods(tmp_path / "tiny.ods"))
        yield server


def test_discover_picks_newest_edition_and_its_ods(govuk):
    files = iwp.discover(HttpClient(retries=0), base=govuk.url)
    assert [(f.name, f.release) for f in files] == [(ODS_NAME, "2014 to 2021")]
    assert files[0].url == govuk.url + ODS_PATH
    search = next(p for m, p, _ in govuk.requests if p.startswith("/api/search.json"))
    assert "filter_format=official_statistics" in search and "order=-public_timestamp" in search


def test_live_acquire_then_parse(govuk, archive, tmp_path):
    http = HttpClient(tmp_path / "validators.json", retries=0)
    files, mode = acquire(
        "in_work_poverty", archive=archive, mirror=None, http=http, discover=lambda h: iwp.discover(h, base=govuk.url)
    )
    assert mode == "live" and files[0].origin == govuk.url + ODS_PATH
    out = iwp.parse(files)
    hart = out.values[
        (out.values.area_code == "E06000001") & (out.values.indicator_id == "children_low_income_relative_pct")
    ].iloc[0]
    assert hart.value == pytest.approx(30.1) and hart.period == "2020/21"
    assert hart.observation_status == "provisional"
    # a second run reuses the archived edition without fetching it again (media URLs are immutable)
    again, _ = acquire(
        "in_work_poverty", archive=archive, mirror=None, http=http, discover=lambda h: iwp.discover(h, base=govuk.url)
    )
    assert again[0].sha256 == files[0].sha256
    assert sum(1 for m, p, _ in govuk.requests if p == ODS_PATH) == 1


def test_discover_without_a_release_is_a_fetch_error():
    from sources.http import FetchError

    with LocalServer() as server:
        json_route(server, "/api/search.json", lambda base: {"results": [], "total": 0})
        with pytest.raises(FetchError, match="no 'Children in low income families"):
            iwp.discover(HttpClient(retries=0), base=server.url)


# ---- Stat-Xplore -------------------------------------------------------------------------------


def _items(labels_uris):
    return [{"type": "ValueItem", "labels": [label], "uris": [uri]} for label, uri in labels_uris]


def statxplore_table(query: dict) -> dict:
    """A /v1/table answer shaped like Stat-Xplore's: fields/items, measures, cubes[uri].values."""
    db = query["database"].rsplit(":", 1)[-1]
    geo_field = query["dimensions"][0][0].replace("str:valueset:", "str:field:").rsplit(":", 1)[0]
    geo_value = query["dimensions"][0][0].replace("str:valueset:", "str:value:") + ":"
    geo = {
        "uri": geo_field,
        "label": "National - Regional - LA - OAs",
        "items": _items(
            [
                ("Hartlepool", geo_value + "E06000001"),
                ("Birmingham", geo_value + "E08000025"),
                ("Cardiff", geo_value + "W06000015"),
            ]
        ),
    }
    if db == "CILIF_REL":
        breakdown = {
            "uri": query["dimensions"][1][0],
            "label": "Work Status",
            "items": _items(
                [
                    (
                        "In Work",
                        query["dimensions"][1][0].replace("str:field:", "str:value:") + ":C_CILIF_EMPLOYMENT:1",
                    ),
                    (
                        "Not in Work",
                        query["dimensions"][1][0].replace("str:field:", "str:value:") + ":C_CILIF_EMPLOYMENT:2",
                    ),
                ]
            ),
        }
        period = {
            "uri": query["dimensions"][2][0],
            "label": "Year",
            "items": _items([("2020/21", "str:value:CILIF_REL:F_CILIF_DATE:DATE_NAME:C_CILIF_YEAR:2021")]),
        }
        values = [[[2900], [2517]], [[52000], [39470]], [[9000], [8000]]]
    else:
        breakdown = {
            "uri": query["dimensions"][1][0],
            "label": "Employment indicator",
            "items": _items(
                [
                    (
                        "Not in employment",
                        "str:value:UC_Monthly:V_F_UC_CASELOAD_FULL:EMPLOYMENT_CODE:C_UC_EMPLOYMENT_2023_BAND:0",
                    ),
                    (
                        "In employment",
                        "str:value:UC_Monthly:V_F_UC_CASELOAD_FULL:EMPLOYMENT_CODE:C_UC_EMPLOYMENT_2023_BAND:1",
                    ),
                ]
            ),
        }
        period = {
            "uri": query["dimensions"][2][0],
            "label": "Month",
            "items": _items(
                [
                    ("July 2023", "str:value:UC_Monthly:F_UC_DATE:DATE_NAME:C_UC_DATE:202307"),
                    ("August 2023", "str:value:UC_Monthly:F_UC_DATE:DATE_NAME:C_UC_DATE:202308"),
                ]
            ),
        }
        values = [[[9000, 9100], [6000, 6066]], [[120000, 121000], [80000, 81000]], [[20000, 20100], [12000, 12100]]]
    measure = query["measures"][0]
    return {
        "query": query,
        "database": {"uri": query["database"], "label": db},
        "measures": [{"uri": measure, "label": db}],
        "fields": [geo, breakdown, period],
        "cubes": {measure: {"values": values, "precision": 0}},
        "annotationMap": {},
    }


@pytest.fixture
def statxplore():
    with LocalServer() as server:
        server.bodies = []

        def table(req):
            body = json.loads(req.rfile.read(int(req.headers["Content-Length"])))
            server.bodies.append(body)
            if req.headers.get("APIKey") != "good-key":
                return 401, {"Content-Type": "application/json"}, b'{"message":"Invalid API key"}'
            return 200, {"Content-Type": "application/json"}, json.dumps(statxplore_table(body)).encode()

        server.routes["/webapi/rest/v1/table"] = table
        yield server


def test_statxplore_fetch_parses_cubes_into_tidy_rows(statxplore):
    result = iwp.fetch_statxplore(HttpClient(retries=0), "good-key", base=statxplore.url + "/webapi/rest")
    values, note = result
    assert note is None and set(values.area_code) == {"E06000001", "E08000025"}
    assert set(result.other_areas.area_code) == {"W06000015"}
    work = values[
        (values.indicator_id == "children_low_income_working_family_pct") & (values.area_code == "E06000001")
    ].iloc[0]
    assert work.period == "2020/21" and work.value == pytest.approx(100 * 2900 / 5417, abs=1e-4)
    uc = values[
        (values.indicator_id == "uc_in_employment_rate")
        & (values.area_code == "E08000025")
        & (values.period == "August 2023")
    ].iloc[0]
    assert uc.value == pytest.approx(100 * 81000 / 202000, abs=1e-4) and uc.unit == "percent"
    assert [b["database"] for b in statxplore.bodies] == ["str:database:CILIF_REL", "str:database:UC_Monthly"]
    assert statxplore.bodies[0]["dimensions"][1] == ["str:field:CILIF_REL:V_F_CILIF_REL:EMPLOYMENT"]
    assert all(h.get("APIKey") == "good-key" for m, p, h in statxplore.requests)


def test_statxplore_rejected_key_is_a_clear_error(statxplore):
    with pytest.raises(iwp.StatXploreKeyRejected) as err:
        iwp.fetch_statxplore(HttpClient(retries=0), "bad-key", base=statxplore.url + "/webapi/rest")
    msg = str(err.value)
    assert "in_work_poverty" in msg and "rejected the API key" in msg and "HTTP 401" in msg
    assert "bad-key" not in msg


def test_statxplore_without_key_makes_no_request(statxplore):
    values, note = iwp.fetch_statxplore(HttpClient(retries=0), None, base=statxplore.url + "/webapi/rest")
    assert values.empty and "STAT_XPLORE_API_KEY not set" in note
    assert statxplore.requests == []


# ---- every edition, a new one between two refreshes, a withdrawn one, the release calendar


def edition_ods(path, last_year: int, hartlepool: int) -> bytes:
    header = [
        "Local Authority [note 2]",
        "Area Code",
        f"Number of children \nFYE {last_year} \n[p]",
        f"Percentage of children\nFYE {last_year} \n(%)[p] [note 3]",
    ]
    rows = [
        ["Table 1: children in low income families"],
        ["Back to Contents"],
        header,
        ["United Kingdom [note 4]", "K02000001", hartlepool + 91470, 0.3],
        ["Hartlepool", "E06000001", hartlepool, 0.301],
        ["Birmingham", "E08000025", 91470, 0.356],
    ]
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame(
            [
                [
                    f"Children in Low Income Families: local area statistics, United Kingdom, "
                    f"financial years ending (FYE) {last_year} to {last_year}"
                ],
                [f"Published: 26 March {last_year + 1}"],
            ]
        ).to_excel(writer, sheet_name="Cover_sheet", header=False, index=False)
        for sheet in ("1_Relative_Local_Authority", "2_Absolute_Local_Authority"):
            pd.DataFrame(rows).to_excel(writer, sheet_name=sheet, header=False, index=False)
    return path.read_bytes()


class Publisher:
    """GOV.UK playing several CiLIF editions: search, content pages, ODS files, the calendar."""

    def __init__(self, server, tmp_path):
        self.server, self.tmp, self.editions, self.announced = server, tmp_path, {}, []
        json_route(server, "/api/search.json", self.search)

    def publish(self, first: int, last: int, hartlepool: int, withdrawn: bool = False):
        slug = f"{SLUG}-{first}-to-{last}"
        name = f"children-in-low-income-families-local-area-statistics-{first}-to-{last}.ods"
        self.editions[slug] = f"{last + 1}-03-26T09:30:00.000+00:00"
        self.server.static(f"/media/{last}/{name}", edition_ods(self.tmp / name, last, hartlepool))
        content = {
            "title": f"Children in low income families: local area statistics {first} to {last}",
            "first_published_at": self.editions[slug],
            "details": {"attachments": [{"filename": name, "url": f"{self.server.url}/media/{last}/{name}"}]},
        }
        if withdrawn:
            content["withdrawn_notice"] = {"explanation": "Superseded after an error was found"}
        json_route(self.server, f"/api/content{slug}", lambda base: content)

    def search(self, base):
        if "statistics_announcement" in (self.server.requests[-1][1] if self.server.requests else ""):
            return {"results": self.announced}
        return {
            "results": [
                {"link": slug, "public_timestamp": stamp, "format": "official_statistics"}
                for slug, stamp in self.editions.items()
            ]
        }


def media(server):
    return [p for _, p, _ in server.requests if p.startswith("/media/")]


def test_every_edition_then_only_the_new_one_and_withdrawn_ones_not_used(tmp_path, archive):
    from sources.catalogue import parse_source

    http = HttpClient(tmp_path / "validators.json", retries=0)
    with LocalServer() as server:
        gov = Publisher(server, tmp_path)
        gov.publish(2014, 2020, 5000)
        gov.publish(2014, 2021, 5417)
        gov.announced = [
            {
                "title": "Children in low income families: local area statistics, FYE 2022",
                "link": "/government/statistics/announcements/cilif-2022",
                "release_timestamp": "2023-03-23T09:30:00.000+00:00",
                "statistics_announcement_state": "confirmed",
            }
        ]
        discover = lambda h: iwp.discover(h, base=server.url)  # noqa: E731
        listed: list = []
        files, _ = acquire("in_work_poverty", archive=archive, mirror=None, http=http, discover=discover, listed=listed)
        assert sorted(f.release for f in files) == ["2014 to 2020", "2014 to 2021"]
        assert [(r.title, r.release_date, r.state) for r in listed] == [
            ("Children in low income families: local area statistics, FYE 2022", "2023-03-23", "announced"),
            ("2014 to 2021", "2022-03-26", "published"),
            ("2014 to 2020", "2021-03-26", "published"),
        ]
        tables = parse_source("in_work_poverty", files)
        assert tables.values.groupby("period").release.agg(set).to_dict() == {
            "2019/20": {"FYE 2020 to 2020 (published 26 March 2021)"},
            "2020/21": {"FYE 2021 to 2021 (published 26 March 2022)"},
        }

        before = len(media(server))
        gov.publish(2014, 2022, 5600)
        gov.publish(2014, 2021, 5417, withdrawn=True)
        listed = []
        files, _ = acquire("in_work_poverty", archive=archive, mirror=None, http=http, discover=discover, listed=listed)
        assert media(server)[before:] == [
            "/media/2022/children-in-low-income-families-local-area-statistics-2014-to-2022.ods"
        ]
        assert sorted(f.release for f in files) == ["2014 to 2020", "2014 to 2022"]
        assert ("2014 to 2021", "withdrawn") in [(r.title, r.state) for r in listed]
        values = parse_source("in_work_poverty", files).values
        assert not values.release.str.contains("FYE 2021 to 2021").any()
