"""ONS mid-year population estimates by local authority: the denominators for rates.

Two inputs, both optional in a call to parse():
* the ONS workbook mye<yy>tablesew.xlsx: MYE4 is the mid-2011.. time series (newest first) on the
  edition's LA boundaries, MYE2 - Persons gives single years of age for the latest year;
* Nomis API CSV pages (e.g. NM_2002_1) for all ages. The workbook is the official edition, so
  where both give the same area and year the workbook wins.
"""

from __future__ import annotations

import csv
import re
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from .acquire import Discovered, PublisherRelease, RemoteFile
from .archive import RawFile
from .base import OGL, Indicator, Reconciliation, SourceTables
from .editions import Edition, nomis_years_since, published_date
from .errors import SourceError
from .http import FetchError, HttpClient
from .release_calendar import ons_next_release, ons_previous_versions
from .tidy import empty_tidy, to_tidy

SOURCE_ID = "population"
LICENCE = "Source: Office for National Statistics (mid-year population estimates; Nomis). " + OGL

ALL_AGES = "population_all_ages"
AGED_16_64 = "population_aged_16_64"
INDICATORS = [
    Indicator(
        ALL_AGES,
        "Population, all ages",
        SOURCE_ID,
        "count",
        "neutral",
        "ONS mid-year estimate, all ages",
        "context",
        edition_group="mid_year_estimates",
    ),
    Indicator(
        AGED_16_64,
        "Population aged 16 to 64",
        SOURCE_ID,
        "count",
        "neutral",
        "ONS mid-year estimate, people aged 16 to 64 (sum of single years of age)",
        "context",
        edition_group="mid_year_estimates",
    ),
]

# Populations of areas abolished since the newest edition (from the edition superseded for that
# year) are kept as landing.population__former_area_values: weights for harmonising other sources'
# values published on old boundaries, never published as population figures themselves.
KEEP_FORMER_AREAS = True

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

ENGLAND = "E92000001"
LAD_CODE = re.compile(r"E0[6-9]\d{6}")
REGION_CODE = re.compile(r"E12\d{6}")
# Values of MYE 'Geography' that are local authority districts (counties overlap them).
LAD_GEOGRAPHIES = {"unitary authority", "metropolitan district", "non-metropolitan district", "london borough"}
MYE_YEAR = re.compile(r"mid[- ]?(\d{4})", re.I)
# Publisher markers that stand for a missing value; never numbers.
MARKERS = {
    "no data": "not_available",
    "x": "not_available",
    "[x]": "not_available",
    ":": "not_available",
    "..": "not_available",
    "-": "not_available",
    "c": "suppressed",
    "[c]": "suppressed",
    "z": "not_applicable",
    "[z]": "not_applicable",
}
# Nomis OBS_STATUS -> our vocabulary (None = normal value).
NOMIS_STATUS = {
    "A": None,
    "B": None,  # B: break in series, value itself is normal
    "E": "estimated",
    "F": "estimated",
    "I": "estimated",
    "P": "provisional",
    "Q": "unreliable",
    "X": "not_available",
    "M": "not_available",
    "!": "suppressed",
    "*": "suppressed",
    "C": "suppressed",
    "Z": "not_applicable",
}
VALUELESS = {"not_available", "suppressed", "not_applicable"}
NOMIS_REQUIRED = [
    "DATE_NAME",
    "GEOGRAPHY_CODE",
    "GEOGRAPHY_TYPECODE",
    "C_AGE_NAME",
    "OBS_VALUE",
    "OBS_STATUS",
    "RECORD_OFFSET",
    "RECORD_COUNT",
]
KEY = ["indicator_id", "area_code", "period"]


# ---------------------------------------------------------------- discover (live path)


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
    files = [
        RemoteFile(url=f"{base}/file?uri={uri}/{name}", name=name, release=label, release_date=released, immutable=True)
        for _, uri, name, label, released in candidates
    ]
    previous = {page["uri"].rstrip("/"): page for page in pages if page.get("uri")}
    listed = ons_next_release(landing)
    for _, uri, name, label, released in candidates:
        listed.append(PublisherRelease(label or name, released, url=f"{base}{uri}"))
        listed += ons_previous_versions(base, previous.get(uri, {}), label or name)
    return files, listed


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


