"""Rough sleeping snapshot parser on synthetic workbooks that mimic the publisher's layouts.

The 2023-2025 ODS editions are not held, so they are rebuilt here from SOURCE.md: underscored
sheet names, header on row 5, [z] in aggregate code cells, swapped labels in autumn 2024, the 2025
Barnsley/Sheffield recode, an optional Cover sheet and a footer block.
"""

from __future__ import annotations

import zlib
from datetime import date

import openpyxl
import pandas as pd
import pytest

import sources.rough_sleeping as rs
from sources.archive import RawFile
from sources.errors import SourceError
from sources.tidy import TIDY_COLUMNS, UNITS

REGIONS = {
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000007": "London",
}
LAS_2024 = [
    ("E09000033", "Westminster", "E12000007"),
    ("E09000007", "Camden", "E12000007"),
    ("E08000016", "Barnsley", "E12000003"),
    ("E08000019", "Sheffield", "E12000003"),
    ("E06000014", "York", "E12000003"),
    ("E06000061", "North Northamptonshire", "E12000004"),
    ("E06000018", "Nottingham", "E12000004"),
    ("E06000063", "Cumberland", "E12000002"),
    ("E08000003", "Manchester", "E12000002"),
]
RECODE_2025 = {"E08000016": "E08000038", "E08000019": "E08000039"}
LAS_2025 = [(RECODE_2025.get(code, code), name, region) for code, name, region in LAS_2024]
# Before April 2023 Cumberland was three districts: an older edition lists them instead.
CUMBERLAND_PARTS = [
    ("E07000026", "Allerdale", "E12000002"),
    ("E07000028", "Carlisle", "E12000002"),
    ("E07000029", "Copeland", "E12000002"),
]
LAS_2022 = [la for la in LAS_2024 if la[1] != "Cumberland"] + CUMBERLAND_PARTS
FOOTER = [
    [None],
    ["Contact:", "roughsleepingstatistics@communities.gov.uk"],
    ["Source:", "MHCLG Annual Rough Sleeping Snapshot"],
    [None],
    ["1 People sleeping rough are defined as those sleeping or about to bed down in open air."],
]


def count(name: str, year: int) -> int:
    """Deterministic (not hash()-randomised) so every edition restates the same history."""
    return zlib.crc32(f"{name}{year}".encode()) % 40


def population(name: str) -> int:
    return 100_000 + zlib.crc32(name.encode()) % 200_000


def rate(name: str, year: int) -> float:
    return count(name, year) / population(name) * 100_000


