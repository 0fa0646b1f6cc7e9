"""sources.living_wage_ashe on the real ONS files in ../shared/data/living_wage_ashe."""

from __future__ import annotations

import re
import zipfile
from datetime import date

import pandas as pd
import pytest
import xlrd

import sources.living_wage_ashe as lw
from sources.acquire import acquire
from sources.archive import Archive
from sources.http import HttpClient

pytestmark = pytest.mark.realdata

ZIP = "livingwagebyworkgeography2022provisional.zip"
EST = "PROV - Work Geography LWF Table 7 LWF.1a   lwfmgx 2022.xls"
CV = "PROV - Work Geography LWF Table 7 LWF.1b   lwfmgx 2022 CV.xls"
WEEKLY = "PROV - Home Geography Table 8.1a   Weekly pay - Gross 2023.xls"
PCT, COUNT = "jobs_below_living_wage_pct", "jobs_below_living_wage_count"
WEEKLY_ID = "median_weekly_pay_resident"


@pytest.fixture(scope="module")
def tables(shared_data, tmp_path_factory):
    archive = Archive(tmp_path_factory.mktemp("archive"))
    files, mode = acquire(lw.SOURCE_ID, archive=archive, mirror=shared_data, http=HttpClient(), discover=None)
    assert mode == "mirror"
    return lw.parse(files)


@pytest.fixture(scope="module")
def raw_sheets(shared_data):
    """The 'All' sheets read directly with xlrd, to compare with what parse() produced."""
    with zipfile.ZipFile(shared_data / lw.SOURCE_ID / ZIP) as zf:
        est = xlrd.open_workbook(file_contents=zf.read(EST)).sheet_by_name("All")
        cv = xlrd.open_workbook(file_contents=zf.read(CV)).sheet_by_name("All")
    weekly = xlrd.open_workbook(str(shared_data / lw.SOURCE_ID / WEEKLY)).sheet_by_name("All")
    return est, cv, weekly


def one(frame, indicator, code):
    hit = frame[(frame.indicator_id == indicator) & (frame.area_code == code)]
    assert len(hit) == 1
    return hit.iloc[0]


# code, jobs (thousand), per cent, CV jobs, CV per cent: read from Table 7 LWF.1a / LWF.1b, 'All'.
NAMED = [
    ("E06000005", 8.0, 14.5, 16.0, 15.0),  # Darlington
    ("E08000003", 36.0, 9.7, 7.4, 7.0),  # Manchester
    ("E08000025", 53.0, 12.1, 6.2, 5.8),  # Birmingham
    ("E09000001", 18.0, 3.6, 11.0, 11.0),  # City of London
    ("E07000178", 6.0, 4.9, 19.0, 19.0),  # Oxford
    ("E06000061", 13.0, 10.1, 12.0, 11.0),
]  # North Northamptonshire


@pytest.mark.parametrize("code, jobs, pct, cv_jobs, cv_pct", NAMED)
def test_named_authorities(tables, code, jobs, pct, cv_jobs, cv_pct):
    p = one(tables.values, PCT, code)
    assert p.value == pct and pd.isna(p.observation_status)
    assert p.lower_ci == pytest.approx(pct * (1 - 1.96 * cv_pct / 100))
    assert p.upper_ci == pytest.approx(pct * (1 + 1.96 * cv_pct / 100))
    c = one(tables.values, COUNT, code)
    assert c.value == jobs * 1000
    assert c.upper_ci == pytest.approx(jobs * 1000 * (1 + 1.96 * cv_jobs / 100))
    cvs = tables.extra["coefficients_of_variation"]
    got = cvs[cvs.area_code == code].set_index("indicator_id").cv_percent
    assert (got[COUNT], got[PCT]) == (cv_jobs, cv_pct)


def test_england_and_london_are_aggregates_as_published(tables):
    assert one(tables.aggregates, PCT, "E92000001").value == 12.5
    assert one(tables.aggregates, COUNT, "E92000001").value == 2_951_000
    assert one(tables.aggregates, PCT, "E12000007").value == 13.6  # London region
    assert one(tables.aggregates, PCT, "K02000001").value == 12.2  # United Kingdom
    assert not tables.values.area_code.str.match(r"^E(92|12|10|11|13)").any()


