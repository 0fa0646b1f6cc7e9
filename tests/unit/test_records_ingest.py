"""Ingestion of records workbooks and CSV folders: good files load, every bad case gives
row-level messages (never a traceback), and read = loaded + quarantined for every sheet."""

from __future__ import annotations

import re

import duckdb
import openpyxl
import pytest

from sources.records import engine as engine_module
from sources.records import ingest
from sources.records.engine import Engine
from sources.records.ingest import memory_capped, size_bytes
from sources.records.model import TABLES, TABLES_BY_NAME
from sources.records.reading import SheetPlan, plan_sheet

from .test_records_fixtures import (
    FREE_TEXT,
    LADS,
    PEOPLE,
    TEST_KEY,
    csv_folder,
    edit_sheet,
    expected_counts,
    related_rows,
    valid_rows,
    workbook,
)


def load(root, **kw):
    kw.setdefault("known_lad_codes", LADS)
    return ingest(root, key=TEST_KEY, **kw)


def assert_reconciles(result):
    recon = result.reconciliation
    assert (recon["read"] == recon["loaded"] + recon["quarantined"]).all()
    loaded = {t: 0 for t in result.tables}
    for row in recon.itertuples():
        if isinstance(row.table_name, str):
            loaded[row.table_name] += row.loaded
    assert loaded == {t: len(f) for t, f in result.tables.items()}
    assert int(recon["quarantined"].sum()) == len(result.quarantine)


def problems_of(result, kind):
    return [p for p in result.problems if p.kind == kind]


def column_of(sheet, name):
    return [c.value for c in sheet[1]].index(name) + 1


def set_cell(table, row, column, value):
    def edit(ws):
        ws.cell(row, column_of(ws, column)).value = value

    return table, edit


@pytest.mark.parametrize("writer", [workbook, csv_folder])
def test_filled_template_loads_without_problems(tmp_path, writer):
    writer(tmp_path / ("org.xlsx" if writer is workbook else "org_csv"))
    result = load(tmp_path)
    assert result.problems == []
    assert {t: len(f) for t, f in result.tables.items()} == expected_counts()
    assert result.quarantine.empty
    assert_reconciles(result)
    activities = result.tables["activities"].set_index("activity_id")
    assert activities.loc["T-A1", "ladder_step"] == 6 and activities.loc["T-A1", "participants"] == 12
    assert str(activities.loc["T-A2", "activity_date"].date()) == "2023-09-01"
    links = result.links["programmes__local_authority_codes"]
    assert sorted(links["value"]) == ["E06000015", "E06000018"]
    assert "contributor_id" not in result.tables["contributors"]
    assert result.tables["contributors"]["contributor_pseudonym"].str.match(r"^c_[0-9a-f]{32}$").all()
    for frame in result.tables.values():
        assert not {"notes", "description", "recommendation", "evidence", "action_taken"} & set(frame.columns)


def test_several_organisations_side_by_side(tmp_path):
    rows = valid_rows()
    workbook(tmp_path / "a.xlsx", rows)
    other = {
        t: [{k: (v.replace("T-", "U-") if isinstance(v, str) else v) for k, v in r.items()} for r in rs]
        for t, rs in valid_rows().items()
    }
    for r in other["contributors"]:
        r["contributor_id"] = "OTHER-" + r["contributor_id"]
    csv_folder(tmp_path / "b_csv", other)
    result = load(tmp_path)
    assert result.problems == []
    assert len(result.tables["activities"]) == 6
    assert set(result.tables["activities"]["source_file"]) == {"a.xlsx", "b_csv/activities.csv"}
    assert_reconciles(result)


def bad_workbook(tmp_path, table, row, column, value):
    """The valid workbook with one cell of `table` changed; the sheets of tables unrelated to it
    (related_tables) are left empty, since their valid rows cannot change what that cell gives."""
    path = workbook(tmp_path / "org.xlsx", related_rows(table))
    edit_sheet(path, *set_cell(table, row, column, value))
    return load(tmp_path)


