"""`inclusion records check` keeps no rows (ingest(keep_rows=False)): a CSV table whose every row is
plain is proved clean from one grouped pass over each file (Engine._fast_scan, validation.fast_*);
any other table is typed and checked by every rule, as when rows are kept. The problems, their
order and the counts must be the same either way; these tests compare the two on the same files."""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sources.records import ingest
from sources.records import validation as v
from sources.records.csvfiles import FileFacts
from sources.records.engine import PYTHON_NEEDED, Engine
from sources.records.model import TABLES_BY_NAME, Column, Table
from sources.records.reading import SheetPlan, plan_sheet

from .test_records_fixtures import (
    LADS,
    TEST_KEY,
    csv_files,
    csv_folder,
    related_csv_folder,
    valid_rows,
    with_feedback,
    workbook,
)

QUARANTINE = "SELECT file, sheet, table_name, row, kinds, reasons FROM rec_quarantine"


def both(root: Path, known=LADS):
    full = ingest(root, key=TEST_KEY, known_lad_codes=known, scan_plain=False)  # every cell through the rules
    check = ingest(root, key=None, known_lad_codes=known, keep_rows=False)
    return full, check


def assert_same(full, check) -> None:
    assert check.problems == full.problems
    assert check.reconciliation_rows() == full.reconciliation_rows()
    assert check.con.execute(QUARANTINE).fetchall() == full.con.execute(QUARANTINE).fetchall()


def scanned_tables(load) -> set[str]:
    """Tables a check proved clean from their scans (rec_fast_<table> views), typed by no statement."""
    rows = load.con.execute(
        "SELECT view_name FROM duckdb_views() WHERE temporary AND starts_with(view_name, 'rec_fast_')"
    ).fetchall()
    return {name.removeprefix("rec_fast_") for (name,) in rows}


def typed_files(load) -> int:
    (n,) = load.con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND starts_with(table_name, 'rec_csv_')"
    ).fetchone()
    return n


def test_a_clean_folder_is_checked_without_typing_its_rows(tmp_path):
    csv_folder(tmp_path / "org_csv")
    full, check = both(tmp_path)
    assert_same(full, check)
    assert check.problems == [] and check.totals() == full.totals()
    # Every table the scan can prove clean was (programmes and framework_points are always typed:
    # other tables' rules read their typed rows). participant_feedback.csv has its header only: no
    # statement reads it, and its sheet shows no rows.
    assert scanned_tables(check) == {
        "organisations",
        "activities",
        "influence_log",
        "contributors",
        "framework_register",
        "self_assessments",
        "place_surveys",
    }
    assert [r[2:] for r in check.reconciliation_rows() if r[2] == "participant_feedback"] == [
        ("participant_feedback", "read", 0, 0, 0)
    ]
    assert typed_files(check) == 2
    assert python_functions(check) == {"macro"}  # no text needed Python, so numpy was not imported
    # The scans keep keys, referenced values and the dates other tables' rules compare with
    # (activity_date, the log's and feedback's dates: "after_activity"), never a row's other cells.
    kept = {
        column
        for (column,) in check.con.execute(
            "SELECT DISTINCT column_name FROM duckdb_columns() WHERE starts_with(table_name, 'rec_fast_')"
        ).fetchall()
    }
    assert "participants" not in kept and "stage" not in kept and {"activity_id", "activity_date"} <= kept
    with pytest.raises(ValueError, match="check"):
        check.tables  # noqa: B018 (the property raises)


def _edit(table: str, row: int, column: str, value):
    def apply(rows):
        rows[table][row][column] = value

    return apply


def _extra_activity(**changes):
    def apply(rows):
        extra = dict(rows["activities"][0], activity_id="T-A9")
        extra.update(changes)
        rows["activities"].append(extra)

    return apply


