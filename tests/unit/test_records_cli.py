"""`inclusion records check` and `inclusion records template`."""

from __future__ import annotations

from pipelines.records_cli import records_main

from .test_records_fixtures import edit_sheet, workbook


def test_template_then_check_is_clean(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path / "home"))
    assert records_main(["template", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "coproduction_records_template.xlsx").exists()
    assert (tmp_path / "out" / "coproduction_records_template_csv" / "activities.csv").exists()
    capsys.readouterr()
    assert records_main(["check", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "framework_points: read 25 = loaded 25 + quarantined 0" in out and "No problems" in out


def test_check_prints_every_problem_and_fails(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path / "home"))
    path = workbook(tmp_path / "org.xlsx")

    def edit(ws):
        ws["G2"] = 9  # ladder_step
        ws["A3"] = None  # activity_id

    edit_sheet(path, "activities", edit)
    assert records_main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        "org.xlsx, sheet activities, row 2, column ladder_step: 9 is out of range; allowed: a whole number from 1 to 7"
    ) in out
    assert "org.xlsx, sheet activities, row 3, column activity_id: required value is empty" in out
    assert "org.xlsx, sheet activities: read 3 = loaded 1 + quarantined 2" in out
    assert "Traceback" not in out


def test_check_of_one_csv_names_its_folder(tmp_path, capsys, monkeypatch):
    """One CSV of a template folder, checked on its own, was called "'.csv' files are not records
    files" (they are: read with the rest of their folder)."""
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path / "home"))
    (tmp_path / "activities.csv").write_text("activity_id\n")
    assert records_main(["check", str(tmp_path / "activities.csv")]) == 1
    out = capsys.readouterr().out
    assert "are not records files" not in out
    assert "a CSV file is read with the other CSV files of its folder" in out and "check FOLDER" in out


def test_check_of_a_missing_path_and_bad_usage(tmp_path, capsys):
    assert records_main(["check", str(tmp_path / "nope")]) == 2
    assert records_main(["frobnicate"]) == 2


def test_a_check_out_of_memory_says_so_without_a_traceback(tmp_path, capsys, monkeypatch):
    """DuckDB spills what it can; where a statement still cannot fit the check's memory, the user
    gets a plain message and exit code 2, never a traceback (the records are not named in logs)."""
    import duckdb

    import sources.records

    def out_of_memory(*args, **kwargs):
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block of size 256.0 KiB")

    monkeypatch.setattr(sources.records, "ingest", out_of_memory)
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path / "home"))
    (tmp_path / "records").mkdir()
    assert records_main(["check", str(tmp_path / "records")]) == 2
    captured = capsys.readouterr()
    assert "ran out of the 512MB of memory it may use" in captured.err and "nothing was changed" in captured.err
    assert "Traceback" not in captured.out + captured.err


def test_a_check_read_only_in_part_stops_quietly(tmp_path):
    """`inclusion records check DIR | head`: the reader closes the pipe with most of the output
    (far more than a pipe holds) unread; the check stops with no traceback."""
    import subprocess
    import sys

    from .test_records_fixtures import csv_files, valid_rows

    rows = valid_rows()
    rows["activities"] = [dict(rows["activities"][0], activity_id=f"T-A{i}", ladder_step=9) for i in range(2000)]
    csv_files(tmp_path / "records" / "org_csv", {"activities": rows["activities"]})
    command = [sys.executable, "-c", "import sys; from pipelines.cli import main; sys.exit(main(sys.argv[1:]))"]
    with subprocess.Popen(
        [*command, "records", "check", str(tmp_path / "records")], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        first = process.stdout.readline()
        process.stdout.close()  # most of the problems, 2,000 lines or more, still unwritten
        errors = process.stderr.read().decode()
        code = process.wait()
    assert b"row 2" in first
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
    assert code == 1