def test_row_counts(tables):
    v, a = tables.values, tables.aggregates
    assert v[v.indicator_id == PCT].area_code.nunique() == 309  # April 2021/22 English LADs
    assert v[v.indicator_id == WEEKLY_ID].area_code.nunique() == 296  # April 2023 English LADs
    assert len(v) == 309 * 2 + 296
    assert len(a[a.indicator_id == PCT]) == 48  # K02-K04, E92, 9 E12, 2 E13, 24 E10, 6 E11, 3 nations
    assert (v[v.indicator_id == PCT].value.notna().sum(), v[v.indicator_id == COUNT].value.notna().sum()) == (242, 225)
    assert set(v.area_code.str[:3]) == {"E06", "E07", "E08", "E09"}


def test_markers_are_statuses_not_numbers(tables, raw_sheets):
    est, _, weekly = raw_sheets
    checked = 0
    for sheet, columns in ((est, {2: COUNT, 3: PCT}), (weekly, {3: WEEKLY_ID})):
        for r in range(sheet.nrows):
            code = str(sheet.cell_value(r, 1)).strip()
            if not re.match(r"^E0[6-9]\d{6}$", code):
                continue
            for c, indicator in columns.items():
                cell = sheet.cell_value(r, c)
                got = one(tables.values, indicator, code)
                if isinstance(cell, str):
                    assert cell.strip() in {"x", "..", ":", "-"}
                    assert pd.isna(got.value) and pd.isna(got.lower_ci)
                    assert got.observation_status == ("suppressed" if cell.strip() == "x" else "not_available")
                    checked += 1
                else:
                    assert got.value == pytest.approx(cell * (1000 if indicator == COUNT else 1))
    assert checked == 67 + 84 + 2
    suppressed = one(tables.values, PCT, "E06000053")  # Isles of Scilly: 'x'
    assert pd.isna(suppressed.value) and suppressed.observation_status == "suppressed"


def test_cv_table_covers_the_same_rows(tables, raw_sheets):
    est, cv, _ = raw_sheets
    assert [est.cell_value(r, 1) for r in range(est.nrows)] == [cv.cell_value(r, 1) for r in range(cv.nrows)]
    assert [(r.expected, r.actual, r.passed) for r in tables.reconciliations] == [(411.0, 411.0, True)]


def test_period_release_and_rates(tables):
    lwf = tables.values[tables.values.indicator_id == PCT]
    assert set(lwf.period) == {"2022"} and set(lwf.period_start) == {date(2022, 4, 1)}
    assert set(lwf.period_end) == {date(2022, 4, 30)}
    assert set(lwf.release) == {"2022 provisional"}
    assert tables.releases == ["2022 provisional", "2023 provisional"]
    rates = tables.extra["living_wage_rates"].set_index("year")
    assert (rates.loc[2022, "london_gbp_per_hour"], rates.loc[2022, "outside_london_gbp_per_hour"]) == (11.05, 9.9)


def test_weekly_pay_from_table_8_1a(tables):
    assert one(tables.values, WEEKLY_ID, "E06000005").value == 530.5  # Darlington
    assert one(tables.values, WEEKLY_ID, "E08000025").value == 527.0  # Birmingham
    assert one(tables.values, WEEKLY_ID, "E06000063").value == 577.8  # Cumberland (2023 LAD)
    assert one(tables.aggregates, WEEKLY_ID, "E92000001").value == 576.9
    city = one(tables.values, WEEKLY_ID, "E09000001")
    assert pd.isna(city.value) and city.observation_status == "suppressed"
    weekly = tables.values[tables.values.indicator_id == WEEKLY_ID]
    assert set(weekly.unit) == {"gbp"} and weekly.lower_ci.isna().all()  # no 8.1b CV table held
    assert set(weekly.period_start) == {date(2023, 4, 1)}
