"""Live discovery and download for living_wage_ashe against a LocalServer.

The server answers like the ONS website's dataset JSON (`{page}/data`, `/file?uri=...`) and the
Nomis API (geography TYPE code list, data CSV), with small synthetic bodies of the recorded shape.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest

import sources.living_wage_ashe as lw
from sources.acquire import acquire
from sources.errors import SourceUnavailable
from sources.http import HttpClient
from sources.living_wage_ashe.discover import ASHE_TABLE8_PATH, LWF_PATH, edition_rank
from tests.fixtures.http_server import LocalServer
from tests.fixtures.mirror import LWF_TITLE as TITLE
from tests.fixtures.mirror import lwf_workbook
from tests.fixtures.nomis import ASHE_COLUMNS as NOMIS_COLUMNS

EDITIONS = ["2021revised", "2022provisional", "april2017and2018", "2020revised"]
ZIP_NAME = "livingwagebyworkgeography2022provisional.zip"


def lwf_zip() -> bytes:
    est = [
        ("England", "E92000001", 2951.0, 12.5),
        ("Darlington UA", "E06000005", 8.0, 14.5),
        ("Hartlepool UA", "E06000001", "x", "x"),
    ]
    cvs = [
        ("England", "E92000001", 0.7, 0.7),
        ("Darlington UA", "E06000005", 16.0, 15.0),
        ("Hartlepool UA", "E06000001", 23.0, "x"),
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("PROV - Work Geography LWF Table 7 LWF.1a   lwfmgx 2022.xlsx", lwf_workbook(est))
        zf.writestr("PROV - Work Geography LWF Table 7 LWF.1b   lwfmgx 2022 CV.xlsx", lwf_workbook(cvs))
        zf.writestr("PROV - Work PC LWF Table 9 LWF.1a   lwfmgx 2022.xlsx", lwf_workbook(est))
    return out.getvalue()


NOMIS_YEARS = [str(y) for y in range(2014, 2024)]  # what date=latestMINUS9-latest answers


def nomis_csv(dataset_number: str, observations, years=("2023",)) -> bytes:
    """Nomis's CSV: each observation for each year (the value falls 10p a year going back)."""
    rows = []
    for year in years:
        rows += _nomis_rows(dataset_number, observations, year, step=2023 - int(year))
    for offset, row in enumerate(rows):
        row["RECORD_OFFSET"], row["RECORD_COUNT"] = str(offset), str(len(rows))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=NOMIS_COLUMNS, quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _nomis_rows(dataset_number: str, observations, year: str, step: int) -> list[dict]:
    """Hourly (pay 5) and weekly (pay 1: 37.5 hours' worth) gross median pay, value and CV rows."""
    rows = []
    for (i, (code, name, value, cv)), (pay, pay_name, hours) in (
        (o, p)
        for p in (("1", "Weekly pay - gross", 37.5), ("5", "Hourly pay - gross", 1.0))
        for o in enumerate(observations)
    ):
        for measure, obs in ((20100, round((value - 0.1 * step) * hours, 2)), (20701, cv)):
            row = dict.fromkeys(NOMIS_COLUMNS, "")
            row.update(
                {
                    "DATE": year,
                    "DATE_NAME": year,
                    "GEOGRAPHY": str(1811939329 + i),
                    "GEOGRAPHY_NAME": name,
                    "GEOGRAPHY_CODE": code,
                    "SEX": "8",
                    "SEX_NAME": "Total",
                    "ITEM": "2",
                    "ITEM_NAME": "Median",
                    "PAY": pay,
                    "PAY_NAME": pay_name,
                    "MEASURES": str(measure),
                    "MEASURES_NAME": "Value" if measure == 20100 else "Confidence",
                    "OBS_VALUE": str(obs),
                    "OBS_STATUS": "A",
                    "OBS_STATUS_NAME": "Normal Value",
                    "OBS_CONF": "F",
                    "URN": f"Nm-{dataset_number}d1d32e0d{1811939329 + i}d8d2d{pay}d{measure}",
                }
            )
            rows.append(row)
    return rows


