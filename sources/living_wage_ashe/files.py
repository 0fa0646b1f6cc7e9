"""Which workbook is which: open zips in memory, classify members by name, pair estimates with CVs.

ONS names ASHE files `<Home|Work> Geography Table <n>.<m>a <measure> <year>.xls` for estimates and
`... <n>.<m>b ... CV.xls` for their coefficients of variation; the living-wage tables are
`Work Geography LWF Table 7 LWF.1a lwfmgx <year>.xls` (older: `LW Table 7.1a`). Provisional
editions carry a `PROV - ` prefix.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..archive import RawFile
from ..errors import SourceError

WORKBOOK_SUFFIXES = (".xls", ".xlsx")


@dataclass(frozen=True)
class Member:
    """One workbook, standing alone or inside a zip."""

    label: str  # for messages: "<zip>!<inner name>" or the file name
    name: str  # the workbook's own file name
    data: bytes
    container: str  # the archived file's original name (zip or workbook)
    release_hint: str | None


@dataclass(frozen=True)
class Kind:
    table: str  # "lwf" (living wage, work geography) or "ashe"
    basis: str  # "workplace" | "resident"
    measure: str  # "lwf" | "weekly" | "hourly"
    key: str  # the same for an estimates file and its CV file


# ASHE table part numbers (x.1 weekly gross, x.5 hourly gross) -> our measure. Others are skipped.
ASHE_PARTS = {"1": "weekly", "5": "hourly"}


def expand(files: list[RawFile]) -> tuple[list[Member], list[str]]:
    """Every workbook in `files` (zips opened in memory, never extracted), plus notes on skips."""
    members, notes = [], []
    for raw in files:
        name = raw.original_name
        path = Path(raw.path)
        if name.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(path) as zf:
                    for info in zf.infolist():
                        inner = info.filename.rsplit("/", 1)[-1]
                        if inner.lower().endswith(WORKBOOK_SUFFIXES):
                            members.append(Member(f"{name}!{inner}", inner, zf.read(info), name, raw.release))
            except zipfile.BadZipFile as exc:
                raise SourceError(f"not a readable zip ({exc})", file=name) from exc
        elif name.lower().endswith(WORKBOOK_SUFFIXES):
            members.append(Member(name, name, path.read_bytes(), name, raw.release))
        elif not name.lower().endswith(".csv"):  # CSVs are Nomis extracts, handled elsewhere
            notes.append(f"{name}: not a workbook, zip or Nomis CSV; ignored")
    return members, notes


def is_cv(name: str) -> bool:
    stem = re.sub(r"\.xlsx?$", "", name, flags=re.I).strip()
    return bool(re.search(r"\bCV$", stem) or re.search(r"\.\d+b\b", stem))


def pairing_key(name: str) -> str:
    stem = re.sub(r"\.xlsx?$", "", name, flags=re.I)
    stem = re.sub(r"^\s*PROV\s*-\s*", "", stem, flags=re.I)
    stem = re.sub(r"\s+CV\s*$", "", stem)
    stem = re.sub(r"\.(\d+)[ab]\b", r".\1", stem)
    return re.sub(r"\s+", " ", stem).strip().lower()


def classify(name: str) -> Kind | None:
    """What a workbook holds, from its name; None for tables this source does not use."""
    if re.search(r"\bWork Geography LWF?\b", name, flags=re.I):
        return Kind("lwf", "workplace", "lwf", pairing_key(name))
    match = re.search(r"\b(Home|Work) Geography Table \d+\.(\d+)[ab]\b", name, flags=re.I)
    if match and match.group(2) in ASHE_PARTS and re.search(r"\bGross\b", name, flags=re.I):
        basis = "resident" if match.group(1).lower() == "home" else "workplace"
        return Kind("ashe", basis, ASHE_PARTS[match.group(2)], pairing_key(name))
    return None


def year_from_name(name: str) -> int | None:
    years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", name)
    return int(years[-1]) if years else None


def release_label(member: Member, year: int) -> str:
    """'2022 provisional' / '2022 revised' / '2022': visible edition of every value.

    The zip name (e.g. livingwagebyworkgeography2022revised.zip) is the most specific; the inner
    `PROV - ` prefix is the next best evidence; then the edition given at acquisition.
    """
    zip_match = re.search(r"((?:19|20)\d\d)\s*(provisional|revised)", member.container, flags=re.I)
    if zip_match and int(zip_match.group(1)) == year:
        return f"{year} {zip_match.group(2).lower()}"
    if re.match(r"\s*PROV\s*-", member.name, flags=re.I):
        return f"{year} provisional"
    if member.release_hint:
        return member.release_hint
    return str(year)
