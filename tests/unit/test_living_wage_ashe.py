"""Unit tests for sources.living_wage_ashe on small workbooks built here with openpyxl."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pandas as pd
import pytest

import sources.living_wage_ashe as lw
from sources.archive import RawFile
from sources.errors import SourceError
from sources.living_wage_ashe.files import classify, is_cv, pairing_key
from sources.living_wage_ashe.quality import confidence_interval, cv_band, read_cell
from tests.fixtures.nomis import ASHE_COLUMNS as NOMIS_COLUMNS

ZIP_NAME = "livingwagebyworkgeography2022provisional.zip"
EST_NAME = "PROV - Work Geography LWF Table 7 LWF.1a   lwfmgx 2022.xlsx"
CV_NAME = "PROV - Work Geography LWF Table 7 LWF.1b   lwfmgx 2022 CV.xlsx"
LWF_TITLE = "Table 7 LWF.1 lwfmgx - For all employee jobsa: United Kingdom, 2022"
LWF_HEADER = [
    ["", "", "% earning below Living Wage Foundation rates", ""],
    ["", "", "Jobs", "Per cent"],
    ["Description", "Code", "(thousand)", ""],
]
# name, code, jobs (thousand), per cent  |  CV jobs, CV per cent
LWF_ROWS = [
    ("United Kingdom ", "K02000001", 3495.0, 12.2, 0.6, 0.6),
    ("England", "E92000001", 2951.0, 12.5, 0.7, 0.7),
    ("North East ", "E12000001", 155.0, 14.8, 3.5, 3.3),
    ("Darlington UA", "E06000005", 8.0, 14.5, 16.0, 15.0),
    ("Hartlepool UA", "E06000001", "x", "x", 23.0, "x"),
    ("  Oxford", "E07000178", 6.0, 4.9, 19.0, 23.0),  # shown although CV > 20
    ("  Manchester", "E08000003", "..", ":", "..", ":"),
    ("  Westminster", "E09000033", 48.0, 99.0, 6.6, 5.0),  # upper CI clamps at 100
    ("Cardiff", "W06000015", 20.0, 10.0, 9.0, 9.0),
    ("Not Classified", "", ":", "", ":", ""),
]
FOOTNOTES = [
    "a  Employees on adult rates whose pay for the survey pay-period was not affected.",
    "Source: Annual Survey of Hours and Earnings, Office for National Statistics.",
]


def workbook_bytes(title, header, rows, *, sheet="All", pad_rows=0, pad_cols=0, notes=True):
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    if notes:
        wb["Notes"].append(["Guide to results from ASHE"])
        wb["Notes"].append(["", "Working within London", "Working in the UK, outside London"])
        wb["Notes"].append([2022, 11.05, 9.9])
        wb["Notes"].append([2021, 10.85, 9.5])
        wb["Notes"].append([""])
    ws = wb.create_sheet(sheet)
    lead = [None] * pad_cols
    for _ in range(pad_rows):
        ws.append([None])
    ws.append(lead + [title])
    ws.append([None])
    for line in header:
        ws.append(lead + list(line))
    for i, row in enumerate(rows):
        legend = ["", "Key", "x = CV > 20%"] if i < 3 else []  # the Key beside the data
        ws.append(lead + list(row) + legend)
    for line in FOOTNOTES:
        ws.append(lead + [line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def lwf_pair(**kwargs):
    est = [r[:4] for r in LWF_ROWS]
    cvs = [r[:2] + r[4:] for r in LWF_ROWS]
    est_kwargs = {k: v for k, v in kwargs.items() if k != "cv_rows"}
    return (
        workbook_bytes(LWF_TITLE, LWF_HEADER, est, **est_kwargs),
        workbook_bytes(LWF_TITLE, LWF_HEADER, kwargs.get("cv_rows", cvs)),
    )


def zip_raw(tmp_path, members: dict[str, bytes], name=ZIP_NAME) -> RawFile:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        for inner, data in members.items():
            zf.writestr(inner, data)
    return raw(path)


def raw(path, release=None) -> RawFile:
    return RawFile(
        "living_wage_ashe",
        str(path),
        "0" * 64,
        path.name,
        str(path),
        "2024-01-01T00:00:00+00:00",
        release,
        path.stat().st_size,
    )


def file_raw(tmp_path, name, data: bytes) -> RawFile:
    path = tmp_path / name
    path.write_bytes(data)
    return raw(path)


def lwf_tables(tmp_path, **kwargs):
    est, cv = lwf_pair(**kwargs)
    return lw.parse([zip_raw(tmp_path, {EST_NAME: est, CV_NAME: cv})])


def row(frame, indicator, code):
    hit = frame[(frame.indicator_id == indicator) & (frame.area_code == code)]
    assert len(hit) == 1, (indicator, code, len(hit))
    return hit.iloc[0]


# --- CV arithmetic and markers ------------------------------------------------------------


def test_confidence_interval_is_value_times_one_plus_minus_1_96_cv():
    lower, upper = confidence_interval(14.5, 15.0)
    assert lower == pytest.approx(14.5 * (1 - 1.96 * 0.15))
    assert upper == pytest.approx(14.5 * (1 + 1.96 * 0.15))
    assert (lower, upper) == pytest.approx((10.237, 18.763))


def test_confidence_interval_clamps_at_zero_and_at_the_upper_bound():
    assert confidence_interval(10.0, 60.0)[0] == 0.0
    assert confidence_interval(99.0, 5.0, upper_bound=100.0) == pytest.approx((89.298, 100.0))
    assert confidence_interval(99.0, 5.0)[1] == pytest.approx(108.702)
    assert confidence_interval(None, 5.0) == (None, None)
    assert confidence_interval(5.0, None) == (None, None)


@pytest.mark.parametrize(
    "cv, band",
    [
        (5.0, "precise"),
        (5.1, "reasonably_precise"),
        (10.0, "reasonably_precise"),
        (20.0, "acceptable"),
        (20.1, "unreliable"),
        (None, None),
    ],
)
def test_cv_bands_follow_the_ons_key(cv, band):
    assert cv_band(cv) == band


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("x", (None, "suppressed")),
        (" x ", (None, "suppressed")),
        ("..", (None, "not_available")),
        (":", (None, "not_available")),
        ("-", (None, "not_available")),
        (12.5, (12.5, None)),
        ("1,234", (1234.0, None)),
    ],
)
def test_cells_become_numbers_or_statuses(cell, expected):
    assert read_cell(cell, file="f.xls", sheet="All", row=7, column="Per cent") == expected


@pytest.mark.parametrize("cell", ["n/a", "", "#ERROR"])
def test_unknown_or_empty_cells_raise_naming_the_cell(cell):
    with pytest.raises(SourceError) as err:
        read_cell(cell, file="f.xls", sheet="All", row=7, column="Per cent")
    assert "file f.xls" in str(err.value) and "row 7" in str(err.value)
    assert "column 'Per cent'" in str(err.value)


# --- file names ----------------------------------------------------------------------------


def test_estimates_and_cv_files_pair_by_name():
    real_est = "PROV - Work Geography LWF Table 7 LWF.1a   lwfmgx 2022.xls"
    real_cv = "PROV - Work Geography LWF Table 7 LWF.1b   lwfmgx 2022 CV.xls"
    assert not is_cv(real_est) and is_cv(real_cv)
    assert pairing_key(real_est) == pairing_key(real_cv)
    assert classify(real_est).table == "lwf"
    assert classify("PROV - Work PC LWF Table 9 LWF.1a   lwfmgx 2022.xls") is None
    weekly = classify("PROV - Home Geography Table 8.1a   Weekly pay - Gross 2023.xls")
    assert (weekly.basis, weekly.measure) == ("resident", "weekly")
    hourly = classify("Work Geography Table 7.5b   Hourly pay - Gross 2023 CV.xls")
    assert (hourly.basis, hourly.measure) == ("workplace", "hourly")
    assert classify("Home Geography Table 8.6a   Hourly pay - Excluding overtime 2023.xls") is None


# --- Table 7 LWF ---------------------------------------------------------------------------


def test_lwf_values_intervals_and_statuses(tmp_path):
    t = lwf_tables(tmp_path)
    darlington = row(t.values, "jobs_below_living_wage_pct", "E06000005")
    assert darlington.value == 14.5 and darlington.unit == "percent"
    assert (darlington.lower_ci, darlington.upper_ci) == pytest.approx((10.237, 18.763))
    assert pd.isna(darlington.observation_status)
    count = row(t.values, "jobs_below_living_wage_count", "E06000005")
    assert count.value == 8000.0 and count.unit == "count"
    assert (count.lower_ci, count.upper_ci) == pytest.approx((8000 * (1 - 1.96 * 0.16), 8000 * (1 + 1.96 * 0.16)))
    hartlepool = row(t.values, "jobs_below_living_wage_pct", "E06000001")
    assert pd.isna(hartlepool.value) and hartlepool.observation_status == "suppressed"
    assert pd.isna(hartlepool.lower_ci)
    for indicator in ("jobs_below_living_wage_pct", "jobs_below_living_wage_count"):
        manchester = row(t.values, indicator, "E08000003")
        assert pd.isna(manchester.value) and manchester.observation_status == "not_available"
    oxford = row(t.values, "jobs_below_living_wage_pct", "E07000178")
    assert oxford.value == 4.9 and oxford.observation_status == "unreliable"
    assert pd.isna(row(t.values, "jobs_below_living_wage_count", "E07000178").observation_status)
    assert row(t.values, "jobs_below_living_wage_pct", "E09000033").upper_ci == 100.0


def test_lwf_levels_period_and_release(tmp_path):
    t = lwf_tables(tmp_path)
    assert set(t.values.area_code) == {"E06000005", "E06000001", "E07000178", "E08000003", "E09000033"}
    assert set(t.aggregates.area_code) == {"K02000001", "E92000001", "E12000001"}
    england = row(t.aggregates, "jobs_below_living_wage_count", "E92000001")
    assert england.value == 2951000.0
    assert set(t.values.period) == {"2022"}
    assert set(t.values.period_start) == {date(2022, 4, 1)}
    assert set(t.values.period_end) == {date(2022, 4, 30)}
    assert t.releases == ["2022 provisional"]
    assert set(t.values.release) == {"2022 provisional"}
    assert [r.passed for r in t.reconciliations] == [True]
    rates = t.extra["living_wage_rates"].set_index("year")
    assert rates.loc[2022, "london_gbp_per_hour"] == 11.05
    cvs = t.extra["coefficients_of_variation"]
    hart = cvs[(cvs.area_code == "E06000001") & (cvs.indicator_id == "jobs_below_living_wage_count")]
    assert hart.cv_percent.item() == 23.0 and hart.cv_band.item() == "unreliable"


def test_header_and_code_column_are_found_by_content(tmp_path):
    (tmp_path / "moved").mkdir()
    (tmp_path / "plain").mkdir()
    moved = lwf_tables(tmp_path / "moved", pad_rows=4, pad_cols=2)
    plain = lwf_tables(tmp_path / "plain")
    assert len(plain.values) == 10
    pd.testing.assert_frame_equal(moved.values, plain.values)


def test_renamed_header_names_file_sheet_and_column(tmp_path):
    header = [LWF_HEADER[0], ["", "", "Jobs", "Percentage"], LWF_HEADER[2]]
    est = workbook_bytes(LWF_TITLE, header, [r[:4] for r in LWF_ROWS])
    _, cv = lwf_pair()
    with pytest.raises(SourceError) as err:
        lw.parse([zip_raw(tmp_path, {EST_NAME: est, CV_NAME: cv})])
    message = str(err.value)
    assert EST_NAME in message and "sheet 'All'" in message and "column 'Per cent'" in message


def test_missing_code_header_raises(tmp_path):
    header = LWF_HEADER[:2] + [["Description", "GSS", "(thousand)", ""]]
    est = workbook_bytes(LWF_TITLE, header, [r[:4] for r in LWF_ROWS])
    _, cv = lwf_pair()
    with pytest.raises(SourceError, match="'Description' and 'Code'"):
        lw.parse([zip_raw(tmp_path, {EST_NAME: est, CV_NAME: cv})])


def test_missing_cv_table_raises(tmp_path):
    est, _ = lwf_pair()
    with pytest.raises(SourceError) as err:
        lw.parse([zip_raw(tmp_path, {EST_NAME: est})])
    assert "coefficient-of-variation" in str(err.value) and EST_NAME in str(err.value)


def test_cv_table_with_other_rows_raises(tmp_path):
    cvs = [r[:2] + r[4:] for r in LWF_ROWS if r[1] != "E06000005"]
    with pytest.raises(SourceError) as err:
        lwf_tables(tmp_path, cv_rows=cvs)
    assert CV_NAME in str(err.value) and "E06000005" in str(err.value)


def test_missing_sheet_raises(tmp_path):
    with pytest.raises(SourceError, match="sheet 'All'"):
        lwf_tables(tmp_path, sheet="Everyone")


def test_unknown_marker_raises_with_row(tmp_path):
    """'q' is in neither ASHE's key nor the GSS symbols ('c' is, since sources/markers.py: confidential)."""
    rows = [r[:4] for r in LWF_ROWS]
    rows[3] = ("Darlington UA", "E06000005", 8.0, "q")
    est = workbook_bytes(LWF_TITLE, LWF_HEADER, rows)
    _, cv = lwf_pair()
    with pytest.raises(SourceError) as err:
        lw.parse([zip_raw(tmp_path, {EST_NAME: est, CV_NAME: cv})])
    assert "'q'" in str(err.value) and "row 9" in str(err.value)