def test_wrong_type_is_reported_and_quarantined_with_dependants(tmp_path):
    result = bad_workbook(tmp_path, "activities", 2, "participants", "twelve")
    [wrong] = problems_of(result, "wrong_type")
    assert str(wrong) == (
        "org.xlsx, sheet activities, row 2, column participants: 'twelve' is not a number; "
        "allowed: a whole number of at least 0"
    )
    # the influence log row from activity T-A1 cannot load either, and says why
    [dangling] = problems_of(result, "dangling_reference")
    assert (dangling.sheet, dangling.row, dangling.column) == ("influence_log", 2, "activity_id")
    assert "quarantined" in dangling.message
    assert set(result.quarantine["row"]) == {2}
    assert len(result.tables["activities"]) == 2
    assert_reconciles(result)


def test_missing_required_cell(tmp_path):
    result = bad_workbook(tmp_path, "activities", 3, "activity_date", None)
    [missing] = problems_of(result, "missing_required")
    assert (missing.row, missing.column, missing.message) == (3, "activity_date", "required value is empty")
    assert "a date" in missing.allowed
    assert_reconciles(result)


@pytest.mark.parametrize("writer", [workbook, csv_folder])
def test_blank_required_free_text_is_a_row_problem_not_a_failure(tmp_path, writer):
    rows = valid_rows()
    rows["influence_log"][0]["recommendation"] = None
    writer(tmp_path / ("org.xlsx" if writer is workbook else "org_csv"), rows)
    result = load(tmp_path)
    [missing] = problems_of(result, "missing_required")
    assert (missing.sheet, missing.row, missing.column) == ("influence_log", 2, "recommendation")
    assert (missing.message, missing.allowed) == ("required value is empty", "text (up to 200 characters)")
    assert list(result.quarantine["row"]) == [2]
    assert_reconciles(result)


def test_cells_in_plain_form_and_untidy_form_load_the_same_values(tmp_path):
    """Plain cells take the engine's fast path; the same values written untidily take the full
    rules. Both must load identical rows."""
    plain = csv_folder(tmp_path / "plain" / "org_csv")
    untidy_rows = valid_rows()
    for row in untidy_rows["activities"]:
        row["participants"] = f" {row['participants']} "
        row["hours"] = f"{row['hours']:.2f}" if row.get("hours") is not None else None
        row["activity_date"] = row["activity_date"].strftime("%d/%m/%Y")
        row["stage"] = row["stage"].replace("_", " ").title()
        row["local_authority_code"] = " " + row["local_authority_code"].lower()
        row["activity_id"] = row["activity_id"] + "\u00a0"
    csv_folder(tmp_path / "untidy" / "org_csv", untidy_rows)
    first, second = load(plain.parent), load(tmp_path / "untidy")
    assert first.problems == second.problems == []
    for name, frame in first.tables.items():
        assert frame.drop(columns=["source_file"]).equals(second.tables[name].drop(columns=["source_file"])), name


@pytest.mark.parametrize("step", [0, 8, 9])
def test_out_of_range_ladder_step(tmp_path, step):
    result = bad_workbook(tmp_path, "activities", 4, "ladder_step", step)
    [bad] = problems_of(result, "out_of_range")
    assert str(bad) == (
        f"org.xlsx, sheet activities, row 4, column ladder_step: {step} is out of range; "
        "allowed: a whole number from 1 to 7"
    )
    assert_reconciles(result)


def test_unknown_controlled_value(tmp_path):
    result = bad_workbook(tmp_path, "activities", 2, "stage", "brainstorm")
    [bad] = problems_of(result, "unknown_value")
    assert bad.column == "stage" and "agenda_setting, design, commissioning" in bad.allowed


def test_choice_matching_ignores_case_and_spaces(tmp_path):
    result = bad_workbook(tmp_path, "activities", 2, "stage", "Agenda Setting")
    assert result.problems == []
    assert "agenda_setting" in set(result.tables["activities"]["stage"])


@pytest.mark.parametrize("code, why", [("E06000999", "current geography"), ("Nottingham", "GSS code")])
def test_unknown_local_authority_code(tmp_path, code, why):
    result = bad_workbook(tmp_path, "place_surveys", 2, "local_authority_code", code)
    [bad] = problems_of(result, "unknown_code")
    assert (bad.sheet, bad.row, bad.column) == ("place_surveys", 2, "local_authority_code")
    assert why in bad.message and "E06000018" in bad.allowed
    assert_reconciles(result)


