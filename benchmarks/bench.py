"""`make bench`: every speed and memory figure of issue 16 beside its baseline, measured in the same
run, written to build/bench/results.json (docs/benchmarks.md explains each figure).

    .venv/bin/python benchmarks/bench.py --mirror ../shared/data [--records-10m] [--site-baseline-rev REV]
    .venv/bin/python benchmarks/bench.py --records-only        # the records part alone
    .venv/bin/python benchmarks/bench.py --site-warehouse build/warehouse.duckdb [--site-baseline-rev REV]
                                                               # the site part alone, on a built warehouse

1. records: benchmarks/bench_records.py (if present) at 100k and 1M rows (BENCH_RECORDS_SIZES, e.g.
   "100000 1000000 10000000", or --records-10m for all three), against bare DuckDB and pandas; its
   own figures, read from build/bench/records.json.
2. refresh: a cold refresh (empty home) and a warm one (nothing new), as whole processes.
3. Monte Carlo: the engine against the plain all-draws reference, on the warm home's work
   database, as refreshed and with records for every area.
4. site: this tree's build per area page, on all cores and on one; with --site-baseline-rev, the
   same build by that revision's dashboards/ (e.g. the commit before the fast site).
Peak memory is each process's peak resident set (ru_maxrss). Ratios are taken within one run:
absolute seconds on a shared machine mean little, so the load average is recorded beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import bench_igplus  # noqa: E402
from benchmarks.bench_refresh import run_refresh  # noqa: E402

SITE_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {path!r})
from dashboards import build_site
import duckdb
con = duckdb.connect({warehouse!r}, read_only=True)
codes = [r[0] for r in con.execute("SELECT DISTINCT area_code FROM marts.areas WHERE area_type <> 'country'").fetchall()]
con.close()
kwargs = {kwargs}
def cpu():
    return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))
started, cpu0 = time.perf_counter(), cpu()
build_site({warehouse!r}, {out!r}, area_codes=[], **kwargs)
index_only, index_cpu = time.perf_counter() - started, cpu() - cpu0
started, cpu0 = time.perf_counter(), cpu()
summary = build_site({warehouse!r}, {out!r}, **kwargs)
full, full_cpu = time.perf_counter() - started, cpu() - cpu0
pages = sum(1 for p in summary["pages"] if p.startswith("areas/"))
print(json.dumps({{"seconds": round(full, 2), "index_only_seconds": round(index_only, 2), "area_pages": pages,
                  "ms_per_area_page": round(1000 * (full - index_only) / max(pages, 1), 1),
                  "cpu_ms_per_area_page": round(1000 * (full_cpu - index_cpu) / max(pages, 1), 1),
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  "workers_peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)}}))
"""


def load() -> float:
    return round(os.getloadavg()[0], 2)


def records(args) -> dict | None:
    script = ROOT / "benchmarks" / "bench_records.py"
    if not script.exists():
        return None
    sizes = os.environ.get("BENCH_RECORDS_SIZES", "100000 1000000").split()
    if args.records_10m and "10000000" not in sizes:
        sizes.append("10000000")
    proc = subprocess.run([sys.executable, str(script), "--sizes", *sizes], cwd=ROOT)
    result = ROOT / "build" / "bench" / "records.json"
    if proc.returncode != 0 or not result.exists():
        return {"error": f"benchmarks/bench_records.py exited {proc.returncode}"}
    return json.loads(result.read_text())


def refresh(mirror: Path, homes: Path) -> dict:
    load_before = load()
    cold = run_refresh(homes / "cold", mirror)
    warm = run_refresh(homes / "cold", mirror)  # the same home again: nothing new upstream
    return {
        "load_average": load_before,
        "cold": _rounded(cold),
        "warm": _rounded(warm),
        "warm_over_cold_wall": round(warm["wall_s"] / cold["wall_s"], 3),
        "warm_over_cold_cpu": round(warm["cpu_s"] / cold["cpu_s"], 3),
    }


