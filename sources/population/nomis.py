"""Nomis API CSV pages (NM_2002_1, all ages): checked complete by RECORD_COUNT and RECORD_OFFSET,
statuses in the shared Nomis vocabulary (sources/nomis.py), LADs reconciled against England."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ..archive import RawFile
from ..base import Reconciliation, SourceTables
from ..errors import SourceError
from ..nomis import VALUELESS, UnknownNomisStatus, nomis_status
from .cells import ENGLAND, KEY, LAD_CODE, REGION_CODE, read_cell, tidy_rows
from .meta import ALL_AGES, SOURCE_ID

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


def parse_nomis(files: list[RawFile], out: SourceTables):
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
    return (tidy_rows(lads.to_dict("records"), release), tidy_rows(aggs.to_dict("records"), release), release)


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
        try:
            status = nomis_status(r.OBS_STATUS)
        except UnknownNomisStatus as exc:
            raise SourceError(str(exc), column="OBS_STATUS", **where) from None
        if not re.fullmatch(r"\d{4}", r.DATE_NAME.strip()):
            raise SourceError(f"DATE_NAME '{r.DATE_NAME}' is not a year", column="DATE_NAME", **where)
        value = None
        if status not in VALUELESS:
            value, marker = read_cell(r.OBS_VALUE, dict(column="OBS_VALUE", **where))
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
