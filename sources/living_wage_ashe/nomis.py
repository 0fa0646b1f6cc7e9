"""ASHE median weekly and hourly pay by local authority from the Nomis API (CSV).

NM_30_1 is ASHE's resident analysis (where employees live), NM_99_1 its workplace analysis. We
ask for item=2 (median), pay=1,5 (weekly and hourly pay, gross; Nomis numbers pay measures as the
ASHE table parts .1 and .5), sex=8 and measures 20100 (value) + 20701 (confidence), for the local authorities and
England, every April from FIRST_YEAR to the latest (`date=latestMINUSn-latest`, n from the latest
year Nomis reports). The CSV carries the *_NAME columns, so the item and pay actually returned are
checked by their labels, not trusted from the query.

Nomis has no 'share of jobs below the Living Wage' item (its ASHE items are the mean, median and
percentiles), so the real Living Wage share comes only from the ONS living-wage tables.

Nomis's ASHE 'confidence' measure is the coefficient of variation in per cent, so it goes through
the same CV -> 95% interval arithmetic as the ONS tables (quality.confidence_interval).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    import pandas as pd

from ..editions import nomis_years_since
from ..errors import SourceError
from ..http import FetchError
from ..nomis import VALUELESS, UnknownNomisStatus, nomis_status
from .quality import UNRELIABLE_CV, confidence_interval
from .tables import april_period

DATASETS = {"NM_30_1": "resident", "NM_99_1": "workplace"}
VALUE_MEASURE, CONFIDENCE_MEASURE = 20100, 20701
QUERY = {"sex": "8", "item": "2", "pay": "1,5", "measures": f"{VALUE_MEASURE},{CONFIDENCE_MEASURE}"}
# PAY_NAME word -> (indicator stem, unit): 'Weekly pay - gross', 'Hourly pay - gross'.
PAY = {"weekly": ("median_weekly_pay", "gbp"), "hourly": ("median_hourly_pay", "gbp_per_hour")}
# April 2014: the first local-authority living-wage tables, and the year of the East Midlands
# Inclusion Framework's low-pay comparison (Mansfield against Rushcliffe).
FIRST_YEAR = 2014
ENGLAND = "2092957699"  # Nomis's id for England (GSS E92000001)
REQUIRED = [
    "DATE_NAME",
    "GEOGRAPHY_CODE",
    "ITEM_NAME",
    "PAY_NAME",
    "MEASURES",
    "OBS_VALUE",
    "OBS_STATUS",
    "RECORD_COUNT",
]


def data_url(nomis_base: str, dataset: str, geography: str, date: str = "latest") -> str:
    """The CSV of `geography` (a TYPE of local authorities) and England for `date`."""
    query = urlencode({"geography": f"{geography},{ENGLAND}", "date": date, **QUERY}, safe=",")
    return f"{nomis_base.rstrip('/')}/api/v01/dataset/{dataset}.data.csv?{query}"


def latest_year_url(nomis_base: str, dataset: str) -> str:
    """A one-row question: the latest year Nomis holds (England's median, DATE_NAME only)."""
    query = urlencode(
        {
            "geography": ENGLAND,
            "date": "latest",
            **QUERY,
            "pay": "5",
            "measures": str(VALUE_MEASURE),
            "select": "date_name",
        },
        safe=",",
    )
    return f"{nomis_base.rstrip('/')}/api/v01/dataset/{dataset}.data.csv?{query}"


def file_name(dataset: str) -> str:
    return f"nomis_{dataset}_median_pay.csv"


def years_since(latest_year: int) -> str:
    return nomis_years_since(latest_year, FIRST_YEAR)


def latest_year(http, nomis_base: str, dataset: str) -> int:
    """The latest April Nomis holds for `dataset`, from the one-row probe's DATE_NAME."""
    url = latest_year_url(nomis_base, dataset)
    first = next(csv.DictReader(io.StringIO(http.get_text(url).lstrip("\ufeff"))), None) or {}
    match = re.fullmatch(r"\s*((?:19|20)\d\d)\s*", str(first.get("DATE_NAME") or ""))
    if match is None:
        raise FetchError(url, "not a Nomis CSV with a year under DATE_NAME")
    return int(match.group(1))


def dataset_of(frame: pd.DataFrame, name: str) -> str:
    """NM_30_1 or NM_99_1, from the URN column (e.g. 'Nm-30d1d...'), else from the file name."""
    if "URN" in frame.columns and len(frame):
        match = re.match(r"Nm-(\d+)d(\d+)d", str(frame["URN"].iloc[0]), flags=re.I)
        if match and f"NM_{match.group(1)}_{match.group(2)}" in DATASETS:
            return f"NM_{match.group(1)}_{match.group(2)}"
    match = re.search(r"NM_\d+_\d+", name, flags=re.I)
    if match and match.group(0).upper() in DATASETS:
        return match.group(0).upper()
    raise SourceError(
        "cannot tell whether this is Nomis NM_30_1 (resident) or NM_99_1 "
        "(workplace): no URN column or dataset id in the name",
        file=name,
    )


def parse_nomis_ashe(
    csv_path: str | Path, *, name: str | None = None, source_id: str = "living_wage_ashe"
) -> pd.DataFrame:
    """Tidy median_{weekly,hourly}_pay_{resident,workplace} rows (all geographies in the CSV)."""
    import pandas as pd

    label = name or Path(csv_path).name
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise SourceError(f"Nomis CSV lacks columns {missing}", file=label, column=missing[0])
    if frame.empty:
        raise SourceError("Nomis CSV has no rows", file=label)
    declared = pd.to_numeric(frame["RECORD_COUNT"].iloc[0], errors="coerce")
    if declared != len(frame):  # Nomis answers 200 with a cut-off body when a query is too big
        raise SourceError(
            f"truncated: RECORD_COUNT says {declared} rows, file has {len(frame)}", file=label, column="RECORD_COUNT"
        )
    _check_label(frame, "ITEM_NAME", "median", label)
    pay = frame["PAY_NAME"].map(_pay_word)
    if pay.isna().any():
        odd = sorted(set(frame.loc[pay.isna(), "PAY_NAME"]))
        raise SourceError(f"expected only weekly or hourly gross pay, found {odd}", file=label, column="PAY_NAME")
    frame["pay"] = pay
    basis = DATASETS[dataset_of(frame, label)]

    frame["excel_row"] = range(2, len(frame) + 2)  # 1 = header line
    measures = pd.to_numeric(frame["MEASURES"], errors="coerce")
    unknown = frame[~measures.isin([VALUE_MEASURE, CONFIDENCE_MEASURE])]
    if len(unknown):
        raise SourceError(
            f"unexpected MEASURES {unknown['MEASURES'].iloc[0]!r} (expected "
            f"{VALUE_MEASURE} value, {CONFIDENCE_MEASURE} confidence)",
            file=label,
            row=int(unknown["excel_row"].iloc[0]),
            column="MEASURES",
        )
    values = frame[measures == VALUE_MEASURE].set_index(["GEOGRAPHY_CODE", "DATE_NAME", "pay"])
    cvs = frame[measures == CONFIDENCE_MEASURE].set_index(["GEOGRAPHY_CODE", "DATE_NAME", "pay"])
    if values.index.duplicated().any():
        dup = values.index[values.index.duplicated()][0]
        raise SourceError(
            f"two values for {dup} (more than one sex or item returned?)", file=label, column="GEOGRAPHY_CODE"
        )
    rows = []
    for (code, date, word), rec in values.iterrows():
        value, status = _observation(rec, label)
        cv = None
        if (code, date, word) in cvs.index:
            cv, _ = _observation(cvs.loc[(code, date, word)], label)
        stem, unit = PAY[word]
        if value is not None and cv is not None and cv > UNRELIABLE_CV and status is None:
            status = "unreliable"
        lower, upper = confidence_interval(value, cv)
        rows.append(
            {
                "indicator_id": f"{stem}_{basis}",
                "area_code": code,
                **april_period(_year(date, label, rec)),
                "value": value,
                "unit": unit,
                "lower_ci": lower,
                "upper_ci": upper,
                "observation_status": status,
                "source_id": source_id,
                "release": f"{date} (Nomis {dataset_of(frame, label)})",
            }
        )
    return pd.DataFrame(rows).astype(
        {"value": "float64", "lower_ci": "float64", "upper_ci": "float64", "observation_status": "object"}
    )


def _pay_word(name: str) -> str | None:
    """'weekly' or 'hourly' for a gross pay label ('Weekly pay - gross'); None for anything else."""
    text = str(name).lower()
    if "gross" not in text:
        return None
    return next((word for word in PAY if word in text), None)


def _check_label(frame: pd.DataFrame, column: str, word: str, label: str) -> None:
    wrong = sorted({v for v in frame[column] if word not in v.lower()})
    if wrong:
        raise SourceError(f"expected only {word} rows, found {wrong}", file=label, column=column)


def _observation(rec: pd.Series, label: str) -> tuple[float | None, str | None]:
    try:
        status = nomis_status(rec["OBS_STATUS"])
    except UnknownNomisStatus as exc:
        raise SourceError(str(exc), file=label, row=int(rec["excel_row"]), column="OBS_STATUS") from None
    text = rec["OBS_VALUE"].strip()
    if status in VALUELESS:  # Nomis may put 0 beside a missing or withheld figure: never a number
        return None, status
    if not text:
        if status is None:
            raise SourceError(
                "empty OBS_VALUE with a normal status", file=label, row=int(rec["excel_row"]), column="OBS_VALUE"
            )
        return None, "suppressed" if status == "unreliable" else status
    try:
        return float(text), status
    except ValueError:
        raise SourceError(
            f"OBS_VALUE {text!r} is not a number", file=label, row=int(rec["excel_row"]), column="OBS_VALUE"
        ) from None


def _year(date: str, label: str, rec: pd.Series) -> int:
    match = re.fullmatch(r"\s*((?:19|20)\d\d)\s*", date)
    if not match:
        raise SourceError(
            f"DATE_NAME {date!r} is not a year", file=label, row=int(rec["excel_row"]), column="DATE_NAME"
        )
    return int(match.group(1))