def test_without_known_codes_the_gss_pattern_applies(tmp_path):
    path = workbook(tmp_path / "org.xlsx")
    edit_sheet(path, *set_cell("place_surveys", 2, "local_authority_code", "E06000999"))
    assert ingest(tmp_path, key=TEST_KEY).problems == []


def test_duplicate_ids_within_and_across_files(tmp_path):
    rows = valid_rows()
    rows["activities"].append(dict(rows["activities"][0]))
    workbook(tmp_path / "a.xlsx", rows)
    second = {
        "organisations": [dict(valid_rows()["organisations"][0], organisation_id="Z-ORG")],
        "programmes": [dict(valid_rows()["programmes"][0], lead_organisation_id="Z-ORG", partner_organisation_ids=[])],
    }
    workbook(tmp_path / "b.xlsx", second)
    result = load(tmp_path)
    dups = problems_of(result, "duplicate_id")
    assert sorted((p.file, p.sheet, p.row) for p in dups) == [("a.xlsx", "activities", 5), ("b.xlsx", "programmes", 2)]
    assert "already used in a.xlsx, sheet activities, row 2" in next(p.message for p in dups if p.row == 5)
    assert "programme_id 'T-P1' is already used in a.xlsx, sheet programmes, row 2" in next(
        p.message for p in dups if p.file == "b.xlsx"
    )
    assert_reconciles(result)


def test_duplicate_contributor_message_does_not_repeat_the_identifier(tmp_path):
    rows = valid_rows()
    rows["contributors"].append(dict(rows["contributors"][0], contributor_id=" person-001 "))
    workbook(tmp_path / "a.xlsx", rows)
    [dup] = problems_of(load(tmp_path), "duplicate_id")
    assert (dup.sheet, dup.row) == ("contributors", 8)
    assert "this identifier is already used in a.xlsx, sheet contributors, row 2" in dup.message
    assert "person-001" not in str(dup).lower()


def test_dangling_references(tmp_path):
    rows = valid_rows()
    rows["activities"][0]["programme_id"] = "NO-SUCH"
    rows["self_assessments"][0]["point_number"] = 12
    rows["activities"][2]["local_authority_code"] = "E07000138"  # Lincoln: not served by T-P1
    rows["programmes"][0]["partner_organisation_ids"] = ["T-PART", "GHOST"]
    workbook(tmp_path / "a.xlsx", rows)
    result = load(tmp_path)
    found = {(p.sheet, p.row, p.column, p.kind) for p in result.problems}
    assert ("programmes", 2, "partner_organisation_ids", "dangling_reference") in found
    # with its programme quarantined, every activity dangles; the unknown framework point is reported
    assert ("self_assessments", 2, "point_number", "inconsistent") in found
    assert "framework 'east_midlands_checklist' has no point 12" in str(result.problems)
    assert ("activities", 2, "programme_id", "dangling_reference") in found
    assert len(result.tables["programmes"]) == 0 and len(result.tables["activities"]) == 0
    assert_reconciles(result)


def test_activity_in_an_area_the_programme_does_not_serve(tmp_path):
    result = bad_workbook(tmp_path, "activities", 4, "local_authority_code", "E07000138")
    [bad] = problems_of(result, "inconsistent")
    assert bad.row == 4 and "not served by programme 'T-P1'" in bad.message
    assert "E06000015, E06000018" in bad.allowed


def test_inconsistent_row(tmp_path):
    result = bad_workbook(tmp_path, "activities", 3, "participants_lived_experience", 5)
    [bad] = problems_of(result, "inconsistent")
    assert (bad.row, bad.column) == (3, "participants_lived_experience")
    assert "5 is more than the 3 participants" in bad.message


