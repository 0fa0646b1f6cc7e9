"""Valid co-production records of any size, for benchmarks: the template's CSV folder layout
(optionally an .xlsx workbook too), every row passing every check.

    .venv/bin/python benchmarks/records_generator.py build/bench/records_1m --activities 1000000 [--xlsx]

Rows are computed by DuckDB from the row number (no randomness, so a size always gives the same
files). Per N activities: N/1000 programmes (at least 10), N/10 recommendations, N/20 contributors,
organisations, frameworks and place surveys in proportion; 100 local authorities. The files hold
no free text beyond a fixed word, and every contributor id is invented ('PERSON-<n>').
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sources.records.model import METHODS, PAYMENT, PLACE_THEMES, STAGES  # noqa: E402

LAD_COUNT = 100
FOLDER = "records_csv"
# Written beside the files; data made by another version is made again (bench_records.data_for).
ROWS_VERSION = "2: decided and fed back 30 and 61 days after the activity"


def lad_codes() -> list[str]:
    """Pattern-valid English unitary and district codes (E06000001-E06000050, E07000001-E07000050)."""
    return [f"E06{i:06d}" for i in range(1, 51)] + [f"E07{i:06d}" for i in range(1, 51)]


def _lad(expr: str) -> str:
    return (
        f"CASE WHEN ({expr}) % {LAD_COUNT} < 50 THEN 'E06' || lpad(CAST(({expr}) % {LAD_COUNT} + 1 AS VARCHAR), 6, '0') "
        f"ELSE 'E07' || lpad(CAST(({expr}) % {LAD_COUNT} - 49 AS VARCHAR), 6, '0') END"
    )


def _pick(values, expr: str) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + f"][({expr}) % {len(values)} + 1]"


def queries(n: int) -> dict[str, str]:
    programmes = max(10, n // 1000)
    organisations = max(5, programmes // 2)
    recommendations = max(1, n // 10)
    contributors = max(5, n // 20)
    sectors = ("public", "private", "voluntary", "community", "education")
    return {
        "organisations": f"""SELECT 'O' || i AS organisation_id, 'Organisation ' || i AS organisation_name,
            {_pick(sectors, "i")} AS sector, {_lad("i")} AS local_authority_code,
            CASE WHEN i % 2 = 0 THEN 'yes' ELSE 'no' END AS inclusion_defined,
            CASE WHEN i % 2 = 0 THEN DATE '2023-09-01' END AS inclusion_defined_date, '' AS inclusion_definition
            FROM range({organisations}) t(i)""",
        "programmes": f"""SELECT 'P' || i AS programme_id, 'Programme ' || i AS programme_name,
            'O' || (i % {organisations}) AS lead_organisation_id,
            'O' || ((i + 1) % {organisations}) AS partner_organisation_ids,
            {_lad("i")} || ';' || {_lad("i + 1")} AS local_authority_codes,
            'young_people;carers' AS target_groups, 10000 + 1000 * (i % 50) AS budget_gbp,
            DATE '2022-04-01' AS start_date, DATE '2026-03-31' AS end_date, '' AS description
            FROM range({programmes}) t(i)""",
        "activities": f"""SELECT 'A' || i AS activity_id, 'P' || (i % {programmes}) AS programme_id,
            DATE '2022-04-01' + CAST(i % 1400 AS INTEGER) AS activity_date,
            {_lad(f"i % {programmes} + i % 2")} AS local_authority_code,
            {_pick(STAGES, "i")} AS stage, {_pick(METHODS, "i // 7")} AS method, 1 + i % 7 AS ladder_step,
            5 + i % 20 AS participants, 5 + i % 20 - i % 5 AS participants_lived_experience,
            0.5 + (i % 8) / 2 AS hours, i % 30 AS notice_days, {_pick(PAYMENT, "i // 3")} AS payment,
            CASE WHEN {_pick(PAYMENT, "i // 3")} = 'not_offered' THEN NULL ELSE 20 * (i % 10) END AS payment_amount_gbp,
            '' AS notes FROM range({n}) t(i)""",
        "influence_log": f"""SELECT 'R' || j AS recommendation_id, 'A' || (j * 10 % {n}) AS activity_id,
            'text' AS recommendation, {_pick(("adopted", "partly", "rejected", "pending"), "j")} AS decision,
            DATE '2022-04-01' + CAST(j * 10 % {n} % 1400 + 30 AS INTEGER) AS decision_date,
            DATE '2022-04-01' + CAST(j * 10 % {n} % 1400 + 61 AS INTEGER) AS fed_back_date, '' AS action_taken
            FROM range({recommendations}) t(j)""",
        "contributors": f"""SELECT 'PERSON-' || k AS contributor_id, 'O' || (k % {organisations}) AS organisation_id,
            DATE '2022-01-01' AS first_involved, DATE '2024-06-01' AS last_involved, k % 10 AS training_hours
            FROM range({contributors}) t(k)""",
        "framework_register": f"""SELECT 'O' || o AS organisation_id, DATE '2024-03-31' AS assessment_date,
            'east_midlands_checklist' AS framework_id, 'yes' AS signed_up, 'yes' AS written_inclusion_policy, 'no' AS policy_co_designed,
            'yes' AS coproduction_commitment, 'yes' AS inclusion_in_commissioning, 'no' AS inclusion_in_procurement,
            500 * (o % 7) AS community_investment_gbp FROM range({organisations}) t(o)""",
        "self_assessments": f"""SELECT 'O' || o AS organisation_id, DATE '2024-03-31' AS assessment_date,
            'east_midlands_checklist' AS framework_id, p AS point_number,
            {_pick(("not_started", "planned", "in_progress", "partly_met", "met"), "o + p")} AS rating, '' AS evidence
            FROM range({organisations}) t(o), range(1, 12) u(p)""",
        "place_surveys": f"""SELECT 'S' || s AS survey_id, {_lad("s")} AS local_authority_code, '' AS place_name,
            DATE '2024-05-31' AS survey_date, 20 + s AS respondents,
            {", ".join(f"1 + (s + {i}) % 7 AS {theme}" for i, theme in enumerate(PLACE_THEMES))}
            FROM range({LAD_COUNT}) t(s)""",
    }


def generate(out: Path, n: int, xlsx: bool = False) -> Path:
    """Write the CSV folder (out/records_csv) for n activities; with xlsx, also out/records.xlsx."""
    import duckdb

    from sources.records.frameworks import builtin_points

    folder = Path(out) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for table, sql in queries(n).items():
        con.execute(f"COPY ({sql}) TO '{folder / (table + '.csv')}' (HEADER, DELIMITER ',')")
    points = builtin_points()
    with open(folder / "framework_points.csv", "w", encoding="utf-8") as handle:
        handle.write("framework_id,point_number,label\n")
        for p in points:
            handle.write(f'{p["framework_id"]},{p["point_number"]},"{p["label"]}"\n')
    if xlsx:
        _workbook(con, Path(out) / "records.xlsx", n)
    con.close()
    (Path(out) / "ROWS_VERSION").write_text(ROWS_VERSION)
    return folder


def write_workbook(path: Path, n: int) -> Path:
    """records.xlsx alone (the rows generate() writes as CSV), for a folder holding only the workbook."""
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        _workbook(con, path, n)
    finally:
        con.close()
    return path


def _workbook(con, path: Path, n: int) -> None:
    """The same rows as one workbook, written by openpyxl in write-only mode (streamed)."""
    import openpyxl

    from sources.records.frameworks import builtin_points

    wb = openpyxl.Workbook(write_only=True)
    for table, sql in queries(n).items():
        ws = wb.create_sheet(table)
        result = con.execute(sql)
        ws.append([d[0] for d in result.description])
        while rows := result.fetchmany(10_000):
            for row in rows:
                ws.append(list(row))
    ws = wb.create_sheet("framework_points")
    ws.append(["framework_id", "point_number", "label"])
    for p in builtin_points():
        ws.append([p["framework_id"], p["point_number"], p["label"]])
    wb.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--xlsx", action="store_true", help="also write records.xlsx (slow beyond 100k rows)")
    args = parser.parse_args(argv)
    folder = generate(args.out, args.activities, args.xlsx)
    print(f"Wrote {folder}/ ({args.activities} activities)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
