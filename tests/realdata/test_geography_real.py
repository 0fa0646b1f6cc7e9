"""Geography parser on the real ONS files in ../shared/data/geography."""

from __future__ import annotations

import pytest
import shapely

from sources.geography import parse, target_code_map

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def tables(shared_data, tmp_path_factory):
    # Parsed once per module: the LEP overlay and reprojection take about a second.
    from sources.archive import Archive

    archive = Archive(tmp_path_factory.mktemp("archive"))
    files = [
        archive.store("geography", p, origin=str(p))
        for p in sorted((shared_data / "geography").iterdir())
        if p.name != "SOURCE.md"
    ]
    return parse(files)


def test_296_lads_in_9_regions_on_the_2025_vintage(tables):
    areas = tables.extra["areas"]
    lads = areas[areas["area_type"] == "lad"]
    assert len(lads) == 296 and set(lads["vintage"]) == {"2025"}
    assert (areas["area_type"] == "region").sum() == 9
    lad_region = tables.extra["lad_region"].set_index("lad_code")
    assert lad_region.index.is_unique and lad_region["region_code"].notna().all()
    assert lad_region.loc["E08000038", "region_code"] == "E12000003"  # Barnsley, new code
    assert lad_region.loc["E06000065", "region_name"] == "Yorkshire and The Humber"  # North Yorkshire
    assert {"E08000016", "E07000163"}.isdisjoint(lad_region.index)
    assert all(r.passed for r in tables.reconciliations)


def test_area_changes_map_old_codes_to_2025(tables):
    changes = tables.extra["area_changes"]
    assert len(changes) == 31 + 17 + 2  # LAD11->21 file, 2023 mergers, 2025 recodes
    mapped = target_code_map(changes, tables.extra["areas"]).set_index("source_code")
    assert tuple(mapped.loc["E07000004"]) == ("E06000060", "merger")  # Aylesbury Vale
    assert tuple(mapped.loc["E07000163"]) == ("E06000065", "merger")  # Craven
    assert tuple(mapped.loc["E08000016"]) == ("E08000038", "recode")  # Barnsley
    assert tuple(mapped.loc["E07000191"]) == ("E06000066", "merger")  # West Somerset, via 2019
    assert (mapped["relation"] == "identity").sum() == 296


def test_combined_authorities_from_the_may_2025_lookup(tables):
    ca = tables.extra["lad_combined_authority"]
    assert ca["ca_code"].nunique() == 15 and len(ca) == 106
    south_yorks = set(ca.loc[ca["ca_name"] == "South Yorkshire", "lad_code"])
    assert {"E08000038", "E08000039"} <= south_yorks and len(south_yorks) == 4
    cas = tables.extra["areas"].query("area_type == 'combined_authority'").set_index("area_code")
    assert cas.loc["E47000001", "region_code"] == "E12000002"  # Greater Manchester: North West


def test_lep_overlay_is_many_to_many(tables):
    lad_lep = tables.extra["lad_lep"]
    assert lad_lep["lep_code"].nunique() == 38
    assert set(lad_lep["lad_code"]) == set(tables.extra["lad_region"]["lad_code"])
    per_lad = lad_lep.groupby("lad_code")["lep_code"].apply(set)
    assert (per_lad.map(len) == 2).sum() >= 5
    # Lichfield sat in both Greater Birmingham and Solihull and Stoke-on-Trent and Staffordshire.
    assert per_lad["E07000194"] == {"E37000012", "E37000032"}
    assert per_lad["E06000065"] == {"E37000058"}  # York and North Yorkshire
    # Slough overlaps Buckinghamshire LEP by a 4.9% generalisation sliver, dropped by the 5% rule.
    assert per_lad["E06000039"] == {"E37000035"}  # Thames Valley Berkshire
    assert lad_lep["share_of_lad_area"].between(0.05, 1).all()


