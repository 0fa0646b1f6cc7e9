"""sources.population on small synthetic MYE workbooks and Nomis CSVs built at test time."""

from __future__ import annotations

import csv
from datetime import date

import openpyxl
import pytest

from sources import population
from sources.errors import SourceError
from sources.population.cells import read_cell

AGES = [str(a) for a in range(90)] + ["90+"]
# code, name, geography, mid-2023, mid-2022
AREAS = [
    ("K04000001", "ENGLAND AND WALES", "Country", 1200, 1120),
    ("E92000001", "ENGLAND", "Country", 1000, 940),
    ("E12000001", "NORTH EAST", "Region", 600, 560),
    ("E06000001", "Hartlepool", "Unitary Authority", 100, 90),
    ("E11000007", "Tyne and Wear (Met County)", "Metropolitan County", 500, 470),
    ("E08000021", "Newcastle upon Tyne", "Metropolitan District", 500, 470),
    ("E12000007", "LONDON", "Region", 400, 380),
    ("E09000001", "City of London", "London Borough", 400, 380),
    ("W06000001", "Isle of Anglesey", "Unitary Authority", 200, 180),
]
NOMIS_COLUMNS = (
    "DATE,DATE_NAME,DATE_CODE,DATE_TYPE,DATE_TYPECODE,DATE_SORTORDER,GEOGRAPHY,"
    "GEOGRAPHY_NAME,GEOGRAPHY_CODE,GEOGRAPHY_TYPE,GEOGRAPHY_TYPECODE,GEOGRAPHY_SORTORDER,"
    "GENDER,GENDER_NAME,GENDER_CODE,GENDER_TYPE,GENDER_TYPECODE,GENDER_SORTORDER,C_AGE,"
    "C_AGE_NAME,C_AGE_CODE,C_AGE_TYPE,C_AGE_TYPECODE,C_AGE_SORTORDER,MEASURES,"
    "MEASURES_NAME,OBS_VALUE,OBS_STATUS,OBS_STATUS_NAME,OBS_CONF,OBS_CONF_NAME,URN,"
    "RECORD_OFFSET,RECORD_COUNT"
).split(",")
LAD_TYPE = "local authorities: district / unitary (as of April 2021)"


def ages_for(total: int) -> list[int]:
    """Single years of age summing to total: half aged 30, the rest aged 0 (so sums add up)."""
    total = total if isinstance(total, int) else 0  # a text cell under test
    return [total - total // 2 if a == "0" else (total // 2 if a == "30" else 0) for a in AGES]


def build_workbook(path, *, preamble=7, rename=None, areas=AREAS, with_mye2=True, mye2_drop=None):
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb["Notes"].append([4, "Geography: the population estimates reflect boundaries in place as of April 2023."])
    mye4 = wb.create_sheet("MYE4")
    for i in range(preamble):
        mye4.append([f"preamble line {i + 1}"])
    header = ["Code", "Name", "Geography", "Mid-2023", "Mid-2022"]
    mye4.append([rename.get(h, h) if rename else h for h in header])
    for row in areas:
        mye4.append(list(row))
    if with_mye2:
        mye2 = wb.create_sheet("MYE2 - Persons")
        mye2.append(["MYE2: Persons by single year of age, mid-2023"])
        ages = [a for a in AGES if a != mye2_drop]
        mye2.append(["Code", "Name", "Geography", "All ages", *ages])
        for code, name, geography, total, _ in areas:
            counts = dict(zip(AGES, ages_for(total)))
            mye2.append([code, name, geography, total, *[counts[a] for a in ages]])
    wb.save(path)
    return path


def raw(archive, path, name=None):
    return archive.store("population", path, origin=str(path), original_name=name)


def nomis_row(code, value, *, status="A", typecode="432", age="All Ages", year="2021"):
    row = dict.fromkeys(NOMIS_COLUMNS, "")
    row.update(
        DATE_NAME=year,
        GEOGRAPHY_CODE=code,
        GEOGRAPHY_TYPE=LAD_TYPE if typecode == "432" else "regions",
        GEOGRAPHY_TYPECODE=typecode,
        GENDER="0",
        C_AGE_NAME=age,
        MEASURES="20100",
        OBS_VALUE=value,
        OBS_STATUS=status,
        URN="Nm-2002d1d32336e0d1d0d200d20100",
    )  # write_nomis numbers the records
    return row


def write_nomis(path, rows, *, count=None):
    count = len(rows) if count is None else count
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, NOMIS_COLUMNS, quoting=csv.QUOTE_NONNUMERIC)
        writer.writeheader()
        for i, row in enumerate(rows):
            writer.writerow({**row, "RECORD_OFFSET": i, "RECORD_COUNT": count})
    return path


