"""`inclusion records check PATH` and `inclusion records template OUT_DIR`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from assets.settings import Settings


def _published_lad_codes(settings: Settings) -> set[str] | None:
    """LAD codes from the published warehouse's marts.areas, when one has been built."""
    path = settings.warehouse_path
    if not path.exists():
        return None
    try:
        import duckdb

        with duckdb.connect(str(path), read_only=True) as con:
            rows = con.execute("SELECT DISTINCT area_code FROM marts.areas WHERE area_type = 'lad'").fetchall()
    except Exception:  # an old or locked warehouse: fall back to the GSS pattern
        return None
    return {r[0] for r in rows} or None


def check(path: Path, out=None) -> int:
    out = out or sys.stdout
    import duckdb

    from sources.records import ingest
    from sources.records.ingest import DEFAULT_MEMORY

    if not path.exists():
        print(f"{path}: no such file or directory", file=sys.stderr)
        return 2
    try:
        settings = Settings.from_env()
    except ValueError as exc:  # a malformed setting, named in the message
        print(f"Check not started: {exc}", file=sys.stderr)
        return 2
    known = _published_lad_codes(settings)
    # Nothing is written by a check, so it keeps no rows and a throwaway key drawn by the engine is
    # enough to pseudonymise in memory. The file names and cells shown are the user's own, on their
    # own console; nothing is logged.
    try:
        load = ingest(path, key=None, known_lad_codes=known, keep_rows=False)
    except duckdb.OutOfMemoryException:
        # A rule or output DuckDB could not fit in the check's memory (it spills what it can): say so
        # plainly, with what helps, never a traceback. Nothing is written by a check.
        print(
            f"{path}: the check ran out of the {DEFAULT_MEMORY} of memory it may use, and stopped; nothing was "
            "changed. Check fewer files at a time, or first fix what makes most rows fail (such as a "
            "missing table that every row refers to).",
            file=sys.stderr,
        )
        return 2
    try:
        problems = 0
        for problem in load.iter_problems():
            problems += 1
            print(str(problem), file=out)
        print("", file=out)
        print("Rows per sheet:", file=out)
        unbalanced = 0
        for file, sheet, _, status, read, loaded, quarantined in load.reconciliation_rows():
            if status == "rejected":
                print(f"  {file}: rejected whole, nothing read", file=out)
                continue
            flag = " (hidden sheet)" if status == "hidden" else ""
            print(f"  {file}, sheet {sheet}{flag}: read {read} = loaded {loaded} + quarantined {quarantined}", file=out)
            unbalanced += read != loaded + quarantined
        codes = "the published warehouse's local authorities" if known else "the GSS code pattern (no warehouse)"
        print(f"\nLocal authority codes checked against {codes}.", file=out)
        if unbalanced:  # the engine's own invariant: never report success if a row went missing
            print(
                f"{unbalanced} sheet(s) do not reconcile (read is not loaded + quarantined): this is a fault in "
                "the checker, please report it.",
                file=out,
            )
            return 1
        if problems:
            print(f"{problems} problem(s) in {len(load.files)} file(s).", file=out)
            return 1
        if not load.files:
            print("No records files found (expected .xlsx workbooks or folders of CSV files).", file=out)
            return 1
        print(f"No problems in {len(load.files)} file(s).", file=out)
        return 0
    finally:
        load.close()


def template(out_dir: Path, out=None) -> int:
    out = out or sys.stdout
    from sources.records import write_template

    xlsx, csv_dir = write_template(out_dir)
    print(f"Wrote {xlsx}\nWrote {csv_dir}/ (one CSV per sheet)", file=out)
    return 0


def import_place_standard(args, out=None) -> int:
    """A Place Standard Tool results export -> OUT/place_surveys.csv (one averaged row)."""
    import datetime as dt

    from sources.records.importers import ImportProblem, place_standard_row, write_table_csv

    out = out or sys.stdout
    try:
        row = place_standard_row(
            args.export,
            survey_id=args.survey_id,
            local_authority_code=args.area,
            survey_date=dt.date.fromisoformat(args.date),
            place_name=args.place_name,
            sheet=args.sheet,
        )
    except (ImportProblem, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    path = write_table_csv(args.out, "place_surveys", [row])
    print(
        f"Wrote {path}: {row['respondents']} respondents, 14 theme averages. "
        f"Check it with: inclusion records check {args.out}",
        file=out,
    )
    return 0


def import_mapped(args, out=None) -> int:
    """Their spreadsheet + a column-mapping YAML -> OUT/<table>.csv in the template's layout."""
    from sources.records.importers import ImportProblem, load_mapping, mapped_rows, write_table_csv

    out = out or sys.stdout
    try:
        mapping = load_mapping(args.mapping)
        rows = mapped_rows(args.source, mapping)
    except ImportProblem as exc:
        print(str(exc), file=sys.stderr)
        return 1
    path = write_table_csv(args.out, mapping["table"], rows)
    print(
        f"Wrote {path}: {sum(r is not None for r in rows)} rows (row numbers as in {args.source.name}). "
        f"Check it with: inclusion records check {args.out}",
        file=out,
    )
    return 0


def records_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="inclusion records", description="Co-production records: check files, write the template."
    )
    sub = parser.add_subparsers(dest="action", required=True)
    c = sub.add_parser("check", help="list every problem in a records file or directory")
    c.add_argument("path", type=Path)
    t = sub.add_parser("template", help="write the template workbook and CSV folder")
    t.add_argument("out_dir", type=Path)
    ps = sub.add_parser(
        "import-place-standard", help="turn a Place Standard Tool results export into a place_surveys row"
    )
    ps.add_argument("export", type=Path)
    ps.add_argument("--area", required=True, help="GSS code of the local authority, e.g. E06000018")
    ps.add_argument("--survey-id", required=True)
    ps.add_argument("--date", required=True, help="when the survey closed, YYYY-MM-DD")
    ps.add_argument("--place-name")
    ps.add_argument("--sheet", help="worksheet of an .xlsx export (default: the first)")
    ps.add_argument("--out", type=Path, required=True, help="a folder in your records directory")
    m = sub.add_parser(
        "import-mapped", help="turn your own spreadsheet into a template table through a column-mapping file"
    )
    m.add_argument("mapping", type=Path)
    m.add_argument("source", type=Path)
    m.add_argument("--out", type=Path, required=True, help="a folder in your records directory")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.action == "check":
        try:
            return check(args.path)
        except BrokenPipeError:
            # Whoever read the output stopped early (`inclusion records check DIR | head`): stop
            # quietly, as other command-line tools do; stdout goes to devnull so that Python's own
            # flush at exit does not complain either.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
    try:
        if args.action == "import-place-standard":
            return import_place_standard(args)
        if args.action == "import-mapped":
            return import_mapped(args)
        return template(args.out_dir)
    except OSError as exc:  # the output folder cannot be made or written: plain words, no traceback
        print(f"Nothing written: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(records_main(sys.argv[1:]))