# ---------------------------------------------------------------- parse


def parse(files: list[RawFile]) -> SourceTables:
    out = SourceTables()
    workbooks = [f for f in files if f.original_name.lower().endswith(".xlsx")]
    nomis = [f for f in files if f.original_name.lower().endswith(".csv")]
    for f in files:
        if f not in workbooks and f not in nomis:
            out.notes.append(f"skipped {f.original_name}: not an .xlsx workbook or Nomis .csv")
    parts = [_parse_workbook(f, out) for f in workbooks]
    parts.sort(key=lambda p: p[0], reverse=True)  # newest edition first: it wins overlaps
    if nomis:
        parts.append((0, *_parse_nomis(nomis, out)))
    values, aggregates = empty_tidy(), empty_tidy()
    for _, vals, aggs, label in parts:
        values, kept_v = _prefer_existing(values, vals)
        aggregates, kept_a = _prefer_existing(aggregates, aggs)
        if kept_v < len(vals) or kept_a < len(aggs):
            out.notes.append(
                f"{label}: {len(vals) - kept_v} LA and {len(aggs) - kept_a} aggregate "
                f"values already given by a newer MYE edition were not used; its "
                f"other {kept_v} LA values are left to the edition choice (one edition "
                f"per year: sources/editions.py)"
            )
        if kept_v or kept_a:
            out.releases.append(label)
    out.values, out.aggregates = to_tidy(values), to_tidy(aggregates)
    return out