def edition_sheets(
    year: int,
    las: list,
    *,
    layout: str = "ods",
    swapped: str | None = None,
    cover: bool = False,
    england_delta: dict | None = None,
    rest_delta: dict | None = None,
    overrides: dict | None = None,
    top_rows: int = 4,
    year_label=str,
    rates: bool = True,
) -> dict:
    """Sheets of one edition. overrides maps (name, year) -> cell content for LA value cells."""
    years = list(range(2010, year + 1))
    overrides = overrides or {}
    placeholder = "[z]" if layout == "ods" else "---"
    las = sorted(las, key=lambda la: la[1])

    def cell(name, y, fn):
        return overrides.get((name, y), fn(name, y))

    def total(members, y, delta=None):  # markers count as nothing, as in the publisher's totals
        cells = [cell(n, y, count) for _, n, _ in members]
        return sum(c for c in cells if isinstance(c, int)) + (delta or {}).get(y, 0)

    london = [la for la in las if la[2] == "E12000007"]
    counts = [
        [None, None, "E92000001", "England"] + [total(las, y, england_delta) for y in years],
        [None, None, "E12000007", "London"] + [total(london, y) for y in years],
        [None, None, None, "Rest of England"]
        + [total(las, y) - total(london, y) + (rest_delta or {}).get(y, 0) for y in years],
    ]
    counts += [
        [None, None, code, region] + [total([la for la in las if la[2] == code], y) for y in years]
        for code, region in REGIONS.items()
        if code != "E12000007"
    ]
    if layout == "ods":
        labels = ["Local Authority Code", "Local Authority Name", "Region Code", "Region Name"]
        if swapped == "codes_first":  # autumn 2024: codes under 'Local authority', names under
            labels = ["Local authority", "Local authority ONS code", "Region Code", "Region Name"]
        elif swapped == "names_first":  # ... '... ONS code', whichever order the columns come in
            labels = ["Local authority ONS code", "Local authority", "Region Code", "Region Name"]
        for row in counts:
            row[0] = row[1] = placeholder
            row[2] = row[2] or placeholder
        table1 = [
            [
                f"Table 1: Estimated number of people sleeping rough, by local authority district "
                f"and region, 2010 - {year}"
            ],
            ["Return to Contents"],
            ["Shorthand: [x] = not available, [z] = not applicable"],
            ["This publication covers England only."],
        ]
        table1 += [[None]] * (top_rows - 4)
        la_rows = [[code, name, region, REGIONS[region]] for code, name, region in las]
        if swapped == "names_first":
            la_rows = [[name, code, *rest] for code, name, *rest in la_rows]
    else:  # the 2020/2022 xlsx layout: name-first region columns, header on row 4
        labels = ["Local authority ONS code", "Local authority", "Region", "Region ONS code"]
        for row in counts:
            row[0] = row[1] = placeholder
            row[2], row[3] = row[3], row[2] or "-"
        table1 = [
            ["Table 1: Total number of people sleeping rough, by local authority district and region 1,2"],
            [f"England, autumn 2010-{year}"],
            [None],
        ]
        la_rows = [[code, name, REGIONS[region], region] for code, name, region in las]
    table1.append(labels + [year_label(y) for y in years])
    table1 += counts
    names = [name for _, name, _ in las]
    table1 += [row + [cell(name, y, count) for y in years] for name, row in zip(names, la_rows)]
    table1 += FOOTER
    sep = "_" if layout == "ods" else " "
    sheets = {}
    if cover:
        sheets["Cover"] = [[f"Rough sleeping snapshot in England: autumn {year}"]]
    sheets["Contents"] = [[None], ["Contents"], [f"Table 1: people sleeping rough, 2010 to {year}"]]
    sheets[f"Table{sep}1{sep}Total"] = table1
    sheets[f"Table{sep}3{sep}Approach"] = [["Table 3: Approach"], ["Local authority", "Code", 2010]]
    if rates:  # header one row higher than Table 1, integer years, population columns to the right
        rate_rows = [
            ["Table 5: Rate of people sleeping rough per 100,000 people"],
            [None],
            labels + years + [f"Mid-{y} population" for y in years],
        ]
        rate_rows += [
            row + [cell(name, y, rate) for y in years] + [population(name)] * len(years)
            for name, row in zip(names, la_rows)
        ]
        sheets[f"Table{sep}5{sep}Rates"] = rate_rows + FOOTER
    return sheets


def write_workbook(path, sheets: dict) -> None:
    if path.suffix == ".ods":
        with pd.ExcelWriter(path, engine="odf") as writer:
            for name, rows in sheets.items():
                pd.DataFrame(rows).to_excel(writer, sheet_name=name, header=False, index=False)
    else:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for name, rows in sheets.items():
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
        book.save(path)


def build(tmp_path, name: str, year: int, las=LAS_2024, **kwargs):
    path = tmp_path / name
    layout = "ods" if name.endswith(".ods") else "xlsx"
    write_workbook(path, edition_sheets(year, las, layout=kwargs.pop("layout", layout), **kwargs))
    return path


def raw(path, release=None) -> RawFile:
    return RawFile(
        rs.SOURCE_ID,
        str(path),
        "0" * 64,
        path.name,
        str(path),
        "2026-01-01T00:00:00+00:00",
        release,
        path.stat().st_size,
    )