def nomis_route(dataset_number: str, observations):
    """Nomis's data API: the one-row latest-year probe (select=date_name), and every April from
    2014 for date=latestMINUS9-latest, with ETags as Nomis sends them; anything else is a 400."""
    bodies = {
        "probe": b'"DATE_NAME"\r\n"2023"\r\n',
        "latestMINUS9-latest": nomis_csv(dataset_number, observations, NOMIS_YEARS),
        "latest": nomis_csv(dataset_number, observations),
    }

    def handler(req):
        query = {k: v[0] for k, v in parse_qs(urlsplit(req.path).query).items()}
        key = "probe" if query.get("select") == "date_name" else query.get("date", "")
        if key not in bodies:
            return 400, {}, b"bad date"
        etag = f'"{dataset_number}-{key}"'
        if req.headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"ETag": etag, "Content-Type": "text/csv"}, bodies[key]

    return handler


def geography_types() -> dict:
    codes = [
        {"value": 480, "description": {"value": "regions", "lang": "en"}},
        {
            "value": 432,
            "description": {"value": "local authorities: district / unitary (as of April 2021)", "lang": "en"},
        },
        {
            "value": 424,
            "description": {"value": "local authorities: district / unitary (as of April 2023)", "lang": "en"},
        },
        {
            "value": 431,
            "description": {"value": "local authorities: county / unitary (as of April 2023)", "lang": "en"},
        },
    ]
    return {"structure": {"codelists": {"codelist": [{"code": codes}]}}}


def json_route(doc):
    body = json.dumps(doc).encode()
    return lambda req: (200, {"Content-Type": "application/json"}, body)


@pytest.fixture
def server():
    with LocalServer() as srv:
        srv.routes[f"{LWF_PATH}/data"] = json_route(
            {"type": "dataset_landing_page", "datasets": [{"uri": f"{LWF_PATH}/{e}"} for e in EDITIONS]}
        )
        srv.routes[f"{LWF_PATH}/2022provisional/data"] = json_route(
            {
                "type": "dataset",
                "uri": f"{LWF_PATH}/2022provisional",
                "description": {"edition": "2022 provisional", "releaseDate": "2022-10-11T23:00:00.000Z"},
                "downloads": [{"file": ZIP_NAME, "size": "123"}],
            }
        )
        zip_body = lwf_zip()
        expected_uri = f"{LWF_PATH}/2022provisional/{ZIP_NAME}"

        def ons_file(req):
            uri = parse_qs(urlsplit(req.path).query).get("uri", [""])[0]
            return (200, {}, zip_body) if uri == expected_uri else (404, {}, b"no such file")

        srv.routes["/file"] = ons_file
        for dataset, number, obs in (
            ("NM_30_1", "30", [("E06000005", "Darlington", 14.2, 3.0), ("E92000001", "England", 17.1, 0.4)]),
            ("NM_99_1", "99", [("E06000005", "Darlington", 13.5, 4.0), ("S12000030", "Stirling", 15.0, 6.0)]),
        ):
            srv.routes[f"/api/v01/dataset/{dataset}/geography/TYPE.def.sdmx.json"] = json_route(geography_types())
            srv.routes[f"/api/v01/dataset/{dataset}.data.csv"] = nomis_route(number, obs)
        yield srv


def live(srv):
    return lambda http: lw.discover(http, ons_base=srv.url, nomis_base=srv.url)


def test_editions_rank_newest_year_then_revised():
    assert max(EDITIONS, key=edition_rank) == "2022provisional"
    assert max(["2022provisional", "2022revised"], key=edition_rank) == "2022revised"
    assert max(["2022revised", "2023provisional"], key=edition_rank) == "2023provisional"