# The cell forms are covered cell by cell by the property test below; here a few of each side go
# through whole files, with every rule between rows, tables and files.
EDITS = {
    # Values the full rules accept in a form the scan does not call plain: they load, via the full path.
    "number with a comma": _edit("activities", 0, "participants", "1,000"),
    "date in words": _edit("activities", 0, "activity_date", "1 Jun 2023"),
    # Values the scan reads but the full rules refuse.
    "whole number with decimals": _edit("activities", 0, "participants", "1.5"),
    "date a cast half reads": _edit("activities", 0, "activity_date", "2023-06-01 12:30"),
    "excel error": _edit("activities", 0, "activity_id", "#N/A"),
    "unknown code": _edit("activities", 0, "local_authority_code", "E06999999"),
    "blank required free text": _edit("influence_log", 0, "recommendation", " "),
    # Rules between rows, tables and files.
    "duplicate id": _extra_activity(activity_id="T-A1"),
    "dangling reference": _extra_activity(programme_id="T-NOPE"),
    "area not served": _extra_activity(local_authority_code="E07000138"),
    "amount without payment": _extra_activity(payment="not_offered", payment_amount_gbp=10),
    "contributor id repeated in another case": lambda rows: rows["contributors"].append(
        dict(rows["contributors"][0], contributor_id=rows["contributors"][0]["contributor_id"].lower())
    ),
    "unknown framework point": _edit("self_assessments", 0, "point_number", 99),
    "fed back before its activity": _edit("influence_log", 0, "fed_back_date", "2023-05-31"),
    "decided before its activity, fed back the day of it": lambda rows: (
        _edit("influence_log", 0, "decision_date", "2023-01-01")(rows),
        _edit("influence_log", 0, "fed_back_date", "2023-06-01")(rows),  # T-A1's own date: fine
    ),
    "feedback collected before its activity": lambda rows: (
        with_feedback(rows),
        _edit("participant_feedback", 0, "collected_date", "2023-05-31")(rows),
    ),
    "reference to a quarantined row": lambda rows: (
        _edit("activities", 0, "ladder_step", 9)(rows),
        _edit("influence_log", 0, "decision", "partly")(rows),  # (so the log is among the files)
    ),
}


# The tables each edited table needs to be checked (what it refers to); the others are left empty,
# which the engine skips at no cost.
NEEDS = {
    "activities": ("organisations", "programmes", "activities"),
    "influence_log": ("organisations", "programmes", "activities", "influence_log"),
    "participant_feedback": ("organisations", "programmes", "activities", "participant_feedback"),
    "contributors": ("organisations", "contributors"),
    "framework_register": ("organisations", "framework_register"),
    "self_assessments": ("organisations", "self_assessments"),
}


@pytest.mark.parametrize("edit", list(EDITS.values()), ids=list(EDITS))
def test_every_rule_gives_the_same_problems_without_kept_rows(tmp_path, edit):
    rows = valid_rows()
    edit(rows)
    needed = set().union(*(NEEDS[t] for t, r in rows.items() if r != valid_rows().get(t)))
    rows = {t: r for t, r in rows.items() if t in needed}
    csv_files(tmp_path / "org_csv", rows)  # (no file for the tables left empty)
    full, check = both(tmp_path)
    assert_same(full, check)