def _prefer_existing(have: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    if not len(have):
        return new, len(new)
    seen = pd.MultiIndex.from_frame(have[KEY])
    fresh = new[~pd.MultiIndex.from_frame(new[KEY]).isin(seen)]
    return pd.concat([have, fresh], ignore_index=True), len(fresh)


def _tidy_rows(records: list[dict], release: str) -> pd.DataFrame:
    df = pd.DataFrame(records, columns=["indicator_id", "area_code", "year", "value", "observation_status"])
    mid_year = df["year"].map(lambda y: date(int(y), 6, 30))  # a point estimate at 30 June
    df = df.assign(
        period=df["year"].astype(str),
        period_start=mid_year,
        period_end=mid_year,
        unit="count",
        source_id=SOURCE_ID,
        release=release,
    )
    return to_tidy(df) if len(df) else empty_tidy()


def _cell(value, where: dict) -> tuple[float | None, str | None]:
    """A workbook cell as (value, observation_status)."""
    if isinstance(value, bool):
        raise SourceError(f"unexpected boolean {value!r}", **where)
    if isinstance(value, (int, float)):
        return float(value), None
    text = str(value).strip() if value is not None else ""
    if not text:
        return None, "not_available"
    if text.lower() in MARKERS:
        return None, MARKERS[text.lower()]
    try:
        return float(text.replace(",", "")), None
    except ValueError:
        raise SourceError(f"unexpected value {text!r} (not a number or known marker)", **where) from None


# ---------------------------------------------------------------- the ONS workbook


def _parse_workbook(raw: RawFile, out: SourceTables):
    name = raw.original_name
    try:
        wb = openpyxl.load_workbook(raw.path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise SourceError(f"cannot open workbook ({exc})", file=name, source_id=SOURCE_ID) from exc
    try:
        sheets = {s.strip().lower(): s for s in wb.sheetnames}
        if "mye4" not in sheets:
            raise SourceError(f"sheet 'MYE4' not found (sheets: {wb.sheetnames})", file=name, source_id=SOURCE_ID)
        mye4 = _read_table(wb[sheets["mye4"]], name)
        notes = [r for s in ("notes", "cover sheet") if s in sheets for r in wb[sheets[s]].iter_rows(values_only=True)]
        mye2 = _read_table(wb[sheets["mye2 - persons"]], name) if "mye2 - persons" in sheets else None
    finally:
        wb.close()
    year_cols = {m.group(1): i for label, i in mye4["columns"].items() if (m := MYE_YEAR.fullmatch(label))}
    if not year_cols:
        raise SourceError(
            "no 'Mid-YYYY' columns in the header",
            file=name,
            sheet=mye4["sheet"],
            row=mye4["header_row"],
            column="Mid-YYYY",
            source_id=SOURCE_ID,
        )
    newest = max(year_cols)
    release = _workbook_release(newest, notes, raw)
    out.editions.append(Edition(release, _published(notes)))
    records, areas = _mye_records(mye4, year_cols, ALL_AGES)
    for year in sorted(year_cols):
        _reconcile_mye(records, year, ALL_AGES, mye4, f"Mid-{year}", out)
    if mye2 is None:
        out.notes.append(f"{name}: no 'MYE2 - Persons' sheet, so {AGED_16_64} is not produced")
    else:
        records += _aged_16_64(mye2, newest, records, out)
    rows = pd.DataFrame(records)
    lad = rows["area_code"].map(lambda c: bool(LAD_CODE.fullmatch(c)))
    out.extra.setdefault("areas", pd.DataFrame(areas, columns=["area_code", "area_name", "geography"]))
    out.extra.setdefault("lad_county", county_districts(mye4))
    return (
        int(newest),
        _tidy_rows(rows[lad].to_dict("records"), release),
        _tidy_rows(rows[~lad].to_dict("records"), release),
        release,
    )


def county_districts(table: dict) -> pd.DataFrame:
    """Two-tier county of each non-metropolitan district, from the MYE table's own row order: ONS
    lists each county followed by its districts (the mirror holds no county lookup)."""
    cols = table["columns"]
    code_i, name_i, geo_i = cols["code"], cols.get("name"), cols["geography"]
    rows, county = [], None
    for _, row in table["rows"]:
        code, geography = _at(row, code_i), str(_at(row, geo_i) or "").strip().lower()
        if geography == "county":
            county = (str(code), str(_at(row, name_i) or "") if name_i is not None else "")
        elif geography == "non-metropolitan district" and county and code:
            rows.append((str(code), *county))
        elif geography:
            county = None
    return pd.DataFrame(rows, columns=["lad_code", "county_code", "county_name"])


def _workbook_release(newest: str, notes: list, raw: RawFile) -> str:
    text = " ".join(str(c) for r in notes for c in r if c)
    found = re.search(r"boundaries (?:in place )?as (?:of|at) (?:\w+ )?(\d{4})", text, re.I)
    if found:
        return f"mid-{newest} ({found.group(1)} LA boundaries)"
    return raw.release or f"mid-{newest}"


def _published(rows: list) -> date | None:
    """'The data tables in this spreadsheet were originally published at 9.30am 15 July 2024.'"""
    cells = [c for row in rows for c in row if isinstance(c, str)]
    for phrase in ("originally published", "published"):
        for cell in cells:
            found = published_date(cell) if phrase in cell.lower() else None
            if found:
                return found
    return None


def _read_table(ws, file: str) -> dict:
    """Rows of a MYE sheet below its header, found by content (Code / Name / Geography)."""
    rows = list(ws.iter_rows(values_only=True))
    labels = [[_label(c) for c in r] for r in rows]
    for i, row in enumerate(labels[:40]):
        if len({"code", "name", "geography"} & {c.lower() for c in row}) >= 2:
            columns = {c: j for j, c in enumerate(row) if c}
            for required in ("Code", "Geography"):
                if required.lower() not in {c.lower() for c in columns}:
                    raise SourceError(
                        f"expected column '{required}' in the header, found {row}",
                        file=file,
                        sheet=ws.title,
                        row=i + 1,
                        column=required,
                        source_id=SOURCE_ID,
                    )
            columns = {**{c.lower(): j for c, j in columns.items()}, **columns}
            return {
                "sheet": ws.title,
                "file": file,
                "header_row": i + 1,
                "columns": columns,
                "rows": [(i + 2 + k, r) for k, r in enumerate(rows[i + 1 :])],
            }
    raise SourceError(
        "header row with 'Code', 'Name' and 'Geography' not found in the first 40 rows",
        file=file,
        sheet=ws.title,
        source_id=SOURCE_ID,
    )


def _label(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # an age header typed as a number
    return "" if cell is None else str(cell).strip()


def _at(row: tuple, index: int):
    return row[index] if index < len(row) else None


def _england_rows(table: dict):
    """(row number, code, name, kind) for English LADs ('lad') and England/regions ('aggregate')."""
    cols = table["columns"]
    for row_no, row in table["rows"]:
        code = _label(_at(row, cols["code"]))
        geography = _label(_at(row, cols["geography"])).lower()
        if not code.startswith("E"):
            continue
        if geography in LAD_GEOGRAPHIES:
            if not LAD_CODE.fullmatch(code):
                raise SourceError(
                    f"'{code}' is not an English LAD code (E06-E09)",
                    file=table["file"],
                    sheet=table["sheet"],
                    row=row_no,
                    column="Code",
                    source_id=SOURCE_ID,
                )
            kind = "lad"
        elif code == ENGLAND or REGION_CODE.fullmatch(code):
            kind = "aggregate"
        else:
            continue
        name = _at(row, cols["name"]) if "name" in cols else None
        yield row_no, row, code, name, geography, kind


def _mye_records(table: dict, year_cols: dict, indicator: str) -> tuple[list[dict], list[tuple]]:
    records, areas, seen = [], [], set()
    for row_no, row, code, name, geography, _ in _england_rows(table):
        if code in seen:
            raise SourceError(
                f"area {code} appears twice",
                file=table["file"],
                sheet=table["sheet"],
                row=row_no,
                column="Code",
                source_id=SOURCE_ID,
            )
        seen.add(code)
        areas.append((code, name, geography))
        for year, col in year_cols.items():
            where = dict(
                file=table["file"], sheet=table["sheet"], row=row_no, column=f"Mid-{year}", source_id=SOURCE_ID
            )
            value, status = _cell(_at(row, col), where)
            records.append(
                {
                    "indicator_id": indicator,
                    "area_code": code,
                    "year": year,
                    "value": value,
                    "observation_status": status,
                    "_row": row_no,
                }
            )
    return records, areas


def _reconcile_mye(records: list[dict], year: str, indicator: str, table: dict, column: str, out: SourceTables) -> None:
    mine = [r for r in records if r["year"] == year and r["indicator_id"] == indicator]
    england = [r for r in mine if r["area_code"] == ENGLAND]
    if not england or england[0]["value"] is None:
        raise SourceError(
            f"no England ({ENGLAND}) value to reconcile against",
            file=table["file"],
            sheet=table["sheet"],
            column=column,
            source_id=SOURCE_ID,
        )
    total = england[0]["value"]
    sums = {
        "English LADs": [r for r in mine if LAD_CODE.fullmatch(r["area_code"])],
        "regions": [r for r in mine if REGION_CODE.fullmatch(r["area_code"])],
    }
    for label, parts in sums.items():
        check = Reconciliation(
            f"{indicator}: sum of {len(parts)} {label} = England, mid-{year}",
            table["file"],
            total,
            sum(r["value"] or 0.0 for r in parts),
        )
        out.reconciliations.append(check)
        if not check.passed:
            raise SourceError(
                f"sum of {len(parts)} {label} is {check.actual:,.0f} but England is {total:,.0f}",
                file=table["file"],
                sheet=table["sheet"],
                row=england[0]["_row"],
                column=column,
                source_id=SOURCE_ID,
            )


def _aged_16_64(table: dict, year: str, all_ages: list[dict], out: SourceTables) -> list[dict]:
    """Sum single years 16..64 from MYE2 - Persons (the latest year only)."""
    cols = table["columns"]
    wanted = [str(a) for a in range(16, 65)] + ["all ages"]
    for label in wanted:
        if label not in cols:
            raise SourceError(
                f"age column '{label}' not found",
                file=table["file"],
                sheet=table["sheet"],
                row=table["header_row"],
                column=label,
                source_id=SOURCE_ID,
            )
    mye4 = {r["area_code"]: r["value"] for r in all_ages if r["year"] == year}
    records = []
    for row_no, row, code, _, _, _ in _england_rows(table):
        cells = [
            _cell(
                _at(row, cols[a]),
                dict(file=table["file"], sheet=table["sheet"], row=row_no, column=a, source_id=SOURCE_ID),
            )
            for a in wanted
        ]
        if cells[-1][0] != mye4.get(code):  # ties this sheet to MYE4's newest year
            raise SourceError(
                f"All ages {cells[-1][0]} differs from MYE4 mid-{year} {mye4.get(code)} for {code}",
                file=table["file"],
                sheet=table["sheet"],
                row=row_no,
                column="All ages",
                source_id=SOURCE_ID,
            )
        missing = next((s for v, s in cells[:-1] if v is None), None)
        value = None if missing else sum(v for v, _ in cells[:-1] if v is not None)
        records.append(
            {
                "indicator_id": AGED_16_64,
                "area_code": code,
                "year": year,
                "value": value,
                "observation_status": missing,
                "_row": row_no,
            }
        )
    _reconcile_mye(records, year, AGED_16_64, table, "16..64", out)
    return records


# ---------------------------------------------------------------- Nomis CSV pages


def _parse_nomis(files: list[RawFile], out: SourceTables):
    names = ", ".join(f.original_name for f in files)
    frames = [_read_nomis_page(f) for f in files]
    df = pd.concat(frames, ignore_index=True)
    if df.empty:
        raise SourceError(
            "no data rows below the header (empty or truncated response)", file=names, source_id=SOURCE_ID
        )
    counts = set(df["RECORD_COUNT"])
    if len(counts) != 1:
        raise SourceError(
            f"pages disagree on RECORD_COUNT {sorted(counts)}: not one query",
            file=names,
            column="RECORD_COUNT",
            source_id=SOURCE_ID,
        )
    expected = counts.pop()
    offsets = df["RECORD_OFFSET"]
    if offsets.duplicated().any():
        raise SourceError(
            f"record offset {offsets[offsets.duplicated()].iloc[0]} appears twice (a page was included twice)",
            file=names,
            column="RECORD_OFFSET",
            source_id=SOURCE_ID,
        )
    if len(df) != expected or offsets.max() >= expected:
        raise SourceError(
            f"truncated: {len(df)} rows but RECORD_COUNT is {expected} (Nomis returns "
            f"HTTP 200 with a cut body; fetch the other pages with recordoffset)",
            file=names,
            column="RECORD_COUNT",
            source_id=SOURCE_ID,
        )
    df = df[df["C_AGE_NAME"].str.strip().str.lower() == "all ages"]
    if "GENDER" in df:
        df = df[df["GENDER"].str.strip() == "0"]
    if "MEASURES" in df:
        df = df[df["MEASURES"].str.strip() == "20100"]  # counts, not percentages
    lad = (df["GEOGRAPHY_TYPECODE"].str.strip() == "432") & df["GEOGRAPHY_CODE"].str.fullmatch(LAD_CODE.pattern)
    agg = (df["GEOGRAPHY_CODE"] == ENGLAND) | df["GEOGRAPHY_CODE"].str.fullmatch(REGION_CODE.pattern)
    release = _nomis_release(df[lad], files)
    lads, aggs = (
        _nomis_records(df[lad]),
        _nomis_records(df[agg].drop_duplicates(["GEOGRAPHY_CODE", "DATE_NAME", "OBS_VALUE"])),
    )
    for tidy in (lads, aggs):
        dup = tidy[KEY].duplicated()
        if dup.any():
            raise SourceError(
                f"{tidy[dup].iloc[0]['area_code']} has two all-ages values for {tidy[dup].iloc[0]['period']}",
                file=names,
                column="GEOGRAPHY_CODE",
                source_id=SOURCE_ID,
            )
    if lads.empty:
        out.notes.append(f"{names}: no English all-ages LAD (TYPE432) rows")
    _reconcile_nomis(lads, aggs, names, out)
    return (_tidy_rows(lads.to_dict("records"), release), _tidy_rows(aggs.to_dict("records"), release), release)


def _read_nomis_page(raw: RawFile) -> pd.DataFrame:
    where: dict[str, Any] = dict(file=raw.original_name, source_id=SOURCE_ID)
    try:
        df = pd.read_csv(raw.path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise SourceError(f"unreadable or truncated CSV ({exc})", **where) from exc
    for column in NOMIS_REQUIRED:
        if column not in df.columns:
            raise SourceError(f"not a Nomis CSV: column '{column}' missing", column=column, **where)
    for column in ("RECORD_OFFSET", "RECORD_COUNT"):
        bad = ~df[column].str.strip().str.isdigit()
        if bad.any():  # a cut last line leaves these trailing columns empty
            raise SourceError(
                f"'{df[column][bad].iloc[0]}' is not a record number: truncated file?",
                row=int(bad.idxmax()) + 2,
                column=column,
                **where,
            )
        df[column] = df[column].astype(int)
    df["src_file"], df["src_row"] = raw.original_name, df.index + 2  # +2: header line, 1-based
    return df


def _nomis_release(df: pd.DataFrame, files: list[RawFile]) -> str:
    years = sorted(set(df["DATE_NAME"]))
    urn = df["URN"].iloc[0] if "URN" in df and len(df) else ""
    dataset = re.match(r"nm-(\d+)d(\d+)d", urn, re.I)
    bounds = re.search(r"as of (\w+ \d{4})", " ".join(set(df.get("GEOGRAPHY_TYPE", []))))
    origin = f"Nomis NM_{dataset.group(1)}_{dataset.group(2)}" if dataset else "Nomis"
    detail = ", ".join([origin] + ([f"{bounds.group(1)} LA boundaries"] if bounds else []))
    if len(years) > 2:
        label = f"mid-{years[0]} to mid-{years[-1]}"
    else:
        label = "mid-" + "/".join(years) if years else (files[0].release or "")
    return f"{label} ({detail})"


def _nomis_records(df: pd.DataFrame) -> pd.DataFrame:
    records = []
    for r in df.itertuples(index=False):
        where = dict(file=r.src_file, row=r.src_row, source_id=SOURCE_ID)
        code = r.OBS_STATUS.strip()
        if code not in NOMIS_STATUS:
            raise SourceError(f"unknown OBS_STATUS '{code}'", column="OBS_STATUS", **where)
        status = NOMIS_STATUS[code]
        if not re.fullmatch(r"\d{4}", r.DATE_NAME.strip()):
            raise SourceError(f"DATE_NAME '{r.DATE_NAME}' is not a year", column="DATE_NAME", **where)
        value = None
        if status not in VALUELESS:
            value, marker = _cell(r.OBS_VALUE, dict(column="OBS_VALUE", **where))
            status = status or marker
        records.append(
            {
                "indicator_id": ALL_AGES,
                "area_code": r.GEOGRAPHY_CODE.strip(),
                "year": r.DATE_NAME.strip(),
                "value": value,
                "observation_status": status,
                "period": r.DATE_NAME.strip(),
            }
        )
    return pd.DataFrame(records, columns=["indicator_id", "area_code", "year", "value", "observation_status", "period"])


def _reconcile_nomis(lads: pd.DataFrame, aggs: pd.DataFrame, names: str, out: SourceTables) -> None:
    """LAD sum against England, or the nine English regions when England was not requested."""
    for year, group in lads.groupby("year"):
        agg = aggs[aggs["year"] == year]
        england = agg[agg["area_code"] == ENGLAND]["value"].dropna()
        regions = agg[agg["area_code"].str.fullmatch(REGION_CODE.pattern)]["value"]
        if len(england):
            label, expected = "England", float(england.iloc[0])
        elif len(regions) == 9 and regions.notna().all():
            label, expected = "sum of 9 English regions", float(regions.sum())
        else:
            out.notes.append(f"{names}: mid-{year} LADs not reconciled (no England or region rows)")
            continue
        check = Reconciliation(
            f"{ALL_AGES}: sum of {len(group)} English LADs = {label}, mid-{year} (Nomis)",
            names,
            expected,
            float(group["value"].fillna(0).sum()),
        )
        out.reconciliations.append(check)
        if not check.passed:
            raise SourceError(
                f"sum of {len(group)} English LADs for {year} is {check.actual:,.0f} but {label} is {expected:,.0f}",
                file=names,
                column="OBS_VALUE",
                source_id=SOURCE_ID,
            )


def dataset_of(raw: RawFile) -> str | None:
    """Workbooks are editions of one dataset; Nomis pages are parts of one, so never siblings."""
    return "the mid-year estimates workbook" if raw.original_name.lower().endswith(".xlsx") else None