def test_discover_lists_newest_edition_and_nomis_extracts(server, tmp_path):
    files = lw.discover(HttpClient(tmp_path / "v.json", retries=0), ons_base=server.url, nomis_base=server.url)
    assert [f.name for f in files] == [
        ZIP_NAME,
        "nomis_NM_30_1_median_pay.csv",
        "nomis_NM_99_1_median_pay.csv",
    ]
    assert files[0].url == f"{server.url}/file?uri={LWF_PATH}/2022provisional/{ZIP_NAME}"
    assert files[0].release == "2022 provisional"
    query = parse_qs(urlsplit(files[1].url).query)
    assert {k: v[0] for k, v in query.items()} == {
        "geography": "TYPE424,2092957699",  # the newest LA vintage, and England
        "date": "latestMINUS9-latest",  # every April from 2014 to the latest (2023 here)
        "sex": "8",
        "item": "2",
        "pay": "1,5",  # weekly and hourly gross
        "measures": "20100,20701",
    }


def test_acquire_and_parse_end_to_end(server, tmp_path, archive):
    http = HttpClient(tmp_path / "validators.json", retries=0)
    files, mode = acquire(lw.SOURCE_ID, archive=archive, mirror=None, http=http, discover=live(server))
    assert mode == "live" and len(files) == 3
    tables = lw.parse(files)
    v = tables.values.set_index(["indicator_id", "area_code", "period"])
    assert v.loc[("jobs_below_living_wage_pct", "E06000005", "2022"), "value"] == 14.5
    assert v.loc[("jobs_below_living_wage_pct", "E06000001", "2022"), "observation_status"] == "suppressed"
    resident = (
        tables.values.set_index(["indicator_id", "area_code", "period"])
        .sort_index()
        .loc[("median_hourly_pay_resident", "E06000005")]
    )
    assert resident.loc["2023"].value == 14.2 and resident.loc["2023"].unit == "gbp_per_hour"
    assert resident.loc["2023"].lower_ci == pytest.approx(14.2 * (1 - 1.96 * 0.03))
    assert sorted(resident.index) == NOMIS_YEARS  # back-filled from April 2014
    assert resident.loc["2014"].value == pytest.approx(13.3) and resident.loc["2014"].release == "2014 (Nomis NM_30_1)"
    workplace = tables.values.set_index(["indicator_id", "area_code", "period"]).value
    assert workplace[("median_hourly_pay_workplace", "E06000005", "2023")] == 13.5
    weekly = tables.values[tables.values.indicator_id == "median_weekly_pay_resident"].set_index("period")
    assert sorted(set(weekly.index)) == NOMIS_YEARS and set(weekly.unit) == {"gbp"}
    assert weekly[weekly.area_code == "E06000005"].loc["2014"].value == pytest.approx(13.3 * 37.5)
    assert workplace[("median_weekly_pay_workplace", "E06000005", "2023")] == pytest.approx(13.5 * 37.5)
    aggregates = tables.aggregates.set_index(["indicator_id", "area_code", "period"]).value
    assert aggregates[("median_hourly_pay_resident", "E92000001", "2023")] == 17.1
    assert aggregates[("median_hourly_pay_resident", "E92000001", "2014")] == pytest.approx(16.2)
    assert "S12000030" not in set(tables.values.area_code) | set(tables.aggregates.area_code)
    assert "2022 provisional" in tables.releases

    # A second refresh sends validators; unchanged Nomis extracts come back 304 and are reused.
    again, _ = acquire(lw.SOURCE_ID, archive=archive, mirror=None, http=http, discover=live(server))
    assert [f.sha256 for f in again] == [f.sha256 for f in files]
    conditional = [h for method, path, h in server.requests if path.startswith("/api/v01/dataset/NM_30_1.data.csv")]
    assert "If-None-Match" in conditional[-1]