def test_title_year_must_match_file_name(tmp_path):
    est = workbook_bytes(LWF_TITLE.replace("2022", "2021"), LWF_HEADER, [r[:4] for r in LWF_ROWS])
    _, cv = lwf_pair()
    with pytest.raises(SourceError, match="title says"):
        lw.parse([zip_raw(tmp_path, {EST_NAME: est, CV_NAME: cv})])


def test_damaged_files_raise_source_error(tmp_path):
    with pytest.raises(SourceError, match="not an Excel workbook"):
        lw.parse([zip_raw(tmp_path, {EST_NAME: b"<html>oops</html>", CV_NAME: b"x"})])
    with pytest.raises(SourceError, match="not a readable zip"):
        lw.parse([file_raw(tmp_path, "livingwagebyworkgeography2023provisional.zip", b"PK-broken")])


# --- ASHE pay tables -----------------------------------------------------------------------

ASHE_HEADER = [
    ["", "", "Number", "", "Annual", "", "Percentiles"],
    ["", "", "of jobsb", "", "percentage", "", ""],
    ["Description", "Code", "(thousand)", "Median", "change", "Mean", "10"],
]
ASHE_ROWS = [
    ("England", "E92000001", 22292.0, 576.9, 7.5, 673.3, 198.3),
    ("Darlington UA", "E06000005", 43.0, 530.5, 10.4, 606.5, 239.7),
    ("  City of London", "E09000001", 9.0, "x", "x", "x", "x"),
]
ASHE_CV_ROWS = [
    ("England", "E92000001", 0.4, 0.5, "", 0.4, 0.9),
    ("Darlington UA", "E06000005", 9.0, 5.0, "", 4.0, 12.0),
    ("  City of London", "E09000001", 30.0, 25.0, "", 22.0, 40.0),
]


