"""The SMC's 205 UK "local authority areas" and the GSS codes behind them.

The State of the Nation CSVs leave area_code blank, so rows are joined on area_name through the
explorer's own map (205_regions_codes.json). Most areas are one authority; some are a county with
its districts, a pair of authorities, or all of Northern Ireland. Values are filed under one
representative code per area; every mapped code is kept in extra["smc_areas"] so harmonisation
can expand or apportion later.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from ..errors import SourceError

MAP_FILE = "205_regions_codes.json"
NAMES_FILE = "205-regions.csv"
GSS_CODE = re.compile(r"^[EKNSW]\d{8}$")

# GSS entity prefix -> area type.
AREA_TYPES = {
    "E06": "unitary_authority",
    "E07": "non_metropolitan_district",
    "E08": "metropolitan_district",
    "E09": "london_borough",
    "E10": "county",
    "E11": "metropolitan_county",
    "E12": "region",
    "E47": "combined_authority",
    "W06": "welsh_unitary_authority",
    "S12": "scottish_council_area",
    "N09": "northern_ireland_district",
    "N92": "country",
}

# Publisher spellings that differ from the map by more than case, '&'/'and' or spacing:
# CSV name (normalised) -> map name (normalised). None are needed for the 2.0/3.0 files (the only
# differences, "Aberdeen City"/"Dundee City" vs the map's "Aberdeen city"/"Dundee city", are case);
# add an entry, with a comment saying which file spells it so, when a new release needs one.
ALIASES: dict[str, str] = {}

# Areas mapped to several codes with no county (E10) code among them: the code their values are
# filed under. A new grouping not listed here stops the parse rather than being guessed.
GROUP_REPRESENTATIVES = {
    # Camden (E09000007); the City of London (E09000001) has under 1% of the pair's residents.
    "camden and city of london": "E09000007",
    # Cornwall (E06000052); the Isles of Scilly (E06000053) have about 2,000 residents.
    "cornwall and isles of scilly": "E06000052",
    # Cumbria county as it stood before April 2023: exactly Cumberland (E06000063) plus
    # Westmorland and Furness (E06000064), and it covers most of the data years.
    "cumbria": "E10000006",
    # Northern Ireland as a country; the map lists its 11 districts (N09).
    "northern ireland": "N92000002",
}


def normalise(name: str) -> str:
    """Case, '&' versus 'and' and whitespace are not meaningful differences between files."""
    text = str(name).replace("&", " and ").casefold()
    return re.sub(r"\s+", " ", text).strip()


def area_type(code: str) -> str | None:
    return AREA_TYPES.get(code[:3])


@dataclass(frozen=True)
class SmcArea:
    name: str
    slug: str
    codes: tuple[str, ...]
    representative: str


def _representative(name: str, codes: tuple[str, ...], file: str) -> str:
    if len(codes) == 1:
        return codes[0]
    counties = [c for c in codes if c.startswith("E10")]
    if len(counties) == 1:  # a county listed with its own districts
        return counties[0]
    if normalise(name) in GROUP_REPRESENTATIVES:
        return GROUP_REPRESENTATIVES[normalise(name)]
    raise SourceError(
        f"area '{name}' maps to {len(codes)} codes ({', '.join(codes)}) and no rule "
        f"says which one represents it; add it to GROUP_REPRESENTATIVES",
        file=file,
    )


class AreaMap:
    def __init__(self, areas: list[SmcArea], file: str):
        self.areas = areas
        self.file = file
        self._by_name: dict[str, SmcArea] = {}
        for area in areas:
            key = normalise(area.name)
            if key in self._by_name:
                raise SourceError(f"area name '{area.name}' appears twice", file=file)
            self._by_name[key] = area

    @classmethod
    def from_json(cls, path: str | Path, file: str) -> AreaMap:
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8-sig"))
            entries = doc["205_regions"]
        except (ValueError, KeyError, TypeError) as exc:
            raise SourceError(f"not the expected {{'205_regions': [...]}} JSON ({exc})", file=file) from exc
        areas = []
        for i, entry in enumerate(entries):
            try:
                name, slug, codes = entry["name"], entry.get("url", ""), tuple(entry["codes"])
            except (KeyError, TypeError) as exc:
                raise SourceError(f"entry {i} lacks 'name' or 'codes'", file=file) from exc
            bad = [c for c in codes if not GSS_CODE.match(str(c))]
            if not codes or bad:
                raise SourceError(f"area '{name}' has no codes or codes that are not GSS codes: {bad}", file=file)
            areas.append(SmcArea(name, slug, codes, _representative(name, codes, file)))
        return cls(areas, file)

    def lookup(self, name: str) -> SmcArea | None:
        key = normalise(name)
        return self._by_name.get(ALIASES.get(key, key))

    def check_names_file(self, path: str | Path, file: str) -> None:
        """205-regions.csv lists the same areas; a disagreement means the two files are out of step."""
        import pandas as pd

        names = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if "area_name" not in names.columns:
            raise SourceError("column 'area_name' not found", file=file, column="area_name")
        listed = set()
        for i, name in enumerate(names["area_name"]):
            if self.lookup(name) is None:
                raise SourceError(f"area name '{name}' is not in {self.file}", file=file, row=i + 2, column="area_name")
            listed.add(normalise(name))
        missing = [a.name for a in self.areas if normalise(a.name) not in listed]
        if missing:
            raise SourceError(f"{len(missing)} areas of {self.file} are not listed, e.g. '{missing[0]}'", file=file)

    def frame(self) -> pd.DataFrame:
        """One row per (area, code), plus the representative where the map does not list it."""
        import pandas as pd

        rows = []
        for area in self.areas:
            codes = area.codes if area.representative in area.codes else area.codes + (area.representative,)
            for code in codes:
                rows.append(
                    {
                        "smc_area_name": area.name,
                        "smc_area_slug": area.slug,
                        "area_code": code,
                        "area_type": area_type(code),
                        "listed_by_publisher": code in area.codes,
                        "representative": code == area.representative,
                    }
                )
        return pd.DataFrame(
            rows,
            columns=[
                "smc_area_name",
                "smc_area_slug",
                "area_code",
                "area_type",
                "listed_by_publisher",
                "representative",
            ],
        )
