"""Benchmark the IG+ Monte Carlo on a refreshed work database: the engine (assets/montecarlo.py,
blocks of draws) against the plain all-draws-at-once reference (benchmarks/igplus_mc_reference.py),
side by side, A B A B..., each in its own process, with ratios of wall time and peak memory (RSS).
Both read the same inputs and write intermediate.igplus_rank_summary; their summaries must be equal.

    .venv/bin/python benchmarks/bench_igplus.py --work build/work/refresh.duckdb --runs 3
    .venv/bin/python benchmarks/bench_igplus.py --records-everywhere   # pillar B for every area
    .venv/bin/python benchmarks/bench_igplus.py --baseline-rev eb92994  # also that commit's SQL

--records-everywhere first gives every area and year synthetic pillar B values (between the
goalposts, from a hash of the area), so every area has an IG+ score: the national case.
Runs on copies of the work database, so the refresh's own file is untouched. Reports, never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD_SQL = ["intermediate/igplus_rank_summary.sql"]  # the single DuckDB statement before the engine

ENGINE = """
import duckdb
from assets.montecarlo import write_rank_summary
con = duckdb.connect({db!r})
write_rank_summary(con)
con.execute("CREATE OR REPLACE TABLE main.summary AS SELECT * FROM intermediate.igplus_rank_summary")
"""
REFERENCE = """
import duckdb
from assets.montecarlo import SQL_INPUTS
from benchmarks.igplus_mc_reference import simulate
from assets.warehouse import Warehouse
con = duckdb.connect({db!r})
settings, values, cells = (Warehouse.frame(con, p) for p in SQL_INPUTS)
Warehouse.replace_table(con, "intermediate", "igplus_rank_summary", simulate(values, cells, settings.iloc[0].to_dict()))
con.execute("CREATE OR REPLACE TABLE main.summary AS SELECT * FROM intermediate.igplus_rank_summary")
"""
OLD = """
import duckdb
from assets.settings import Settings
con = duckdb.connect({db!r})
con.execute("SET enable_progress_bar = false")
con.execute("SET memory_limit = '" + Settings.from_env().duckdb_memory + "'")
for statement in {statements!r}:
    con.execute(statement)
"""
# Every area and year gets pillar B values, then the scores are recomputed (bench only).
RECORDS_EVERYWHERE = """
UPDATE intermediate.igplus_values
SET value = goalpost_min + (goalpost_max - goalpost_min) * (hash(area_code || '|' || year || '|' || component) % 1000) / 1000.0,
    status = 'ok', has_records = true
WHERE pillar_source = 'records' AND value IS NULL
"""


def prepare(work: Path, target: Path, records_everywhere: bool) -> None:
    shutil.copyfile(work, target)
    if records_everywhere:
        import duckdb

        sys.path.insert(0, str(ROOT))
        from assets.warehouse import MACROS, Warehouse

        con = duckdb.connect(str(target))
        for macro in MACROS:  # the shared formulas the scores' SQL calls, as Warehouse.connect defines them
            con.execute(macro)
        con.execute(RECORDS_EVERYWHERE)
        Warehouse.run(con, "intermediate/igplus_scores_all.sql")
        con.close()


def measured(code: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark child failed with status {status}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def old_statements(rev: str) -> list[str]:
    found = []
    for path in OLD_SQL + ["marts/igplus_uncertainty.sql"]:
        shown = subprocess.run(["git", "show", f"{rev}:sql/{path}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode == 0:
            found.append(shown.stdout)
    return found


def summary_rows(db: Path):
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT * FROM main.summary ORDER BY ALL").fetchall()
    finally:
        con.close()


def run(work: Path, runs: int, records_everywhere: bool, baseline_rev: str | None = None) -> dict:
    """Median seconds and peak MB of engine and reference (and the old SQL), with ratios."""
    with tempfile.TemporaryDirectory() as tmp:
        dbs = {name: Path(tmp) / f"{name}.duckdb" for name in ("engine", "reference", "old")}
        for name in ("engine", "reference") + (("old",) if baseline_rev else ()):
            prepare(work, dbs[name], records_everywhere)
        with_load = os.getloadavg()[0]
        samples: dict[str, list[tuple[float, float]]] = {"engine": [], "reference": [], "old": []}
        for _ in range(runs):
            samples["engine"].append(measured(ENGINE.format(db=str(dbs["engine"]))))
            samples["reference"].append(measured(REFERENCE.format(db=str(dbs["reference"]))))
            if baseline_rev:
                samples["old"].append(measured(OLD.format(db=str(dbs["old"]), statements=old_statements(baseline_rev))))
        equal = summary_rows(dbs["engine"]) == summary_rows(dbs["reference"])
    out = {
        "runs": runs,
        "records_everywhere": records_everywhere,
        "load_average": round(with_load, 2),
        "summaries_equal": equal,
    }
    for name, values in samples.items():
        if values:
            out[name] = {
                "seconds": round(statistics.median(v[0] for v in values), 2),
                "peak_mb": round(statistics.median(v[1] for v in values)),
            }
    ratios = [e[0] / r[0] for e, r in zip(samples["engine"], samples["reference"])]
    out["time_ratio_engine_vs_reference"] = round(statistics.median(ratios), 2)
    if baseline_rev:
        out["baseline_rev"] = baseline_rev
        out["time_ratio_engine_vs_old_sql"] = round(
            statistics.median(e[0] / o[0] for e, o in zip(samples["engine"], samples["old"])), 2
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=ROOT / "build/work/refresh.duckdb")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--records-everywhere", action="store_true")
    parser.add_argument("--baseline-rev", help="also time this git revision's single-statement SQL")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = run(args.work, args.runs, args.records_everywhere, args.baseline_rev)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    where = "records for every area" if args.records_everywhere else "the work database as refreshed"
    print(f"IG+ Monte Carlo, {where}, {args.runs} runs each, load average {result['load_average']}")
    for name in ("engine", "reference", "old"):
        if name in result:
            print(f"  {name:10s} {result[name]['seconds']:7.2f} s  {result[name]['peak_mb']:6d} MB peak")
    print(
        f"  engine / reference time: {result['time_ratio_engine_vs_reference']}"
        f"  summaries equal: {result['summaries_equal']}"
    )
    if "time_ratio_engine_vs_old_sql" in result:
        print(f"  engine / old SQL ({args.baseline_rev}) time: {result['time_ratio_engine_vs_old_sql']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
