"""Assemble the geography tables on the target LAD vintage and reconcile them."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from ..archive import RawFile
from ..base import Reconciliation, SourceTables
from ..errors import SourceError
from .changes import built_in_changes, chain_ends, changes_after, changes_from_lookup, combine_changes, target_code_map
from .itl_lsip import lookup_tables
from .meta import SOURCE_ID
from .reading import Layer, read_layers
from .shapes import ENGLAND_LAD, lad_lep_overlay, lads_at_target, web_geojson

ENGLAND = ("E92000001", "England")
# Published counts of English LADs per vintage; checked when the region lookup covers all 9 regions.
EXPECTED_ENGLAND_LADS = {"2021": 309, "2022": 309, "2023": 296, "2024": 296, "2025": 296}
AREA_COLUMNS = ["area_code", "area_name", "area_type", "region_code", "region_name", "vintage"]
EXPECTED = {
    "region_lookup": "an ONS LAD->region lookup CSV with columns LADyyCD, LADyyNM, RGNyyCD, RGNyyNM "
    "(e.g. Local_Authority_District_to_Region_(December_2022)_Lookup_in_England.csv)",
    "lad_boundaries": "LAD boundaries GeoJSON with LADyyCD, LADyyNM properties (e.g. lad22_buc.geojson "
    "or Local_Authority_Districts_May_2024_Boundaries_UK_BGC_Simplified.json)",
}


def parse(files: list[RawFile], target_vintage: str | None = None) -> SourceTables:
    """target_vintage: the LAD vintage to build (e.g. '2023'); default the newest the files reach."""
    layers, notes = read_layers(files)
    region = _required(layers, "region_lookup")
    file_changes = [
        changes_from_lookup(layer.frame, layer.vintage_from, layer.vintage)
        for layer in layers
        if layer.role == "lad_changes"
    ]
    if not file_changes:
        notes.append("no LAD11->LAD21 lookup: area_changes holds only the 2023 and 2025 changes")
    area_changes = combine_changes(file_changes + [built_in_changes()])

    if target_vintage is not None and int(target_vintage) < int(region.vintage):
        raise SourceError(
            f"target vintage {target_vintage} is older than the region lookup "
            f"({region.vintage}); choose {region.vintage} or later",
            source_id=SOURCE_ID,
        )
    lads, target = _target_lads(region, area_changes, target_vintage)
    target_codes = set(lads["lad_code"])
    tables = SourceTables(notes=notes, releases=[f"LAD {target}"])
    _check_count(tables, region, lads, target)

    ca = _lad_combined_authority(_newest(layers, "ca_lookup"), area_changes, target_codes, notes)
    shapes_layer = _required(layers, "lad_boundaries")
    shapes = _target_shapes(shapes_layer, area_changes, target_codes, notes, target)
    lep_layer = _newest(layers, "lep_boundaries")
    if lep_layer is None:
        notes.append("no LEP boundaries file: lad_lep is empty")
        lad_lep = pd.DataFrame(columns=["lad_code", "lep_code", "lep_name", "share_of_lad_area"])
    else:
        lad_lep = lad_lep_overlay(shapes, lep_layer.frame)
    boundaries = shapes.merge(lads[["lad_code", "lad_name"]], left_on="area_code", right_on="lad_code")
    boundaries = pd.DataFrame(
        {
            "area_code": boundaries["area_code"],
            "area_name": boundaries["lad_name"],
            "vintage": target,
            "geojson": web_geojson(boundaries).values,
        }
    )
    tables.reconciliations.append(
        Reconciliation(f"LADs with a boundary, {target}", shapes_layer.files[0], len(target_codes), len(boundaries))
    )
    areas = _areas(lads, ca, lep_layer, lad_lep, target)
    tables.extra = {
        "areas": areas,
        "area_changes": area_changes,
        "lad_region": lads[["lad_code", "region_code", "region_name"]],
        "lad_combined_authority": ca[["lad_code", "ca_code", "ca_name"]],
        "lad_lep": lad_lep,
        "boundaries": boundaries.sort_values("area_code").reset_index(drop=True),
        **lookup_tables(layers, area_changes, target_codes, tables, target),
        # every published LAD code -> its code on the target vintage, for the other sources' rows
        "code_map": target_code_map(area_changes, areas),
    }
    return tables


def dataset_of(raw: RawFile) -> str | None:
    """Each geography file is a layer of its own: none stands in for another."""
    return None


def _newest(layers: list[Layer], role: str, required: bool = False) -> Layer | None:
    candidates = sorted((layer for layer in layers if layer.role == role), key=lambda layer: layer.vintage)
    if not candidates and required:
        raise SourceError(f"missing required file: expected {EXPECTED[role]}", source_id=SOURCE_ID)
    return candidates[-1] if candidates else None


def _required(layers: list[Layer], role: str) -> Layer:
    layer = _newest(layers, role, required=True)
    assert layer is not None  # _newest raised if there was none
    return layer


def _target_lads(
    region: Layer, area_changes: pd.DataFrame, target_vintage: str | None = None
) -> tuple[pd.DataFrame, str]:
    """England LADs on the target vintage (default: the newest reachable from the region lookup),
    each with its region."""
    frame = region.frame[region.frame["code"].str.match(ENGLAND_LAD)]
    if frame.empty:
        raise SourceError(
            "no England LAD codes (E06-E09) found", file=region.files[0], column="LADyyCD", source_id=SOURCE_ID
        )
    later = changes_after(area_changes, region.vintage)
    if target_vintage is not None:
        later = later[later["vintage_to"].astype(int) <= int(target_vintage)]
    target = str(target_vintage or max([region.vintage, *later["vintage_to"]]))
    ends = chain_ends(later, frame["code"])
    newest_name = dict(zip(later["new_code"], later["new_name"]))
    frame = frame.assign(lad_code=frame["code"].map(ends))
    per_lad = frame.groupby("lad_code").agg(
        regions=("parent_code", lambda s: sorted(set(s))),
        region_name=("parent_name", "first"),
        old_name=("name", "first"),
    )
    split = per_lad[per_lad["regions"].map(len) != 1]
    if len(split):
        raise SourceError(
            f"LADs {list(split.index)} would sit in more than one region at {target}",
            file=region.files[0],
            column="RGNyyCD",
            source_id=SOURCE_ID,
        )
    lads = pd.DataFrame(
        {
            "lad_code": per_lad.index,
            "lad_name": [newest_name.get(c, n) for c, n in zip(per_lad.index, per_lad["old_name"])],
            "region_code": per_lad["regions"].str[0].values,
            "region_name": per_lad["region_name"].values,
        }
    )
    return lads.sort_values("lad_code").reset_index(drop=True), target


def _check_count(tables: SourceTables, region: Layer, lads: pd.DataFrame, target: str) -> None:
    if region.frame["parent_code"].nunique() != 9 or target not in EXPECTED_ENGLAND_LADS:
        return  # a partial lookup (tests, a single region) has no published total to compare with
    rec = Reconciliation(f"England LADs at vintage {target}", region.files[0], EXPECTED_ENGLAND_LADS[target], len(lads))
    tables.reconciliations.append(rec)
    if not rec.passed:
        raise SourceError(
            f"{rec.actual:g} England LADs at vintage {target} after applying code changes, "
            f"ONS publishes {rec.expected:g}",
            file=region.files[0],
            source_id=SOURCE_ID,
        )


def _lad_combined_authority(layer: Layer | None, area_changes, target_codes, notes) -> pd.DataFrame:
    if layer is None:
        notes.append("no LAD->combined authority lookup: lad_combined_authority is empty")
        return pd.DataFrame(columns=["lad_code", "ca_code", "ca_name", "vintage"])
    frame = layer.frame[layer.frame["code"].str.match(ENGLAND_LAD)]
    later = changes_after(area_changes, layer.vintage)
    # a lookup newer than the target (2025 codes, 2023 target) needs its recodes run backwards
    newer = area_changes[(area_changes["change_type"] == "recode") & area_changes["old_code"].isin(target_codes)]
    code_map = target_code_map(pd.concat([later, newer]).drop_duplicates(), target_codes)
    mapped = frame["code"].map(dict(zip(code_map["source_code"], code_map["target_code"])))
    if mapped.isna().any():
        raise SourceError(
            f"LAD codes {sorted(frame.loc[mapped.isna(), 'code'])} are not LADs at the target vintage",
            file=layer.files[0],
            column="LADyyCD",
            source_id=SOURCE_ID,
        )
    out = pd.DataFrame(
        {"lad_code": mapped, "ca_code": frame["parent_code"], "ca_name": frame["parent_name"], "vintage": layer.vintage}
    ).drop_duplicates(["lad_code", "ca_code"])
    return out.sort_values(["ca_code", "lad_code"]).reset_index(drop=True)


def _target_shapes(layer: Layer, area_changes, target_codes, notes, target) -> gpd.GeoDataFrame:
    shapes, unmatched = lads_at_target(layer.frame, layer.vintage, area_changes, target_codes)
    where = ", ".join(layer.files[:3])
    if unmatched:
        raise SourceError(
            f"boundaries for LADs {unmatched} that are not LADs at vintage {target}",
            file=where,
            column="LADyyCD",
            source_id=SOURCE_ID,
        )
    missing = sorted(target_codes - set(shapes["area_code"]))
    if missing:
        raise SourceError(f"no boundary for LADs {missing}", file=where, source_id=SOURCE_ID)
    notes.append(
        f"boundaries: LAD {layer.vintage} shapes from {where}"
        + (f", re-keyed and dissolved to the {target} codes" if layer.vintage != target else "")
    )
    return shapes


def _areas(lads, ca, lep_layer, lad_lep, target) -> pd.DataFrame:
    region_of = dict(zip(lads["lad_code"], zip(lads["region_code"], lads["region_name"])))
    rows = [(r.lad_code, r.lad_name, "lad", r.region_code, r.region_name, target) for r in lads.itertuples()]
    regions = lads.drop_duplicates("region_code").sort_values("region_code")
    rows += [
        (r.region_code, r.region_name, "region", r.region_code, r.region_name, target) for r in regions.itertuples()
    ]
    rows.append((*ENGLAND, "country", None, None, target))
    for code, group in ca.groupby("ca_code"):
        rows.append(
            (
                code,
                group["ca_name"].iloc[0],
                "combined_authority",
                *_single_region(group["lad_code"], region_of),
                group["vintage"].iloc[0],
            )
        )
    if lep_layer is not None:
        for r in lep_layer.frame.sort_values("code").itertuples():
            members = lad_lep.loc[lad_lep["lep_code"] == r.code, "lad_code"]
            rows.append((r.code, r.name, "lep", *_single_region(members, region_of), lep_layer.vintage))
    return pd.DataFrame(rows, columns=AREA_COLUMNS)


def _single_region(lad_codes, region_of) -> tuple[str | None, str | None]:
    """The region of a group of LADs when they all share one (CAs and LEPs can cross regions)."""
    found = {region_of[c] for c in lad_codes}
    return found.pop() if len(found) == 1 else (None, None)