def lookup(frame, area_code, period, indicator="rough_sleeping_count"):
    hit = frame[(frame.area_code == area_code) & (frame.period == str(period)) & (frame.indicator_id == indicator)]
    assert len(hit) == 1, f"{area_code} {period} {indicator}: {len(hit)} rows"
    return hit.iloc[0]


# --- one edition -------------------------------------------------------------------------------


def test_2025_ods_layout_with_cover_recode_and_rates(tmp_path):
    path = build(tmp_path, "Rough_sleeping_snapshot_in_England__autumn_2025.ods", 2025, LAS_2025, cover=True)
    edition = rs.parse_workbook(path)
    assert (edition.year, edition.release) == (2025, "autumn 2025")
    assert edition.years == list(range(2010, 2026))
    counts = edition.values[edition.values.indicator_id == "rough_sleeping_count"]
    assert sorted(counts.area_code.unique()) == sorted(code for code, _, _ in LAS_2025)
    assert "E08000038" in set(counts.area_code) and "E08000016" not in set(counts.area_code)
    westminster = lookup(edition.values, "E09000033", 2025)
    assert westminster.value == count("Westminster", 2025)
    assert westminster.observation_status is None
    assert (westminster.period_start, westminster.period_end) == (date(2025, 10, 1), date(2025, 11, 30))
    assert (westminster.unit, westminster.release, westminster.source_id) == ("count", "autumn 2025", "rough_sleeping")
    assert lookup(edition.values, "E08000038", 2012).value == count("Barnsley", 2012)
    assert lookup(edition.values, "E06000018", 2019, "rough_sleeping_rate").value == pytest.approx(
        rate("Nottingham", 2019)
    )
    assert lookup(edition.values, "E06000018", 2019, "rough_sleeping_rate").unit == "rate_per_100k"
    assert list(edition.values.columns) == TIDY_COLUMNS


def test_aggregates_keep_england_and_regions_but_not_rest_of_england_or_footer(tmp_path):
    edition = rs.parse_workbook(build(tmp_path, "autumn_2023.ods", 2023, LAS_2024))
    agg = edition.aggregates[edition.aggregates.indicator_id == "rough_sleeping_count"]
    assert sorted(agg.area_code.unique()) == sorted(["E92000001", *REGIONS])
    assert lookup(agg, "E92000001", 2023).value == sum(count(n, 2023) for _, n, _ in LAS_2024)
    assert lookup(agg, "E12000007", 2011).value == count("Westminster", 2011) + count("Camden", 2011)
    assert len(edition.areas) == len(LAS_2024)  # footer lines are not authorities
    assert set(edition.areas.columns) == {"area_code", "area_name", "region_code", "region_name", "release"}
    checks = {r.check for r in edition.reconciliations}
    assert {
        "sum of local authorities = England, 2023",
        "Rest of England = England - London, 2023",
        "sum of local authorities = London, 2023",
    } <= checks
    assert all(r.passed for r in edition.reconciliations)


def test_year_headers_with_notes_are_years_and_a_provisional_one_says_so(tmp_path):
    # Newer GSS-style tables put notes after a year ('2022 [note 3]') and mark a provisional year
    # '[p]': the columns are still the years, and the provisional year's figures carry the status.
    def label(year):
        return f"{year} [p]" if year == 2023 else f"{year} [note 3]"

    sheets = edition_sheets(2023, LAS_2024, year_label=label, rates=False)
    write_workbook(tmp_path / "notes.xlsx", sheets)
    edition = rs.parse_workbook(tmp_path / "notes.xlsx")
    assert edition.years == list(range(2010, 2024))
    assert lookup(edition.values, "E09000033", 2023).observation_status == "provisional"
    assert lookup(edition.values, "E09000033", 2022).observation_status is None
    assert lookup(edition.values, "E09000033", 2022).value == count("Westminster", 2022)


