"""Benchmark the IG+ Monte Carlo (staging/igplus_rank_summary.sql, both runs, then
marts/igplus_uncertainty.sql) on a refreshed work database: the configured draws against a
500-draw baseline, side by side, A B A B..., each in its own process, with ratios of wall time
and peak memory (RSS).

    .venv/bin/python benchmarks/bench_igplus.py --work build/work/refresh.duckdb --runs 3

Runs on copies of the work database, so the refresh's own file is untouched. DuckDB gets the
same memory_limit as the refresh (INCLUSION_DUCKDB_MEMORY, default 4GB). Reports, never asserts.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import sys
sys.path.insert(0, {root!r})
import duckdb
from pipelines.settings import Settings
from pipelines.warehouse import read_sql
con = duckdb.connect({db!r})
con.execute("SET memory_limit = '" + Settings.from_env().duckdb_memory + "'")
if {draws}:
    con.execute("UPDATE landing.igplus_config_settings SET mc_draws = {draws} WHERE config_set = 'current'")
con.execute(read_sql("staging/igplus_rank_summary.sql"))
con.execute(read_sql("marts/igplus_uncertainty.sql"))
"""


def measured(db: Path, draws: int) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process running the two statements."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT), db=str(db), draws=draws)])
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark child failed with status {status}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("build/work/refresh.duckdb"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-draws", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        a_db, b_db = Path(tmp) / "a.duckdb", Path(tmp) / "b.duckdb"
        shutil.copyfile(args.work, a_db)
        shutil.copyfile(args.work, b_db)
        pairs = [(measured(a_db, 0), measured(b_db, args.baseline_draws)) for _ in range(args.runs)]
    fmt = lambda v: f"{statistics.median(v):.2f} [{min(v):.2f}-{max(v):.2f}]"  # noqa: E731
    print(f"IG+ Monte Carlo (2 runs: seeded + reference), {args.runs} pairs: configured draws (A) vs "
          f"{args.baseline_draws} draws (B)")
    for i, what in enumerate(("seconds", "peak RSS MB")):
        a, b = [p[0][i] for p in pairs], [p[1][i] for p in pairs]
        print(f"{what:12s} A: {fmt(a)}   B: {fmt(b)}   A/B: {fmt([x / y for x, y in zip(a, b)])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
