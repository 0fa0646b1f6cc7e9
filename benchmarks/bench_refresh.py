"""Benchmark the full refresh: a cold run (empty INCLUSION_HOME) against a warm run (nothing new
upstream), side by side, A B A B..., so the ratio holds even when the machine's speed drifts.

    .venv/bin/python benchmarks/bench_refresh.py --mirror ../shared/data --runs 3
    .venv/bin/python benchmarks/bench_refresh.py --baseline-rev b90ef9b --runs 2

Prints wall seconds, CPU seconds and peak memory (RSS of the refresh process) for each, as
median [min-max], and the warm/cold ratios pair by pair. With --baseline-rev, that revision's
whole tree (git archive, run with this venv) refreshes too, interleaved with this tree's runs, and
this tree's figures are also given as ratios to it. It never asserts: it reports.
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


def run_refresh(home: Path, mirror: Path, root: Path = ROOT) -> dict:
    """One `inclusion refresh` of the tree at `root` (default this one) as a whole process."""
    env = {**os.environ, "INCLUSION_HOME": str(home), "INCLUSION_MIRROR": str(mirror)}
    env.pop("DAGSTER_HOME", None)  # the home's own Dagster instance, as `inclusion refresh` makes it
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "refresh", "--log-level", "ERROR"],
        cwd=root,
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


def checkout(rev: str, into: Path) -> Path:
    """The whole tree of a revision, extracted (not a worktree: nothing of this repository changes)."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-rev", help="also refresh with this revision's tree, interleaved")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-refresh-"))
    figures = {}
    try:
        trees = {"this tree": ROOT}
        if args.baseline_rev:
            trees = {args.baseline_rev: checkout(args.baseline_rev, scratch / "baseline"), **trees}
        for label in trees:
            (scratch / label).mkdir()
        results: dict[str, tuple[list, list]] = {label: ([], []) for label in trees}
        for label, root in trees.items():
            run_refresh(scratch / label / "warm", args.mirror, root)  # prepare each warm home (not counted)
        for i in range(args.runs):  # one run at a time, each tree's cold then warm: A B A B
            for label, root in trees.items():
                cold_home = scratch / label / f"cold{i}"
                results[label][0].append(run_refresh(cold_home, args.mirror, root))
                shutil.rmtree(cold_home)
                results[label][1].append(run_refresh(scratch / label / "warm", args.mirror, root))
        figures = results
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"full refresh, {args.runs} pairs per tree, mirror {args.mirror}, load {os.getloadavg()[0]:.1f} at the end")
    for label, (cold, warm) in figures.items():
        print(f"-- {label}")
        print(f"{'figure':<10} {'cold (empty home)':>26} {'warm (nothing new)':>26} {'warm/cold':>26}")
        for key in ("wall_s", "cpu_s", "peak_mb"):
            ratios = [w[key] / c[key] for c, w in zip(cold, warm)]
            print(
                f"{key:<10} {summary([c[key] for c in cold]):>26} {summary([w[key] for w in warm]):>26} "
                f"{summary(ratios):>26}"
            )
    if args.baseline_rev:
        base, this = figures[args.baseline_rev], figures["this tree"]
        print(f"-- this tree / {args.baseline_rev}, run by run")
        for part, index in (("cold", 0), ("warm", 1)):
            for key in ("wall_s", "cpu_s", "peak_mb"):
                ratios = [t[key] / b[key] for b, t in zip(base[index], this[index])]
                print(f"{part} {key:<10} {summary(ratios):>26}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
