"""Benchmark records ingestion: `inclusion records check` and the refresh's records landing against
bare DuckDB (read_csv + the core GROUP BY) and pandas (read_csv + groupby) on the same generated
CSV folder (and, up to --xlsx-max activities, `records check` of the same rows as one .xlsx
workbook: check_xlsx), each variant in its own process, interleaved run by run, with wall time and peak
memory (RSS) and the ratios between them. Two floors run beside them: DuckDB alone reading every
column of the activities file (read_all, the least a check that tests every cell must do) and storing
every row in a database file (store, the least a landing must do), with no rule tested.

    .venv/bin/python benchmarks/bench_records.py                      # 100k and 1M activities
    .venv/bin/python benchmarks/bench_records.py --sizes 100000 1000000 10000000 --runs 3
    BENCH_RECORDS_SIZES="100000 1000000 10000000" .venv/bin/python benchmarks/bench_records.py

Data is generated once per size by benchmarks/records_generator.py under build/bench/records_data/.
Figures go to build/bench/records.json (read by `make bench`). Whole-process times include Python
start-up and imports (not Dagster's: the landing's work lives in sources/records/landing.py, and a
refresh has Dagster loaded before any step); each child also reports
the seconds of its own work, printed beside, and its processor time (user + system, all threads):
on a shared machine the processor time is the steadier figure. Reports, never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "bench" / "records.json"
DATA = ROOT / "build" / "bench" / "records_data"

# The core aggregation of marts.record_measures for activities: per local authority and year,
# activities, participants and participants with lived experience.
CORE_SQL = """SELECT local_authority_code, year(CAST(activity_date AS DATE)) AS year, count(*) AS activities,
       sum(CAST(participants AS BIGINT)) AS participants,
       sum(CAST(participants_lived_experience AS BIGINT)) AS lived
FROM read_csv(?) GROUP BY ALL"""

CHILDREN = {
    # The path is spliced in (it is ours): binding a parameter makes DuckDB's Python client import
    # pandas and numpy (about a second), which bare DuckDB does not need.
    "duckdb": """
import time, duckdb
started = time.perf_counter()
con = duckdb.connect()
rows = con.execute({sql!r}.replace("?", "'" + {activities!r}.replace("'", "''") + "'")).fetchall()
print("WORK", time.perf_counter() - started, len(rows))
""",
    "pandas": """
import time, pandas as pd
started = time.perf_counter()
frame = pd.read_csv({activities!r}, parse_dates=["activity_date"])
frame["year"] = frame["activity_date"].dt.year
rows = frame.groupby(["local_authority_code", "year"]).agg(
    activities=("activity_id", "size"), participants=("participants", "sum"),
    lived=("participants_lived_experience", "sum"))
print("WORK", time.perf_counter() - started, len(rows))
""",
    # Floors, not baselines: the least work a check and a landing cannot avoid, done by DuckDB alone
    # with no rule tested. A check must read every column of the file (read_all: every cell as text,
    # each touched); a landing must also store every row in a database file (store: DuckDB's own
    # typing, no checks). Printed beside, so each run shows how far the targets sit from what DuckDB
    # itself needs for that work.
    "read_all": """
import time, duckdb
started = time.perf_counter()
con = duckdb.connect()
names = [r[0] for r in con.execute("DESCRIBE SELECT * FROM read_csv('" + {activities!r}.replace("'", "''") + "', all_varchar = true)").fetchall()]
touched = ", ".join('max(strlen("' + n.replace('"', '""') + '"))' for n in names)
rows = con.execute("SELECT count(*), " + touched + " FROM read_csv('" + {activities!r}.replace("'", "''") + "', all_varchar = true)").fetchall()
print("WORK", time.perf_counter() - started, rows[0][0])
""",
    "store": """
import time, duckdb
started = time.perf_counter()
con = duckdb.connect({work!r})
(rows,) = con.execute("CREATE TABLE activities AS SELECT * FROM read_csv('" + {activities!r}.replace("'", "''") + "')").fetchone()
con.close()
print("WORK", time.perf_counter() - started, rows)
""",
    "check": None,  # the real command line, see command()
    # What landing/records runs after its checks of what changed: ingest on the warehouse's connection
    # within the landing's memory cap, then write_landing (sources.records.landing.land, then the
    # source's status record). The work lives outside assets/records.py, so the child does not import
    # Dagster (about 2.6 s of CPU and 280 MB), which a refresh has loaded before any step runs.
    "landing": """