# ---------------------------------------------------------------- the workbook


def test_workbook_with_moved_header_gives_lads_and_aggregates(tmp_path, archive):
    book = build_workbook(tmp_path / "mye23tablesew.xlsx", preamble=3)
    tables = population.parse([raw(archive, book)])
    allages = tables.values[tables.values.indicator_id == "population_all_ages"]
    # Counties and Welsh areas are not English LADs.
    assert sorted(allages.area_code.unique()) == ["E06000001", "E08000021", "E09000001"]
    row = allages[(allages.area_code == "E08000021") & (allages.period == "2022")].iloc[0]
    assert row.value == 470
    assert row.period_start == row.period_end == date(2022, 6, 30)
    assert row.unit == "count" and row.observation_status is None
    assert row.release == "mid-2023 (2023 LA boundaries)"
    aggs = tables.aggregates[tables.aggregates.indicator_id == "population_all_ages"]
    assert sorted(aggs.area_code.unique()) == ["E12000001", "E12000007", "E92000001"]
    assert {r.check for r in tables.reconciliations} >= {
        "population_all_ages: sum of 3 English LADs = England, mid-2023",
        "population_all_ages: sum of 2 regions = England, mid-2022",
    }
    assert all(r.passed for r in tables.reconciliations)
    assert tables.releases == ["mid-2023 (2023 LA boundaries)"]


def test_aged_16_64_sums_single_years_for_latest_year(tmp_path, archive):
    tables = population.parse([raw(archive, build_workbook(tmp_path / "m.xlsx"))])
    working = tables.values[tables.values.indicator_id == "population_aged_16_64"]
    assert set(working.period) == {"2023"}
    assert working.set_index("area_code").value.to_dict() == {"E06000001": 50.0, "E08000021": 250.0, "E09000001": 200.0}
    aggs = tables.aggregates[tables.aggregates.indicator_id == "population_aged_16_64"]
    assert aggs.set_index("area_code").value.to_dict() == {"E92000001": 500.0, "E12000001": 300.0, "E12000007": 200.0}
    assert "population_aged_16_64: sum of 3 English LADs = England, mid-2023" in {
        r.check for r in tables.reconciliations
    }


