"""The live path: every edition's MYE workbook on the ONS dataset page, and the Nomis pages."""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from ..acquire import Discovered, PublisherRelease, RemoteFile
from ..editions import nomis_years_since
from ..http import FetchError, HttpClient
from ..ons_versions import current_version_identity, previous_version_files
from ..release_calendar import ons_next_release, ons_previous_versions
from .cells import MYE_YEAR

ONS_BASE = "https://www.ons.gov.uk"
ONS_LANDING = (
    "/peoplepopulationandcommunity/populationandmigration/populationestimates/datasets/"
    "estimatesofthepopulationforenglandandwales"
)
NOMIS_BASE = "https://www.nomisweb.co.uk"
NOMIS_DATASET = "NM_2002_1"
NOMIS_QUERY = {"geography": "TYPE432", "gender": "0", "c_age": "200", "measures": "20100"}
# Every mid-year from 2010 (the first year of the rough sleeping series, the oldest any indicator
# here needs as a population weight) to the latest: `date=latestMINUSn-latest`.
NOMIS_FIRST_YEAR = 2010
NOMIS_PAGE_ROWS = 25_000  # anonymous Nomis calls return at most this many rows


def discover(
    http: HttpClient,
    *,
    ons_base: str = ONS_BASE,
    nomis_base: str = NOMIS_BASE,
    include_nomis: bool = True,
    nomis_page_rows: int = NOMIS_PAGE_ROWS,
) -> Discovered:
    """Every edition's workbook on the ONS dataset page (newest first; each restates earlier years,
    and sources/editions.py keeps the newest per year), plus the Nomis pages of every mid-year from
    NOMIS_FIRST_YEAR (the workbooks' MYE4 series starts at mid-2011)."""
    files, listed = _discover_ons(http, ons_base.rstrip("/"))
    if include_nomis:
        files += _discover_nomis(http, nomis_base.rstrip("/"), nomis_page_rows)
    return Discovered(files, listed)


def _discover_ons(http: HttpClient, base: str) -> tuple[list[RemoteFile], list[PublisherRelease]]:
    """Each edition's workbook, from the ONS website's JSON (/data) view of the pages."""
    landing_url = base + ONS_LANDING + "/data"
    landing = http.get_json(landing_url)
    pages = [{"uri": ONS_LANDING, **landing}] if landing.get("downloads") else []
    for item in landing.get("datasets") or []:
        uri = item.get("uri") if isinstance(item, dict) else None
        if uri:
            pages.append(http.get_json(base + uri.rstrip("/") + "/data"))
    candidates = []
    for order, page in enumerate(pages):
        workbook = _pick_workbook(page.get("downloads") or [])
        if workbook and page.get("uri"):
            desc = page.get("description") or {}
            label = desc.get("edition") or desc.get("title") or ""
            year = MYE_YEAR.search(label) or re.search(r"mye(\d{2})", workbook)
            mid_year = int(year.group(1)) % 100 if year else -1
            released = str(desc.get("releaseDate") or "")
            candidates.append(
                ((mid_year, released, -order), page["uri"].rstrip("/"), workbook, label or None, released[:10] or None)
            )
    if not candidates:
        raise FetchError(landing_url, "no edition lists an .xlsx download")
    candidates.sort(reverse=True)
    previous = {page["uri"].rstrip("/"): page for page in pages if page.get("uri")}
    files = [
        RemoteFile(
            url=f"{base}/file?uri={uri}/{name}",
            name=name,
            release=label,
            release_date=released,
            immutable=True,
            identity=current_version_identity(f"{base}/file?uri={uri}/{name}", previous.get(uri, {})),
        )
        for _, uri, name, label, released in candidates
    ]
    listed = ons_next_release(landing)
    for _, edition_uri, workbook_name, edition_label, edition_released in candidates:
        title = str(edition_label or workbook_name)
        listed.append(PublisherRelease(title, edition_released, url=f"{base}{edition_uri}"))
        listed += ons_previous_versions(base, previous.get(edition_uri, {}), title)
        files += previous_version_files(http, base, previous.get(edition_uri, {}), title, _workbook_of)
    return files, listed


def _workbook_of(names: list[str]) -> list[str]:
    picked = _pick_workbook([{"file": n} for n in names])
    return [picked] if picked else []


def _pick_workbook(downloads: list) -> str | None:
    names = [d.get("file", "") for d in downloads if isinstance(d, dict)]
    xlsx = [n for n in names if n.lower().endswith(".xlsx")]
    preferred = [n for n in xlsx if re.fullmatch(r"mye\d{2}tablesew\.xlsx", n, re.I)]
    return (preferred or xlsx or [None])[0]


def _discover_nomis(http: HttpClient, base: str, page_rows: int) -> list[RemoteFile]:
    """One RemoteFile per page of every mid-year from NOMIS_FIRST_YEAR: a first call for the latest
    year tells us how far back to ask, the first page of the series its RECORD_COUNT (Nomis caps
    rows per call)."""
    path = f"{base}/api/v01/dataset/{NOMIS_DATASET}.data.csv"
    latest = _nomis_first_row(http, f"{path}?{urlencode({**NOMIS_QUERY, 'date': 'latest'}, safe=',')}")
    if latest is None:
        return []
    year = (latest.get("DATE_NAME") or "").strip()
    if not year.isdigit():
        raise FetchError(path, f"DATE_NAME {year!r} of the latest mid-year is not a year")
    span = nomis_years_since(int(year), NOMIS_FIRST_YEAR)
    query = f"{path}?{urlencode({**NOMIS_QUERY, 'date': span}, safe=',')}"
    row = _nomis_first_row(http, query) if span != "latest" else latest
    total = int((row or {}).get("RECORD_COUNT") or 0)
    first = year if span == "latest" else str(min(NOMIS_FIRST_YEAR, int(year)))
    return [
        RemoteFile(
            url=f"{query}&recordoffset={offset}",
            name=f"nomis_{NOMIS_DATASET}_{first}_{year}_offset{offset:07d}.csv"
            if first != year
            else f"nomis_{NOMIS_DATASET}_{year}_offset{offset:07d}.csv",
            release=f"mid-{year}" if first == year else f"mid-{first} to mid-{year}",
        )
        for offset in range(0, total, page_rows)
    ]


def _nomis_first_row(http: HttpClient, query: str) -> dict | None:
    """The first data row of page 0 of a Nomis CSV query (None when it has no rows)."""
    first = f"{query}&recordoffset=0"
    with tempfile.TemporaryDirectory() as tmp:
        fetched = http.download(first, Path(tmp) / "probe.csv", conditional=False)
        assert fetched.path is not None  # an unconditional download always has a body
        with open(fetched.path, newline="", encoding="utf-8-sig") as fh:
            row = next(csv.DictReader(fh), None)
    if row is not None and not (row.get("RECORD_COUNT") or "").isdigit():
        raise FetchError(first, "response is not a Nomis CSV (no RECORD_COUNT)")
    return row
