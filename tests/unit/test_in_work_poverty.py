"""in_work_poverty: CiLIF workbook parsing on small synthetic .ods files, and Stat-Xplore cubes."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from sources import in_work_poverty as iwp
from sources.errors import SourceError
from sources.in_work_poverty.cells import read_cell
from sources.in_work_poverty.periods import financial_year, parse_period
from sources.in_work_poverty.statxplore import (
    CILIF_WORK_STATUS,
    UC_EMPLOYMENT,
    StatXploreError,
    build_query,
    cube_to_frame,
    cube_to_indicator,
)
from sources.tidy import TIDY_COLUMNS
from tests.fixtures.mirror import CILIF_HEADER

HEADER = CILIF_HEADER
NOTES = [
    ["Table 1: Number and Percentage of Children (aged under 16) living in low income families"],
    ["Back to Contents"],
    ["Some shorthand is used in this table, [p] = provisional, [x] = not available"],
    ["Source:"],
]
# name, code, count 2020, count 2021, pct 2020, pct 2021 (fractions, as DWP stores them)
LA_ROWS = [
    ["Hartlepool", "E06000001", 5202, 5417, 0.289, 0.301],
    ["Birmingham", "E08000025", 88000, 91470, 0.345, 0.356],
    ["Tower Hamlets", "E09000030", 16000, 16931, 0.24, 0.253],
    ["Isle of Anglesey", "W06000001", 2100, 2200, 0.2, 0.21],
]


def table_rows(la_rows=LA_ROWS, *, header=HEADER, notes=NOTES, uk=None, england=None):
    def total(col):  # the UK row as the sum of the clean synthetic rows
        return sum(r[col] for r in LA_ROWS)

    uk = uk or ["United Kingdom [note 4]", "K02000001", total(2), total(3), 0.19, 0.2]
    rows = [*notes, header, uk]
    if england:
        rows.append(england)
    return rows + [list(r) for r in la_rows]


def write_ods(path, sheets: dict[str, list[list]]):
    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, header=False, index=False)
    return path


def workbook(tmp_path, archive, relative=None, absolute=None, *, name="cilif.ods", cover=True, drop=()):
    sheets = {}
    if cover:
        sheets["Cover_sheet"] = [
            [
                "Children in Low Income Families: local area statistics, United "
                "Kingdom, financial years ending (FYE) 2020 to 2021"
            ],
            ["Published: 31 March 2022"],
        ]
    sheets["1_Relative_Local_Authority"] = relative or table_rows()
    sheets["2_Absolute_Local_Authority"] = absolute or table_rows()
    for sheet in drop:
        del sheets[sheet]
    path = write_ods(tmp_path / name, sheets)
    return archive.store("in_work_poverty", path, origin=str(path))


def one(df, indicator, code, period="2020/21"):
    hit = df[(df.indicator_id == indicator) & (df.area_code == code) & (df.period == period)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_parse_reads_counts_percentages_periods_and_provisional(tmp_path, archive):
    out = iwp.parse([workbook(tmp_path, archive)])
    assert list(out.values.columns) == TIDY_COLUMNS
    assert set(out.values.area_code) == {"E06000001", "E08000025", "E09000030"}  # England only
    row = one(out.values, "children_low_income_relative_count", "E08000025")
    assert row.value == 91470 and row.unit == "count" and row.observation_status == "provisional"
    assert row.period_start == date(2020, 4, 1) and row.period_end == date(2021, 3, 31)
    pct = one(out.values, "children_low_income_relative_pct", "E06000001")
    assert pct.value == pytest.approx(30.1) and pct.unit == "percent"
    older = one(out.values, "children_low_income_absolute_pct", "E09000030", "2019/20")
    assert older.value == pytest.approx(24.0) and older.observation_status is None
    assert out.releases == ["FYE 2020 to 2021 (published 31 March 2022)"]
    assert set(out.aggregates.area_code) == {"K02000001"}
    assert set(out.extra["other_uk_local_authorities"].area_code) == {"W06000001"}
    names = dict(zip(out.extra["areas"].area_code, out.extra["areas"].area_name))
    assert names["E09000030"] == "Tower Hamlets" and names["K02000001"] == "United Kingdom [note 4]"
    assert len(out.reconciliations) == 4 and all(r.passed for r in out.reconciliations)


def test_header_found_by_content_when_moved(tmp_path, archive):
    moved = table_rows(notes=NOTES + [["An extra note row"], [], ["Another"]])
    out = iwp.parse([workbook(tmp_path, archive, relative=moved, absolute=moved)])
    assert one(out.values, "children_low_income_relative_count", "E06000001").value == 5417


def test_renamed_code_column_names_file_sheet_and_column(tmp_path, archive):
    header = ["Local Authority [note 2]", "LA Code", *HEADER[2:]]
    raw = workbook(tmp_path, archive, relative=table_rows(header=header), name="renamed.ods")
    with pytest.raises(SourceError) as err:
        iwp.parse([raw])
    msg = str(err.value)
    assert "renamed.ods" in msg and "1_Relative_Local_Authority" in msg and "'Area Code'" in msg


def test_unrecognised_year_column_is_an_error(tmp_path, archive):
    header = [*HEADER[:3], "Count FYE 2021", *HEADER[4:]]
    with pytest.raises(SourceError, match=r"column 'Count FYE 2021'.*unrecognised column header"):
        iwp.parse([workbook(tmp_path, archive, absolute=table_rows(header=header))])


def test_missing_percentage_column_is_named(tmp_path, archive):
    header = HEADER[:5]
    rows = [r[:5] for r in table_rows(header=header)]
    with pytest.raises(SourceError, match="Percentage of children FYE 2021"):
        iwp.parse([workbook(tmp_path, archive, relative=rows)])


def test_no_header_row(tmp_path, archive):
    rows = NOTES + [["Area", "Code"]] + LA_ROWS
    with pytest.raises(SourceError, match="no header row starting with 'Local Authority'"):
        iwp.parse([workbook(tmp_path, archive, relative=rows)])


def test_missing_absolute_sheet(tmp_path, archive):
    raw = workbook(tmp_path, archive, drop=("2_Absolute_Local_Authority",), name="half.ods")
    with pytest.raises(SourceError, match=r"half\.ods.*no absolute local-authority sheet"):
        iwp.parse([raw])


def test_markers_become_statuses_with_null_values(tmp_path, archive):
    la = [list(r) for r in LA_ROWS]
    la[0][3], la[1][5], la[2][2], la[2][4] = "[x]", "[c]", "[low]", ".."
    out = iwp.parse([workbook(tmp_path, archive, relative=table_rows(la), absolute=table_rows())])
    cases = [
        ("children_low_income_relative_count", "E06000001", "2020/21", "not_available"),
        ("children_low_income_relative_pct", "E08000025", "2020/21", "suppressed"),
        ("children_low_income_relative_count", "E09000030", "2019/20", "suppressed"),
        ("children_low_income_relative_pct", "E09000030", "2019/20", "not_available"),
    ]
    for indicator, code, period, status in cases:
        row = one(out.values, indicator, code, period)
        assert math.isnan(row.value) and row.observation_status == status
    # a year with a withheld authority cannot be reconciled: noted, not faked
    assert any("not reconciled" in n for n in out.notes)


def test_unknown_cell_text_names_row_and_column(tmp_path, archive):
    la = [list(r) for r in LA_ROWS]
    la[1][2] = "n/a?"
    with pytest.raises(SourceError) as err:
        iwp.parse([workbook(tmp_path, archive, relative=table_rows(la))])
    msg = str(err.value)
    assert "row 8" in msg and "FYE 2020" in msg and "n/a?" in msg


def test_reconciliation_beyond_tolerance_raises(tmp_path, archive):
    total_2021 = sum(r[3] for r in LA_ROWS)
    within = ["United Kingdom", "K02000001", sum(r[2] for r in LA_ROWS), total_2021 + 20, 0.19, 0.2]
    iwp.parse([workbook(tmp_path, archive, relative=table_rows(uk=within))])  # 20 = 5 x 4 LAs
    beyond = within[:3] + [total_2021 + 21] + within[4:]
    with pytest.raises(SourceError, match=r"row 6.*FYE 2021.*United Kingdom 2020/21.*±20"):
        iwp.parse([workbook(tmp_path, archive, relative=table_rows(uk=beyond), name="b.ods")])


def test_england_row_is_an_aggregate_and_reconciled(tmp_path, archive):
    english = LA_ROWS[:3]
    england = ["England", "E92000001", sum(r[2] for r in english) + 3, sum(r[3] for r in english), 0.2, 0.21]
    rows = table_rows(england=england)
    out = iwp.parse([workbook(tmp_path, archive, relative=rows, absolute=rows)])
    assert one(out.aggregates, "children_low_income_relative_count", "E92000001").value == sum(r[3] for r in english)
    recon = out.extra["reconciliation"]
    eng = recon[(recon.aggregate_code == "E92000001") & (recon.period == "2019/20")].iloc[0]
    assert eng.authorities == 3 and eng.difference == -3 and eng.tolerance == 15
    bad = england[:2] + [england[2] + 100] + england[3:]
    with pytest.raises(SourceError, match="England 2019/20"):
        iwp.parse([workbook(tmp_path, archive, relative=table_rows(england=bad), absolute=rows, name="e.ods")])


def test_missing_code_inside_table_is_an_error(tmp_path, archive):
    la = [list(r) for r in LA_ROWS]
    la[1][1] = None
    with pytest.raises(SourceError, match="row 8.*no area code"):
        iwp.parse([workbook(tmp_path, archive, relative=table_rows(la))])


def test_footnotes_below_table_are_ignored(tmp_path, archive):
    rows = table_rows() + [[], ["Source: DWP"]]
    out = iwp.parse([workbook(tmp_path, archive, relative=rows)])
    assert len(out.values) == 3 * 2 * 4


def test_non_ods_files_are_skipped_and_broken_ods_named(tmp_path, archive):
    csv = tmp_path / "database.csv"
    csv.write_text("database_name,database\n")
    broken = tmp_path / "broken.ods"
    broken.write_bytes(b"PK\x03\x04 truncated")
    raws = [archive.store("in_work_poverty", p, origin=str(p)) for p in (csv, broken)]
    with pytest.raises(SourceError, match=r"broken\.ods.*cannot open"):
        iwp.parse(raws)
    with pytest.raises(SourceError, match="no Children in Low Income Families"):
        iwp.parse(raws[:1])


def test_percentages_already_0_to_100_are_kept(tmp_path, archive):
    la = [[*r[:4], r[4] * 100, r[5] * 100] for r in LA_ROWS]
    uk = ["United Kingdom", "K02000001", sum(r[2] for r in la), sum(r[3] for r in la), 19.0, 20.0]
    out = iwp.parse([workbook(tmp_path, archive, relative=table_rows(la, uk=uk))])
    assert one(out.values, "children_low_income_relative_pct", "E06000001").value == pytest.approx(30.1)


@pytest.mark.parametrize(
    "raw,expected",
    [
        (5417, (5417.0, None)),
        ("5,417", (5417.0, None)),
        ("5417 [p]", (5417.0, "provisional")),
        ("[x]", (None, "not_available")),
        ("[c]", (None, "suppressed")),
        ("[low]", (None, "suppressed")),
        ("..", (None, "not_available")),
        ("[z]", (None, "not_applicable")),
        (float("nan"), (None, "not_available")),
    ],
)
def test_read_cell(raw, expected):
    assert read_cell(raw) == expected


def test_read_cell_rejects_unknown_text():
    with pytest.raises(ValueError, match="neither a number nor a known marker"):
        read_cell("about 5")


def test_periods():
    assert financial_year(2021) == ("2020/21", date(2020, 4, 1), date(2021, 3, 31))
    assert parse_period("2014/15") == ("2014/15", date(2014, 4, 1), date(2015, 3, 31))
    assert parse_period("February 2024") == ("February 2024", date(2024, 2, 1), date(2024, 2, 29))
    assert parse_period("Q1 2024") is None


def test_indicators_declared():
    by_id = {i.indicator_id: i for i in iwp.INDICATORS}
    assert set(by_id) == {
        "children_low_income_relative_pct",
        "children_low_income_absolute_pct",
        "children_low_income_relative_count",
        "children_low_income_absolute_count",
        "children_low_income_working_family_pct",
        "uc_in_employment_rate",
    }
    assert by_id["children_low_income_relative_pct"].polarity == "lower_is_better"
    assert by_id["children_low_income_absolute_count"].unit == "count"
    assert all(i.domain == "in_work_poverty" and i.source_id == "in_work_poverty" for i in by_id.values())


# ---- Stat-Xplore -------------------------------------------------------------------------------


def item(label, uri=None, kind="ValueItem"):
    out = {"type": kind, "labels": [label]}
    if uri:
        out["uris"] = [uri]
    return out


def cilif_cube(values):
    geo = "str:value:CILIF_REL:V_F_CILIF_REL:COA:V_C_MASTERGEOG11_LA_TO_REGION_NI:"
    return {
        "query": {},
        "database": {"uri": "str:database:CILIF_REL", "label": "Relative Low Income"},
        "measures": [{"uri": "str:count:CILIF_REL:V_F_CILIF_REL", "label": "Relative Low Income"}],
        "fields": [
            {
                "uri": "str:field:CILIF_REL:V_F_CILIF_REL:COA",
                "label": "National - Regional - LA - OAs",
                "items": [
                    item("Hartlepool", geo + "E06000001"),
                    item("Cardiff", geo + "W06000015"),
                    item("Unknown", geo + "UNKNOWN"),
                ],
            },
            {
                "uri": "str:field:CILIF_REL:V_F_CILIF_REL:EMPLOYMENT",
                "label": "Work Status",
                "items": [
                    item("In Work", "str:value:CILIF_REL:V_F_CILIF_REL:EMPLOYMENT:C_CILIF_EMPLOYMENT:1"),
                    item("Not in Work", "str:value:CILIF_REL:V_F_CILIF_REL:EMPLOYMENT:C_CILIF_EMPLOYMENT:2"),
                    item("Total", kind="SumTotalItem"),
                ],
            },
            {
                "uri": "str:field:CILIF_REL:F_CILIF_DATE:DATE_NAME",
                "label": "Year",
                "items": [
                    item("2020/21", "str:value:CILIF_REL:F_CILIF_DATE:DATE_NAME:C_CILIF_YEAR:2021"),
                    item("2021/22 (p)", "str:value:CILIF_REL:F_CILIF_DATE:DATE_NAME:C_CILIF_YEAR:2022"),
                ],
            },
        ],
        "cubes": {"str:count:CILIF_REL:V_F_CILIF_REL": {"values": values, "precision": 0}},
        "annotationMap": {},
    }


CILIF_VALUES = [  # area x work status x year
    [[3000, 3400], [2417, 2100], [5417, 5500]],
    [[9000, 9100], [6000, 6100], [15000, 15200]],
    [[5, 5], [0, 0], [5, 5]],
]


def test_cube_to_frame_walks_nested_values():
    flat = cube_to_frame(cilif_cube(CILIF_VALUES))
    assert len(flat) == 3 * 3 * 2
    cell = flat[
        (flat["National - Regional - LA - OAs"] == "Cardiff")
        & (flat["Work Status"] == "Not in Work")
        & (flat["Year"] == "2021/22 (p)")
    ]
    assert cell["value"].tolist() == [6100]
    assert cell["Work Status uri"].iloc[0].endswith("C_CILIF_EMPLOYMENT:2")


def test_cube_to_indicator_share_in_work_excluding_totals():
    out = cube_to_indicator(cilif_cube(CILIF_VALUES), CILIF_WORK_STATUS)
    assert set(out.area_code) == {"E06000001", "W06000015"}  # 'Unknown' geography dropped
    hart = out[(out.area_code == "E06000001") & (out.period == "2020/21")].iloc[0]
    assert hart.value == pytest.approx(100 * 3000 / 5417, abs=1e-6)
    assert hart.unit == "percent" and hart.observation_status is None
    latest = out[(out.area_code == "E06000001") & (out.period == "2021/22")].iloc[0]
    assert latest.observation_status == "provisional" and latest.period_end == date(2022, 3, 31)


def test_cube_shape_mismatch_is_an_error():
    bad = [row[:2] for row in CILIF_VALUES]
    with pytest.raises(StatXploreError, match="do not match field 2"):
        cube_to_frame(cilif_cube(bad))


def test_cube_without_in_work_category_is_an_error():
    cube = cilif_cube(CILIF_VALUES)
    cube["fields"][1]["items"][0]["labels"] = ["Lone parent"]
    with pytest.raises(StatXploreError, match="no 'in work' category"):
        cube_to_indicator(cube, CILIF_WORK_STATUS)


def test_build_query_uses_metadata_ids():
    q = build_query(UC_EMPLOYMENT, ["202308"])
    assert q["database"] == "str:database:UC_Monthly"
    assert q["measures"] == ["str:count:UC_Monthly:V_F_UC_CASELOAD_FULL"]
    assert q["dimensions"][0] == [
        "str:valueset:UC_Monthly:V_F_UC_CASELOAD_FULL:COA_CODE:V_C_MASTERGEOG11_LA_TO_REGION_NI"
    ]
    assert q["dimensions"][1] == ["str:field:UC_Monthly:V_F_UC_CASELOAD_FULL:EMPLOYMENT_CODE"]
    assert q["recodes"]["str:field:UC_Monthly:F_UC_DATE:DATE_NAME"]["map"] == [
        ["str:value:UC_Monthly:F_UC_DATE:DATE_NAME:C_UC_DATE:202308"]
    ]
    assert "recodes" not in build_query(CILIF_WORK_STATUS)


def test_without_key_indicators_are_unavailable_not_an_error():
    class NoNetwork:
        def post_json(self, *a, **k):
            raise AssertionError("must not call Stat-Xplore without a key")

    values, note = iwp.fetch_statxplore(NoNetwork(), key=None)
    assert values.empty and list(values.columns) == TIDY_COLUMNS
    assert note == (
        "STAT_XPLORE_API_KEY not set: children_low_income_working_family_pct and uc_in_employment_rate unavailable"
    )
    assert iwp.unavailable_indicators(None) == ["children_low_income_working_family_pct", "uc_in_employment_rate"]
    assert iwp.unavailable_indicators("abc") == []


def edition_sheets(first: int, last: int, published: str, *, newline_headers: bool, bump: int = 0) -> dict:
    """An edition's cover and BHC local-authority tables, FYE first..last (Hartlepool 5000 + year)."""
    years = range(first, last + 1)
    if newline_headers:  # the 2014-to-2021 file's wording (../shared/data/in_work_poverty/SOURCE.md)
        header = [f"Number of children \nFYE {y} " for y in years] + [
            f"Percentage of children\nFYE {y} \n(%)\n[note 3]" for y in years
        ]
    else:  # 2022-to-2025, as SOURCE.md quotes it: 'Number of children FYE 2025', 'Percentage ... (%) [note 3]'
        header = [f"Number of children FYE {y}" for y in years] + [
            f"Percentage of children FYE {y} (%) [note 3]" for y in years
        ]
    header = ["Local Authority [note 2]", "Area Code", *header]

    def row(name, code, base, pct):
        return [name, code, *[base + y + bump for y in years], *[pct for _ in years]]

    hartlepool, birmingham = row("Hartlepool", "E06000001", 5000, 0.3), row("Birmingham", "E08000025", 90000, 0.35)
    uk = ["United Kingdom [note 4]", "K02000001", *[a + b for a, b in zip(hartlepool[2:], birmingham[2:])]]
    uk[2 + len(years) :] = [0.2 for _ in years]
    table = [*NOTES, header, uk, hartlepool, birmingham]
    cover = [
        [
            "Children in Low Income Families: local area statistics, United Kingdom, "
            f"financial years ending (FYE) {first} to {last}"
        ],
        [f"Published: {published}"],
    ]
    return {"Cover_sheet": cover, "table": table}


