"""participant_feedback: validated like the other tables, with row-level messages; counts only."""

from __future__ import annotations

from pathlib import Path

from pipelines.records_cli import check
from sources.records import ingest
from sources.records.model import TABLES

from .test_records_fixtures import LADS, TEST_KEY, csv_folder, valid_rows, with_feedback, workbook

SQL = Path(__file__).resolve().parents[2] / "sql"


def _feedback(**changes) -> dict:
    rows = with_feedback(valid_rows())
    rows["participant_feedback"] = [
        dict(rows["participant_feedback"][0], feedback_id=f"T-X{i}", **c)
        for i, c in enumerate(changes.pop("each"), start=1)
    ]
    return rows


def test_good_feedback_loads_as_counts(tmp_path):
    workbook(tmp_path / "r" / "org.xlsx", with_feedback(valid_rows()))
    load = ingest(tmp_path / "r", key=TEST_KEY, known_lad_codes=LADS)
    assert not load.problems
    frame = load.tables["participant_feedback"]
    assert list(frame["feedback_id"]) == ["T-F1", "T-F2"]
    assert int(frame["agree"].sum()) == 9


def test_bad_feedback_rows_get_row_level_messages(tmp_path):
    rows = _feedback(
        each=[
            {"programme_id": "T-P1"},  # both activity and programme
            {"activity_id": None},  # neither
            {"statement": "I liked it"},  # not a statement
            {"agree": -1},  # negative count
            {"activity_id": "NO-SUCH"},  # unknown activity
            dict.fromkeys(("strongly_disagree", "disagree", "neither", "agree", "strongly_agree"), 0),
        ]
    )
    workbook(tmp_path / "r" / "org.xlsx", rows)
    load = ingest(tmp_path / "r", key=TEST_KEY, known_lad_codes=LADS)
    found = {(p.row, p.column, p.kind) for p in load.problems if p.sheet == "participant_feedback"}
    assert found == {
        (2, "activity_id", "inconsistent"),
        (3, "activity_id", "inconsistent"),
        (4, "statement", "unknown_value"),
        (5, "agree", "out_of_range"),
        (6, "activity_id", "dangling_reference"),
        (7, "strongly_disagree", "inconsistent"),
    }
    [recon] = load.reconciliation[load.reconciliation.sheet == "participant_feedback"].itertuples()
    assert (recon.read, recon.loaded, recon.quarantined) == (6, 0, 6)


def test_records_check_reports_feedback_rows(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path / "home"))
    csv_folder(tmp_path / "org_csv", _feedback(each=[{"activity_id": None}]))
    assert check(tmp_path / "org_csv") == 1
    out = capsys.readouterr().out
    assert "participant_feedback.csv, sheet participant_feedback, row 2, column activity_id: gives neither" in out
    assert "participant_feedback: read 1 = loaded 0 + quarantined 1" in out


def test_reconciliation_check_covers_every_model_table():
    sql = (SQL / "checks" / "records_rows_reconcile.sql").read_text()
    assert all(f"landing.records_{t.name} " in sql for t in TABLES)


def test_example_records_exercise_every_table_cleanly(tmp_path):
    from sources.records import EXAMPLE_ONLY_KEY, write_example_records

    load = ingest(write_example_records(tmp_path / "example"), key=EXAMPLE_ONLY_KEY)
    assert not load.problems
    assert {t.name for t in TABLES if len(load.tables[t.name])} == {t.name for t in TABLES}
    assert load.tables["framework_register"]["framework_id"].nunique() == 2
    assert load.tables["organisations"]["inclusion_defined"].any()
    recon = load.reconciliation
    assert (recon["read"] == recon["loaded"] + recon["quarantined"]).all()
