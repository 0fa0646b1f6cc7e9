"""lad_itl and lad_lsip on the target LAD vintage, from the xlsx lookups (both optional).

The ITL lookup is on LAD20 codes, so 2021 and 2023 mergers are folded in: a merged LAD whose
predecessors share an ITL2 keeps it (ITL3 blank when they differ); one spanning several ITL2s keeps a
row per ITL2, noted. The LSIP lookup is on LAD23 codes, so only the 2025 recodes apply. Its
'NEW LSIP GEOGRAPHY (4 london areas)' column (london_lsip_name) is DfE's revised LSIP naming: Greater
London split into 4 sub-areas, and some other LSIPs renamed or regrouped (e.g. 'Enterprise M3' LADs
under 'Surrey' or 'Hampshire and the Solent').
"""

from __future__ import annotations

import pandas as pd

from ..base import Reconciliation, SourceTables
from ..errors import SourceError
from .changes import changes_after, target_code_map
from .reading import SOURCE_ID, Layer

ITL_COLUMNS = ["lad_code", "itl3_code", "itl3_name", "itl2_code", "itl2_name", "itl1_code", "itl1_name"]
LSIP_COLUMNS = ["lad_code", "lsip_code", "lsip_name", "london_lsip_name"]


def lookup_tables(
    layers: list[Layer], area_changes, target_codes: set[str], tables: SourceTables, target
) -> dict[str, pd.DataFrame]:
    out = {}
    for role, table, columns, group_key in (
        ("itl_lookup", "lad_itl", ITL_COLUMNS, "itl2_code"),
        ("lsip_lookup", "lad_lsip", LSIP_COLUMNS, "lsip_code"),
    ):
        found = sorted((layer for layer in layers if layer.role == role), key=lambda layer: layer.vintage)
        if not found:
            tables.notes.append(f"no {role.replace('_', ' ')} xlsx: {table} is empty")
            out[table] = pd.DataFrame(columns=columns)
            continue
        layer = found[-1]
        frame = _on_target(layer, area_changes, target_codes)
        out[table] = _one_row_per_group(frame, columns, group_key, table, tables.notes)
        rec = Reconciliation(
            f"LADs in {table}, {target}", layer.files[0], len(target_codes), out[table]["lad_code"].nunique()
        )
        tables.reconciliations.append(rec)
        if not rec.passed:
            missing = sorted(target_codes - set(out[table]["lad_code"]))
            raise SourceError(
                f"no {table} row for target LADs {missing}", file=layer.files[0], sheet=layer.sheet, source_id=SOURCE_ID
            )
    return out


def _on_target(layer: Layer, area_changes, target_codes) -> pd.DataFrame:
    later = changes_after(area_changes, layer.vintage)
    # a lookup on codes newer than the target (LAD23 file, older target) needs pure recodes run backwards
    newer = area_changes[(area_changes["change_type"] == "recode") & area_changes["old_code"].isin(target_codes)]
    code_map = target_code_map(pd.concat([later, newer]).drop_duplicates(), target_codes)
    mapped = layer.frame["code"].map(dict(zip(code_map["source_code"], code_map["target_code"])))
    if mapped.isna().any():
        raise SourceError(
            f"LAD codes {sorted(layer.frame.loc[mapped.isna(), 'code'])[:10]} are not LADs at the target vintage",
            file=layer.files[0],
            sheet=layer.sheet,
            column="LADyyCD",
            source_id=SOURCE_ID,
        )
    return layer.frame.assign(lad_code=mapped)


def _one_row_per_group(frame, columns, group_key, table, notes) -> pd.DataFrame:
    """One row per (lad_code, group_key); other columns kept when all predecessors agree, else blank."""
    rows, blanked = [], set()
    for (lad, _), group in frame.groupby(["lad_code", group_key], sort=True):
        agreed = {c: group[c].nunique(dropna=False) == 1 for c in columns}
        rows.append({c: group[c].iloc[0] if agreed[c] else None for c in columns})
        blanked |= {lad} if not all(agreed.values()) else set()
    out = pd.DataFrame(rows, columns=columns)
    split = sorted(out.loc[out["lad_code"].duplicated(), "lad_code"].unique())
    if split:
        notes.append(f"{table}: merged LADs {split} span more than one {group_key}; one row per {group_key}")
    if blanked:
        notes.append(
            f"{table}: merged LADs {sorted(blanked)} have predecessors that disagree below "
            f"{group_key}; those columns are left blank"
        )
    return out