def test_rows_of_empty_cells_and_missing_optional_columns(tmp_path):
    folder = csv_folder(tmp_path / "org_csv")
    table = TABLES_BY_NAME["activities"]
    with open(folder / "activities.csv", newline="", encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    keep = [i for i, name in enumerate(table.column_names) if name not in ("notes", "notice_days")]
    lines = [[line[i] for i in keep] + ["extra"] for line in lines]  # an extra column, two optional ones gone
    lines.insert(2, [""] * len(lines[0]))  # a row of empty cells: not a row
    with open(folder / "activities.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(lines)
    full, check = both(tmp_path)
    assert_same(full, check)
    assert "activities" in scanned_tables(check)
    with open(folder / "activities.csv", "a", encoding="utf-8") as handle:
        handle.write("," * (len(lines[0]) - 1) + " \n")  # empty cells and one of white space: blank too
    full, check = both(tmp_path)
    assert_same(full, check)


def test_keys_repeated_across_folders(tmp_path):
    csv_folder(tmp_path / "a_csv")
    rows = valid_rows()
    rows["place_surveys"][0]["survey_id"] = "T-OTHER"
    csv_folder(tmp_path / "b_csv", rows)  # every other key repeats the first folder's
    full, check = both(tmp_path)
    assert_same(full, check)
    assert any(p.kind == "duplicate_id" for p in check.problems)


@pytest.mark.parametrize(
    "edit",
    [None, EDITS["contributor id repeated in another case"]],
    ids=["clean", "a key repeated in another case"],
)
def test_keys_whose_hashes_meet_are_compared_themselves(tmp_path, monkeypatch, edit):
    """The scan's duplicate test compares hashes of the keys (v.KEY_HASH): where two are equal, the
    keys themselves decide. Here every key's hash is the same (0)."""
    monkeypatch.setattr(v, "KEY_HASH", "0 * hash")
    rows = valid_rows()
    if edit:
        edit(rows)
    csv_files(tmp_path / "org_csv", {t: r for t, r in rows.items() if t in NEEDS["contributors"] + NEEDS["activities"]})
    full, check = both(tmp_path)
    assert_same(full, check)
    if edit:
        assert [p.kind for p in check.problems] == ["duplicate_id"]
    else:  # proved clean from the scans, as with distinct hashes
        assert check.problems == [] and {"activities", "contributors"} <= scanned_tables(check)


def test_a_reference_to_a_repeated_key_whose_rows_are_all_quarantined_is_reported_once(tmp_path):
    """A key table holds each key once even where the key repeats (Engine._validate_table makes it a
    view of the rows only when the duplicate rule found no repeat): else this message came twice."""
    rows = valid_rows()
    rows["activities"][0]["ladder_step"] = 9  # quarantined for its cell
    rows["activities"].append(dict(rows["activities"][0], ladder_step=1))  # its key again: quarantined too
    csv_files(tmp_path / "org_csv", {t: r for t, r in rows.items() if t in NEEDS["influence_log"]})
    full, check = both(tmp_path)
    assert_same(full, check)
    dangling = [p for p in check.problems if p.kind == "dangling_reference"]
    assert [(p.row, p.column) for p in dangling] == [(2, "activity_id")]
    assert "(its row was quarantined: fix that row first)" in dangling[0].message


def test_a_table_in_a_workbook_and_in_a_csv_folder(tmp_path):
    """Rows of one table from a workbook (streamed through Python) and from a scanned CSV file: the
    scan cannot prove the table clean alone, so both are typed by every rule (this once crashed the
    check: the scans' view was read before it was made)."""
    rows = valid_rows()
    workbook(tmp_path / "a.xlsx", {"organisations": rows["organisations"]})
    csv_folder(tmp_path / "b_csv", {"organisations": rows["organisations"][:1]})
    full, check = both(tmp_path)
    assert_same(full, check)
    assert [p.kind for p in check.problems] == ["duplicate_id"]


@pytest.mark.parametrize(
    ("newline", "bad", "long"),
    [("\r\n", False, False), ("\n", True, False), ("\n", True, True)],
    ids=["CRLF clean", "LF a bad row below", "LF a bad row and a field too long for Python's reader"],
)
def test_empty_lines_found_only_when_duckdb_reads_fewer_rows_than_lines(tmp_path, newline, bad, long):
    """csvfiles.FileFacts leaves the search for empty lines (which DuckDB skips, shifting row numbers)
    until DuckDB has read fewer rows than the file has lines, and a check until the file's table has
    a problem (a clean table's row numbers never show, and an empty line is no row either way): a
    file with an empty line is then read by Python's csv module, with the same problems and rows as
    when rows are kept. Should that reading fail (a field longer than Python's reader takes), the
    check starts again proving every file's numbers as it reads it, so it says what the full path
    says."""
    rows = valid_rows()
    rows["activities"][1]["notes"] = "two\nlines"  # one row over two lines: fewer rows than lines
    if bad:
        rows["activities"][2]["ladder_step"] = 9
    if long:
        rows["activities"][0]["notes"] = "x" * (csv.field_size_limit() + 1)
    folder = csv_folder(tmp_path / "org_csv", {t: rows[t] for t in NEEDS["activities"]})
    path = folder / "activities.csv"
    if not bad:
        full, check = both(tmp_path)
        assert_same(full, check)
        assert "activities" in scanned_tables(check)  # a quoted line break alone: scanned
    lines = path.read_bytes().replace(b"\r\n", b"\n").split(b"\n")
    path.write_bytes(newline.encode().join(lines[:2] + [b""] + lines[2:]))
    if bad:
        full, check = both(tmp_path)
        assert_same(full, check)
    else:  # the same rows as without the empty line (the kept-rows path: test_records_hardening.py)
        counts = full.reconciliation_rows()
        check = ingest(tmp_path, key=None, known_lad_codes=LADS, keep_rows=False)
        assert check.problems == [] and check.reconciliation_rows() == counts
    if long:
        assert [(p.file, p.kind) for p in check.problems] == [("org_csv/activities.csv", "unreadable")]
        return
    assert [(p.kind, p.row) for p in check.problems] == ([("out_of_range", 5)] if bad else [])  # records, not lines
    # Clean, the table is proved so from its scan; else the file was streamed through Python.
    assert ("activities" in scanned_tables(check)) is not bad


def test_file_facts_leave_empty_lines_to_the_rows_read(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"h1,h2\r\na,b\r\n\r\nc,d")
    assert FileFacts(path).simple is False
    facts = FileFacts(path, empty_lines=False)
    assert (facts.simple, facts.lines) == (None, 4)
    assert facts.is_simple(path, rows_read=3) is False  # fewer rows than lines: read again, found
    path.write_bytes(b'h1,h2\na,"b\nc"\nd,e\n')
    facts = FileFacts(path, empty_lines=False)
    assert (facts.simple, facts.lines) == (None, 4)
    assert facts.is_simple(path, rows_read=3) is True  # a quoted line break, read again: no empty line
    path.write_bytes(b"h1,h2\na,b\nc,d\n")
    facts = FileFacts(path, empty_lines=False)
    facts.lines += 1  # (so that a second reading would disagree)
    assert facts.is_simple(path, rows_read=4) is True  # every line a row: not read again
    path.write_bytes(b"h1,h2\na\x00,b\n")
    assert FileFacts(path, empty_lines=False).simple is False  # the other tests still run


def python_functions(load) -> set[str]:
    """How rec_py_repr and rec_py_casefold exist on a load's connection: 'macro' (a check's SQL
    stand-ins) or 'scalar' (the Python functions)."""
    rows = load.con.execute(
        "SELECT DISTINCT function_type FROM duckdb_functions() WHERE function_name IN ('rec_py_repr', 'rec_py_casefold')"
    ).fetchall()
    return {kind for (kind,) in rows}


@pytest.mark.parametrize(
    ("value", "registered"),
    [("it's \"odd\\", {"macro"}), ("Caf\u00e9\tb", {"scalar"})],
    ids=["quotes and a backslash", "not ASCII, a tab"],
)
def test_python_functions_registered_only_when_some_text_needs_them(tmp_path, value, registered):
    """A check, and a load that keeps its rows, quote values in messages with SQL stand-ins for
    Python's repr() (registering a Python function imports numpy); text of any other character makes
    the engine register the Python functions and run the statement again, with the same messages."""
    rows = valid_rows()
    rows["activities"][0]["method"] = value
    csv_folder(tmp_path / "org_csv", {t: rows[t] for t in NEEDS["activities"]})
    full, check = both(tmp_path)
    assert_same(full, check)
    assert check.problems[0].message == f"{value!r} is not an allowed value"
    assert python_functions(check) == registered and python_functions(full) == registered


@pytest.fixture(scope="module")
def check_con():
    con = duckdb.connect()
    Engine(con, None, LADS, keep_rows=False)  # its SQL stand-ins for the Python functions
    return con


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12), st.text("'\"\\ a")))
def test_a_checks_sql_repr_is_pythons_for_printable_ascii(check_con, text):
    assert check_con.execute(
        f"SELECT rec_py_repr({v.text_sql(text)}), rec_py_casefold({v.text_sql(text)})"
    ).fetchone() == (
        repr(text),
        text.casefold(),
    )


