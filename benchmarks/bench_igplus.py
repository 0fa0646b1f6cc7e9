"""Benchmark the IG+ Monte Carlo (marts/igplus_uncertainty.sql) on a refreshed work database:
the configured draws against a 500-draw baseline, side by side, A B A B..., with ratios.

    .venv/bin/python benchmarks/bench_igplus.py --work build/work/refresh.duckdb --runs 3

Runs on a copy of the work database, so the refresh's own file is untouched. Reports, never asserts.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipelines.warehouse import read_sql  # noqa: E402


def timed(con, draws: int) -> float:
    con.execute("UPDATE landing.igplus_config_settings SET mc_draws = $d WHERE config_set = 'current'",
                {"d": draws})
    started = time.perf_counter()
    con.execute(read_sql("marts/igplus_uncertainty.sql"))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("build/work/refresh.duckdb"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-draws", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "work.duckdb"
        shutil.copyfile(args.work, copy)
        con = duckdb.connect(str(copy))
        configured = con.execute("SELECT mc_draws FROM landing.igplus_config_settings "
                                 "WHERE config_set = 'current'").fetchone()[0]
        pairs = [(timed(con, configured), timed(con, args.baseline_draws)) for _ in range(args.runs)]
        con.close()
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    ratios = [x / y for x, y in pairs]
    fmt = lambda v: f"{statistics.median(v):.2f} [{min(v):.2f}-{max(v):.2f}]"  # noqa: E731
    print(f"IG+ Monte Carlo, {args.runs} pairs: {configured} draws (configured) vs {args.baseline_draws} (baseline)")
    print(f"seconds, configured: {fmt(a)}   baseline: {fmt(b)}   ratio: {fmt(ratios)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
