"""State of the Nation composite index files: '<CODE>-<version>-<slug>--full-dataset.csv'.

Layouts seen: 2.0 files (22 columns, 'group_number', empty lci/uci) and 3.0 files (14 columns,
'split_order', no lci/uci). Only the columns both share are required.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from ..archive import RawFile
from ..base import Reconciliation
from ..errors import SourceError
from ..markers import marker_status
from .areas import AreaMap

FILE_NAME = re.compile(r"^(?P<code>CI\d+)-(?P<version>\d+(?:\.\d+)*)-(?P<slug>.+?)--full-dataset\.csv$", re.IGNORECASE)

# Explorer slug -> indicator. Keyed on the slug, not the code: the SMC reuses codes across
# versions (in 2.0 'CI1' was promising prospects, in 3.0 it is conditions of childhood).
SLUG_INDICATORS = {
    "conditions-of-childhood": "smc_conditions_of_childhood",
    "labour-market-opportunities-for-young-people": "smc_labour_market_opportunities",
    "innovation-and-growth": "smc_innovation_and_growth",
    "promising-prospects": "smc_promising_prospects",
}

REQUIRED_COLUMNS = [
    "measure_code",
    "area_code",
    "area_type",
    "area_name",
    "time_period",
    "value",
    "unit",
    "secondary_split_value",
]
ORDER_COLUMNS = ("group_number", "split_order")  # category rank, 1 = least favourable
LOCAL_AREA_TYPE = "local authority"
COUNTRY_CODES = {
    "united kingdom": "K02000001",
    "great britain": "K03000001",
    "england": "E92000001",
    "wales": "W92000004",
    "scotland": "S92000003",
    "northern ireland": "N92000002",
}
EXPECTED_UNIT = "z-score"


# The SMC's own shorthand beside the GSS markers (sources/markers.py).
SMC_KEY = {"na": "not_available", "n/a": "not_available"}

PERIOD_RANGE = re.compile(r"^(\d{4})\s*(?:to|-|–)\s*(\d{4})$")
PERIOD_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class CompositeFile:
    raw: RawFile
    code: str  # e.g. CI1
    version: str  # e.g. 2.0
    slug: str
    indicator_id: str

    @property
    def release(self) -> str:
        return f"{self.code} {self.version}"

    @property
    def version_key(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.version.split("."))


def identify(raw: RawFile) -> CompositeFile | None:
    """A composite index file we publish, or None (other SMC files, unknown indices)."""
    match = FILE_NAME.match(raw.original_name)
    if not match or match["slug"].lower() not in SLUG_INDICATORS:
        return None
    return CompositeFile(
        raw, match["code"].upper(), match["version"], match["slug"].lower(), SLUG_INDICATORS[match["slug"].lower()]
    )


def period_bounds(label: str, *, file: str, row: int) -> tuple[date, date]:
    """'2000 to 2005' -> 1 Jan 2000 .. 31 Dec 2005 (the SMC pools calendar years of survey data)."""
    text = label.strip()
    if m := PERIOD_RANGE.match(text):
        return date(int(m[1]), 1, 1), date(int(m[2]), 12, 31)
    if m := PERIOD_YEAR.match(text):
        return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    raise SourceError(
        f"time period '{label}' is not a year or 'YYYY to YYYY'", file=file, row=row, column="time_period"
    )


def _number(text: str, *, file: str, row: int, column: str) -> tuple[float | None, str | None]:
    text = text.strip()
    if not text:  # SMC files leave a missing value blank
        return None, "not_available"
    if (status := marker_status(text, SMC_KEY)) is not None:
        return None, status
    try:
        return float(text), None
    except ValueError:
        raise SourceError(
            f"'{text}' is neither a number nor a known marker", file=file, row=row, column=column
        ) from None


def _read(cf: CompositeFile) -> pd.DataFrame:
    import pandas as pd

    name = cf.raw.original_name
    try:
        with open(cf.raw.path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            # Keep each record's line number so errors point at the file as an editor shows it.
            records = [(reader.line_num, r) for r in reader if any(cell.strip() for cell in r)]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SourceError(f"not a readable CSV ({exc})", file=name) from exc
    if len(records) < 2:
        raise SourceError("file has no data rows", file=name)
    header = [c.strip() for c in records[0][1]]
    for column in REQUIRED_COLUMNS:
        if column not in header:
            raise SourceError(f"header has no '{column}' column (found: {', '.join(header)})", file=name, column=column)
    for line, record in records[1:]:
        if len(record) != len(header):
            raise SourceError(
                f"row has {len(record)} fields, the header {len(header)} (truncated or shifted?)", file=name, row=line
            )
    frame = pd.DataFrame([r for _, r in records[1:]], columns=header)
    frame["_line"] = [line for line, _ in records[1:]]
    return frame


@dataclass
class CompositeRows:
    values: list[dict]
    aggregates: list[dict]
    categories: list[dict]
    reconciliation: Reconciliation


def parse_composite(cf: CompositeFile, areas: AreaMap, source_id: str) -> CompositeRows:
    name = cf.raw.original_name
    df = _read(cf)
    order_column = next((c for c in ORDER_COLUMNS if c in df.columns), None)
    values: list[dict] = []
    aggregates: list[dict] = []
    categories: list = []
    seen: dict = {}
    for rec in df.to_dict("records"):
        row = rec["_line"]
        if rec["measure_code"].strip().upper() != cf.code:
            raise SourceError(
                f"measure_code '{rec['measure_code']}' does not match the file name's {cf.code}",
                file=name,
                row=row,
                column="measure_code",
            )
        if rec["unit"].strip().lower() != EXPECTED_UNIT:
            raise SourceError(f"unit '{rec['unit']}' is not '{EXPECTED_UNIT}'", file=name, row=row, column="unit")
        area_name, kind = rec["area_name"].strip(), rec["area_type"].strip().lower()
        if kind == LOCAL_AREA_TYPE:
            area = areas.lookup(area_name)
            if area is None:
                raise SourceError(
                    f"area name '{area_name}' is not in the 205-area map {areas.file}",
                    file=name,
                    row=row,
                    column="area_name",
                )
            published = rec["area_code"].strip()
            if published and published not in area.codes:
                raise SourceError(
                    f"area_code {published} is not one of the codes mapped to '{area_name}' ({', '.join(area.codes)})",
                    file=name,
                    row=row,
                    column="area_code",
                )
            code, target = area.representative, values
        elif kind == "country" and area_name.lower() in COUNTRY_CODES:
            # The explorer's country rows carry K02000001 whatever the country; use the name.
            code, target = COUNTRY_CODES[area_name.lower()], aggregates
        else:
            raise SourceError(
                f"unexpected area_type '{rec['area_type']}' for '{area_name}'", file=name, row=row, column="area_type"
            )
        period = rec["time_period"].strip()
        start, end = period_bounds(period, file=name, row=row)
        if (code, period) in seen:
            raise SourceError(
                f"'{area_name}' appears twice for {period} (first on row {seen[(code, period)]})",
                file=name,
                row=row,
                column="area_name",
            )
        seen[(code, period)] = row
        value, status = _number(rec["value"], file=name, row=row, column="value")
        lower = _number(rec.get("lci", ""), file=name, row=row, column="lci")[0]
        upper = _number(rec.get("uci", ""), file=name, row=row, column="uci")[0]
        target.append(
            {
                "indicator_id": cf.indicator_id,
                "area_code": code,
                "period": period,
                "period_start": start,
                "period_end": end,
                "value": value,
                "unit": "score",
                "lower_ci": lower,
                "upper_ci": upper,
                "observation_status": status,
                "source_id": source_id,
                "release": cf.release,
            }
        )
        category = rec["secondary_split_value"].strip()
        if category:
            order = _number(rec[order_column], file=name, row=row, column=order_column)[0] if order_column else None
            categories.append(
                {
                    "indicator_id": cf.indicator_id,
                    "area_code": code,
                    "smc_area_name": area_name,
                    "period": period,
                    "category": category,
                    "category_order": order,
                    "release": cf.release,
                }
            )
    return CompositeRows(values, aggregates, categories, _check_categories(categories, values, name))


def _check_categories(categories: list[dict], values: list[dict], file: str) -> Reconciliation:
    """Each label has one rank, and ranks follow the scores (a shifted column would break both)."""
    import pandas as pd

    cats = pd.DataFrame(categories)
    if cats.empty or not values or cats["category_order"].isna().all():
        return Reconciliation("categories ordered by value (no ranks published)", file, 0, 0)
    labels = cats.groupby("category")["category_order"].nunique()
    ranks = cats.groupby("category_order")["category"].nunique()
    if (labels > 1).any() or (ranks > 1).any():
        raise SourceError(
            "a category label has several ranks, or a rank several labels: "
            f"{cats.groupby('category')['category_order'].unique().to_dict()}",
            file=file,
            column="secondary_split_value",
        )
    vals = pd.DataFrame(values)[["area_code", "period", "value"]]
    merged = cats.merge(vals, on=["area_code", "period"])
    bad = 0
    for _, group in merged.groupby("period"):
        spans = group.groupby("category_order")["value"].agg(["min", "max"]).sort_index()
        bad += int((spans["max"].shift(1) > spans["min"]).sum())
    check = Reconciliation("category ranks overlapping in value (expected none)", file, 0, bad)
    if not check.passed:
        raise SourceError(
            f"{bad} category ranks overlap in value: category and value columns disagree",
            file=file,
            column="secondary_split_value",
        )
    return check