import sys, time
sys.path.insert(0, {root!r})
from assets import landing as ld
from assets.warehouse import Warehouse
from benchmarks.records_generator import lad_codes
from sources.records import ingest
from sources.records.ingest import memory_capped
from sources.records.landing import land
started = time.perf_counter()
warehouse = Warehouse({work!r}, {published!r}, memory_limit="1GB")
with warehouse.connect() as con, memory_capped(con, configured="1GB"):  # as landing/records runs them
    load = ingest({folder!r}, key=b"benchmark-key-0123456789abcdef", known_lad_codes=set(lad_codes()), con=con)
    land(con, load, "bench")
    ld.ensure_landing(con)
    ld.record_attempt(con, "records", "ok", parsed_fingerprint="bench")
    totals = load.totals()
assert totals["quarantined"] == 0 and totals["read"] == totals["loaded"], totals
assert "dagster" not in sys.modules
print("WORK", time.perf_counter() - started, totals["loaded"])
""",
}


def command(variant: str, folder: Path, scratch: Path) -> list[str]:
    if variant in ("check", "check_xlsx"):
        # check_xlsx: the same rows as one workbook (workbook_for), in a folder of its own.
        target = workbook_for(folder) if variant == "check_xlsx" else folder
        inclusion = Path(sys.executable).with_name("inclusion")
        if inclusion.exists():
            return [str(inclusion), "records", "check", str(target)]
        return [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(ROOT)!r}); from pipelines.cli import main; "
            f"sys.exit(main(['records', 'check', {str(target)!r}]))",
        ]
    code = CHILDREN[variant].format(
        root=str(ROOT),
        sql=CORE_SQL,
        activities=str(folder / "activities.csv"),
        folder=str(folder),
        work=str(scratch / "work.duckdb"),
        published=str(scratch / "published.duckdb"),
    )
    return [sys.executable, "-c", code]


def run_once(argv: list[str]) -> dict:
    """One child, with its peak RSS from wait4 (ru_maxrss is in KB on Linux)."""
    # Output goes to files, not pipes: a child that fills a pipe nobody reads while we wait4() would hang.
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        started = time.perf_counter()
        child = subprocess.Popen(
            argv,
            stdout=out_file,
            stderr=err_file,
            env={**os.environ, "INCLUSION_HOME": tempfile.mkdtemp(prefix="bench-home-")},
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        out_file.seek(0)
        err_file.seek(0)
        out = out_file.read().decode(errors="replace")
        err = err_file.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(argv[:4])} failed ({code}): {err[-2000:]}")
    work = next((float(line.split()[1]) for line in out.splitlines() if line.startswith("WORK ")), None)
    return {
        "seconds": wall,
        "work_seconds": work,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
    }


def data_for(size: int) -> Path:
    sys.path.insert(0, str(ROOT))
    from benchmarks.records_generator import FOLDER, ROWS_VERSION, generate

    out = DATA / str(size)
    stamp = out / "ROWS_VERSION"
    if out.exists() and not (stamp.exists() and stamp.read_text() == ROWS_VERSION):
        shutil.rmtree(out)  # made by another version of the generator (its workbook too): rows changed
    if not (out / FOLDER / "activities.csv").exists():
        print(f"generating {size} activities in {out} ...", flush=True)
        generate(out, size)
    return out / FOLDER


def workbook_for(folder: Path) -> Path:
    """The folder holding the same rows as records.xlsx, written once (openpyxl: minutes beyond 100k)."""
    from benchmarks.records_generator import write_workbook

    size = int(folder.parent.name)
    out = folder.parent / "xlsx"
    if not (out / "records.xlsx").exists():
        print(f"writing the {size} activities as a workbook in {out} ...", flush=True)
        write_workbook(out / "records.xlsx.part", size).rename(out / "records.xlsx")
    return out


def summary(runs: list[dict]) -> dict:
    works = [r["work_seconds"] for r in runs if r["work_seconds"] is not None]
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "work_seconds": statistics.median(works) if works else None,
        "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "runs": len(runs),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_sizes = [int(n) for n in os.environ.get("BENCH_RECORDS_SIZES", "100000 1000000").split()]
    parser.add_argument("--sizes", type=int, nargs="+", default=default_sizes)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--variants", nargs="+", default=["duckdb", "pandas", "read_all", "check", "store", "landing"])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--xlsx-max",
        type=int,
        default=int(os.environ.get("BENCH_RECORDS_XLSX_MAX", "100000")),
        help="also check the rows as one .xlsx workbook (check_xlsx) at sizes up to this (0: never)",
    )
    args = parser.parse_args(argv)
    results: dict = {
        "command": "benchmarks/bench_records.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_average": os.getloadavg()},
        "sizes": {},
    }
    for size in args.sizes:
        folder = data_for(size)
        load_before = os.getloadavg()[0]
        variants = list(args.variants)
        if "check" in variants and size <= args.xlsx_max:
            workbook_for(folder)  # written before any timing
            variants.insert(variants.index("check") + 1, "check_xlsx")
        runs: dict[str, list] = {v: [] for v in variants}
        for _ in range(args.runs):
            for variant in variants:  # interleaved, so load on a shared machine hits all alike
                with tempfile.TemporaryDirectory(prefix="bench-records-") as scratch:
                    runs[variant].append(run_once(command(variant, folder, Path(scratch))))
        figures = {v: summary(r) for v, r in runs.items()}
        ratios = {}
        if "check_xlsx" in figures:  # the workbook against the same rows as CSV files
            for unit, key in (("", "seconds"), ("_cpu", "cpu_seconds")):
                ratios[f"check_xlsx_vs_check{unit}"] = figures["check_xlsx"][key] / figures["check"][key]
        for ours in ("check", "check_xlsx", "landing"):
            for base in ("duckdb", "pandas"):
                if ours in figures and base in figures:
                    ratios[f"{ours}_vs_{base}"] = figures[ours]["seconds"] / figures[base]["seconds"]
                    ratios[f"{ours}_vs_{base}_cpu"] = figures[ours]["cpu_seconds"] / figures[base]["cpu_seconds"]
        for floor, ours in (("read_all", "check"), ("store", "landing")):  # each floor, and us against it
            if floor in figures and "duckdb" in figures:
                ratios[f"{floor}_vs_duckdb"] = figures[floor]["seconds"] / figures["duckdb"]["seconds"]
                ratios[f"{floor}_vs_duckdb_cpu"] = figures[floor]["cpu_seconds"] / figures["duckdb"]["cpu_seconds"]
            if floor in figures and ours in figures:
                ratios[f"{ours}_vs_{floor}"] = figures[ours]["seconds"] / figures[floor]["seconds"]
        if "landing" in figures and "duckdb" in figures and figures["landing"]["work_seconds"]:
            # The landing step's own time (a refresh has Dagster loaded already) against DuckDB's.
            ratios["landing_work_vs_duckdb_work"] = (
                figures["landing"]["work_seconds"] / figures["duckdb"]["work_seconds"]
            )
        results["sizes"][str(size)] = {
            "figures": figures,
            "ratios": ratios,
            "load_average": [load_before, os.getloadavg()[0]],
        }
        print(
            f"\n{size:,} activities ({args.runs} run(s) each, medians; load average {load_before:.1f} -> "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
        )
        print(f"  {'variant':<10} {'wall s':>8} {'own work s':>11} {'CPU s':>7} {'peak MB':>8}")
        for variant, f in figures.items():
            work = f"{f['work_seconds']:.2f}" if f["work_seconds"] is not None else "-"
            print(f"  {variant:<10} {f['seconds']:8.2f} {work:>11} {f['cpu_seconds']:7.2f} {f['peak_mb']:8.0f}")
        for name, ratio in ratios.items():
            print(f"  {name:<28} {ratio:5.2f}x")
    sizes = sorted(args.sizes)
    results["scaling"] = {}
    for small, large in zip(sizes, sizes[1:]):  # each step up: seconds per row relative to the step below
        pair = f"{large}_vs_{small}"
        results["scaling"][pair] = {
            v: {
                unit: results["sizes"][str(large)]["figures"][v][key]
                / results["sizes"][str(small)]["figures"][v][key]
                / (large / small)
                for unit, key in (("wall", "seconds"), ("cpu", "cpu_seconds"))
            }
            for v in args.variants
        }
        print(
            f"\nper row, {large:,} vs {small:,} activities (1.0 = linear; wall / CPU):",
            ", ".join(f"{v} {s['wall']:.2f} / {s['cpu']:.2f}" for v, s in results["scaling"][pair].items()),
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"\nWrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
