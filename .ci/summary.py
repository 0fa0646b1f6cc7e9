"""One summary line per CI stage, and a total, from pytest's JUnit XML files.

    summary.py STAGE XML EXIT_CODE [SECONDS CPU_BEFORE CPU_AFTER]
        ->  "STAGE: N passed, N failed, N skipped (S s wall, C s CPU, load L -> L)"
    summary.py --total XML...        ->  "total: N passed, N failed, N skipped"

CPU_BEFORE and CPU_AFTER are the children's line of bash's `times` ("1m2.5s 0m3.25s": user, sys)
around the stage, so their difference is the CPU time of the stage's processes (pytest, its workers
and what they ran). LOAD_BEFORE may be given in $STAGE_LOAD_BEFORE (/proc/loadavg's first figure).

A stage whose pytest exited non-zero with no failed test in its XML (no tests collected, a crash,
a missing report) counts as one failure, so it can never read as a pass."""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def counts(xml: Path) -> tuple[int, int, int]:
    """(passed, failed, skipped); a missing or unreadable report is one failure."""
    try:
        root = ET.parse(xml).getroot()
    except (OSError, ET.ParseError):
        return 0, 1, 0
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return tests - failed - skipped, failed, skipped


def line(name: str, passed: int, failed: int, skipped: int) -> str:
    return f"{name}: {passed} passed, {failed} failed, {skipped} skipped"


def main(argv: list[str]) -> int:
    if argv[0] == "--total":
        totals = [sum(c) for c in zip(*(counts(Path(x)) for x in argv[1:]))]
        print(line("total", *totals))
        return 0
    name, xml, code = argv[0], Path(argv[1]), int(argv[2])
    passed, failed, skipped = counts(xml)
    if code != 0 and failed == 0:
        print(f"{name}: pytest exited {code} without a failed test (5 = no tests ran): counted as a failure")
        failed = 1
        _mark_failed(xml, name, code)
    print(line(name, passed, failed, skipped) + (timing(*argv[3:6]) if len(argv) >= 6 else ""))
    return 0


def _seconds(times_line: str) -> float:
    """'1m2.5s 0m3.25s' (bash `times`: user, sys) -> 65.75."""
    total = 0.0
    for part in times_line.split():
        minutes, _, seconds = part.rstrip("s").partition("m")
        total += 60 * float(minutes) + float(seconds)
    return total


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def timing(seconds: str, cpu_before: str, cpu_after: str) -> str:
    """' (S s wall, C s CPU, load L -> L)': what the stage took, for comparing runs (never a gate)."""
    cpu = _seconds(cpu_after) - _seconds(cpu_before)
    load = f"{os.environ.get('STAGE_LOAD_BEFORE', '?')} -> {_load()}"
    return f" ({int(seconds)} s wall, {cpu:.0f} s CPU, load average {load})"


def _mark_failed(xml: Path, name: str, code: int) -> None:
    """Record the failure in the stage's XML too, so the total counts it."""
    root = ET.Element(
        "testsuite",
        name=name,
        tests=str(sum(counts(xml)[::2]) + 1),
        failures="1",
        errors="0",
        skipped=str(counts(xml)[2]),
    )
    ET.SubElement(ET.SubElement(root, "testcase", name=f"{name} stage"), "failure", message=f"pytest exited {code}")
    xml.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(xml)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