def test_extra_and_renamed_columns(tmp_path):
    path = workbook(tmp_path / "org.xlsx")

    def edit(ws):
        ws.cell(1, column_of(ws, "participants")).value = "Participants count"
        extra = ws.max_column + 1
        ws.cell(1, extra).value = 'Full name (Zoë\'s "own")'  # quotes and non-ASCII reach the problems as typed
        for r in range(2, 5):
            ws.cell(r, extra).value = f"Jane Doe{r}"

    edit_sheet(path, "activities", edit)
    result = load(tmp_path)
    extra = {p.column: p for p in problems_of(result, "extra_column")}
    assert set(extra) == {"Participants count", 'Full name (Zoë\'s "own")'}
    assert "renamed from 'participants'" in extra["Participants count"].message
    [missing] = problems_of(result, "missing_column")
    assert missing.column == "participants" and "renamed to 'Participants count'" in missing.message
    rows = [p for p in problems_of(result, "missing_required") if p.column == "participants"]
    assert [p.row for p in rows] == [2, 3, 4]
    text = repr(result.quarantine.to_dict()) + repr({k: v.to_dict() for k, v in result.tables.items()})
    assert "Jane Doe" not in text
    assert_reconciles(result)


def test_header_found_by_content_below_a_title_row(tmp_path):
    path = workbook(tmp_path / "org.xlsx")
    edit_sheet(path, "organisations", lambda ws: ws.insert_rows(1, 2))
    edit_sheet(path, "organisations", lambda ws: ws.cell(1, 1, "Our organisations"))
    result = load(tmp_path)
    assert result.problems == []
    assert list(result.tables["organisations"]["source_row"]) == [4, 5]


def test_hidden_sheet_rows_are_quarantined(tmp_path):
    path = workbook(tmp_path / "org.xlsx")
    edit_sheet(path, "place_surveys", lambda ws: setattr(ws, "sheet_state", "hidden"))
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("scratch").sheet_state = "hidden"
    wb.save(path)
    result = load(tmp_path)
    kinds = {(p.sheet, p.kind) for p in result.problems}
    assert ("scratch", "unknown_sheet") in kinds
    assert len(result.tables["place_surveys"]) == 0
    [row] = result.quarantine[result.quarantine["sheet"] == "place_surveys"].itertuples()
    assert row.kinds == "hidden_sheet" and row.row == 2
    recon = result.reconciliation.set_index("sheet")
    assert recon.loc["place_surveys", "status"] == "hidden"
    assert_reconciles(result)


