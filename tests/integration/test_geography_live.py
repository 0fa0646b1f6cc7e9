"""Live discovery against a local stand-in for the ONS ArcGIS FeatureServer (2-record pages)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import shapely

from sources.acquire import acquire
from sources.errors import SourceUnavailable
from sources.geography import discover, fetch_layer, parse
from sources.geography.discover import layer_url
from sources.http import FetchError, HttpClient
from tests.fixtures.http_server import LocalServer

ROOT = "/arcgis/rest/services"
# LAD May 2024 (pre-recode Barnsley/Sheffield codes), lon/lat of a small square per LAD.
LAD24 = [
    ("E06000001", "Hartlepool", (-1.25, 54.66)),
    ("E08000016", "Barnsley", (-1.50, 53.53)),
    ("E08000019", "Sheffield", (-1.50, 53.40)),
    ("W06000001", "Isle of Anglesey", (-4.3, 53.3)),
]
RGN24 = [
    {"LAD24CD": "E06000001", "LAD24NM": "Hartlepool", "RGN24CD": "E12000001", "RGN24NM": "North East", "ObjectId": 1},
    {
        "LAD24CD": "E08000016",
        "LAD24NM": "Barnsley",
        "RGN24CD": "E12000003",
        "RGN24NM": "Yorkshire and The Humber",
        "ObjectId": 2,
    },
    {
        "LAD24CD": "E08000019",
        "LAD24NM": "Sheffield",
        "RGN24CD": "E12000003",
        "RGN24NM": "Yorkshire and The Humber",
        "ObjectId": 3,
    },
]
CAUTH25 = [
    {"LAD25CD": c, "LAD25NM": n, "CAUTH25CD": "E47000002", "CAUTH25NM": "South Yorkshire", "ObjectId": i}
    for i, (c, n) in enumerate([("E08000038", "Barnsley"), ("E08000039", "Sheffield")], 1)
]


def lad_feature(i, code, name, lon_lat):
    lon, lat = lon_lat
    ring = [[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.06], [lon, lat + 0.06], [lon, lat]]
    return {
        "type": "Feature",
        "id": i,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"LAD24CD": code, "LAD24NM": name},
    }


def layer_meta(fields):
    return {
        "currentVersion": 11.5,
        "id": 0,
        "type": "Table",
        "maxRecordCount": 2,
        "fields": [{"name": "ObjectId", "type": "esriFieldTypeOID"}]
        + [{"name": f, "type": "esriFieldTypeString", "length": 9} for f in fields],
    }


def paged(rows, geojson):
    """Answer like ArcGIS: the page asked for, with exceededTransferLimit while more remain."""

    def handler(req):
        query = {k: v[0] for k, v in parse_qs(urlsplit(req.path).query).items()}
        if query.get("where", "").endswith("LIKE 'E%'"):
            selected = [r for r in rows if _code(r, geojson).startswith("E")]
        else:
            selected = rows
        start, count = int(query["resultOffset"]), int(query["resultRecordCount"])
        page, more = selected[start : start + count], start + count < len(selected)
        if geojson:
            doc = {"type": "FeatureCollection", "features": page, "properties": {"exceededTransferLimit": more}}
        else:
            doc = {
                "objectIdFieldName": "ObjectId",
                "fields": [{"name": k} for k in rows[0]],
                "features": [{"attributes": r} for r in page],
                "exceededTransferLimit": more,
            }
        return 200, {"Content-Type": "application/json"}, json.dumps(doc).encode()

    return handler


def _code(row, geojson):
    props = row["properties"] if geojson else row
    return next(v for k, v in props.items() if k.endswith("CD"))


@pytest.fixture
def server():
    services = {
        "Local_Authority_Districts_December_2022_Boundaries_UK_BUC": None,
        "Local_Authority_Districts_May_2024_Boundaries_UK_BUC": (
            [lad_feature(i, *lad) for i, lad in enumerate(LAD24, 1)],
            True,
            ["LAD24CD", "LAD24NM"],
        ),
        "LAD22_RGN22_EN_LU": None,
        "LAD24_RGN24_EN_LU": (RGN24, False, ["LAD24CD", "LAD24NM", "RGN24CD", "RGN24NM"]),
        "LAD25_CAUTH25_EN_LU": (CAUTH25, False, ["LAD25CD", "LAD25NM", "CAUTH25CD", "CAUTH25NM"]),
    }
    with LocalServer() as srv:
        listing = {
            "currentVersion": 11.5,
            "services": [
                {"name": name, "type": "FeatureServer", "url": f"{srv.url}{ROOT}/{name}/FeatureServer"}
                for name in services
            ],
        }
        srv.static(ROOT, json.dumps(listing).encode(), "application/json")
        for name, spec in services.items():
            if spec:
                rows, geojson, fields = spec
                srv.static(f"{ROOT}/{name}/FeatureServer/0", json.dumps(layer_meta(fields)).encode())
                srv.routes[f"{ROOT}/{name}/FeatureServer/0/query"] = paged(rows, geojson)
        yield srv


def test_discover_pages_the_newest_services(server, tmp_path):
    remote = discover(HttpClient(tmp_path / "etags.json", retries=0), server.url + ROOT)
    names = [r.name for r in remote]
    assert names == [
        "Local_Authority_Districts_May_2024_Boundaries_UK_BUC_p001.geojson",
        "Local_Authority_Districts_May_2024_Boundaries_UK_BUC_p002.geojson",
        "LAD24_RGN24_EN_LU_p001.json",
        "LAD24_RGN24_EN_LU_p002.json",
        "LAD25_CAUTH25_EN_LU_p001.json",
    ]
    second = parse_qs(urlsplit(remote[1].url).query)
    assert second["resultOffset"] == ["2"] and second["where"] == ["LAD24CD LIKE 'E%'"]
    assert second["outSR"] == ["4326"] and second["f"] == ["geojson"]
    assert not any("December_2022" in path or "LAD22_RGN22" in path for _m, path, _h in server.requests)


def test_acquired_pages_parse_to_the_2025_vintage(server, tmp_path, archive):
    http = HttpClient(tmp_path / "etags.json", retries=0)
    files, mode = acquire(
        "geography", archive=archive, mirror=None, http=http, discover=lambda h: discover(h, server.url + ROOT)
    )
    assert mode == "live" and len(files) == 5
    tables = parse(files).extra
    assert list(tables["lad_region"]["lad_code"]) == ["E06000001", "E08000038", "E08000039"]
    assert set(tables["lad_combined_authority"]["lad_code"]) == {"E08000038", "E08000039"}
    geoms = tables["boundaries"].set_index("area_code")["geojson"]
    assert shapely.from_geojson(geoms["E08000038"]).contains(shapely.Point(-1.45, 53.56))


def test_fetch_layer_writes_files_parse_understands(server, tmp_path, archive):
    http = HttpClient(retries=0)
    base = server.url + ROOT
    lads = fetch_layer(
        http,
        layer_url(base, "Local_Authority_Districts_May_2024_Boundaries_UK_BUC"),
        tmp_path / "lad24.geojson",
        geometry=True,
    )
    regions = fetch_layer(http, layer_url(base, "LAD24_RGN24_EN_LU"), tmp_path / "lad24_rgn24.csv", geometry=False)
    assert regions.read_text().splitlines()[0].startswith("LAD24CD,LAD24NM,RGN24CD")
    assert len(json.loads(lads.read_text())["features"]) == 3  # England only, both pages
    result = parse([archive.store("geography", p, origin=str(p)) for p in (lads, regions)])
    assert len(result.extra["boundaries"]) == 3


def test_missing_region_service_is_reported_as_unavailable(server, tmp_path, archive):
    del server.routes[f"{ROOT}/LAD24_RGN24_EN_LU/FeatureServer/0/query"]
    listing = json.dumps(
        {"services": [{"name": "Local_Authority_Districts_May_2024_Boundaries_UK_BUC", "type": "FeatureServer"}]}
    ).encode()
    server.static(ROOT, listing, "application/json")
    with pytest.raises(SourceUnavailable, match="RGN"):
        acquire(
            "geography",
            archive=archive,
            mirror=None,
            http=HttpClient(retries=0),
            discover=lambda h: discover(h, server.url + ROOT),
        )


def test_a_service_that_ignores_the_offset_is_reported_not_paged_for_ever(server, tmp_path):
    # Without pagination support ArcGIS answers the first page whatever resultOffset says, and
    # still sets exceededTransferLimit: the refresh must stop and say so, not loop.
    rows = [lad_feature(i, *lad) for i, lad in enumerate(LAD24, 1)]
    first_page = {"type": "FeatureCollection", "features": rows[:2], "properties": {"exceededTransferLimit": True}}
    name = "Local_Authority_Districts_May_2024_Boundaries_UK_BUC"
    server.routes[f"{ROOT}/{name}/FeatureServer/0/query"] = lambda req: (200, {}, json.dumps(first_page).encode())
    with pytest.raises(FetchError, match="same page again at offset 2"):
        fetch_layer(HttpClient(retries=0), layer_url(server.url + ROOT, name), tmp_path / "l.geojson", geometry=True)
