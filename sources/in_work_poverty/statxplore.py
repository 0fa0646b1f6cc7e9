"""DWP Stat-Xplore client for the two indicators only the API provides.

* children_low_income_working_family_pct: CILIF_REL children by 'Work Status' (in work share).
* uc_in_employment_rate: UC_Monthly people by 'Employment indicator' (in employment share).

Stat-Xplore needs a free API key sent as the `APIKey` header. The key is a parameter everywhere:
Dagster resolves it from STAT_XPLORE_API_KEY (dg.EnvVar, pipelines/definitions.py) and the asset
passes it in; nothing here reads the environment. Without a key the indicators are reported as
unavailable (a note, not an exception), so the rest of the pipeline still runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ..errors import SourceUnavailable
from ..http import FetchError, HttpClient
from ..tidy import empty_tidy, to_tidy
from .meta import SOURCE_ID, STATXPLORE_INDICATORS, UC_IN_EMPLOYMENT, WORKING_FAMILY_PCT
from .periods import parse_period

STAT_XPLORE_BASE = "https://stat-xplore.dwp.gov.uk/webapi/rest"
API_KEY_ENV = "STAT_XPLORE_API_KEY"
ENGLAND_LA = re.compile(r"^E0[6-9]\d{6}$")
GSS_CODE = re.compile(r"^[EKNSW]\d{8}$")
# Breakdown labels: checked for 'not working' first, because 'Not in work' also contains 'in work'.
_NOT_WORKING = re.compile(r"\b(not|no|non|out of|workless|without)\b", re.IGNORECASE)
_WORKING = re.compile(r"\b(in work|working|in employment|employed|self-employment)\b", re.IGNORECASE)
_PERIOD_FLAG = re.compile(r"\s*[\[(](p|r|provisional|revised)[\])]\s*$", re.IGNORECASE)


class StatXploreError(Exception):
    """Stat-Xplore answered, but not with what we asked for."""


class StatXploreKeyRejected(StatXploreError):
    pass


@dataclass(frozen=True)
class CubeSpec:
    """Identifiers for one query, from Stat-Xplore's schema (see stat_xplore_metadata/*.csv)."""

    indicator_id: str
    database: str
    measure: str
    geography_field: str
    breakdown_field: str
    period_field: str
    period_codelist: str  # period value uris are <field>:<codelist>:<code>
    # Local-authority level of the geography hierarchy. Not in the metadata snapshot; this is the
    # level used in published Stat-Xplore queries (LAs with Northern Ireland districts).
    geography_level: str = "V_C_MASTERGEOG11_LA_TO_REGION_NI"

    def geography_valueset(self) -> str:
        return self.geography_field.replace("str:field:", "str:valueset:", 1) + ":" + self.geography_level

    def period_value(self, code: str) -> str:
        return f"{self.period_field.replace('str:field:', 'str:value:', 1)}:{self.period_codelist}:{code}"


CILIF_WORK_STATUS = CubeSpec(
    WORKING_FAMILY_PCT,
    "str:database:CILIF_REL",
    "str:count:CILIF_REL:V_F_CILIF_REL",
    "str:field:CILIF_REL:V_F_CILIF_REL:COA",
    "str:field:CILIF_REL:V_F_CILIF_REL:EMPLOYMENT",
    "str:field:CILIF_REL:F_CILIF_DATE:DATE_NAME",
    "C_CILIF_YEAR",
)
UC_EMPLOYMENT = CubeSpec(
    UC_IN_EMPLOYMENT,
    "str:database:UC_Monthly",
    "str:count:UC_Monthly:V_F_UC_CASELOAD_FULL",
    "str:field:UC_Monthly:V_F_UC_CASELOAD_FULL:COA_CODE",
    "str:field:UC_Monthly:V_F_UC_CASELOAD_FULL:EMPLOYMENT_CODE",
    "str:field:UC_Monthly:F_UC_DATE:DATE_NAME",
    "C_UC_DATE",
)
SPECS = (CILIF_WORK_STATUS, UC_EMPLOYMENT)