def test_a_checks_sql_stand_ins_refuse_other_text(check_con):
    for text in ("Caf\u00e9", "a\tb", "\x7f", "\u00df"):
        with pytest.raises(duckdb.Error, match=PYTHON_NEEDED):
            check_con.execute(f"SELECT rec_py_repr({v.text_sql(text)})").fetchone()
    with pytest.raises(duckdb.Error, match=PYTHON_NEEDED):
        street = v.text_sql("Stra\u00dfe")
        check_con.execute(f"SELECT rec_py_casefold({street})").fetchone()
    assert check_con.execute("SELECT rec_py_casefold('a\tB'), rec_py_repr(NULL)").fetchone() == ("a\tb", None)


# ---- one cell: the scan's plain value against every rule ---------------------------------------

CELL_COLUMNS = [
    TABLES_BY_NAME["activities"].column("ladder_step"),  # integer 1-7
    TABLES_BY_NAME["activities"].column("participants"),  # integer, minimum only
    TABLES_BY_NAME["activities"].column("hours"),  # number 0-1000
    TABLES_BY_NAME["activities"].column("payment_amount_gbp"),  # number, minimum only
    TABLES_BY_NAME["activities"].column("activity_date"),
    TABLES_BY_NAME["activities"].column("activity_id"),
    TABLES_BY_NAME["activities"].column("programme_id"),
    TABLES_BY_NAME["organisations"].column("organisation_name"),
    TABLES_BY_NAME["contributors"].column("contributor_id"),
    TABLES_BY_NAME["activities"].column("method"),
    TABLES_BY_NAME["framework_register"].column("signed_up"),
    TABLES_BY_NAME["activities"].column("local_authority_code"),
]