def ashe_book(rows):
    return workbook_bytes("Table 8.1a Weekly pay - Gross", ASHE_HEADER, rows, notes=False)


def test_ashe_weekly_median_with_cv(tmp_path):
    t = lw.parse(
        [
            file_raw(tmp_path, "Home Geography Table 8.1a   Weekly pay - Gross 2023.xlsx", ashe_book(ASHE_ROWS)),
            file_raw(tmp_path, "Home Geography Table 8.1b   Weekly pay - Gross 2023 CV.xlsx", ashe_book(ASHE_CV_ROWS)),
        ]
    )
    darlington = row(t.values, "median_weekly_pay_resident", "E06000005")
    assert darlington.value == 530.5 and darlington.unit == "gbp"
    assert (darlington.lower_ci, darlington.upper_ci) == pytest.approx((478.511, 582.489))
    city = row(t.values, "median_weekly_pay_resident", "E09000001")
    assert pd.isna(city.value) and city.observation_status == "suppressed"
    assert row(t.aggregates, "median_weekly_pay_resident", "E92000001").value == 576.9
    assert t.releases == ["2023"] and set(t.values.period) == {"2023"}


def test_ashe_hourly_without_cv_table_has_no_intervals(tmp_path):
    t = lw.parse(
        [file_raw(tmp_path, "PROV - Work Geography Table 7.5a   Hourly pay - Gross 2023.xlsx", ashe_book(ASHE_ROWS))]
    )
    darlington = row(t.values, "median_hourly_pay_workplace", "E06000005")
    assert darlington.unit == "gbp_per_hour" and darlington.value == 530.5
    assert pd.isna(darlington.lower_ci) and pd.isna(darlington.upper_ci)
    assert t.releases == ["2023 provisional"]
    assert any("no CV table" in n for n in t.notes)


