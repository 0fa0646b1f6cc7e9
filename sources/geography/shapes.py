"""LAD shapes on the target vintage: dissolve merged LADs, overlay LEPs, export light WGS84 GeoJSON."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .changes import changes_after, target_code_map

BNG = "EPSG:27700"  # British National Grid: metres and (near) equal-area over GB
ENGLAND_LAD = r"^E0[6-9]"  # unitary, non-metropolitan district, metropolitan district, London borough
# Overlaps under 5% of a LAD are artefacts: LEP (BUC, 500 m) and LAD (BGC or BUC) outlines were
# generalised independently, so every LAD picks up slivers of its neighbours' LEPs along its edges.
# Real memberships cover nearly all of a LAD (0.96 or more on the 2021 LEPs).
MIN_LEP_SHARE = 0.05
# Simplification in metres before reprojection: keeps all English LADs under ~1.5 MB of GeoJSON
# (about 0.9 MB from the May 2024 BGC file) yet recognisable at England-wide zoom. Neighbours are
# simplified independently, so hairline gaps can appear along shared edges at high zoom.
SIMPLIFY_METRES = 100
DECIMALS = 4  # ~11 m at UK latitudes


def lads_at_target(
    shapes: gpd.GeoDataFrame, vintage: str, area_changes: pd.DataFrame, target_codes: set[str]
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """England LAD shapes re-keyed to target codes, merged LADs dissolved; BNG CRS.

    Returns (GeoDataFrame[area_code, geometry], codes in the file that do not reach the target).
    """
    england = shapes[shapes["code"].str.match(ENGLAND_LAD)].to_crs(BNG)
    code_map = target_code_map(changes_after(area_changes, vintage), target_codes)
    to_target = dict(zip(code_map["source_code"], code_map["target_code"]))
    england = england.assign(area_code=england["code"].map(to_target))
    unmatched = sorted(england.loc[england["area_code"].isna(), "code"])
    england = england.dropna(subset=["area_code"])
    england = england.set_geometry(shapely.make_valid(england.geometry.values))
    dissolved = england[["area_code", "geometry"]].dissolve(by="area_code", as_index=False)
    return dissolved, unmatched


def lad_lep_overlay(lads: gpd.GeoDataFrame, leps: gpd.GeoDataFrame) -> pd.DataFrame:
    """Many-to-many LAD->LEP with the share of the LAD's area inside each LEP (LEPs overlap, so
    a LAD in two LEPs has two rows each near 1, and shares do not sum to 1)."""
    lads = lads[["area_code", "geometry"]].to_crs(BNG)
    lads = lads.assign(lad_area=lads.area)
    leps = leps[["code", "name", "geometry"]].to_crs(BNG)
    leps = leps.set_geometry(shapely.make_valid(leps.geometry.values))
    pieces = gpd.overlay(lads, leps, how="intersection", keep_geom_type=True)
    pieces["share"] = pieces.area / pieces["lad_area"]
    out = (
        pieces.groupby(["area_code", "code", "name"], as_index=False)["share"]
        .sum()
        .rename(columns={"area_code": "lad_code", "code": "lep_code", "name": "lep_name", "share": "share_of_lad_area"})
    )
    out["share_of_lad_area"] = out["share_of_lad_area"].clip(upper=1.0).round(4)
    out = out[out["share_of_lad_area"] >= MIN_LEP_SHARE]
    return out.sort_values(["lad_code", "lep_code"]).reset_index(drop=True)


def web_geojson(lads: gpd.GeoDataFrame) -> pd.Series:
    """GeoJSON geometry strings in WGS84, simplified and rounded to DECIMALS, indexed like lads."""
    simple = lads.geometry.to_crs(BNG).simplify(SIMPLIFY_METRES, preserve_topology=True)
    wgs84 = simple.to_crs("EPSG:4326").values
    snapped = shapely.set_precision(wgs84, 10**-DECIMALS)
    # set_precision leaves float noise (0.30000000000000004); rounding gives short decimals.
    rounded = shapely.transform(snapped, lambda xy: np.round(xy, DECIMALS))
    return pd.Series(shapely.to_geojson(rounded), index=lads.index)