number_text = st.builds(
    lambda sign, whole, dot, frac, exp, pad: f"{pad}{sign}{whole}{dot}{frac}{exp}{pad}",
    st.sampled_from(["", "-", "+", "+-", "£"]),
    st.from_regex(r"[0-9_]{0,18}", fullmatch=True),
    st.sampled_from(["", ".", ","]),
    st.from_regex(r"[0-9]{0,4}", fullmatch=True),
    st.sampled_from(["", "e2", "E-1", "e400", "x"]),
    st.sampled_from(["", " ", "\t", "\u00a0", "\u2003"]),
)
date_text = st.builds(
    lambda y, m, d, sep, tail: f"{y}{sep}{m}{sep}{d}{tail}",
    st.sampled_from(["2024", "1899", "1900", "2100", "2101", "0001", "24", "02024"]),
    st.sampled_from(["04", "4", "13", "00", "02"]),
    st.sampled_from(["01", "1", "29", "30", "31", " 1"]),
    st.sampled_from(["-", "/", " "]),
    st.sampled_from(["", " 00:00", "T00:00:00", " 12:30", "x", " ", " (BC)", " BC"]),
)
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
cell_text = st.one_of(
    number_text,
    date_text,
    any_text,
    st.sampled_from(["inf", "NaN", "Infinity", "epoch", "infinity", "1.5", "1_000", "0x10", "#N/A", "#REF!"]),
    st.sampled_from(["workshop", "Workshop", "focus group", "yes", "Y", "YES", "no", "n", "TRUE", "1", "0.0"]),
    st.sampled_from(["E06000018", "e06000018", " E06000018", "E06000019", "E99999999", "E0600001"]),
    st.from_regex(r"[!-~]{1,3}[ -~]{0,5}", fullmatch=True),
    st.sampled_from(["Zoë-1", "A\tB", "A-1\t", "#A1", "A\u00a0", "A\u00a0B", "A\nB", "é"]),  # ids' edges
    st.just("A" * 200),
    st.just("A" * 201),
)


def _one_column_table(col: Column) -> Table:
    return Table("cells", "Cells", "", (col,), key=(col.name,))


@pytest.fixture(scope="module")
def cell_engine():
    con = duckdb.connect()
    # The macros both paths use, and the Python functions the full rules' messages may call (this
    # harness runs the rules on the raw connection, which does not register them on demand).
    Engine(con, TEST_KEY, LADS).register_python_functions()
    return con


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(cell_text, min_size=1, max_size=40), column=st.sampled_from(CELL_COLUMNS))
def test_a_cell_the_scan_calls_plain_has_the_value_and_no_problem_every_rule_gives(cell_engine, texts, column):
    """The property the check rests on, cell by cell: whenever the scan's fast_cell gives a value,
    the full rules (typed_select, as the kept-rows path runs them) give the same value and no problem.
    (The scan may leave a cell to the full rules that they accept; that costs time, not truth.)"""
    con = cell_engine
    col = dataclasses.replace(column, required=False)
    table = _one_column_table(col)
    name = v.q(col.name)
    texts = [t.replace("\x00", "") for t in texts]
    values = ", ".join(f"({i}, {v.text_sql(t)})" for i, t in enumerate(texts))
    source = (
        f"SELECT 1 AS sheet_seq, i AS row, t AS {name}, CASE WHEN rec_blank(t) THEN NULL ELSE 's' END AS "
        f"{v.q(col.name + '__t')} FROM (VALUES {values}) AS s(i, t)"
    )
    exact = dict(
        (row, (value, problems))
        for row, value, problems in con.execute(
            f"SELECT row, {name}, problems FROM ({v.typed_select(table, True, source)})"
        ).fetchall()
    )
    cast = v.fast_cast(col) or "NULL"
    fast = con.execute(
        f"SELECT i, {v.fast_cell(col)} FROM (SELECT *, {cast} AS {v.q(col.name + '__d')} "
        f"FROM (SELECT i, t AS {name} FROM (VALUES {values}) AS s(i, t)))"
    ).fetchall()
    for i, plain in fast:
        if plain is not None:
            value, problems = exact[i]
            assert problems is None, (texts[i], plain, problems)
            assert value == plain and type(value) is type(plain), (texts[i], plain, value)