def test_ashe_median_column_renamed_raises(tmp_path):
    header = ASHE_HEADER[:2] + [["Description", "Code", "(thousand)", "Middle", "change", "Mean", "10"]]
    data = workbook_bytes("Table 8.1a Weekly pay - Gross", header, ASHE_ROWS, notes=False)
    name = "Home Geography Table 8.1a   Weekly pay - Gross 2023.xlsx"
    with pytest.raises(SourceError) as err:
        lw.parse([file_raw(tmp_path, name, data)])
    assert name in str(err.value) and "column 'Median'" in str(err.value)


def test_no_usable_table_raises(tmp_path):
    with pytest.raises(SourceError, match="no living-wage table"):
        lw.parse([zip_raw(tmp_path, {"PROV - Work PC LWF Table 9 LWF.1a   lwfmgx 2022.xlsx": ashe_book(ASHE_ROWS)})])


# --- Nomis ---------------------------------------------------------------------------------


def nomis_csv(observations, *, dataset="30", item_name="Median", record_count=None) -> bytes:
    """observations: (gss, name, value, status, cv, cv_status)."""
    lines = []
    for i, (code, name, value, status, cv, cv_status) in enumerate(observations):
        for measure, mname, obs, st in ((20100, "Value", value, status), (20701, "Confidence", cv, cv_status)):
            lines.append(
                {
                    "DATE": "2023",
                    "DATE_NAME": "2023",
                    "DATE_CODE": "2023",
                    "DATE_TYPE": "date",
                    "DATE_TYPECODE": "0",
                    "DATE_SORTORDER": "0",
                    "GEOGRAPHY": str(1778384897 + i),
                    "GEOGRAPHY_NAME": name,
                    "GEOGRAPHY_CODE": code,
                    "GEOGRAPHY_TYPE": "local authorities: district / unitary (as of April 2023)",
                    "GEOGRAPHY_TYPECODE": "424",
                    "GEOGRAPHY_SORTORDER": str(i),
                    "SEX": "8",
                    "SEX_NAME": "Total",
                    "SEX_CODE": "8",
                    "SEX_TYPE": "sex",
                    "SEX_TYPECODE": "0",
                    "SEX_SORTORDER": "0",
                    "ITEM": "2",
                    "ITEM_NAME": item_name,
                    "ITEM_CODE": "2",
                    "ITEM_TYPE": "item",
                    "ITEM_TYPECODE": "0",
                    "ITEM_SORTORDER": "1",
                    "PAY": "5",
                    "PAY_NAME": "Hourly pay - gross",
                    "PAY_CODE": "5",
                    "PAY_TYPE": "pay",
                    "PAY_TYPECODE": "0",
                    "PAY_SORTORDER": "4",
                    "MEASURES": str(measure),
                    "MEASURES_NAME": mname,
                    "OBS_VALUE": "" if obs is None else str(obs),
                    "OBS_STATUS": st,
                    "OBS_STATUS_NAME": "Normal Value" if st == "A" else "",
                    "OBS_CONF": "F",
                    "OBS_CONF_NAME": "Free (free for publication)",
                    "URN": f"Nm-{dataset}d1d32e0d{1778384897 + i}d8d2d5d{measure}",
                    "RECORD_OFFSET": "0",
                    "RECORD_COUNT": "",
                }
            )
    for line in lines:
        line["RECORD_COUNT"] = str(record_count if record_count is not None else len(lines))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=NOMIS_COLUMNS, quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(lines)
    return out.getvalue().encode()