def test_landing_page_without_editions_is_unavailable(tmp_path, archive):
    with LocalServer() as srv:
        srv.routes[f"{LWF_PATH}/data"] = json_route({"type": "dataset_landing_page", "datasets": []})
        with pytest.raises(SourceUnavailable, match="lists no editions"):
            acquire(
                lw.SOURCE_ID,
                archive=archive,
                mirror=None,
                http=HttpClient(tmp_path / "v.json", retries=0),
                discover=live(srv),
            )


def test_ashe_table8_is_optional_and_uses_the_same_api(server, tmp_path):
    server.routes[f"{ASHE_TABLE8_PATH}/data"] = json_route(
        {"datasets": [{"uri": f"{ASHE_TABLE8_PATH}/2023provisional"}, {"uri": f"{ASHE_TABLE8_PATH}/2022revised"}]}
    )
    server.routes[f"{ASHE_TABLE8_PATH}/2023provisional/data"] = json_route(
        {"description": {"edition": "2023 provisional"}, "downloads": [{"file": "ashetable82023provisional.zip"}]}
    )
    server.routes[f"{ASHE_TABLE8_PATH}/2022revised/data"] = json_route(
        {"description": {"edition": "2022 revised"}, "downloads": [{"file": "table82022revised.zip"}]}
    )
    files = lw.discover(
        HttpClient(tmp_path / "v.json", retries=0),
        ons_base=server.url,
        nomis_base=server.url,
        include_nomis=False,
        include_ashe_table8=True,
    )
    assert [(f.name, f.release) for f in files] == [
        (ZIP_NAME, "2022 provisional"),
        ("ashetable82023provisional.zip", "2023 provisional"),
        ("table82022revised.zip", "2022 revised"),  # every edition, older ones for the history
    ]


