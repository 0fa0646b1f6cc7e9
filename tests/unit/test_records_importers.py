"""No double entry: a Place Standard results export and a mapped spreadsheet become template rows
that load (and are checked) like the template itself."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from pipelines.records_cli import records_main
from sources.records import ingest
from sources.records.importers import (
    FREE_TEXT_KEPT,
    ImportProblem,
    load_mapping,
    mapped_rows,
    place_standard_row,
    write_table_csv,
)
from sources.records.model import PLACE_THEMES

from .test_records_fixtures import LADS, TEST_KEY, valid_rows, workbook

EXAMPLE_MAPPING = Path(__file__).resolve().parents[2] / "docs" / "examples" / "activities_mapping.yaml"
# A fixture of the layout documented in docs/records.md: one row per respondent, the tool's theme
# questions as headers, scores 1-7, "Don't know" as text, plus columns we must never read.
PS_HEADER = (
    ["Response ID", "Submitted", "Postcode", "Age group"]
    + [t.replace("_and_", " & ").replace("_", " ").title() for t in PLACE_THEMES]
    + ["Comments"]
)


def _export(path: Path, rows: list[list]) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(PS_HEADER)
        writer.writerows(rows)
    return path


def _respondent(n: int, score, comment="SECRET-COMMENT") -> list:
    return [n, "2024-05-01", "NG1 1AA", "25-34"] + [score] * 14 + [comment]


def test_place_standard_export_becomes_one_averaged_row(tmp_path):
    rows = [_respondent(1, 2), _respondent(2, 5), _respondent(3, "Don't know"), _respondent(4, "")]
    rows[1][4 + PLACE_THEMES.index("feeling_safe")] = 6
    row = place_standard_row(
        _export(tmp_path / "export.csv", rows),
        survey_id="NG-PS-2024",
        local_authority_code="E06000018",
        survey_date=dt.date(2024, 5, 31),
    )
    assert row["respondents"] == 2 and row["moving_around"] == 3.5 and row["feeling_safe"] == 4
    records = tmp_path / "records"
    write_table_csv(records / "place", "place_surveys", [row])
    text = (records / "place" / "place_surveys.csv").read_text()
    assert "SECRET-COMMENT" not in text and "NG1" not in text
    load = ingest(records, key=TEST_KEY, known_lad_codes=LADS)
    assert not load.problems and len(load.tables["place_surveys"]) == 1


def test_place_standard_export_problems_are_plain(tmp_path):
    path = _export(tmp_path / "export.csv", [_respondent(1, 9)])
    with pytest.raises(ImportProblem, match=r"export.csv, row 2, column Moving Around: 9 is not a Place Standard"):
        place_standard_row(path, survey_id="X", local_authority_code="E06000018", survey_date=dt.date(2024, 1, 1))
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ImportProblem, match="no column for the theme 'moving around'"):
        place_standard_row(
            tmp_path / "other.csv", survey_id="X", local_authority_code="E06000018", survey_date=dt.date(2024, 1, 1)
        )


def _session_log(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sessions"
    ws.append(
        [
            "Session ref",
            "Project code",
            "Date held",
            "Council area code",
            "Part of the project",
            "How we ran it",
            "Ladder",
            "People attending",
            "Of whom lived experience",
            "Length (hrs)",
            "Paid?",
            "Amount paid",
            "Facilitator name",
        ]
    )
    ws.append(
        [
            "S-1",
            "T-P1",
            dt.datetime(2023, 6, 1),
            "E06000018",
            "Planning",
            "Drop-in",
            6,
            12,
            7,
            2,
            "Yes",
            240,
            "Jo Bloggs",
        ]
    )
    ws.append([None] * 13)
    ws.append(
        [
            "S-2",
            "T-P1",
            dt.datetime(2023, 7, 1),
            "E06000018",
            "Board",
            "Steering group",
            9,
            8,
            8,
            1,
            "No",
            None,
            "Jo Bloggs",
        ]
    )
    wb.save(path)
    return path


def test_mapped_spreadsheet_loads_without_retyping(tmp_path):
    mapping = load_mapping(EXAMPLE_MAPPING)
    rows = mapped_rows(_session_log(tmp_path / "log.xlsx"), mapping)
    assert rows[1] is None  # blank row kept, so numbering matches
    assert rows[0]["stage"] == "design" and rows[0]["method"] == "workshop" and rows[0]["payment"] == "paid"
    assert rows[0]["notice_days"] == 14
    records = tmp_path / "records"
    base = valid_rows()
    base["activities"] = []
    workbook(records / "programmes.xlsx", {k: base[k] for k in ("organisations", "programmes")})
    write_table_csv(records / "log", "activities", rows)
    assert "Jo Bloggs" not in (records / "log" / "activities.csv").read_text()
    load = ingest(records, key=TEST_KEY, known_lad_codes=LADS)
    loaded = load.tables["activities"]
    assert list(loaded["activity_id"]) == ["S-1"]
    [problem] = load.problems  # ladder step 9, on row 4 as in their file
    assert (problem.file, problem.row, problem.column, problem.kind) == (
        "log/activities.csv",
        4,
        "ladder_step",
        "out_of_range",
    )


def test_mapping_file_mistakes_are_named(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("table: activities\ncolumns:\n  Date: date_of_activity\n")
    with pytest.raises(ImportProblem, match="date_of_activity, not a column of activities"):
        load_mapping(bad)
    bad.write_text("table: nothing\n")
    with pytest.raises(ImportProblem, match="'table' must be one of organisations"):
        load_mapping(bad)


@pytest.mark.parametrize(
    "encoding, delimiter",
    [("utf-16", "\t"), ("cp1252", ","), ("utf-8-sig", ";"), ("utf-16-le", ";")],
    ids=["excel-unicode-text", "windows-1252", "semicolons", "utf-16-no-bom"],
)
def test_their_csv_as_excel_saves_it(tmp_path, encoding, delimiter):
    """Their own CSV as Excel writes it (UTF-16 'Unicode text', Windows-1252 with a pound sign, ';'
    in European locales) gave a UnicodeDecodeError traceback or one column named 'Session ref;...'."""
    path = tmp_path / "log.csv"
    lines = [["Session ref", "Amount paid", "Notes"], ["S-1", "£20", "Jo; with a comma, too"], ["S-2", "5", ""]]
    with open(path, "w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter).writerows(lines)
    mapping = tmp_path / "map.yaml"
    mapping.write_text("table: activities\ncolumns:\n  Session ref: activity_id\n  Amount paid: payment_amount_gbp\n")
    rows = mapped_rows(path, load_mapping(mapping))
    assert [(r["activity_id"], r["payment_amount_gbp"]) for r in rows] == [("S-1", "£20"), ("S-2", "5")]


def test_their_file_or_mapping_wrong_in_shape_is_named_not_a_traceback(tmp_path):
    mapping = tmp_path / "map.yaml"
    mapping.write_text("table: activities\ncolumns:\n  Session ref: activity_id\nvalues:\n  stage: [design]\n")
    with pytest.raises(ImportProblem, match="map.yaml: values for 'stage' must be lines"):
        load_mapping(mapping)
    mapping.write_text("table: activities\ncolumns: [Session ref]\n")
    with pytest.raises(ImportProblem, match="map.yaml: 'columns' must be lines"):
        load_mapping(mapping)
    mapping.write_text("table: activities\nsheet: 2023\ncolumns:\n  Session ref: activity_id\n")
    wb = openpyxl.Workbook()
    wb.active.title = "2023"
    wb.active.append(["Session ref"])
    wb.active.append(["S-1"])
    wb.save(tmp_path / "log.xlsx")
    assert mapped_rows(tmp_path / "log.xlsx", load_mapping(mapping)) == [{"activity_id": "S-1"}]
    (tmp_path / "damaged.xlsx").write_bytes((tmp_path / "log.xlsx").read_bytes()[:300])
    (tmp_path / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    for name in ("damaged.xlsx", "old.xlsx"):
        with pytest.raises(ImportProblem, match=f"{name}: cannot be opened as an .xlsx workbook"):
            mapped_rows(tmp_path / name, load_mapping(mapping))


def test_free_text_never_copied_into_generated_files(tmp_path):
    path = write_table_csv(
        tmp_path, "influence_log", [{"recommendation_id": "R1", "recommendation": "Name Surname said"}]
    )
    assert "Name Surname" not in path.read_text() and FREE_TEXT_KEPT in path.read_text()


def test_cli_imports_then_check_is_clean(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path / "home"))
    export = _export(tmp_path / "export.csv", [_respondent(n, 3 + n % 3) for n in range(8)])
    assert (
        records_main(
            [
                "import-place-standard",
                str(export),
                "--area",
                "E06000018",
                "--survey-id",
                "PS1",
                "--date",
                "2024-05-31",
                "--out",
                str(tmp_path / "records" / "ps"),
            ]
        )
        == 0
    )
    assert "8 respondents" in capsys.readouterr().out
    assert records_main(["check", str(tmp_path / "records")]) == 0
    assert (
        records_main(
            ["import-mapped", str(EXAMPLE_MAPPING), str(tmp_path / "missing.csv"), "--out", str(tmp_path / "x")]
        )
        == 1
    )