NOMIS_OBS = [
    ("E06000005", "Darlington", 14.2, "A", 3.0, "A"),
    ("E09000001", "City of London", None, "X", None, "X"),
    ("E07000178", "Oxford", 17.5, "Q", 21.0, "A"),
    ("E92000001", "England", 17.1, "A", 0.4, "A"),
]


def test_parse_nomis_ashe_values_statuses_and_intervals(tmp_path):
    path = tmp_path / "nomis_NM_30_1_median_hourly_pay.csv"
    path.write_bytes(nomis_csv(NOMIS_OBS))
    rows = lw.parse_nomis_ashe(path).set_index("area_code")
    assert set(rows.indicator_id) == {"median_hourly_pay_resident"}
    assert set(rows.unit) == {"gbp_per_hour"}
    assert rows.loc["E06000005", "value"] == 14.2
    assert (rows.loc["E06000005", "lower_ci"], rows.loc["E06000005", "upper_ci"]) == pytest.approx(
        (14.2 * (1 - 1.96 * 0.03), 14.2 * (1 + 1.96 * 0.03))
    )
    assert pd.isna(rows.loc["E09000001", "value"])
    assert rows.loc["E09000001", "observation_status"] == "not_available"
    assert rows.loc["E07000178", "observation_status"] == "unreliable"
    assert rows.loc["E06000005", "period_start"] == "2023-04-01"