def test_mye2_all_ages_must_match_mye4_latest_year(tmp_path, archive):
    book = build_workbook(tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["MYE4"]["D12"] = 101  # Hartlepool mid-2023 in MYE4 only (and England then mismatches MYE2)
    wb["MYE4"]["D10"] = 1001
    wb["MYE4"]["D11"] = 601
    wb.save(book)
    with pytest.raises(SourceError) as err:
        population.parse([raw(archive, book)])
    assert (err.value.sheet, err.value.column) == ("MYE2 - Persons", "All ages")


def test_without_mye2_sheet_16_64_is_omitted_with_a_note(tmp_path, archive):
    tables = population.parse([raw(archive, build_workbook(tmp_path / "m.xlsx", with_mye2=False))])
    assert set(tables.values.indicator_id) == {"population_all_ages"}
    assert any("MYE2 - Persons" in n for n in tables.notes)


def test_a_year_heading_with_a_note_keeps_its_year(tmp_path, archive):
    # 'Mid-2022 [note 3]' is still mid-2022's column: a note must not drop a year.
    book = build_workbook(tmp_path / "mye23tablesew.xlsx", rename={"Mid-2022": "Mid-2022 [note 3]"})
    tables = population.parse([raw(archive, book)])
    allages = tables.values[tables.values.indicator_id == "population_all_ages"]
    assert sorted(allages.period.unique()) == ["2022", "2023"]
    assert allages[(allages.area_code == "E08000021") & (allages.period == "2022")].value.tolist() == [470]


def test_renamed_column_names_file_sheet_and_column(tmp_path, archive):
    book = build_workbook(tmp_path / "mye23tablesew.xlsx", rename={"Geography": "Area type"})
    with pytest.raises(SourceError) as err:
        population.parse([raw(archive, book)])
    assert (err.value.file, err.value.sheet, err.value.column) == ("mye23tablesew.xlsx", "MYE4", "Geography")
    assert "mye23tablesew.xlsx" in str(err.value) and "'Geography'" in str(err.value)


def test_missing_age_column_in_mye2_is_named(tmp_path, archive):
    book = build_workbook(tmp_path / "m.xlsx", mye2_drop="37")
    with pytest.raises(SourceError) as err:
        population.parse([raw(archive, book)])
    assert (err.value.sheet, err.value.column) == ("MYE2 - Persons", "37")


def test_missing_mye4_sheet(tmp_path, archive):
    wb = openpyxl.Workbook()
    wb.active.title = "MYE1"
    wb.save(tmp_path / "m.xlsx")
    with pytest.raises(SourceError, match="sheet 'MYE4' not found"):
        population.parse([raw(archive, tmp_path / "m.xlsx")])


def test_england_mismatch_raises(tmp_path, archive):
    areas = [r if r[0] != "E92000001" else (*r[:3], 999, 940) for r in AREAS]
    with pytest.raises(SourceError) as err:
        population.parse([raw(archive, build_workbook(tmp_path / "m.xlsx", areas=areas))])
    assert err.value.column == "Mid-2023" and err.value.row == 10  # 7 preamble + header + E&W + England
    assert "999" in str(err.value)


def test_text_in_a_value_cell_is_an_error_naming_the_cell(tmp_path, archive):
    areas = [r if r[0] != "E06000001" else (*r[:3], "about 100", 90) for r in AREAS]
    with pytest.raises(SourceError) as err:
        population.parse([raw(archive, build_workbook(tmp_path / "m.xlsx", areas=areas))])
    assert (err.value.row, err.value.column) == (12, "Mid-2023")


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("No data", (None, "not_available")),
        ("[x]", (None, "not_available")),
        ("[c]", (None, "suppressed")),
        (1234, (1234.0, None)),
        ("5,678", (5678.0, None)),
    ],
)
def test_publisher_markers_become_statuses_not_numbers(cell, expected):
    assert read_cell(cell, {}) == expected


def test_not_a_workbook(tmp_path, archive):
    (tmp_path / "m.xlsx").write_bytes(b"<html>error page</html>")
    with pytest.raises(SourceError, match="cannot open workbook"):
        population.parse([raw(archive, tmp_path / "m.xlsx")])


# ---------------------------------------------------------------- Nomis CSV


def test_nomis_statuses_map_to_vocabulary(tmp_path, archive):
    rows = [
        nomis_row("E06000001", 100, status="A"),
        nomis_row("E06000002", 200, status="Q"),
        nomis_row("E06000003", "", status="X"),
        nomis_row("E06000004", 0, status="!"),
        nomis_row("E06000005", 300, status="P"),
        nomis_row("E06000006", 5, age="Aged 0 to 15"),
        nomis_row("W06000001", 50),
    ]
    tables = population.parse([raw(archive, write_nomis(tmp_path / "lad.csv", rows))])
    got = tables.values.set_index("area_code")[["value", "observation_status"]]
    assert got.value.fillna(-1).to_dict() == {
        "E06000001": 100,
        "E06000002": 200,
        "E06000003": -1,
        "E06000004": -1,
        "E06000005": 300,
    }
    assert got.observation_status.fillna("normal").to_dict() == {
        "E06000001": "normal",
        "E06000002": "unreliable",
        "E06000003": "not_available",
        "E06000004": "suppressed",
        "E06000005": "provisional",
    }
    assert tables.values.period.unique().tolist() == ["2021"]
    assert tables.releases == ["mid-2021 (Nomis NM_2002_1, April 2021 LA boundaries)"]
    assert any("not reconciled" in n for n in tables.notes)