def site(warehouse: Path, scratch: Path, baseline_rev: str | None) -> dict:
    variants = {"all_cores": (ROOT, "{}"), "one_core": (ROOT, "{'workers': 1}")}
    if baseline_rev:
        old = scratch / "baseline-tree"
        old.mkdir()
        archive = subprocess.run(
            ["git", "archive", baseline_rev, "dashboards", "sources", "docs", "config"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        variants["baseline_rev"] = (old, "{}")
    out = {"load_average": load()}
    for name, (path, kwargs) in variants.items():
        code = SITE_CHILD.format(
            path=str(path), warehouse=str(warehouse), out=str(scratch / f"site-{name}"), kwargs=kwargs
        )
        proc = subprocess.run([sys.executable, "-c", code], cwd=scratch, capture_output=True, text=True)
        out[name] = (
            json.loads(proc.stdout.strip().splitlines()[-1])
            if proc.returncode == 0
            else {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
        )
    if baseline_rev and "ms_per_area_page" in out["baseline_rev"]:
        out["baseline_rev"]["rev"] = baseline_rev
        out["all_cores_over_baseline"] = round(
            out["all_cores"]["ms_per_area_page"] / out["baseline_rev"]["ms_per_area_page"], 2
        )
    out["all_cores_over_one_core"] = round(
        out["all_cores"]["ms_per_area_page"] / out["one_core"]["ms_per_area_page"], 2
    )
    return out


def _rounded(figures: dict) -> dict:
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in figures.items()}


def report(results: dict) -> None:
    def line(what, value, baseline, ratio, target=""):
        print(f"  {what:<44} {value:>18} {baseline:>22} {ratio:>8}  {target}")

    print(f"\nmake bench ({results['started']}, {results['cpus']} CPUs)")
    print(f"  {'figure':<44} {'this tree':>18} {'baseline (same run)':>22} {'ratio':>8}  target")
    rec = results.get("records")
    if rec is None:
        print("  records: benchmarks/bench_records.py not present or not run: skipped")
    elif "error" in rec:
        print(f"  records: {rec['error']}")
    else:
        for size, part in rec["sizes"].items():
            f, r = part["figures"], part["ratios"]
            for ours in ("check", "check_xlsx", "landing"):  # check_xlsx: the same rows as one workbook
                if ours not in f:
                    continue
                line(
                    f"records {ours} s, {int(size):,} rows",
                    f"{f[ours]['seconds']:.2f} ({f[ours]['peak_mb']:.0f} MB)",
                    f"duckdb {f['duckdb']['seconds']:.2f} ({f['duckdb']['peak_mb']:.0f} MB)",
                    f"{r[ours + '_vs_duckdb']:.2f}",
                    f"<= 2 x duckdb; pandas {f['pandas']['seconds']:.2f} s ({r[ours + '_vs_pandas']:.2f}x, "
                    f"target <= 0.33); < 1,000 MB at 10M",
                )
            for floor, what in (("read_all", "reading every column"), ("store", "storing every row")):
                if floor in f:  # the least DuckDB itself needs for the work a check / a landing must do
                    line(
                        f"  floor: duckdb {what}, {int(size):,} rows",
                        f"{f[floor]['seconds']:.2f} ({f[floor]['peak_mb']:.0f} MB)",
                        f"duckdb {f['duckdb']['seconds']:.2f}",
                        f"{r[floor + '_vs_duckdb']:.2f}",
                        "no rule tested; a floor, not a target",
                    )
    if "refresh" in results:
        _report_refresh(results, line)
    if "site" in results:
        _report_site(results["site"], line)
    print(f"  load average at the start of each part: {results['load']}")


def _report_refresh(results: dict, line) -> None:
    r = results["refresh"]
    line(
        "refresh wall s: warm vs cold",
        f"{r['warm']['wall_s']:.1f}",
        f"cold {r['cold']['wall_s']:.1f}",
        f"{r['warm_over_cold_wall']:.2f}",
        "warm < 0.10 x cold; cold < 45 s",
    )
    line(
        "refresh CPU s (user+sys): warm vs cold",
        f"{r['warm']['cpu_s']:.1f}",
        f"cold {r['cold']['cpu_s']:.1f}",
        f"{r['warm_over_cold_cpu']:.2f}",
        "warm < 0.10 x cold; cold < 45 s",
    )
    line(
        "refresh peak MB: warm vs cold",
        f"{r['warm']['peak_mb']:.0f}",
        f"cold {r['cold']['peak_mb']:.0f}",
        "",
        "cold < 1,200 MB",
    )
    for key, label in (("monte_carlo", "as refreshed"), ("monte_carlo_records_everywhere", "records everywhere")):
        if key not in results:
            print(f"  Monte Carlo ({label}): skipped")
            continue
        m = results[key]
        line(
            f"Monte Carlo s ({label})",
            f"{m['engine']['seconds']:.2f}",
            f"ref {m['reference']['seconds']:.2f}",
            f"{m['time_ratio_engine_vs_reference']:.2f}",
            "<= 1.5 x reference",
        )
        line(
            f"Monte Carlo peak MB ({label})",
            f"{m['engine']['peak_mb']}",
            f"ref {m['reference']['peak_mb']}",
            f"{m['engine']['peak_mb'] / m['reference']['peak_mb']:.2f}",
            f"< 600 MB; equal: {m['summaries_equal']}",
        )


def _report_site(s: dict, line) -> None:
    base = s.get("baseline_rev", s["one_core"])
    line(
        "site ms per area page",
        f"{s['all_cores']['ms_per_area_page']}",
        f"{'rev ' + base['rev'] if 'rev' in base else 'one core'} {base.get('ms_per_area_page')}",
        f"{s.get('all_cores_over_baseline', s['all_cores_over_one_core'])}",
        "< 30 ms",
    )
    line(
        "site CPU ms per area page (all processes)",
        f"{s['all_cores'].get('cpu_ms_per_area_page')}",
        f"{base.get('cpu_ms_per_area_page')}",
        "",
    )
    line(
        "site peak MB (parent / each worker)",
        f"{s['all_cores']['peak_mb']} / {s['all_cores']['workers_peak_mb']}",
        f"{base.get('peak_mb')}",
        "",
    )
    line(
        "site ms per area page, one core (wall / CPU)",
        f"{s['one_core'].get('ms_per_area_page')} / {s['one_core'].get('cpu_ms_per_area_page')}",
        "",
        f"{s['all_cores_over_one_core']}",
        "all cores / one core",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--mirror", type=Path, default=Path(os.environ.get("INCLUSION_MIRROR", ROOT.parent / "shared/data"))
    )
    parser.add_argument("--records-10m", action="store_true", help="also 10M records rows (slow)")
    parser.add_argument("--records-only", action="store_true", help="run the records part alone")
    parser.add_argument("--mc-runs", type=int, default=1)
    parser.add_argument("--site-baseline-rev", help="also build the site with this revision's dashboards/")
    parser.add_argument(
        "--site-warehouse", type=Path, help="only the site part, on this published warehouse (no refresh)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "results.json")
    parser.add_argument(
        "--skip", default="", help="comma-separated parts not to run: records, montecarlo (e.g. refresh and site only)"
    )
    args = parser.parse_args()
    results: dict = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cpus": os.cpu_count(),
        "machine": platform.platform(),
        "load": {},
    }
    skip = {p.strip() for p in args.skip.split(",") if p.strip()}
    if args.site_warehouse:
        results["load"]["site"] = load()
        scratch = Path(tempfile.mkdtemp(prefix="bench-site-"))
        try:
            results["site"] = site(args.site_warehouse.resolve(), scratch, args.site_baseline_rev)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    else:
        results["load"]["records"] = load()
        results["records"] = None if "records" in skip else records(args)
        if not args.records_only:
            whole_pipeline(args, results, skip)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    report(results)
    print(f"written: {args.out}")
    return 0


def whole_pipeline(args, results: dict, skip: set[str]) -> None:
    """The refresh, Monte Carlo and site parts, on one scratch home."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        results["load"]["refresh"] = load()
        results["refresh"] = refresh(args.mirror, scratch)
        work = scratch / "cold" / "work" / "refresh.duckdb"
        if "montecarlo" not in skip:
            results["load"]["monte_carlo"] = load()
            results["monte_carlo"] = bench_igplus.run(work, args.mc_runs, records_everywhere=False)
            results["monte_carlo_records_everywhere"] = bench_igplus.run(work, args.mc_runs, records_everywhere=True)
        results["load"]["site"] = load()
        results["site"] = site(scratch / "cold" / "warehouse.duckdb", scratch, args.site_baseline_rev)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