def edition_zip(year: int, stage: str, darlington_pct: float) -> bytes:
    prefix = "PROV - " if stage == "provisional" else ""
    est = [("England", "E92000001", 2951.0, 12.5), ("Darlington UA", "E06000005", 8.0, darlington_pct)]
    cvs = [("England", "E92000001", 0.7, 0.7), ("Darlington UA", "E06000005", 16.0, 15.0)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        title = TITLE.replace("2022", str(year))
        zf.writestr(f"{prefix}Work Geography LWF Table 7 LWF.1a   lwfmgx {year}.xlsx", lwf_workbook(est, title))
        zf.writestr(f"{prefix}Work Geography LWF Table 7 LWF.1b   lwfmgx {year} CV.xlsx", lwf_workbook(cvs, title))
    return out.getvalue()


def test_every_edition_revised_beats_provisional_and_a_new_edition_is_the_only_download(tmp_path, archive):
    from sources.catalogue import parse_source

    editions: dict[str, tuple[str, bytes]] = {}
    versions: dict[str, tuple[str, bytes]] = {}  # previous versions, by "<edition>/previous/vN"

    def publish(srv, year, stage, pct, released):
        slug = f"{year}{stage}"
        name = f"livingwagebyworkgeography{slug}.zip"
        editions[slug] = (name, edition_zip(year, stage, pct))
        srv.routes[f"{LWF_PATH}/data"] = json_route(
            {
                "type": "dataset_landing_page",
                "datasets": [{"uri": f"{LWF_PATH}/{e}"} for e in editions],
                "description": {"nextRelease": "To be announced" if year > 2022 else "28 October 2023"},
            }
        )
        srv.routes[f"{LWF_PATH}/{slug}/data"] = json_route(
            {
                "type": "dataset",
                "uri": f"{LWF_PATH}/{slug}",
                "description": {"edition": f"{year} {stage}", "releaseDate": f"{released}T23:00:00.000Z"},
                "downloads": [{"file": name}],
                # the revised edition was corrected once: its first version is an edition of its own
                "versions": [{"uri": f"{LWF_PATH}/{slug}/previous/v1", "updateDate": "2023-11-02T09:30:00.000Z"}]
                if stage == "revised"
                else [],
            }
        )
        if stage == "revised":  # the version before the correction, at its own URL, same file name
            versions[f"{slug}/previous/v1"] = (name, edition_zip(year, stage, pct - 0.2))
            srv.routes[f"{LWF_PATH}/{slug}/previous/v1/data"] = json_route(
                {
                    "type": "dataset",
                    "uri": f"{LWF_PATH}/{slug}/previous/v1",
                    "description": {"edition": f"{year} {stage}", "releaseDate": f"{released}T23:00:00.000Z"},
                    "downloads": [{"file": name}],
                }
            )

    def ons_file(req):
        uri = parse_qs(urlsplit(req.path).query)["uri"][0]
        slug = uri[len(LWF_PATH) + 1 :].rsplit("/", 1)[0]  # e.g. 2022revised or 2022revised/previous/v1
        return 200, {}, {**editions, **versions}[slug][1]

    http = HttpClient(tmp_path / "v.json", retries=0)
    discover = lambda h: lw.discover(h, ons_base=srv.url, include_nomis=False)  # noqa: E731
    with LocalServer() as srv:
        srv.routes["/file"] = ons_file
        publish(srv, 2022, "provisional", 14.5, "2022-10-25")
        publish(srv, 2022, "revised", 14.9, "2023-10-31")
        listed: list = []
        files, _ = acquire(lw.SOURCE_ID, archive=archive, mirror=None, http=http, discover=discover, listed=listed)
        assert sorted(f.release for f in files) == [
            "2022 provisional",
            "2022 revised",
            "2022 revised (previous version v1)",
        ]
        assert [(r.title, r.release_date) for r in listed] == [
            ("next release (28 October 2023)", "2023-10-28"),
            ("2022 revised", "2023-10-31"),
            ("2022 revised (previous version v1)", "2023-11-02"),
            ("2022 provisional", "2022-10-25"),
        ]
        assert srv.requested(f"/file?uri={LWF_PATH}/2022revised/previous/v1/") != []
        tables = parse_source(lw.SOURCE_ID, files)
        values = tables.values.set_index(["indicator_id", "area_code"])
        row = values.loc[("jobs_below_living_wage_pct", "E06000005")]
        # the corrected version: never the first version's 14.7, nor the provisional's 14.5
        assert (row.value, row.release) == (14.9, "2022 revised")
        choice = tables.edition_choice.set_index(["edition_group", "release"]).sort_index()
        first = choice.loc[("jobs_below_living_wage_pct", "2022 revised (previous version v1)")]
        assert (bool(first.used), first.periods_superseded) == (False, "2022")
        assert choice.loc[("jobs_below_living_wage_pct", "2022 revised"), "edition_rank"] > first.edition_rank

        publish(srv, 2023, "provisional", 13.0, "2023-10-31")
        fetched = len([p for _, p, _ in srv.requests if p.startswith("/file")])
        files, _ = acquire(lw.SOURCE_ID, archive=archive, mirror=None, http=http, discover=discover)
        new = [p for _, p, _ in srv.requests if p.startswith("/file")][fetched:]
        assert len(new) == 1 and len(files) == 4  # the archived versions are not fetched again
        tables = parse_source(lw.SOURCE_ID, files)
        by_period = tables.values.groupby("period").release.agg(set).to_dict()
        assert by_period == {"2022": {"2022 revised"}, "2023": {"2023 provisional"}}


# ---- older editions, named as ../shared/data/living_wage_ashe/SOURCE.md section 1 describes them

# SOURCE.md section 1 ("Download URL pattern" and "ZIP contents"): older editions sit in two-year
# folders with their own zip names (april2016and2017/livingwagebylaandpc2016and2017.zip,
# april2017and2018/20172018livingwagebyworkgeographyv2.zip), their inner tables are named
# "Work Geography LW Table 7.1a   lpmgx 2017.xls" (2016/17) and "... LW Table 7.1a   lwfmgx 2018.xls"
# (2018/19), and provisional tables carry the "PROV - " prefix. The CV twin's ".1b ... CV" name is
# the one the same section gives for the current tables. Bodies are .xlsx under the .xls names:
# the reader goes by content, and the real BIFF layout is covered by tests/realdata.
#
# The oldest edition, April 2014 and 2015, is known only by its title in SOURCE.md section 1 (the
# editions the Welsh mirror lists, "..., April 2014 and 2015"): no file, URL or inner name of it is
# recorded, so its folder, zip and table names here follow the 2016/17 edition's as described above
# (an assumption, said so), with 2014 revised and 2015 provisional as in every two-year edition.
OLD_EDITIONS = {
    "april2014and2015": (
        "livingwagebylaandpc2014and2015.zip",
        "2015-10-29",
        [("", "LW Table 7.1{part}   lpmgx", 2014, 23.0), ("PROV - ", "LW Table 7.1{part}   lpmgx", 2015, 22.0)],
    ),
    "april2016and2017": (
        "livingwagebylaandpc2016and2017.zip",
        "2017-10-26",
        [("", "LW Table 7.1{part}   lpmgx", 2016, 21.0), ("PROV - ", "LW Table 7.1{part}   lpmgx", 2017, 20.0)],
    ),
    "april2017and2018": (
        "20172018livingwagebyworkgeographyv2.zip",
        "2018-10-25",
        [("", "LW Table 7.1{part}   lwfmgx", 2017, 20.5), ("PROV - ", "LW Table 7.1{part}   lwfmgx", 2018, 19.0)],
    ),
}


def old_edition_zip(tables) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for prefix, stem, year, pct in tables:
            title = TITLE.replace("2022", str(year))
            est = [("England", "E92000001", 3000.0, 13.0), ("Darlington UA", "E06000005", 8.0, pct)]
            cvs = [("England", "E92000001", 0.7, 0.7), ("Darlington UA", "E06000005", 16.0, 15.0)]
            estimates = f"{prefix}Work Geography {stem.format(part='a')} {year}.xls"
            zf.writestr(estimates, lwf_workbook(est, title))
            zf.writestr(f"{prefix}Work Geography {stem.format(part='b')} {year} CV.xls", lwf_workbook(cvs, title))
    return out.getvalue()


def test_older_two_year_editions_as_described_back_fill_every_year_newest_edition_first(tmp_path, archive):
    from sources.catalogue import parse_source

    bodies = {slug: old_edition_zip(tables) for slug, (_, _, tables) in OLD_EDITIONS.items()}
    bodies["2022provisional"] = lwf_zip()
    with LocalServer() as srv:
        srv.routes[f"{LWF_PATH}/data"] = json_route({"datasets": [{"uri": f"{LWF_PATH}/{s}"} for s in bodies]})
        for slug, (name, released, _) in {
            **OLD_EDITIONS,
            "2022provisional": (ZIP_NAME, "2022-10-25", []),
        }.items():
            srv.routes[f"{LWF_PATH}/{slug}/data"] = json_route(
                {
                    "description": {"edition": slug, "releaseDate": f"{released}T23:00:00.000Z"},
                    "downloads": [{"file": name}],
                }
            )
        srv.routes["/file"] = lambda req: (200, {}, bodies[parse_qs(urlsplit(req.path).query)["uri"][0].split("/")[-2]])
        files, _ = acquire(
            lw.SOURCE_ID,
            archive=archive,
            mirror=None,
            http=HttpClient(tmp_path / "v.json", retries=0),
            discover=lambda h: lw.discover(h, ons_base=srv.url, include_nomis=False),
        )
    assert sorted(f.original_name for f in files) == sorted(
        [
            ZIP_NAME,
            "livingwagebylaandpc2014and2015.zip",
            "livingwagebylaandpc2016and2017.zip",
            "20172018livingwagebyworkgeographyv2.zip",
        ]
    )
    tables = parse_source(lw.SOURCE_ID, files)
    pct = tables.values[tables.values.indicator_id == "jobs_below_living_wage_pct"].set_index("period")
    darlington = pct[pct.area_code == "E06000005"]
    # every April from the oldest edition; 2017 from the later (revised) edition, never the provisional
    assert darlington.value.to_dict() == {
        "2014": 23.0,
        "2015": 22.0,
        "2016": 21.0,
        "2017": 20.5,
        "2018": 19.0,
        "2022": 14.5,
    }
    assert darlington.release.to_dict() == {
        "2014": "april2014and2015",
        "2015": "2015 provisional",
        "2016": "april2016and2017",
        "2017": "april2017and2018",
        "2018": "2018 provisional",
        "2022": "2022 provisional",
    }
    choice = tables.edition_choice.set_index(["edition_group", "release"])
    assert choice.loc[("jobs_below_living_wage_pct", "2017 provisional"), "periods_superseded"] == "2017"


def test_a_correction_served_at_the_same_url_is_fetched_and_used(tmp_path, archive):
    # ONS corrects an edition by serving the new tables at the edition's own file URL and moving
    # the old ones to <edition>/previous/v1 (listed under versions[]). The next refresh must load the
    # corrected tables, not keep the archived first version as current.
    from sources.catalogue import parse_source

    slug, name = "2023provisional", "livingwagebyworkgeography2023provisional.zip"
    served = {slug: edition_zip(2023, "provisional", 13.0)}
    edition = {
        "type": "dataset",
        "uri": f"{LWF_PATH}/{slug}",
        "description": {"edition": "2023 provisional", "releaseDate": "2023-10-31T23:00:00.000Z"},
        "downloads": [{"file": name}],
        "versions": [],
    }

    def ons_file(req):
        uri = parse_qs(urlsplit(req.path).query)["uri"][0]
        return 200, {}, served[uri[len(LWF_PATH) + 1 :].rsplit("/", 1)[0]]

    http = HttpClient(tmp_path / "v.json", retries=0)
    discover = lambda h: lw.discover(h, ons_base=srv.url, include_nomis=False)  # noqa: E731
    with LocalServer() as srv:
        srv.routes["/file"] = ons_file
        srv.routes[f"{LWF_PATH}/data"] = json_route({"datasets": [{"uri": f"{LWF_PATH}/{slug}"}]})
        srv.routes[f"{LWF_PATH}/{slug}/data"] = lambda req: json_route(edition)(req)
        files, _ = acquire(lw.SOURCE_ID, archive=archive, mirror=None, http=http, discover=discover)
        first = parse_source(lw.SOURCE_ID, files).values.set_index(["indicator_id", "area_code"])
        assert first.loc[("jobs_below_living_wage_pct", "E06000005"), "value"] == 13.0

        served[f"{slug}/previous/v1"] = served[slug]  # the correction
        served[slug] = edition_zip(2023, "provisional", 13.4)
        edition["versions"] = [{"uri": f"{LWF_PATH}/{slug}/previous/v1", "updateDate": "2023-11-20T09:30:00.000Z"}]
        srv.routes[f"{LWF_PATH}/{slug}/previous/v1/data"] = json_route({**edition, "versions": []})
        files, _ = acquire(lw.SOURCE_ID, archive=archive, mirror=None, http=http, discover=discover)
        assert sorted(f.release for f in files) == ["2023 provisional", "2023 provisional (previous version v1)"]
        row = parse_source(lw.SOURCE_ID, files).values.set_index(["indicator_id", "area_code"])
        assert tuple(row.loc[("jobs_below_living_wage_pct", "E06000005"), ["value", "release"]]) == (
            13.4,
            "2023 provisional",
        )