@dataclass
class StatXploreResult:
    """Unpacks as (values, note). values: tidy English-LA rows; other_areas: the rest."""

    values: pd.DataFrame = field(default_factory=empty_tidy)
    note: str | None = None
    other_areas: pd.DataFrame = field(default_factory=empty_tidy)
    unavailable: list[str] = field(default_factory=list)

    def __iter__(self):
        return iter((self.values, self.note))


def unavailable_indicators(key: str | None) -> list[str]:
    return [] if key else list(STATXPLORE_INDICATORS)


def build_query(spec: CubeSpec, period_codes: list[str] | None = None) -> dict:
    """The /v1/table body: LAs x breakdown x period; period_codes (e.g. '202308', '2021') narrow it."""
    query: dict[str, object] = {
        "database": spec.database,
        "measures": [spec.measure],
        "dimensions": [[spec.geography_valueset()], [spec.breakdown_field], [spec.period_field]],
    }
    if period_codes:
        query["recodes"] = {spec.period_field: {"map": [[spec.period_value(c)] for c in period_codes], "total": False}}
    return query


def fetch_statxplore(
    http: HttpClient,
    key: str | None = None,
    *,
    base: str = STAT_XPLORE_BASE,
    specs=SPECS,
    period_codes: dict[str, list[str]] | None = None,
) -> StatXploreResult:
    if not key:
        missing = unavailable_indicators(key)
        return StatXploreResult(note=f"{API_KEY_ENV} not set: {' and '.join(missing)} unavailable", unavailable=missing)
    url = f"{base.rstrip('/')}/v1/table"
    frames = []
    for spec in specs:
        body = build_query(spec, (period_codes or {}).get(spec.indicator_id))
        try:
            response = http.post_json(url, body, headers={"APIKey": key})
        except FetchError as exc:
            if exc.reason in ("HTTP 401", "HTTP 403"):
                raise StatXploreKeyRejected(
                    f"source {SOURCE_ID}: Stat-Xplore rejected the API key ({exc.reason} from {url}); "
                    f"check {API_KEY_ENV}"
                ) from exc
            raise SourceUnavailable(SOURCE_ID, f"Stat-Xplore: {exc}") from exc
        frames.append(cube_to_indicator(response, spec))
    tidy = to_tidy(pd.concat(frames, ignore_index=True))
    english = tidy["area_code"].str.match(ENGLAND_LA.pattern)
    return StatXploreResult(
        values=tidy[english].reset_index(drop=True), other_areas=tidy[~english].reset_index(drop=True)
    )


def cube_to_frame(response: dict) -> pd.DataFrame:
    """Flatten a /v1/table response: one row per cell, with for each field '<label>' and
    '<label> uri' columns, then 'measure', 'measure_uri' and 'value'."""
    try:
        fields, measures, cubes = response["fields"], response["measures"], response["cubes"]
    except (KeyError, TypeError) as exc:
        raise StatXploreError(f"source {SOURCE_ID}: Stat-Xplore response lacks {exc}") from exc
    labels = [f["label"] for f in fields]
    rows = []
    for measure in measures:
        cube = cubes.get(measure["uri"])
        if cube is None:
            raise StatXploreError(f"source {SOURCE_ID}: no cube for measure {measure['uri']}")
        for items, value in _cells(cube["values"], [f["items"] for f in fields], ()):
            row = {}
            for label, item in zip(labels, items):
                row[label] = item["labels"][0]
                row[f"{label} uri"] = (item.get("uris") or [None])[0]
                row[f"{label} type"] = item.get("type")
            row.update(measure=measure["label"], measure_uri=measure["uri"], value=value)
            rows.append(row)
    return pd.DataFrame(rows)


def _cells(values, item_lists, chosen):
    """Walk the nested values array alongside the field items; shapes must agree."""
    items = item_lists[len(chosen)]
    if not isinstance(values, list) or len(values) != len(items):
        raise StatXploreError(
            f"source {SOURCE_ID}: cube values do not match field {len(chosen) + 1}'s {len(items)} items"
        )
    for item, sub in zip(items, values):
        if len(chosen) + 1 == len(item_lists):
            yield chosen + (item,), sub
        else:
            yield from _cells(sub, item_lists, chosen + (item,))