def test_england_and_region_codes_in_the_authority_code_column_are_still_aggregates(tmp_path):
    # Many MHCLG tables give England's and the regions' GSS codes in the same column as the
    # authorities' (with [z] beside them): they are the rows to reconcile against, not skipped.
    sheets = edition_sheets(2023, LAS_2024, rates=False)
    for row in sheets["Table_1_Total"]:
        if len(row) > 2 and row[0] == "[z]" and str(row[2]).startswith(("E92", "E12")):
            row[0], row[2] = row[2], "[z]"
    write_workbook(tmp_path / "codes_in_code_column.xlsx", sheets)
    edition = rs.parse_workbook(tmp_path / "codes_in_code_column.xlsx")
    agg = edition.aggregates[edition.aggregates.indicator_id == "rough_sleeping_count"]
    assert sorted(agg.area_code.unique()) == sorted(["E92000001", *REGIONS])
    assert lookup(agg, "E92000001", 2023).value == sum(count(n, 2023) for _, n, _ in LAS_2024)
    assert {"sum of local authorities = England, 2023", "sum of local authorities = London, 2023"} <= {
        r.check for r in edition.reconciliations
    }


@pytest.mark.parametrize("swapped", ["codes_first", "names_first"])
def test_swapped_2024_header_labels_are_resolved_by_content(tmp_path, swapped):
    edition = rs.parse_workbook(build(tmp_path, "autumn_2024.ods", 2024, swapped=swapped))
    assert edition.release == "autumn 2024"  # no Cover sheet: year from the last column
    areas = edition.areas.set_index("area_code")
    assert areas.loc["E08000016", "area_name"] == "Barnsley"
    assert areas.loc["E09000033", "region_name"] == "London"
    assert lookup(edition.values, "E08000019", 2024).value == count("Sheffield", 2024)
    assert any("swapped" in note for note in edition.notes)


def test_2022_xlsx_layout_with_placeholders_and_integer_rate_headers(tmp_path):
    edition = rs.parse_workbook(build(tmp_path, "Rough_sleeping.xlsx", 2022, LAS_2022))
    assert edition.release == "autumn 2022"
    assert lookup(edition.values, "E07000028", 2022).value == count("Carlisle", 2022)
    assert lookup(edition.values, "E07000028", 2015, "rough_sleeping_rate").value == pytest.approx(
        rate("Carlisle", 2015)
    )
    assert not edition.values.area_code.isin(["---", "-"]).any()


def test_header_moved_down_is_still_found(tmp_path):
    edition = rs.parse_workbook(build(tmp_path, "moved.ods", 2023, top_rows=9, year_label=int))
    assert lookup(edition.values, "E06000014", 2020).value == count("York", 2020)


def test_marker_in_value_cell_becomes_null_with_status(tmp_path):
    path = build(tmp_path, "marker.ods", 2023, overrides={("York", 2016): "[x]"})
    edition = rs.parse_workbook(path)
    york = lookup(edition.values, "E06000014", 2016)
    assert pd.isna(york.value) and york.observation_status == "not_available"
    assert lookup(edition.values, "E06000014", 2017).observation_status is None
    assert all(r.passed for r in edition.reconciliations)


def test_edition_year_comes_from_content_not_the_file_name(tmp_path):
    edition = rs.parse_workbook(build(tmp_path, "autumn_2099.ods", 2023, cover=True))
    assert edition.release == "autumn 2023"


# --- errors ------------------------------------------------------------------------------------


def test_england_row_that_disagrees_names_file_sheet_row_column_and_numbers(tmp_path):
    path = build(tmp_path, "bad_total.ods", 2024, england_delta={2023: 5})
    with pytest.raises(SourceError) as err:
        rs.parse_workbook(path)
    expected = sum(count(n, 2023) for _, n, _ in LAS_2024)
    assert (err.value.file, err.value.sheet, err.value.row, err.value.column) == (
        "bad_total.ods",
        "Table_1_Total",
        6,
        "2023",
    )  # England is the row after the header
    message = str(err.value)
    assert f"{expected + 5:g}" in message and f"{expected:g}" in message
    assert "bad_total.ods" in message and "Table_1_Total" in message and "row 6" in message


