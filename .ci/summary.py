"""One summary line per CI stage, and a total, from pytest's JUnit XML files.

    summary.py STAGE XML EXIT_CODE   ->  "STAGE: N passed, N failed, N skipped"
    summary.py --total XML...        ->  "total: N passed, N failed, N skipped"

A stage whose pytest exited non-zero with no failed test in its XML (no tests collected, a crash,
a missing report) counts as one failure, so it can never read as a pass."""

from __future__ import annotations

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
    print(line(name, passed, failed, skipped))
    return 0


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