def test_the_cell_property_sees_both_outcomes(cell_engine):
    """Guard for the property above: its inputs include plain cells and cells the scan leaves alone."""
    con = cell_engine
    col = TABLES_BY_NAME["activities"].column("participants")
    rows = con.execute(
        f"SELECT {v.fast_cell(col)} FROM (SELECT *, {v.fast_cast(col)} AS {v.q(col.name + '__d')} "
        f"FROM (VALUES ('12'), (' 12 '), ('1.5'), ('1,000'), ('-1')) AS s({v.q(col.name)}))"
    ).fetchall()
    assert rows == [(12,), (12,), (None,), (None,), (None,)]
    col = TABLES_BY_NAME["activities"].column("activity_id")
    rows = con.execute(
        f"SELECT {v.fast_cell(col)} FROM (VALUES ('A-1'), ('A 1'), ('A-1 '), ('Zoë-1'), ('#A')) AS s({v.q(col.name)})"
    ).fetchall()
    assert rows == [("A-1",), ("A 1",), (None,), (None,), (None,)]


# ---- whole files: random cells through both paths ---------------------------------------------

ACTIVITY_COLUMNS = [c.name for c in TABLES_BY_NAME["activities"].columns]


# Two ingests per example (about 1.0 s of CPU each pair; 1.5 s with every table's file, not only the
# files related to activities): CI and make test-all, like the workbook property search. The cells
# themselves are searched far more widely, and cheaply, by the cell property above; this one holds
# whole files to the same outcome.
@pytest.mark.slow
@settings(max_examples=12, deadline=None)
@given(
    cells=st.lists(
        st.tuples(st.integers(0, 2), st.sampled_from(ACTIVITY_COLUMNS), st.one_of(cell_text, st.just(""))),
        max_size=6,
    )
)
def test_any_activity_cells_give_the_same_problems_without_kept_rows(cells):
    import tempfile

    rows = valid_rows()
    base = rows["activities"][0]
    rows["activities"] = [dict(base, activity_id=f"T-A{i}") for i in range(3)]
    for row, column, text in cells:
        rows["activities"][row][column] = text.replace("\x00", "")
    with tempfile.TemporaryDirectory() as tmp:
        related_csv_folder(Path(tmp) / "org_csv", rows, "activities")
        full, check = both(Path(tmp))
        assert_same(full, check)


def test_check_mode_refuses_to_land(tmp_path):
    csv_folder(tmp_path / "org_csv")
    with pytest.raises(ValueError, match="key"):
        ingest(tmp_path, key=None)
    load = ingest(tmp_path, key=None, keep_rows=False)
    for rows_of in (lambda: load.relations(), lambda: load.links):
        with pytest.raises(ValueError, match="check"):
            rows_of()


@pytest.mark.parametrize("known", [LADS, None], ids=["known codes", "GSS pattern"])
def test_scan_plan_keeps_the_file_order_that_numbers_rows(tmp_path, known):
    """The scan numbers rows by rowid, so its statement must insert in file order: a batch insert of
    projections over read_csv, with no join (which an IN list can become) for any table it scans."""
    con = duckdb.connect()
    engine = Engine(con, None, known, keep_rows=False)
    scanned = 0
    for table in TABLES_BY_NAME.values():
        if not v.fast_eligible(table, set(table.column_names)):
            continue
        path = tmp_path / f"{table.name}.csv"
        path.write_text(",".join(table.column_names) + "\n")
        plan = SheetPlan(path.name, table.name, table)
        plan_sheet(plan, [table.column_names])
        engine.add_sheet(plan)
        sql = engine.fast_scan_statement(plan, path, len(table.column_names), ",", 1)
        plan_text = con.execute("EXPLAIN " + sql).fetchall()[0][1]
        operators = set(re.findall(r"│\s*([A-Z][A-Z_]+[A-Z])\s*│", plan_text))
        assert operators == {"BATCH_CREATE_TABLE_AS", "PROJECTION", "READ_CSV"}, (table.name, operators)
        scanned += 1
    assert scanned == 8


