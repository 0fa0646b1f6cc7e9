"""Page weight and build time of the static site (issue 6 budget: an area page under 1.5 MB without
the shared plotly.js; the whole site built in under a minute).

Builds, in one process and side by side, the index only (the baseline) and the full site, and prints
pages, total bytes, the heaviest page, build seconds, peak memory and full/baseline ratios. With
--compare DIR it also compares the page weights with a previously built site folder (e.g. the output
of an earlier commit). Timing runs are untraced; peak Python memory comes from a separate tracemalloc
run of each build (tracemalloc slows code down, so its time is not reported as the build time).

    .venv/bin/python benchmarks/bench_site.py --warehouse /tmp/ih6/warehouse.duckdb [--compare OLD_SITE]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboards import build_site  # noqa: E402

BUDGET_PAGE_BYTES = 1_500_000
BUDGET_SECONDS = 60.0
SHARED = ("assets/plotly.min.js",)


def weigh(site: Path) -> dict:
    pages = {str(p.relative_to(site)): p.stat().st_size for p in site.rglob("*.html")}
    areas = {k: v for k, v in pages.items() if k.startswith("areas/")}
    boundaries = site / "assets" / "boundaries.js"
    heaviest = max(areas or pages, key=(areas or pages).get)
    return {
        "pages": len(pages),
        "html_bytes": sum(pages.values()),
        "max_page": heaviest,
        "max_page_bytes": (areas or pages)[heaviest],
        "boundaries_bytes": boundaries.stat().st_size if boundaries.is_file() else 0,
        "site_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
        "data_files": sum(1 for p in (site / "data").rglob("*") if p.is_file()) if (site / "data").is_dir() else 0,
    }


def run(warehouse: Path, out: Path, area_codes, trace: bool) -> dict:
    started = time.perf_counter()
    build_site(warehouse, out, area_codes=area_codes)
    seconds = time.perf_counter() - started
    peak = None
    if trace:
        tracemalloc.start()
        build_site(warehouse, out.with_name(out.name + "-traced"), area_codes=area_codes)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return dict(weigh(out), seconds=seconds, peak_bytes=peak)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None, help="folder for the built sites (default: a temp dir)")
    parser.add_argument("--compare", type=Path, default=None, help="a previously built site folder")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc runs")
    args = parser.parse_args(argv)
    root = args.out or Path(tempfile.mkdtemp(prefix="bench-site-"))
    baseline = run(args.warehouse, root / "index-only", [], not args.no_trace)
    full = run(args.warehouse, root / "full", None, not args.no_trace)
    rows = [
        ("pages", "pages"),
        ("HTML bytes", "html_bytes"),
        ("heaviest area page bytes", "max_page_bytes"),
        ("shared boundaries.js bytes", "boundaries_bytes"),
        ("site bytes (all files)", "site_bytes"),
        ("download files", "data_files"),
        ("build seconds", "seconds"),
        ("peak traced memory bytes", "peak_bytes"),
    ]
    columns = [("index only (baseline)", baseline), ("full site", full)]
    if args.compare:
        columns.append((f"compare: {args.compare}", dict(weigh(args.compare), seconds=None, peak_bytes=None)))
    print(f"{'':30}" + "".join(f"{name:>26}" for name, _ in columns) + f"{'full / baseline':>18}")
    for label, key in rows:
        cells = [c.get(key) for _, c in columns]
        ratio = f"{full[key] / baseline[key]:.2f}x" if isinstance(full[key], (int, float)) and baseline[key] else ""
        print(f"{label:30}" + "".join(f"{_fmt(v):>26}" for v in cells) + f"{ratio:>18}")
    print(f"heaviest area page: {full['max_page']}")
    print(f"peak resident memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    page_with_maps = full["max_page_bytes"] + full["boundaries_bytes"]
    print(
        f"budget: heaviest area page {full['max_page_bytes']:,} B (+ shared boundaries {page_with_maps:,} B) "
        f"{'<=' if page_with_maps <= BUDGET_PAGE_BYTES else '>'} {BUDGET_PAGE_BYTES:,} B; "
        f"full build {full['seconds']:.1f} s {'<=' if full['seconds'] <= BUDGET_SECONDS else '>'} {BUDGET_SECONDS:.0f} s"
    )
    print(f"sites written under {root}")
    return 0


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


if __name__ == "__main__":
    raise SystemExit(main())
