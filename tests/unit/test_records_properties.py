"""Property tests: whatever is typed into the records, ingestion never crashes and no row is lost."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import math
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sources.records import TABLES_BY_NAME, ingest
from sources.records.cells import is_blank

from .test_records_fixtures import TEST_KEY, related_rows, write_template_xlsx

# Cells people might type: text (incl. formula-like, codes), numbers, dates, booleans, blanks.
xlsx_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
cells = st.one_of(
    st.none(),
    xlsx_text,
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(dt.date(1800, 1, 1), dt.date(2200, 1, 1)),
    st.sampled_from(["E06000018", "E99999999", "design", "T-P1", "T-A1", "yes", "7", "1,000", "£5"]),
)
TABLE_NAMES = st.sampled_from(["activities", "programmes", "contributors", "place_surveys", "self_assessments"])


def rows_for(table: str, data: list[list]) -> list[list]:
    width = len(TABLES_BY_NAME[table].columns)
    return [(r + [None] * width)[:width] for r in data]


def written_blank(cell) -> bool:
    """Blank as the workbook holds it: openpyxl writes a NaN or infinite float as an empty value
    (`<v/>`), so a row of such cells is a blank row in the file (no reader can see more)."""
    return is_blank(cell) or (isinstance(cell, float) and not math.isfinite(cell))


def non_blank(rows) -> int:
    return sum(1 for r in rows if not all(written_blank(c) for c in r))


@functools.cache
def base_workbook(table: str) -> tuple[bytes, dict[str, list[dict]]]:
    """The template workbook with the valid rows of `table` and of the tables related to it (the
    others' sheets empty: their rows cannot change what `table`'s rows give), written once per
    table: each example starts from a copy of its bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        base = related_rows(table)
        path = write_template_xlsx(Path(tmp) / "org.xlsx", base)
        return path.read_bytes(), base


def check_invariants(result, expected_rows: int, table: str):
    recon = result.reconciliation
    assert (recon["read"] == recon["loaded"] + recon["quarantined"]).all()
    sheet_rows = recon[recon["table_name"] == table]
    assert int(sheet_rows["read"].sum()) == expected_rows
    assert int(sheet_rows["loaded"].sum()) == len(result.tables[table])
    assert int(recon["quarantined"].sum()) == len(result.quarantine)


# ~15 s of CPU (40 workbooks, each with the sheets that can change the typed table's outcome: about
# 0.37 s each, 0.70 s with every sheet filled): CI and make test-all, not the everyday loop.
@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=TABLE_NAMES, data=st.lists(st.lists(cells, max_size=22), max_size=12))
def test_any_workbook_rows_load_or_are_quarantined(table, data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "org.xlsx"
        template, base = base_workbook(table)
        path.write_bytes(template)
        wb = openpyxl.load_workbook(path)
        rows = rows_for(table, data)
        for row in rows:
            wb[table].append(row)
        wb.save(path)
        result = ingest(Path(tmp), key=TEST_KEY)
        check_invariants(result, len(base[table]) + non_blank(rows), table)


csv_text = st.text(max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    table=TABLE_NAMES,
    header=st.lists(csv_text, max_size=25),
    data=st.lists(st.lists(csv_text, max_size=25), max_size=15),
)
def test_any_csv_content_loads_or_is_quarantined(table, header, data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "org_csv"
        folder.mkdir()
        columns = TABLES_BY_NAME[table].column_names
        with open(folder / f"{table}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns[: len(header)] + header)
            writer.writerows(data)
        result = ingest(Path(tmp), key=TEST_KEY)
        recon = result.reconciliation
        assert (recon["read"] == recon["loaded"] + recon["quarantined"]).all()
        assert int(recon["read"].sum()) == sum(1 for r in data if any(c.strip() for c in r))
        assert int(recon["quarantined"].sum()) == len(result.quarantine)