def test_fye_2015_onwards_from_the_2014_to_2024_and_2022_to_2025_editions(tmp_path, archive):
    """../shared/data/in_work_poverty/SOURCE.md section 1 ('Newer editions, not held here'): the 2022
    to 2025 edition (published 26 March 2026) adds after-housing-costs (AHC) measures; its ward sheets
    are named 4_AHC_Relative_Ward, 11_BHC_Relative_Ward and 12_BHC_Absolute_Ward, with headers
    'Local Authority [note 2]', 'Number of children FYE 2025' and 'Percentage of children FYE 2025
    (%) [note 3]'. Its local-authority sheet names were not seen: here they follow the ward sheets'
    pattern (N_AHC_/N_BHC_...), the one guess in this fixture. The AHC tables must not be read as
    the before-housing-costs measure the earlier editions give."""
    old = edition_sheets(2015, 2024, "27 March 2025", newline_headers=True)
    new = edition_sheets(2022, 2025, "26 March 2026", newline_headers=False, bump=7)
    ahc = edition_sheets(2022, 2025, "26 March 2026", newline_headers=False, bump=900)["table"]
    ward = [*NOTES, ["Ward [note 2]", "Area Code", "Local Authority [note 2]", "Number of children FYE 2025"]]
    files = [
        archive.store(
            "in_work_poverty",
            write_ods(
                tmp_path / "children-in-low-income-families-local-area-statistics-2014-to-2024.ods",
                {
                    "Cover_sheet": old["Cover_sheet"],
                    "1_Relative_Local_Authority": old["table"],
                    "2_Absolute_Local_Authority": old["table"],
                },
            ),
            origin="2014 to 2024",
        ),
        archive.store(
            "in_work_poverty",
            write_ods(
                tmp_path / "children-in-low-income-families-local-area-statistics-2022-to-2025.ods",
                {
                    "Cover_sheet": new["Cover_sheet"],
                    "1_AHC_Relative_Local_Authority": ahc,
                    "2_AHC_Absolute_Local_Authority": ahc,
                    "4_AHC_Relative_Ward": ward,
                    "7_BHC_Relative_Local_Authority": new["table"],
                    "8_BHC_Absolute_Local_Authority": new["table"],
                    "11_BHC_Relative_Ward": ward,
                    "12_BHC_Absolute_Ward": ward,
                },
            ),
            origin="2022 to 2025",
        ),
    ]
    from sources.catalogue import parse_source

    tables = parse_source("in_work_poverty", files)
    count = tables.values[tables.values.indicator_id == "children_low_income_relative_count"]
    hartlepool = count[count.area_code == "E06000001"].set_index("period")
    assert sorted(hartlepool.index) == [f"{y - 1}/{str(y)[2:]}" for y in range(2015, 2026)]  # FYE 2015 to 2025
    assert hartlepool.loc["2014/15"].value == 5000 + 2015  # the 2014-to-2024 edition
    assert hartlepool.loc["2021/22"].value == 5000 + 2022 + 7  # the newer edition restates FYE 2022-2024
    assert hartlepool.loc["2024/25"].value == 5000 + 2025 + 7  # BHC, never the AHC table (+900)
    releases = hartlepool.release.to_dict()
    assert {releases[p] for p in ("2021/22", "2022/23", "2023/24", "2024/25")} == {
        "FYE 2022 to 2025 (published 26 March 2026)"
    }
    assert {releases[p] for p in ("2014/15", "2020/21")} == {"FYE 2015 to 2024 (published 27 March 2025)"}


def test_an_edition_revised_in_place_wins_whatever_the_file_names(tmp_path, archive):
    # Two workbooks to FYE 2021, as first published and as revised three months later: the revised
    # figures are used, although 'cilif-revised.ods' sorts before 'cilif.ods'.
    first = workbook(tmp_path, archive, name="cilif.ods")
    revised_rows = [list(r) for r in LA_ROWS]
    revised_rows[0][3] = 5420  # Hartlepool FYE 2021, corrected
    sheets = {
        "Cover_sheet": [["Children in Low Income Families: local area statistics, (FYE) 2020 to 2021"],
                        ["Published: 30 June 2022"]],
        "1_Relative_Local_Authority": table_rows(revised_rows),
        "2_Absolute_Local_Authority": table_rows(revised_rows),
    }  # fmt: skip
    path = write_ods(tmp_path / "cilif-revised.ods", sheets)
    revised = archive.store("in_work_poverty", path, origin=str(path))
    out = iwp.parse([revised, first])
    row = one(out.values, "children_low_income_relative_count", "E06000001")
    assert (row.value, row.release) == (5420, "FYE 2020 to 2021 (published 30 June 2022)")
