"""Live path: the ONS Open Geography Portal's ArcGIS FeatureServer services.

discover() picks the newest LAD boundary, LAD->region, LAD->combined authority and LEP services
from the services directory and pages through each layer (resultOffset/resultRecordCount, until
exceededTransferLimit is false). Every page becomes a RemoteFile whose URL is the exact query, so
acquire() archives page by page and parse() concatenates pages of one layer. fetch_layer() writes a
whole layer as one GeoJSON or CSV file instead (for manual refreshes and inspection).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from urllib.parse import urlencode

from ..acquire import RemoteFile
from ..editions import MONTHS
from ..http import FetchError, HttpClient

ONS_ARCGIS = "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services"
_GSS_FIELD = re.compile(r"^(LAD|RGN|CAUTH|LEP)\d\d(CD|NM)$", re.I)

# kind, service-name pattern (groups give the vintage), has geometry, required.
SERVICES = [
    (
        "lad_boundaries",
        re.compile(r"^Local_Authority_Districts_([A-Za-z]+)_(\d{4})_Boundaries_UK_BUC", re.I),
        True,
        True,
    ),
    ("region_lookup", re.compile(r"^LAD(\d\d)_RGN(\d\d)_EN_LU", re.I), False, True),
    ("ca_lookup", re.compile(r"^LAD(\d\d)_CAUTH(\d\d)_EN_LU", re.I), False, False),
    (
        "lep_boundaries",
        re.compile(r"^Local_Enterprise_Partnerships_([A-Za-z]+)_(\d{4})_(EN|England)_BUC", re.I),
        True,
        False,
    ),
]


def discover(http: HttpClient, base_url: str = ONS_ARCGIS) -> list[RemoteFile]:
    names = list_services(http, base_url)
    remote: list[RemoteFile] = []
    for kind, pattern, geometry, required in SERVICES:
        service = newest_service(names, pattern)
        if service is None:
            if required:
                raise FetchError(base_url, f"no FeatureServer service matching {pattern.pattern} ({kind})")
            continue
        ext = "geojson" if geometry else "json"
        for number, (url, _doc) in enumerate(pages(http, layer_url(base_url, service), geometry=geometry), 1):
            remote.append(RemoteFile(url=url, name=f"{service}_p{number:03d}.{ext}", release=service))
    return remote


def list_services(http: HttpClient, base_url: str) -> list[str]:
    doc = http.get_json(base_url, params={"f": "json"})
    return [s["name"].split("/")[-1] for s in doc.get("services", []) if s.get("type") == "FeatureServer"]


def newest_service(names: list[str], pattern: re.Pattern) -> str | None:
    def vintage(name):
        match = pattern.match(name)
        assert match is not None  # only names matching the pattern are passed in
        groups = match.groups()
        if groups[0].isdigit():  # LAD24_RGN24_EN_LU: the year digits
            return (int(groups[-1] if groups[-1].isdigit() else groups[0]), 0, name)
        return (int(groups[1]), MONTHS.get(groups[0].lower(), 0), name)  # Month_Year

    matching = [n for n in names if pattern.match(n)]
    return max(matching, key=vintage) if matching else None


def layer_url(base_url: str, service: str) -> str:
    return f"{base_url.rstrip('/')}/{service}/FeatureServer/0"


def pages(http: HttpClient, layer: str, *, geometry: bool, page_size: int | None = None):
    """Yield (query URL, decoded page) for every page of an England query on the layer."""
    meta = http.get_json(layer, params={"f": "json"})
    fields = [f["name"] for f in meta.get("fields", []) if _GSS_FIELD.match(f["name"])]
    codes = [f for f in fields if f.upper().endswith("CD")]
    if not codes:
        raise FetchError(layer, "layer has no GSS code fields (xxyyCD)")
    size = page_size or int(meta.get("maxRecordCount") or 1000)
    base = {
        "where": f"{codes[0]} LIKE 'E%'",
        "outFields": ",".join(fields),
        "orderByFields": codes[0],
        "returnGeometry": "true" if geometry else "false",
    }
    base.update({"outSR": "4326", "f": "geojson"} if geometry else {"f": "json"})
    offset, previous = 0, None
    while True:
        url = f"{layer}/query?" + urlencode({**base, "resultOffset": offset, "resultRecordCount": size})
        doc = http.get_json(url)
        if "error" in doc:
            raise FetchError(url, f"ArcGIS error {doc['error']}")
        features = doc.get("features") or []
        # A service without pagination ignores resultOffset and answers the first page again, still
        # saying more remain: paging on would never end.
        if features and features == previous:
            raise FetchError(url, f"the service gave the same page again at offset {offset} (it ignores resultOffset)")
        previous = features
        yield url, doc
        offset += len(features)
        # GeoJSON responses carry the flag under "properties"; Esri JSON at the top level.
        more = doc.get("exceededTransferLimit") or (doc.get("properties") or {}).get("exceededTransferLimit")
        if not more or not features:
            return


def fetch_layer(http: HttpClient, layer: str, dest: Path, *, geometry: bool, page_size: int | None = None) -> Path:
    """Fetch all pages and write one GeoJSON (WGS84) or CSV file that parse() understands."""
    docs = [doc for _url, doc in pages(http, layer, geometry=geometry, page_size=page_size)]
    features = [f for doc in docs for f in doc.get("features") or []]
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if geometry:
        dest.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
        return dest
    rows = [f["attributes"] for f in features]
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with open(dest, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return dest