def _field_label(response: dict, uri: str, position: int) -> str:
    """The response's label for a queried field; a valueset query may answer with either uri."""
    valueset = uri.replace("str:field:", "str:valueset:", 1)
    for f in response["fields"]:
        if f.get("uri") == uri or (f.get("uri") or "").startswith(valueset):
            return f["label"]
    if len(response["fields"]) != 3:
        raise StatXploreError(
            f"source {SOURCE_ID}: expected 3 fields in the response, got {[f.get('label') for f in response['fields']]}"
        )
    return response["fields"][position]["label"]


def cube_to_indicator(response: dict, spec: CubeSpec) -> pd.DataFrame:
    """Share of the breakdown's 'in work' category in all categories, per area and period (%)."""
    flat = cube_to_frame(response)
    geo = _field_label(response, spec.geography_field, 0)
    part = _field_label(response, spec.breakdown_field, 1)
    when = _field_label(response, spec.period_field, 2)
    is_total = (flat[f"{part} type"] == "SumTotalItem") | flat[part].str.fullmatch("total", case=False)
    flat = flat[~is_total & ~(flat[f"{geo} type"] == "SumTotalItem")].copy()
    flat["area_code"] = flat[f"{geo} uri"].fillna("").str.rsplit(":", n=1).str[-1]
    flat = flat[flat["area_code"].str.match(GSS_CODE.pattern)]  # drops 'Unknown' geography items
    categories = flat[part].drop_duplicates().tolist()
    working = [c for c in categories if _WORKING.search(c) and not _NOT_WORKING.search(c)]
    if not working:
        raise StatXploreError(f"source {SOURCE_ID}: no 'in work' category in '{part}' (found {categories})")
    flat["value"] = pd.to_numeric(flat["value"], errors="coerce")
    release = f"Stat-Xplore {spec.database.rsplit(':', 1)[-1]}, retrieved {date.today().isoformat()}"
    rows = []
    if flat.empty:
        return empty_tidy()
    for (code, label), cells in flat.groupby(["area_code", when], sort=False):
        period = _period(label)
        numerator = cells.loc[cells[part].isin(working), "value"]
        denominator = cells["value"]
        value, status = None, period[3]
        if denominator.isna().any() or numerator.isna().any() or denominator.sum() == 0:
            status = "not_available"
        else:
            value = round(100 * numerator.sum() / denominator.sum(), 6)
        rows.append(
            {
                "indicator_id": spec.indicator_id,
                "area_code": code,
                "period": period[0],
                "period_start": period[1],
                "period_end": period[2],
                "value": value,
                "unit": "percent",
                "observation_status": status,
                "source_id": SOURCE_ID,
                "release": release,
            }
        )
    return pd.DataFrame(rows)


def _period(label: str):
    flag = _PERIOD_FLAG.search(label)
    clean = label[: flag.start()] if flag else label
    parsed = parse_period(clean)
    if parsed is None:
        raise StatXploreError(
            f"source {SOURCE_ID}: period label {label!r} is neither a financial "
            "year (2020/21) nor a month (August 2023)"
        )
    provisional = "provisional" if flag and flag.group(1).lower() in ("p", "provisional") else None
    return (*parsed, provisional)


def supplement(tables, http: HttpClient, key: str | None) -> pd.DataFrame:
    """Add the Stat-Xplore indicators to a parsed release; returns the indicators left unavailable
    with the reason. Without a key or the internet they are unavailable, which is reported in the
    notes, never a failure of the whole source."""
    try:
        result = fetch_statxplore(http, key)
    except (StatXploreError, SourceUnavailable) as exc:
        tables.notes.append(str(exc))
        return pd.DataFrame({"indicator_id": list(STATXPLORE_INDICATORS), "reason": str(exc)})
    if result.note:
        tables.notes.append(result.note)
    if not result.values.empty:
        tables.values = pd.concat([tables.values, result.values], ignore_index=True)
    return pd.DataFrame({"indicator_id": result.unavailable, "reason": result.note or ""})