def test_nomis_zero_beside_a_missing_or_withheld_status_is_no_figure(tmp_path):
    # Nomis can give OBS_VALUE 0 with a status that says the figure is missing or withheld: a
    # median pay of 0 must never be published.
    path = tmp_path / "nomis_NM_30_1_median_hourly_pay.csv"
    obs = [("E06000005", "Darlington", 0, "X", 0, "X"), ("E06000001", "Hartlepool", 0, "*", 0, "*")]
    path.write_bytes(nomis_csv(obs))
    rows = lw.parse_nomis_ashe(path).set_index("area_code")
    assert rows["value"].isna().all() and rows["lower_ci"].isna().all()
    assert rows["observation_status"].to_dict() == {"E06000005": "not_available", "E06000001": "suppressed"}


def test_nomis_workplace_basis_comes_from_the_urn(tmp_path):
    path = tmp_path / "extract.csv"
    path.write_bytes(nomis_csv(NOMIS_OBS, dataset="99"))
    assert set(lw.parse_nomis_ashe(path).indicator_id) == {"median_hourly_pay_workplace"}


def test_nomis_truncated_or_wrong_item_raises(tmp_path):
    path = tmp_path / "nomis_NM_30_1_median_hourly_pay.csv"
    path.write_bytes(nomis_csv(NOMIS_OBS, record_count=25000))
    with pytest.raises(SourceError, match="truncated"):
        lw.parse_nomis_ashe(path)
    path.write_bytes(nomis_csv(NOMIS_OBS, item_name="Mean"))
    with pytest.raises(SourceError, match="column 'ITEM_NAME'"):
        lw.parse_nomis_ashe(path)


def test_parse_splits_nomis_rows_and_prefers_ons_tables(tmp_path):
    ons = file_raw(tmp_path, "Home Geography Table 8.5a   Hourly pay - Gross 2023.xlsx", ashe_book(ASHE_ROWS))
    nomis = file_raw(tmp_path, "nomis_NM_30_1_median_hourly_pay.csv", nomis_csv(NOMIS_OBS))
    t = lw.parse([ons, nomis])
    assert row(t.values, "median_hourly_pay_resident", "E06000005").value == 530.5  # ONS kept
    assert row(t.values, "median_hourly_pay_resident", "E07000178").value == 17.5  # Nomis only
    assert row(t.aggregates, "median_hourly_pay_resident", "E92000001").value == 576.9
    assert any("ONS table values are kept" in n for n in t.notes)


def test_indicators_are_declared_for_everything_parse_can_emit():
    ids = {i.indicator_id for i in lw.INDICATORS}
    assert {
        "jobs_below_living_wage_pct",
        "jobs_below_living_wage_count",
        "median_hourly_pay_resident",
        "median_hourly_pay_workplace",
        "median_weekly_pay_resident",
        "median_weekly_pay_workplace",
    } == ids
    units = {i.indicator_id: i.unit for i in lw.INDICATORS}
    assert units["jobs_below_living_wage_pct"] == "percent"
    assert units["median_hourly_pay_resident"] == "gbp_per_hour"
    assert all(i.source_id == lw.SOURCE_ID == "living_wage_ashe" for i in lw.INDICATORS)


def test_nomis_weekly_rows_are_weekly_pay_and_other_pay_measures_are_refused(tmp_path):
    path = tmp_path / "nomis_NM_30_1_median_pay.csv"
    path.write_bytes(nomis_csv(NOMIS_OBS).replace(b"Hourly pay - gross", b"Weekly pay - gross"))
    rows = lw.parse_nomis_ashe(path)
    assert set(rows.indicator_id) == {"median_weekly_pay_resident"} and set(rows.unit) == {"gbp"}
    path.write_bytes(nomis_csv(NOMIS_OBS).replace(b"Hourly pay - gross", b"Hourly pay - excluding overtime"))
    with pytest.raises(SourceError, match="only weekly or hourly gross pay"):
        lw.parse_nomis_ashe(path)