@pytest.mark.parametrize("layout", ["title rows above the header", "semicolons", "a quoted line break"])
def test_row_numbers_of_scanned_files_in_other_layouts(tmp_path, layout):
    """Rows a scan leaves to the full rules keep their numbers in the file: below title rows, with
    another delimiter, after a cell holding a line break (one row over two lines)."""
    rows = valid_rows()
    base = rows["activities"][0]
    rows["activities"] = [dict(base, activity_id=f"T-A{i}") for i in range(6)]
    rows["activities"][4]["ladder_step"] = 9
    if layout == "a quoted line break":
        rows["activities"][1]["notes"] = "two\nlines"
    folder = csv_files(tmp_path / "org_csv", {t: rows[t] for t in NEEDS["activities"]})
    path = folder / "activities.csv"
    if layout == "title rows above the header":
        path.write_text("Our activities\nKept by the trust\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    elif layout == "semicolons":
        with open(path, newline="", encoding="utf-8") as handle:
            lines = list(csv.reader(handle))
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, delimiter=";").writerows(lines)
    full, check = both(tmp_path)
    assert_same(full, check)
    assert [(p.kind, p.row) for p in check.problems] == [("out_of_range", 8 if layout.startswith("title") else 6)]
    # Scanned, not streamed through Python: only the row that is not plain was kept as text.
    assert check.con.execute("SELECT count(*) FROM rec_cells_activities").fetchone() == (1,)


@pytest.mark.parametrize(("title_end", "row_end"), [(b"\n", b"\r\n"), (b"\r\n", b"\n")], ids=["LF title", "CRLF title"])
def test_a_title_line_ending_otherwise_than_the_rows_loses_no_row(tmp_path, title_end, row_end):
    """A title line typed above the header in an editor (LF) of a file Excel saved (CRLF), or the
    reverse: DuckDB's reader, told to skip the lines above the data, read no row at all and said
    nothing, so every path called the file empty (read 0) and every reference to it dangling. The
    file is read by Python's csv module, as any file DuckDB cannot number as Python does."""
    folder = csv_files(tmp_path / "org_csv", {t: r for t, r in valid_rows().items() if t in NEEDS["activities"]})
    path = folder / "activities.csv"
    body = path.read_bytes().replace(b"\r\n", b"\n")
    path.write_bytes(b"Our activities" + title_end + body.replace(b"\n", row_end))
    full, check = both(tmp_path)
    assert_same(full, check)
    assert check.problems == []
    assert [r[2:] for r in check.reconciliation_rows() if r[2] == "activities"] == [("activities", "read", 3, 3, 0)]


@pytest.mark.parametrize("block", [1, 2])
def test_quarantined_rows_written_in_blocks_are_the_rows_written_at_once(tmp_path, monkeypatch, block):
    """The quarantine is written QUARANTINE_BLOCK rows per statement (a row's reasons are an ordered
    aggregate held in memory: a million quarantined rows at once ran out of it). Small blocks (the
    last one full, or not) give every row once, in the same order, with the same values, as one."""
    from sources.records import engine

    rows = valid_rows()
    for row in rows["activities"]:
        row["ladder_step"] = 9  # every activity quarantined, and the log's references to them with it
    csv_files(tmp_path / "org_csv", {t: r for t, r in rows.items() if t in NEEDS["influence_log"]})
    everything = "SELECT * FROM rec_quarantine"
    at_once = ingest(tmp_path, key=None, known_lad_codes=LADS, keep_rows=False).con.execute(everything).fetchall()
    monkeypatch.setattr(engine, "QUARANTINE_BLOCK", block)
    in_blocks = ingest(tmp_path, key=None, known_lad_codes=LADS, keep_rows=False).con.execute(everything).fetchall()
    counts = [sum(r[2] == t for r in at_once) for t in ("activities", "influence_log")]
    assert min(counts) >= 2 and any(n % 2 for n in counts)  # (more than one block; some last one not full)
    assert [r[:7] for r in in_blocks] == [r[:7] for r in at_once]  # (not file_id: keyed by a check's new key)
