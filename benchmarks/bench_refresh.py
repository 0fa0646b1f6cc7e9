"""Benchmark the full refresh: a cold run (empty INCLUSION_HOME) against a warm run (nothing new
upstream), side by side, A B A B..., so the ratio holds even when the machine's speed drifts.

    .venv/bin/python benchmarks/bench_refresh.py --mirror ../shared/data --runs 3

Prints wall seconds, CPU seconds and peak memory (RSS of the refresh process) for each, as
median [min-max], and the warm/cold ratios pair by pair. It never asserts: it reports.
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


def run_refresh(home: Path, mirror: Path) -> dict:
    env = {**os.environ, "INCLUSION_HOME": str(home), "INCLUSION_MIRROR": str(mirror)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "refresh", "--log-level", "ERROR"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"refresh failed in {home} (exit {os.waitstatus_to_exitcode(status)})")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):8.2f} [{min(values):.2f}-{max(values):.2f}]"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-refresh-"))
    warm_home = scratch / "warm"
    run_refresh(warm_home, args.mirror)  # prepare the warm home (not counted)
    cold, warm = [], []
    try:
        for i in range(args.runs):
            cold_home = scratch / f"cold{i}"
            cold.append(run_refresh(cold_home, args.mirror))
            shutil.rmtree(cold_home)
            warm.append(run_refresh(warm_home, args.mirror))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"full refresh, {args.runs} pairs, mirror {args.mirror}")
    print(f"{'figure':<10} {'cold (empty home)':>26} {'warm (nothing new)':>26} {'warm/cold':>26}")
    for key in ("wall_s", "cpu_s", "peak_mb"):
        ratios = [w[key] / c[key] for c, w in zip(cold, warm)]
        print(
            f"{key:<10} {summary([c[key] for c in cold]):>26} {summary([w[key] for w in warm]):>26} "
            f"{summary(ratios):>26}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
