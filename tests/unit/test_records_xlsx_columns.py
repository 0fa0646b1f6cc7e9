"""sources/records/xlsx.py reads a sheet's rows below the header a batch at a time, column by
column (render_column). These tests hold it to the row-by-row reading it replaced: the same cells
(text and type) reach the engine for the same rows, whatever the values, the special cells (Excel
errors, formulas without a result, merged cells), blank rows and batch boundaries."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.records import engine as engine_module
from sources.records import xlsx
from sources.records.model import TABLES_BY_NAME
from sources.records.reading import HEADER_SEARCH_ROWS, SheetPlan


class Text(str):
    pass


class Number(float):
    pass


EDGE_VALUES = [
    None,
    "",
    " ",
    "\u3000",
    "\xa0x\xa0",
    "PERSON-001",
    Text("a str subclass"),
    0.0,
    -0.0,
    1.0,
    2.5,
    1e15,
    1e16,
    -1e16 + 2,
    1e20,
    math.nan,
    math.inf,
    -math.inf,
    Number(3.0),
    7,
    -(2**63),
    True,
    False,
    dt.date(2024, 5, 31),
    dt.date(999, 1, 1),
    dt.datetime(2024, 5, 31, 12, 30, 1),
    dt.time(9, 30),
    dt.timedelta(hours=2),
]


def by_cell(values) -> tuple[list, list]:
    cells = [xlsx.render(x) for x in values]
    return [c[0] for c in cells], [c[1] for c in cells]


@pytest.mark.parametrize(
    "values",
    [
        EDGE_VALUES,
        [x for x in EDGE_VALUES if type(x) is str],
        [x for x in EDGE_VALUES if type(x) is float],
        [dt.date(2024, 1, d) for d in range(1, 20)],
        [dt.datetime(2024, 1, d, d) for d in range(1, 20)],
        [1.5, "", 2.0, " "],
    ],
)
def test_a_column_renders_as_its_cells_do(values):
    assert xlsx.render_column(tuple(values)) == by_cell(values)


CELL = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.floats(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(CELL, max_size=12), st.sampled_from([None, str, float]))
def test_any_column_renders_as_its_cells_do(values, only):
    if only is not None:  # the single-type shortcuts
        values = [x for x in values if type(x) is only]
    assert xlsx.render_column(tuple(values)) == by_cell(values)


class Recorder:
    """An engine that keeps what its writers would append to DuckDB, batch by batch."""

    def __init__(self):
        self.batches: list[dict] = []

    def add_sheet(self, plan):
        plan.seq = 1

    def writer(self, plan):
        writer = engine_module.RowWriter(self, plan)
        recorder = self

        def flush():
            if writer.buffer["row"] or writer.headerless:
                recorder.batches.append({"headerless": list(writer.headerless), **writer.buffer})
            writer.buffer = {n: [] for n in writer.names}
            writer.headerless = []

        writer.flush = flush
        return writer

    def rows(self) -> dict[str, list]:
        out: dict[str, list] = {}
        for batch in self.batches:
            for name, values in batch.items():
                out.setdefault(name, []).extend(values)
        return out


def load_row_by_row(plan, rows, special, engine):
    """The reading this module replaced: every row rendered and added one at a time (the oracle)."""
    by_row: dict[int, list] = {}
    for (r, c), cell in special.items():
        by_row.setdefault(r, []).append((c, cell))
    head, writer = [], None
    for number, values in rows:
        cells = [xlsx.render(x) for x in values]
        for c, cell in by_row.get(number, ()):
            if cell[1] == "m" and writer is not None and c not in plan.columns.values():
                continue
            cells.extend([(None, None)] * (c + 1 - len(cells)))
            cells[c] = cell
        if writer is None:
            head.append((number, cells))
            if len(head) < HEADER_SEARCH_ROWS:
                continue
            writer = xlsx._start(plan, head, engine)
            continue
        if xlsx._has_value(cells):
            writer.add(number, cells)
    if writer is None:
        writer = xlsx._start(plan, head, engine)
    writer.flush()


def sheet_rows(data_rows: int, ragged: bool) -> tuple[list, dict]:
    """A header, rows of every kind of value, blank rows, rows filled only beyond the template's
    columns, and special cells below the header search, in template and other columns."""
    table = TABLES_BY_NAME["activities"]
    header = [c.name for c in table.columns] + ["extra"]
    rows = [(1, ["a title", *[""] * (len(header) - 1)]), (3, header)]
    for i in range(data_rows):
        number = 4 + i
        values = [EDGE_VALUES[(i + j) % len(EDGE_VALUES)] for j in range(len(header))]
        if i % 11 == 0:
            values = [""] * len(header)  # a blank row: not read
        if i % 13 == 0:
            values = [""] * (len(header) - 1) + ["only the extra column"]
        if ragged:
            values = values[: 1 + (i * 7) % (len(header) + 3)]
        rows.append((number, values))
    width = len(header)
    special = {}
    for r in range(2, 4 + data_rows, 5):
        special[(r, (r * 3) % (width + 2))] = ("#N/A", "e")
        special[(r + 1, (r * 5) % width)] = (None, "f")
        special[(r + 2, (r * 7) % (width + 4))] = (None, "m")  # in a template column or beyond them
    special[(8 + data_rows // 2, 0)] = (None, "m")  # a row whose only special cell is a merge
    for i in range(0, data_rows, 13 * 2):  # a merge over the only value, in a column not the template's
        special[(4 + i, width - 1)] = (None, "m")
    return rows, special


@pytest.mark.parametrize("batch", [3, 7, 64, 20_000])
@pytest.mark.parametrize("ragged", [False, True])
def test_a_sheet_reaches_the_engine_as_row_by_row(monkeypatch, batch, ragged):
    """Calamine's rows are rectangular, openpyxl's streamed rows ragged; both, at several batch sizes."""
    monkeypatch.setattr(engine_module, "BATCH_ROWS", batch)
    rows, special = sheet_rows(150, ragged)
    expected, got = Recorder(), Recorder()
    table = TABLES_BY_NAME["activities"]
    load_row_by_row(SheetPlan("f.xlsx", "activities", table), iter(rows), special, expected)
    xlsx._load_rows(SheetPlan("f.xlsx", "activities", table), iter(rows), special, got)
    assert got.rows() == expected.rows()
    assert len(expected.rows()["row"]) > 100  # most rows were read
    # Batches as large as the engine allows, never larger (memory stays bounded by the batch).
    assert [len(b["row"]) for b in got.batches] == [len(b["row"]) for b in expected.batches]


def test_a_sheet_without_a_header_reaches_the_engine_as_row_by_row(monkeypatch):
    monkeypatch.setattr(engine_module, "BATCH_ROWS", 4)
    rows = [(n, ["x", 1.0, ""]) if n % 3 else (n, ["", "", ""]) for n in range(1, 60)]
    expected, got = Recorder(), Recorder()
    table = TABLES_BY_NAME["activities"]
    load_row_by_row(SheetPlan("f.xlsx", "activities", table), iter(rows), {}, expected)
    xlsx._load_rows(SheetPlan("f.xlsx", "activities", table), iter(rows), {}, got)
    assert got.batches == expected.batches and got.rows()["headerless"]


OLD_WIDE_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{2,3})\d+"')


@pytest.mark.parametrize(
    "xml",
    [
        b'<row r="1"><c r="A1" s="1"><v>1</v></c><c r="AB1" t="s"><v>2</v></c></row>',
        b'<row r="2"><c\nr="XFD2"/><c\tr="ZZ2" s="3"/></row>',
        b'<row r="3"><c s="1" r="BA3"><v>1</v></c></row>',
        b'<row r="4"><c r="Z4"><v>1</v></c><hyperlink ref="AB4" r:id="rId1"/></row>',
        b'<row r="5" spans="1:30"><c r="C5"/></row>',
        b'<row r="6"><c r="D6" xr="AB6"><v>1</v></c></row>',  # an attribute merely ending in r
    ],
)
def test_the_quick_scan_finds_the_widest_column_as_the_full_pattern_did(xml):
    scan = xlsx.SheetScan()
    xlsx._scan_block(xml, scan)
    widest = max([25, *(xlsx.column_index(m.group(1)) for m in OLD_WIDE_REF.finditer(xml))])
    assert scan.max_column == widest


@pytest.mark.parametrize("memory_file", [True, False], ids=["as CSV in memory", "as Arrow"])
def test_rows_reach_duckdb_exactly_as_given(monkeypatch, memory_file):
    """RowWriter hands a small batch to DuckDB as a CSV file in memory (no pyarrow, no pandas), or
    as an Arrow batch where there is no memory file or some text holds a NUL or a carriage return:
    either way each text arrives exactly as given, an empty text empty and None NULL."""
    import duckdb

    monkeypatch.setattr(engine_module, "_arrow_loaded", lambda: False)  # (as in a check: pyarrow not imported)
    if not memory_file:
        monkeypatch.setattr(engine_module, "_memory_file", lambda data: None)
    texts = [None, "", " ", "=", "plain", 'a "quoted", b', "two\nlines", "  spaces  ", "Zoë ✓ 日本", "\\N", "NULL"]
    odd = ["cr\rhere", "nul\0here"]  # (these batches go as Arrow in both cases)
    con = duckdb.connect()
    arrow = engine_module._insert_arrow
    for batch in (texts, texts + odd):
        if memory_file and batch is texts:  # this batch must go as CSV: Arrow would fail the test
            monkeypatch.setattr(engine_module, "_insert_arrow", lambda *args: pytest.fail("sent as Arrow"))
        else:
            monkeypatch.setattr(engine_module, "_insert_arrow", arrow)
        con.execute("CREATE OR REPLACE TABLE t (sheet_seq INTEGER, row BIGINT, a VARCHAR, a__t VARCHAR)")
        n = len(batch)
        engine_module._insert_rows(
            con, "t", {"sheet_seq": [3] * n, "row": list(range(n)), "a": batch, "a__t": ["s"] * n}
        )
        assert con.execute("SELECT sheet_seq, row, a, a__t FROM t ORDER BY row").fetchall() == [
            (3, i, text, "s") for i, text in enumerate(batch)
        ]
