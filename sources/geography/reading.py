"""Read the geography files (ONS CSV, GeoJSON, ArcGIS JSON pages, xlsx lookups) and sort them by what
they hold.

Files are recognised by their columns, not their names: ONS renames downloads and the live path
saves ArcGIS pages, so LADyyCD + RGNyyCD is a region lookup whatever the file is called.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..archive import RawFile
from ..errors import SourceError
from .meta import SOURCE_ID
from .workbooks import read_workbook

_LAD = re.compile(r"^LAD(\d\d)CD$", re.I)
_LEP = re.compile(r"^LEP(\d\d)CD$", re.I)
_WGS84_NAMES = {"OGC:CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"}


@dataclass
class Layer:
    role: str  # lad_boundaries | lep_boundaries | region_lookup | ca_lookup | lad_changes
    # | itl_lookup | lsip_lookup
    vintage: str  # e.g. '2022'; for lad_changes the newer year
    frame: pd.DataFrame  # columns renamed to generic names (see _standardise)
    files: list[str]
    vintage_from: str | None = None
    sheet: str | None = None  # xlsx lookups only


def read_layers(files: list[RawFile]) -> tuple[list[Layer], list[str]]:
    """Group files into layers (pages of one layer are concatenated); return (layers, notes)."""
    found: dict[tuple, Layer] = {}
    notes: list[str] = []
    for raw in files:
        name = raw.original_name
        suffix = Path(name).suffix.lower()
        if suffix == ".xlsx":
            _add_workbook(raw, found, notes)
            continue
        if suffix not in {".csv", ".json", ".geojson"}:
            notes.append(f"{name}: not used by the geography parser")
            continue
        frame = _read_frame(raw)
        role, vintages, renamed = _classify(frame, name)
        if role is None:
            notes.append(f"{name}: columns {list(frame.columns)[:6]} not recognised; ignored")
            continue
        key = (role, *vintages)
        if key in found:
            layer = found[key]
            layer.frame = pd.concat([layer.frame, renamed], ignore_index=True)
            if isinstance(renamed, gpd.GeoDataFrame):
                layer.frame = gpd.GeoDataFrame(layer.frame, geometry="geometry", crs=renamed.crs)
            layer.files.append(name)
        else:
            found[key] = Layer(role, vintages[-1], renamed, [name], vintages[0] if role == "lad_changes" else None)
    for layer in found.values():
        key_col = "old_code" if layer.role == "lad_changes" else "code"
        plain = [c for c in layer.frame.columns if c != "geometry"]
        layer.frame = layer.frame.drop_duplicates(subset=plain).reset_index(drop=True)
        if layer.role != "lad_changes" and layer.frame[key_col].duplicated().any():
            dups = sorted(layer.frame.loc[layer.frame[key_col].duplicated(), key_col])[:5]
            raise SourceError(
                f"code(s) {dups} appear more than once with different values",
                file=", ".join(layer.files),
                source_id=SOURCE_ID,
            )
    return list(found.values()), notes


def _add_workbook(raw: RawFile, found: dict, notes: list[str]) -> None:
    book = read_workbook(raw, SOURCE_ID)
    if book is None:
        notes.append(f"{raw.original_name}: no ITL or LSIP lookup header found; ignored")
        return
    role, vintage, frame, sheet = book
    if (role, vintage) in found:
        raise SourceError(
            f"a second {role} for LAD {vintage} (also in {found[role, vintage].files[0]})",
            file=raw.original_name,
            sheet=sheet,
            source_id=SOURCE_ID,
        )
    found[role, vintage] = Layer(role, vintage, frame, [raw.original_name], sheet=sheet)


def _read_frame(raw: RawFile) -> pd.DataFrame:
    name = raw.original_name
    try:
        if name.lower().endswith(".csv"):
            # ONS CSVs start with a UTF-8 BOM; utf-8-sig strips it so the first header is LAD22CD.
            return pd.read_csv(raw.path, encoding="utf-8-sig", dtype=str)
        doc = json.loads(Path(raw.path).read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise SourceError(f"cannot be read ({exc})", file=name, source_id=SOURCE_ID) from exc
    if isinstance(doc, dict) and "error" in doc:
        raise SourceError(f"is an ArcGIS error response: {doc['error']}", file=name, source_id=SOURCE_ID)
    features = doc.get("features") if isinstance(doc, dict) else None
    if features is None:
        raise SourceError("is neither GeoJSON nor ArcGIS JSON (no 'features' member)", file=name, source_id=SOURCE_ID)
    if features and "attributes" in features[0]:  # ArcGIS JSON table page (f=json)
        return pd.DataFrame([f["attributes"] for f in features]).astype(str)
    if not any(f.get("geometry") for f in features):  # GeoJSON without geometry = a table
        return pd.DataFrame([f.get("properties") or {} for f in features]).astype(str)
    return gpd.GeoDataFrame.from_features(features, crs=_geojson_crs(doc, name))


def _geojson_crs(doc: dict, name: str) -> str:
    """CRS from the legacy 'crs' member (lad22_buc.geojson says EPSG:27700); RFC 7946 default is WGS84."""
    declared = ((doc.get("crs") or {}).get("properties") or {}).get("name")
    if not declared or declared in _WGS84_NAMES:
        return "OGC:CRS84"
    match = re.search(r"EPSG:+(\d+)$", declared)
    if not match:
        raise SourceError(f"unrecognised crs member {declared!r}", file=name, source_id=SOURCE_ID)
    return f"EPSG:{match.group(1)}"


def _classify(frame: pd.DataFrame, name: str):
    """(role, (vintages...), frame with generic column names) or (None, None, None)."""
    cols = {c.upper(): c for c in frame.columns}
    lad = sorted((m.group(1), c) for u, c in cols.items() if (m := _LAD.match(u)))
    lep = [(m.group(1), c) for u, c in cols.items() if (m := _LEP.match(u))]
    is_geo = isinstance(frame, gpd.GeoDataFrame)
    if is_geo and lad:
        return "lad_boundaries", (_year(lad[-1][0]),), _standardise(frame, {lad[-1][1]: "code"}, name)
    if is_geo and lep:
        return "lep_boundaries", (_year(lep[0][0]),), _standardise(frame, {lep[0][1]: "code"}, name)
    if len(lad) >= 2:
        (old_y, old_c), (new_y, new_c) = lad[0], lad[-1]
        renamed = _standardise(frame, {old_c: "old_code", new_c: "new_code"}, name)
        return "lad_changes", (_year(old_y), _year(new_y)), renamed
    if len(lad) == 1:
        for prefix, role in (("RGN", "region_lookup"), ("CAUTH", "ca_lookup")):
            parent = [c for u, c in cols.items() if re.match(rf"^{prefix}\d\dCD$", u)]
            if parent:
                renamed = _standardise(frame, {lad[0][1]: "code", parent[0]: "parent_code"}, name)
                return role, (_year(lad[0][0]),), renamed
    return None, None, None


def _standardise(frame: pd.DataFrame, code_cols: dict[str, str], name: str) -> pd.DataFrame:
    """Rename XXyyCD -> generic code column and its XXyyNM partner -> *_name; strip whitespace."""
    rename = {}
    for src, dst in code_cols.items():
        nm = src[:-2] + ("NM" if src.endswith("CD") else "nm")
        if nm not in frame.columns:
            raise SourceError(f"has {src} but no matching name column {nm}", file=name, column=nm, source_id=SOURCE_ID)
        rename[src] = dst
        rename[nm] = dst.replace("code", "name")
    keep = list(rename) + (["geometry"] if isinstance(frame, gpd.GeoDataFrame) else [])
    out = frame[keep].rename(columns=rename)
    for col in rename.values():
        out[col] = out[col].astype(str).str.strip()
    return out


def _year(two_digits: str) -> str:
    return f"20{two_digits}"
