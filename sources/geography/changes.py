"""LAD code changes since 2011 and mapping any seen code to a target vintage.

The April 2023 and April 2025 changes are not held as files in the mirror, so they are encoded here
as data. Citation: shared/data/geography/SOURCE.md, "Later changes, not held as files here" (ONS
LAD22_LAD23_UK_LU_v1 lookup; ONS Register of Geographic Codes for the 2025 recode).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..errors import SourceError

CHANGE_COLUMNS = [
    "old_code",
    "old_name",
    "new_code",
    "new_name",
    "change_date",
    "change_type",
    "vintage_from",
    "vintage_to",
]
CODE_MAP_COLUMNS = ["source_code", "target_code", "relation"]

# 1 April 2023 unitary reorganisations: new code, new name, [(old code, old name)].
MERGERS_2023 = [
    ("E06000063", "Cumberland", [("E07000026", "Allerdale"), ("E07000028", "Carlisle"), ("E07000029", "Copeland")]),
    (
        "E06000064",
        "Westmorland and Furness",
        [("E07000027", "Barrow-in-Furness"), ("E07000030", "Eden"), ("E07000031", "South Lakeland")],
    ),
    (
        "E06000065",
        "North Yorkshire",
        [
            ("E07000163", "Craven"),
            ("E07000164", "Hambleton"),
            ("E07000165", "Harrogate"),
            ("E07000166", "Richmondshire"),
            ("E07000167", "Ryedale"),
            ("E07000168", "Scarborough"),
            ("E07000169", "Selby"),
        ],
    ),
    (
        "E06000066",
        "Somerset",
        [
            ("E07000187", "Mendip"),
            ("E07000188", "Sedgemoor"),
            ("E07000189", "South Somerset"),
            ("E07000246", "Somerset West and Taunton"),
        ],
    ),
]
# 1 April 2025: new codes only; SOURCE.md records no boundary change.
RECODES_2025 = [
    ("E08000016", "Barnsley", "E08000038", "Barnsley"),
    ("E08000019", "Sheffield", "E08000039", "Sheffield"),
]

# The LAD11->LAD21 file has no dates or reasons; keyed by new code (ONS Code History Database /
# the boundary change orders). The one-to-one 2012/13 changes were minor Boundary Change Orders, which is
# why ONS issued new codes: 'boundary' (values carry across 1:1, the area moved slightly).
KNOWN_CHANGES_2011_2021 = {
    "E07000240": ("2012-04-01", "boundary"),  # St Albans and Welwyn Hatfield (Boundary Change) Order 2012
    "E07000241": ("2012-04-01", "boundary"),
    "E07000242": ("2013-04-01", "boundary"),  # East Hertfordshire and Stevenage (Boundary Change) Order 2013
    "E07000243": ("2013-04-01", "boundary"),
    "E06000057": ("2013-04-01", "boundary"),  # Gateshead and Northumberland (Boundary Change) Order 2013
    "E08000037": ("2013-04-01", "boundary"),
    "E06000058": ("2019-04-01", "merger"),
    "E06000059": ("2019-04-01", "merger"),
    "E07000244": ("2019-04-01", "merger"),
    "E07000245": ("2019-04-01", "merger"),
    "E07000246": ("2019-04-01", "merger"),
    "E06000060": ("2020-04-01", "merger"),
    "E06000061": ("2021-04-01", "merger"),
    "E06000062": ("2021-04-01", "merger"),
}

# When a chain of changes mixes kinds, the least direct kind describes the whole chain.
_RELATION_RANK = {"identity": 0, "recode": 1, "boundary": 2, "merger": 3}


def built_in_changes() -> pd.DataFrame:
    rows = [
        (old, old_nm, new, new_nm, "2023-04-01", "merger", "2022", "2023")
        for new, new_nm, olds in MERGERS_2023
        for old, old_nm in olds
    ]
    rows += [
        (old, old_nm, new, new_nm, "2025-04-01", "recode", "2024", "2025") for old, old_nm, new, new_nm in RECODES_2025
    ]
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def changes_from_lookup(lookup: pd.DataFrame, old_year: str | None, new_year: str) -> pd.DataFrame:
    """Rows of a LADaa->LADbb lookup whose code changed. Columns: old_code, old_name, new_code, new_name."""
    moved = lookup[lookup["old_code"] != lookup["new_code"]].drop_duplicates(["old_code", "new_code"])
    predecessors = lookup.drop_duplicates(["old_code", "new_code"]).groupby("new_code")["old_code"].nunique()
    out = moved[["old_code", "old_name", "new_code", "new_name"]].copy()
    known = out["new_code"].map(KNOWN_CHANGES_2011_2021)
    out["change_date"] = [k[0] if isinstance(k, tuple) else None for k in known]
    guessed = ["merger" if predecessors[c] > 1 else "recode" for c in out["new_code"]]
    out["change_type"] = [k[1] if isinstance(k, tuple) else g for k, g in zip(known, guessed)]
    out["vintage_from"], out["vintage_to"] = old_year, new_year
    return out[CHANGE_COLUMNS].reset_index(drop=True)


def combine_changes(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """One row per (old_code, new_code); a file's row wins over the built-in row for the same pair."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    out = pd.concat(frames, ignore_index=True).drop_duplicates(["old_code", "new_code"], keep="first")
    return out.sort_values(["vintage_to", "new_code", "old_code"]).reset_index(drop=True)