def test_unknown_sheet_is_reported_but_instructions_are_not(tmp_path):
    path = workbook(tmp_path / "org.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("My pivot")
    wb.save(path)
    result = load(tmp_path)
    assert [(p.sheet, p.kind) for p in result.problems] == [("My pivot", "unknown_sheet")]


def test_not_a_template_is_rejected_whole(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Address"])
    wb.active.append(["Someone", "Somewhere"])
    wb.save(tmp_path / "contacts.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip file at all")
    (tmp_path / "old.ods").write_bytes(b"PK\x03\x04")
    (tmp_path / "~$org.xlsx").write_bytes(b"Excel lock file")  # ignored
    workbook(tmp_path / "org.xlsx")
    result = load(tmp_path)
    by_file = {p.file: p for p in result.problems}
    assert set(by_file) == {"contacts.xlsx", "broken.xlsx", "old.ods"}
    assert by_file["contacts.xlsx"].kind == "not_template"
    assert "not a co-production records template" in by_file["contacts.xlsx"].message
    assert "Sheet" in by_file["contacts.xlsx"].message
    assert by_file["broken.xlsx"].kind == "unreadable"
    assert by_file["old.ods"].kind == "not_template"
    assert sorted(result.rejected_files) == ["broken.xlsx", "contacts.xlsx", "old.ods"]
    assert len(result.tables["activities"]) == 3  # the good workbook still loads
    assert_reconciles(result)


def test_csv_folder_without_template_files_is_rejected(tmp_path):
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "people.csv").write_text("name,phone\nA,1\n")
    result = load(tmp_path)
    assert [(p.file, p.kind) for p in result.problems] == [("export/", "not_template")]


def test_csv_unknown_file_and_bad_encoding(tmp_path):
    folder = csv_folder(tmp_path / "org_csv")
    (folder / "extra.csv").write_text("a,b\n1,2\n")
    text = (folder / "organisations.csv").read_text().replace("Test Trust", "Caf\u00e9 Trust")
    (folder / "organisations.csv").write_bytes(text.encode("cp1252"))
    result = load(tmp_path)
    assert [(p.file, p.kind) for p in result.problems] == [("org_csv/extra.csv", "unknown_sheet")]
    assert "Caf\u00e9 Trust" in set(result.tables["organisations"]["organisation_name"])


def test_sheet_without_header_quarantines_every_row(tmp_path):
    path = workbook(tmp_path / "org.xlsx")
    edit_sheet(path, "place_surveys", lambda ws: ws.delete_rows(1))
    result = load(tmp_path)
    [p] = problems_of(result, "no_header")
    assert p.sheet == "place_surveys"
    assert list(result.quarantine["kinds"]) == ["no_header"]
    assert_reconciles(result)


def _large_workbook(path, n):
    wb = openpyxl.Workbook(write_only=True)
    table = TABLES_BY_NAME["place_surveys"]
    ws = wb.create_sheet("place_surveys")
    ws.append(table.column_names)
    themes = [4] * 14
    for i in range(n):
        ws.append([f"S{i}", "E06000018", None, "2024-05-31", 10 + i % 7, *themes])
    wb.save(path)
    return path


def test_very_large_file_streams_and_reconciles(tmp_path, monkeypatch):
    """A workbook's rows reach DuckDB in batches: Python never holds more than one batch of a sheet,
    however long it is. The batch is cut from 20,000 rows to 500 so that 5,250 rows (11 batches)
    prove it as 50,000 rows did (3 batches), at a tenth of the cost; how fast rows load is
    measured in benchmarks, never asserted here."""
    monkeypatch.setattr(engine_module, "BATCH_ROWS", 500)
    batches: list[int] = []
    flush = engine_module.RowWriter.flush

    def counted_flush(writer):
        if writer.buffer["row"]:
            batches.append(len(writer.buffer["row"]))
        flush(writer)

    monkeypatch.setattr(engine_module.RowWriter, "flush", counted_flush)
    _large_workbook(tmp_path / "big.xlsx", 5_250)
    result = load(tmp_path)
    assert result.problems == []
    assert len(result.tables["place_surveys"]) == 5_250
    assert batches == [500] * 10 + [250]  # rows held in Python at most 500 at a time, none lost
    assert_reconciles(result)


def test_no_row_limit_per_sheet(tmp_path):
    """The old reader quarantined rows beyond 100,000 per sheet unread; every row is now read and checked."""
    folder = tmp_path / "org_csv"
    folder.mkdir()
    with open(folder / "place_surveys.csv", "w") as handle:
        handle.write(",".join(TABLES_BY_NAME["place_surveys"].column_names) + "\n")
        themes = ",".join(["4"] * 14)
        for i in range(150_000):
            handle.write(f"S{i},E06000018,,2024-05-31,{10 + i % 7},{themes}\n")
        handle.write(f"S-last,E06000018,,2024-05-31,ten,{themes}\n")
    result = load(tmp_path)
    assert len(result.tables["place_surveys"]) == 150_000
    [bad] = result.problems
    assert (bad.row, bad.column, bad.kind) == (150_002, "respondents", "wrong_type")
    recon = result.reconciliation.iloc[0]
    assert (recon["read"], recon["loaded"], recon["quarantined"]) == (150_001, 150_000, 1)
    assert_reconciles(result)


@pytest.mark.parametrize("keep_order", [True, False], ids=["default", "connection set not to keep order"])
def test_rows_read_by_duckdb_in_parallel_keep_their_numbers_in_the_file(tmp_path, keep_order):
    """A well-formed CSV is typed by DuckDB on every thread; each row still has its number in the file
    (a row of empty cells is skipped but counted, a quoted line break is one row), wherever it is,
    also on a connection (the warehouse's) set not to preserve insertion order."""
    folder = tmp_path / "org_csv"
    folder.mkdir()
    themes = ",".join(["4"] * 14)
    bad_rows = {2, 40_001, 123_457, 199_999}
    with open(folder / "place_surveys.csv", "w") as handle:
        handle.write(",".join(TABLES_BY_NAME["place_surveys"].column_names) + "\n")
        for row in range(2, 200_001):
            if row == 77_777:
                handle.write("," * 18 + "\n")  # a blank row: read, skipped, still numbered
            elif row == 100_000:
                handle.write(f'S{row},E06000018,"a place\nover two lines",2024-05-31,10,{themes}\n')
            else:
                respondents = "ten" if row in bad_rows else "10"
                handle.write(f"S{row},E06000018,,2024-05-31,{respondents},{themes}\n")
    con = duckdb.connect()
    con.execute(f"SET preserve_insertion_order = {keep_order}")
    result = load(tmp_path, con=con)
    assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (keep_order,)
    assert sorted((p.row, p.column, p.kind) for p in result.problems) == [
        (row, "respondents", "wrong_type") for row in sorted(bad_rows)
    ]
    assert sorted(result.quarantine["row"]) == sorted(bad_rows)
    recon = result.reconciliation.iloc[0]
    assert (recon["read"], recon["loaded"], recon["quarantined"]) == (199_998, 199_994, 4)
    placed = result.con.execute("SELECT count(*) FROM rec_typed_place_surveys WHERE survey_id = 'S' || row").fetchone()
    assert placed == (199_998,)  # every row's number is the one its survey_id was written with
    # Scanned by DuckDB, not streamed through Python: only the rows the scan does not call plain (the
    # quarantined ones and the one with a line break in a cell) were typed by the full rules.
    cells = result.con.execute("SELECT row FROM rec_cells_place_surveys ORDER BY row").fetchall()
    assert cells == [(row,) for row in sorted(bad_rows | {100_000})]
    assert_reconciles(result)


def test_free_text_and_raw_contributor_ids_never_leave_ingestion(tmp_path):
    rows = valid_rows()
    rows["contributors"][0]["training_hours"] = "lots"  # quarantined: its row is kept for fixing
    workbook(tmp_path / "org.xlsx", rows)
    result = load(tmp_path)
    everything = repr(
        [
            f.to_dict()
            for f in (
                *result.tables.values(),
                *result.links.values(),
                result.quarantine,
                result.reconciliation,
                result.problems_frame(),
            )
        ]
    )
    assert FREE_TEXT not in everything
    assert not any(p in everything for p in PEOPLE)
    assert "c_" in result.quarantine["row_values"].iloc[0]


@pytest.mark.parametrize("known", [LADS, None], ids=["known codes", "GSS pattern"])
def test_csv_typing_plan_keeps_the_file_order_that_numbers_rows(tmp_path, known):
    """csv_fast numbers rows by their rowid, so its statement must insert in file order: a batch
    insert of projections over read_csv, with no join (which would reorder rows) for any table."""
    con = duckdb.connect()
    engine = Engine(con, TEST_KEY, known)
    for table in TABLES:
        path = tmp_path / f"{table.name}.csv"
        path.write_text(",".join(table.column_names) + "\n")
        plan = SheetPlan(path.name, table.name, table)
        plan_sheet(plan, [table.column_names])
        engine.add_sheet(plan)
        sql, params = engine.csv_fast_statement(plan, path, len(table.column_names), ",", 1)
        con.execute("PRAGMA disable_optimizer")  # as csv_fast runs it
        plan_text = con.execute("EXPLAIN " + sql, params).fetchall()[0][1]
        operators = set(re.findall(r"│\s*([A-Z][A-Z_]+[A-Z])\s*│", plan_text))
        assert operators == {"BATCH_CREATE_TABLE_AS", "PROJECTION", "READ_CSV"}, (table.name, operators)


def test_the_records_step_runs_within_its_memory_cap_on_a_shared_connection():
    con = duckdb.connect(config={"memory_limit": "4GB"})

    def limit():
        return size_bytes(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])

    with memory_capped(con, "512MB", configured="4GB"):
        assert limit() <= 512e6
    assert con.execute("SELECT current_setting('memory_limit')").fetchone() == ("3.7 GiB",)  # 4e9 bytes
    con.execute("SET memory_limit = '256MB'")
    with memory_capped(con, "512MB"):  # a lower limit of the connection's own is kept
        assert limit() <= 256e6
    assert limit() <= 256e6