def test_nomis_unknown_status_is_an_error(tmp_path, archive):
    rows = [nomis_row("E06000001", 100), nomis_row("E06000002", 200, status="Y")]
    with pytest.raises(SourceError) as err:
        population.parse([raw(archive, write_nomis(tmp_path / "lad.csv", rows))])
    assert (err.value.row, err.value.column) == (3, "OBS_STATUS")


def test_nomis_truncated_response_is_an_error(tmp_path, archive):
    rows = [nomis_row("E06000001", 100), nomis_row("E06000002", 200)]
    with pytest.raises(SourceError, match="truncated: 2 rows but RECORD_COUNT is 3"):
        population.parse([raw(archive, write_nomis(tmp_path / "lad.csv", rows, count=3))])


@pytest.mark.parametrize("marker, keep", [('"Nm-2002', 4), (',"Nm-2002', 0)])  # in a quote / at a comma
def test_nomis_body_cut_mid_line_is_an_error(tmp_path, archive, marker, keep):
    path = write_nomis(tmp_path / "lad.csv", [nomis_row("E06000001", 100), nomis_row("E06000002", 200)])
    text = path.read_text()
    path.write_text(text[: text.rindex(marker) + keep])  # the last line stops mid-way
    with pytest.raises(SourceError, match="truncated"):
        population.parse([raw(archive, path)])


def test_nomis_header_only_is_an_error(tmp_path, archive):
    with pytest.raises(SourceError, match="no data rows"):
        population.parse([raw(archive, write_nomis(tmp_path / "lad.csv", []))])


def test_nomis_pages_combine_and_a_repeated_page_is_caught(tmp_path, archive):
    rows = [nomis_row(f"E0600000{i}", 10 * i) for i in range(1, 5)]
    write_nomis(tmp_path / "all.csv", rows)
    lines = (tmp_path / "all.csv").read_text().splitlines(keepends=True)
    (tmp_path / "p1.csv").write_text("".join(lines[:3]))
    (tmp_path / "p2.csv").write_text(lines[0] + "".join(lines[3:]))
    pages = [raw(archive, tmp_path / "p1.csv"), raw(archive, tmp_path / "p2.csv")]
    assert population.parse(pages).values.value.sum() == 100
    with pytest.raises(SourceError, match="appears twice"):
        population.parse([pages[0], pages[0], pages[1]])


def test_nomis_reconciles_against_england_row(tmp_path, archive):
    rows = [nomis_row("E06000001", 100), nomis_row("E06000002", 200), nomis_row("E92000001", 301, typecode="499")]
    with pytest.raises(SourceError, match="sum of 2 English LADs for 2021 is 300 but England is 301"):
        population.parse([raw(archive, write_nomis(tmp_path / "lad.csv", rows))])
    rows[-1] = nomis_row("E92000001", 300, typecode="499")
    tables = population.parse([raw(archive, write_nomis(tmp_path / "lad.csv", rows))])
    assert [r.passed for r in tables.reconciliations] == [True]
    assert tables.aggregates.area_code.tolist() == ["E92000001"]


def test_workbook_preferred_over_nomis_for_same_lad_and_year(tmp_path, archive):
    areas = [
        ("E92000001", "ENGLAND", "Country", 10, 30),
        ("E12000001", "NORTH EAST", "Region", 10, 30),
        ("E06000001", "Hartlepool", "Unitary Authority", 10, 30),
    ]
    book = build_workbook(tmp_path / "m.xlsx", areas=areas, with_mye2=False)
    # Workbook mid-2022 Hartlepool = 30; Nomis says 29 for 2022 and adds a district the book lacks.
    csv_path = write_nomis(
        tmp_path / "lad.csv", [nomis_row("E06000001", 29, year="2022"), nomis_row("E07000163", 7, year="2022")]
    )
    tables = population.parse([raw(archive, csv_path), raw(archive, book)])
    v = tables.values[tables.values.period == "2022"].set_index("area_code")
    assert v.value.to_dict() == {"E06000001": 30.0, "E07000163": 7.0}
    assert v.release.to_dict() == {
        "E06000001": "mid-2023 (2023 LA boundaries)",
        "E07000163": "mid-2022 (Nomis NM_2002_1, April 2021 LA boundaries)",
    }
    assert any("1 LA and 0 aggregate values already given by a newer MYE edition" in n for n in tables.notes)
