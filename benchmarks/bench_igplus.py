"""Benchmark the IG+ Monte Carlo (staging/igplus_rank_summary.sql, both runs, then
marts/igplus_uncertainty.sql) on a refreshed work database: the configured draws against a
500-draw baseline, side by side, A B A B..., each in its own process, with ratios of wall time
and peak memory (RSS).

    .venv/bin/python benchmarks/bench_igplus.py --work build/work/refresh.duckdb --runs 3
    .venv/bin/python benchmarks/bench_igplus.py --baseline-rev 8a51a8b   # B = that commit's SQL

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

STATEMENTS = ["staging/igplus_rank_summary.sql", "marts/igplus_uncertainty.sql"]
CHILD = """
import sys
sys.path.insert(0, {root!r})
import duckdb
from pipelines.settings import Settings
con = duckdb.connect({db!r})
con.execute("SET enable_progress_bar = false")
con.execute("SET memory_limit = '" + Settings.from_env().duckdb_memory + "'")
if {draws}:
    con.execute("UPDATE landing.igplus_config_settings SET mc_draws = {draws} WHERE config_set = 'current'")
for statement in {statements!r}:
    con.execute(statement)
"""


def statements(rev: str | None) -> list[str]:
    """The Monte Carlo SQL of the working tree, or of a git revision (whichever files it had)."""
    if rev is None:
        return [(ROOT / "sql" / p).read_text() for p in STATEMENTS]
    found = []
    for path in STATEMENTS:
        shown = subprocess.run(["git", "show", f"{rev}:sql/{path}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode == 0:
            found.append(shown.stdout)
    return found


def measured(db: Path, draws: int, sql: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process running the statements."""
    started = time.perf_counter()
    code = CHILD.format(root=str(ROOT), db=str(db), draws=draws, statements=sql)
    child = subprocess.Popen([sys.executable, "-c", code])
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark child failed with status {status}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("build/work/refresh.duckdb"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-draws", type=int, default=500)
    parser.add_argument("--baseline-rev", help="B runs this git revision's SQL with the configured draws")
    args = parser.parse_args()
    a_sql, b_sql = statements(None), statements(args.baseline_rev) if args.baseline_rev else statements(None)
    b_draws = 0 if args.baseline_rev else args.baseline_draws
    b_name = f"{args.baseline_rev}'s SQL" if args.baseline_rev else f"{args.baseline_draws} draws"
    with tempfile.TemporaryDirectory() as tmp:
        a_db, b_db = Path(tmp) / "a.duckdb", Path(tmp) / "b.duckdb"
        shutil.copyfile(args.work, a_db)
        shutil.copyfile(args.work, b_db)
        pairs = [(measured(a_db, 0, a_sql), measured(b_db, b_draws, b_sql)) for _ in range(args.runs)]
    fmt = lambda v: f"{statistics.median(v):.2f} [{min(v):.2f}-{max(v):.2f}]"  # noqa: E731
    print(f"IG+ Monte Carlo, {args.runs} pairs: this tree, configured draws (A) vs {b_name} (B)")
    for i, what in enumerate(("seconds", "peak RSS MB")):
        a, b = [p[0][i] for p in pairs], [p[1][i] for p in pairs]
        print(f"{what:12s} A: {fmt(a)}   B: {fmt(b)}   A/B: {fmt([x / y for x, y in zip(a, b)])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