def test_rest_of_england_that_disagrees_is_an_error(tmp_path):
    path = build(tmp_path, "bad_rest.ods", 2024, rest_delta={2019: 1})
    with pytest.raises(SourceError) as err:
        rs.parse_workbook(path)
    assert (err.value.row, err.value.column) == (8, "2019")
    assert "Rest of England" in str(err.value)


def test_renamed_year_header_is_a_clear_error(tmp_path):
    path = build(tmp_path, "renamed.ods", 2024, year_label=lambda y: f"Autumn {y}")
    with pytest.raises(SourceError, match="no cell equal to 2010") as err:
        rs.parse_workbook(path)
    assert (err.value.file, err.value.sheet) == ("renamed.ods", "Table_1_Total")


def test_renamed_authority_name_header_is_a_clear_error(tmp_path):
    sheets = edition_sheets(2024, LAS_2024)
    sheets["Table_1_Total"][4][1] = "Area"
    write_workbook(tmp_path / "name.ods", sheets)
    with pytest.raises(SourceError, match="'Local authority' name column") as err:
        rs.parse_workbook(tmp_path / "name.ods")
    assert (err.value.sheet, err.value.row) == ("Table_1_Total", 5)


def test_missing_table_1_sheet_is_a_clear_error(tmp_path):
    sheets = edition_sheets(2024, LAS_2024)
    del sheets["Table_1_Total"]
    write_workbook(tmp_path / "no_table1.ods", sheets)
    with pytest.raises(SourceError, match="no 'Table 1 Total' sheet") as err:
        rs.parse_workbook(tmp_path / "no_table1.ods")
    assert err.value.file == "no_table1.ods" and err.value.sheet == "Table 1 Total"


def test_title_that_disagrees_with_last_year_column_is_an_error(tmp_path):
    sheets = edition_sheets(2024, LAS_2024)
    sheets["Cover"] = [["Rough sleeping snapshot in England: autumn 2025"]]
    write_workbook(tmp_path / "truncated.ods", sheets)
    with pytest.raises(SourceError, match="title says autumn 2025 but the last year column is 2024"):
        rs.parse_workbook(tmp_path / "truncated.ods")


def test_text_in_a_value_cell_is_an_error_naming_the_cell(tmp_path):
    path = build(tmp_path, "text.ods", 2023, overrides={("Camden", 2014): "about 10"})
    with pytest.raises(SourceError, match="about 10") as err:
        rs.parse_workbook(path)
    assert err.value.column == "2014" and err.value.sheet == "Table_1_Total"


def test_not_a_spreadsheet_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(SourceError, match="cannot be opened as a spreadsheet"):
        rs.parse_workbook(path)


# --- combining editions ------------------------------------------------------------------------


def test_newest_edition_wins_every_period_so_merged_authorities_are_not_double_counted(tmp_path):
    old = build(tmp_path, "z_older_2022.xlsx", 2022, LAS_2022)  # sorts after the newer file
    new = build(tmp_path, "a_newer_2023.ods", 2023, LAS_2024)
    tables = rs.parse([raw(old), raw(new)])
    counts = tables.values[tables.values.indicator_id == "rough_sleeping_count"]
    assert not counts.area_code.isin([c for c, _, _ in CUMBERLAND_PARTS]).any()
    for year in (2010, 2022):
        in_year = counts[counts.period == str(year)]
        assert len(in_year) == len(LAS_2024)
        assert in_year.value.sum() == sum(count(n, year) for _, n, _ in LAS_2024)
        assert set(in_year.release) == {"autumn 2023"}
    assert tables.releases == ["autumn 2023"]
    assert any("z_older_2022.xlsx" in note and "not used" in note for note in tables.notes)
    england = tables.aggregates[
        (tables.aggregates.area_code == "E92000001") & (tables.aggregates.indicator_id == "rough_sleeping_count")
    ]
    assert len(england) == len(range(2010, 2024))