def test_boundaries_are_light_wgs84_geojson(tables):
    boundaries = tables.extra["boundaries"]
    assert len(boundaries) == 296 and boundaries["area_code"].is_unique
    assert boundaries["geojson"].str.len().sum() < 1_500_000
    geoms = shapely.from_geojson(boundaries["geojson"].to_numpy())
    lon_min, lat_min, lon_max, lat_max = shapely.total_bounds(geoms)
    assert -6.5 < lon_min < -5.5 and 1.5 < lon_max < 2
    assert 49.8 < lat_min < 50.2 and 55.6 < lat_max < 55.9
    barnsley = geoms[boundaries.index[boundaries["area_code"] == "E08000038"][0]]
    assert barnsley.contains(shapely.Point(-1.48, 53.55))  # Barnsley town centre


def test_lad22_buc_alone_is_reprojected_and_dissolved(shared_data, tmp_path):
    from sources.archive import Archive

    folder = shared_data / "geography"
    archive = Archive(tmp_path)
    names = ("lad22_buc.geojson", "Local_Authority_District_to_Region_(December_2022)_Lookup_in_England.csv")
    files = [archive.store("geography", folder / name, origin=name) for name in names]
    result = parse(files)
    boundaries = result.extra["boundaries"].set_index("area_code")
    assert len(boundaries) == 296
    north_yorks = shapely.from_geojson(boundaries.loc["E06000065", "geojson"])
    assert north_yorks.contains(shapely.Point(-1.54, 53.99))  # Harrogate
    assert north_yorks.contains(shapely.Point(-0.40, 54.28))  # Scarborough
    assert any("LAD 2022 shapes from lad22_buc.geojson" in n for n in result.notes)


def test_lad_itl_from_the_lad20_lookup_on_2025_codes(tables):
    itl = tables.extra["lad_itl"]
    assert list(itl.columns) == [
        "lad_code",
        "itl3_code",
        "itl3_name",
        "itl2_code",
        "itl2_name",
        "itl1_code",
        "itl1_name",
    ]
    assert len(itl) == 296 and itl["lad_code"].is_unique  # no 2023 merger spans two ITL2s
    assert set(itl["lad_code"]) == set(tables.extra["lad_region"]["lad_code"])
    assert itl["itl2_code"].nunique() == 33 and itl["itl1_code"].nunique() == 9  # England's share of 41
    rows = itl.set_index("lad_code")
    assert tuple(rows.loc["E08000038", ["itl3_code", "itl2_code", "itl2_name"]]) == (
        "TLE31",
        "TLE3",
        "South Yorkshire",
    )  # Barnsley, LAD20 code E08000016
    assert tuple(rows.loc["E06000065", ["itl3_code", "itl2_code"]]) == ("TLE22", "TLE2")  # North Yorkshire
    assert tuple(rows.loc["E06000061", ["itl3_code", "itl2_code"]]) == ("TLF25", "TLF2")  # N. Northants
    # Cumberland = Allerdale, Copeland (TLD11 West Cumbria) + Carlisle (TLD12 East Cumbria): ITL2 kept.
    assert rows.loc["E06000063", "itl3_code"] is None and rows.loc["E06000063", "itl2_name"] == "Cumbria"
    assert any("E06000063" in n and "left blank" in n for n in tables.notes)


def test_lad_lsip_names_stripped_and_recoded_to_2025(tables):
    lsip = tables.extra["lad_lsip"]
    assert list(lsip.columns) == ["lad_code", "lsip_code", "lsip_name", "london_lsip_name"]
    assert len(lsip) == 296 and lsip["lad_code"].is_unique and lsip["lsip_code"].nunique() == 38
    rows = lsip.set_index("lad_code")
    assert "E08000016" not in rows.index
    assert tuple(rows.loc["E08000038"]) == ("E69000028", "South Yorkshire", "South Yorkshire")  # Barnsley
    assert tuple(rows.loc["E06000060", ["lsip_code", "lsip_name"]]) == ("E69000002", "Buckinghamshire")
    assert (lsip["lsip_name"] == lsip["lsip_name"].str.strip()).all()
    london = lsip[lsip["lsip_code"] == "E69000013"]
    assert set(london["lsip_name"]) == {"Greater London"} and len(london) == 33
    assert london["london_lsip_name"].value_counts().to_dict() == {
        "Central London Forward": 12,
        "Local London": 9,
        "West London Alliance": 7,
        "South London Partnership": 5,
    }
    assert rows.loc["E09000001", "london_lsip_name"] == "Central London Forward"  # City of London