def target_code_map(area_changes: pd.DataFrame, target) -> pd.DataFrame:
    """Map every LAD code seen in area_changes (and every target code) to its target-vintage code.

    target: the target-vintage LAD codes (an iterable, or the 'areas' table whose 'lad' rows are used).
    relation: 'identity' | 'recode' | 'boundary' (1:1, carry values across) | 'merger' (the source is one
    of several predecessors: sum counts, do not copy rates). Chains are followed, e.g. Taunton Deane
    E07000190 -> E07000246 (2019) -> E06000066 Somerset (2023).
    """
    if isinstance(target, pd.DataFrame):
        target = target.loc[target["area_type"] == "lad", "area_code"]
    target_codes = set(target)
    successor: dict[str, tuple[str, str]] = {}
    for row in area_changes.itertuples(index=False):
        if row.old_code in successor and successor[row.old_code][0] != row.new_code:
            raise SourceError(
                f"LAD {row.old_code} maps to both {successor[row.old_code][0]} and "
                f"{row.new_code}: splits are not supported",
                column="old_code",
            )
        successor[row.old_code] = (row.new_code, row.change_type)
    rows = [(code, code, "identity") for code in sorted(target_codes)]
    for code in sorted(successor):
        current, relation, seen = code, "identity", {code}
        while current in successor:
            current, kind = successor[current]
            if current in seen:
                raise SourceError(f"LAD code changes loop through {current}", column="new_code")
            seen.add(current)
            relation = max(relation, kind, key=_RELATION_RANK.__getitem__)
        if current in target_codes and code not in target_codes:
            rows.append((code, current, relation))
    # A target older than a recode (e.g. 2023 with data on 2025 codes): a pure recode runs backwards.
    for row in area_changes.itertuples(index=False):
        if row.change_type == "recode" and row.old_code in target_codes and row.new_code not in target_codes:
            rows.append((row.new_code, row.old_code, "recode"))
    return pd.DataFrame(rows, columns=CODE_MAP_COLUMNS)


def changes_after(area_changes: pd.DataFrame, vintage: str) -> pd.DataFrame:
    """Changes a dataset on LAD vintage `vintage` still has to go through to reach the target."""
    return area_changes[area_changes["vintage_to"].astype(int) > int(vintage)]


def chain_ends(area_changes: pd.DataFrame, codes: Iterable[str]) -> dict[str, str]:
    """code -> the code it ends up as after following every change in area_changes."""
    successor = dict(zip(area_changes["old_code"], area_changes["new_code"]))
    ends = {}
    for code in codes:
        current, steps = code, 0
        while current in successor and steps <= len(successor):
            current, steps = successor[current], steps + 1
        ends[code] = current
    return ends