def test_recoded_authorities_take_the_newest_codes_and_names(tmp_path):
    tables = rs.parse(
        [
            raw(build(tmp_path, "autumn_2025.ods", 2025, LAS_2025, cover=True)),
            raw(build(tmp_path, "autumn_2024.ods", 2024, swapped="codes_first")),
        ]
    )
    codes = set(tables.values.area_code)
    assert {"E08000038", "E08000039"} <= codes and not {"E08000016", "E08000019"} & codes
    areas = tables.extra["areas"].set_index("area_code")
    assert areas.loc["E08000038", "area_name"] == "Barnsley"
    assert set(areas.release) == {"autumn 2025"} and len(areas) == len(LAS_2025)
    assert lookup(tables.values, "E08000039", 2024).value == count("Sheffield", 2024)


def test_parse_notes_non_spreadsheets_and_content_release(tmp_path):
    note = tmp_path / "SOURCE.md"
    note.write_text("docs")
    book = build(tmp_path, "autumn_2023.ods", 2023)
    tables = rs.parse([raw(note), raw(book, release="autumn 2024")])
    assert any("SOURCE.md" in n and "not a spreadsheet" in n for n in tables.notes)
    assert any("listed as autumn 2024" in n for n in tables.notes)
    assert set(tables.values.release) == {"autumn 2023"}
    with pytest.raises(SourceError, match="no spreadsheet"):
        rs.parse([raw(note)])


def test_duplicate_edition_is_read_once(tmp_path):
    first = build(tmp_path, "a.ods", 2023)
    second = build(tmp_path, "b.xlsx", 2023, layout="ods")
    tables = rs.parse([raw(second), raw(first)])
    assert len(lookup_all(tables.values, "E09000033", 2023)) == 2  # count and rate, once each
    assert any("b.xlsx" in n and "already read from a.ods" in n for n in tables.notes)


def test_an_edition_revised_in_place_is_read_from_the_later_file_whatever_the_names(tmp_path):
    # A mirror holding an autumn's tables twice, as first published and as corrected later: the
    # file whose 'Last Update' is later supplies the figures, not the first name in sort order.
    def tables(name, when=None, **kwargs):
        sheets = edition_sheets(2023, LAS_2024, layout="xlsx", rates=False, **kwargs)
        sheets["Table 1 Total"] += [["Last Update:", when]] if when else []
        write_workbook(tmp_path / name, sheets)
        return raw(tmp_path / name)

    first = tables("a.xlsx", "28 February 2024")
    corrected = {("Westminster", 2023): 999}
    parsed = rs.parse([first, tables("a_revised.xlsx", "14 March 2024", overrides=corrected)])
    assert lookup(parsed.values, "E09000033", 2023)["value"] == 999
    assert any(n.startswith("skipped a.xlsx: autumn 2023 already read from a_revised.xlsx") for n in parsed.notes)
    # an undated copy that disagrees: which file is right cannot be told, so the source fails naming it
    with pytest.raises(SourceError, match="also in a.xlsx with different figures") as err:
        rs.parse([first, tables("b.xlsx", overrides=corrected)])
    assert err.value.file == "b.xlsx" and err.value.column == "2023"


def lookup_all(frame, area_code, period):
    return frame[(frame.area_code == area_code) & (frame.period == str(period))]


def test_module_metadata():
    assert rs.SOURCE_ID == "rough_sleeping"
    assert "Open Government Licence" in rs.LICENCE and "MHCLG" in rs.LICENCE
    by_id = {i.indicator_id: i for i in rs.INDICATORS}
    assert by_id["rough_sleeping_count"].unit == "count"
    assert by_id["rough_sleeping_rate"].unit == "rate_per_100k"
    assert all(
        i.polarity == "lower_is_better"
        and i.domain == "housing"
        and i.unit in UNITS
        and i.source_id == "rough_sleeping"
        for i in by_id.values()
    )
