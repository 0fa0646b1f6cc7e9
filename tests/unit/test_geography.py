"""Geography parser on small files built here: code-change chaining, 27700 reprojection, errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import shapely

from sources.errors import SourceError
from sources.geography import parse, target_code_map
from sources.geography.changes import built_in_changes, changes_from_lookup, combine_changes

REGIONS = {"E12000001": "North East", "E12000002": "North West", "E12000003": "Yorkshire and The Humber"}
# LAD22 code, name, region, lower-left corner in British National Grid metres (side 20 km).
LAD22 = [
    ("E06000001", "Hartlepool", "E12000001", (440000, 520000)),
    ("E07000026", "Allerdale", "E12000002", (300000, 520000)),
    ("E07000028", "Carlisle", "E12000002", (320000, 520000)),
    ("E07000029", "Copeland", "E12000002", (300000, 500000)),
    ("E08000016", "Barnsley", "E12000003", (420000, 400000)),
    ("E08000019", "Sheffield", "E12000003", (420000, 380000)),
]


def square(x, y, side=20000):
    return [[[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]]


def write_region_lookup(path, rows=LAD22):
    lines = ["LAD22CD,LAD22NM,RGN22CD,RGN22NM,ObjectId"]
    lines += [f"{c},{n},{r},{REGIONS[r]},{i}" for i, (c, n, r, _) in enumerate(rows, 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")  # ONS files carry a BOM
    return path


def write_bng_boundaries(path, rows=LAD22):
    features = [
        {
            "type": "Feature",
            "properties": {"LAD22CD": c, "LAD22NM": n, "OBJECTID": i},
            "geometry": {"type": "Polygon", "coordinates": square(*xy)},
        }
        for i, (c, n, _, xy) in enumerate(rows, 1)
    ]
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "EPSG:27700"}},
                "features": features,
            }
        )
    )
    return path


def write_lep(path):
    """One LEP over the three old Cumbrian districts, in CRS84 like the ONS LEP file."""
    from pyproj import Transformer

    to_wgs = Transformer.from_crs(27700, 4326, always_xy=True)
    ring = [list(to_wgs.transform(x, y)) for x, y in square(298000, 498000, 44000)[0]]
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"LEP21CD": "E37000007", "LEP21NM": "Cumbria"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    path.write_text(json.dumps(doc))
    return path


@pytest.fixture
def raw(archive, tmp_path):
    def store(*paths):
        return [archive.store("geography", p, origin=str(p)) for p in paths]

    return store


def test_target_code_map_chains_changes_to_the_target():
    lad11_21 = pd.DataFrame(
        {
            "old_code": ["E07000190", "E07000004", "E07000005", "E08000020", "E06000001"],
            "old_name": ["Taunton Deane", "Aylesbury Vale", "Chiltern", "Gateshead", "Hartlepool"],
            "new_code": ["E07000246", "E06000060", "E06000060", "E08000037", "E06000001"],
            "new_name": ["Somerset West and Taunton", "Buckinghamshire", "Buckinghamshire", "Gateshead", "Hartlepool"],
        }
    )
    changes = combine_changes([changes_from_lookup(lad11_21, "2011", "2021"), built_in_changes()])
    assert "E06000001" not in set(changes["old_code"])  # unchanged codes are not changes
    target = ["E06000001", "E06000060", "E06000065", "E06000066", "E08000037", "E08000038"]
    mapped = target_code_map(changes, target).set_index("source_code")
    assert tuple(mapped.loc["E07000190"]) == ("E06000066", "merger")  # 2019 then 2023 merger
    assert tuple(mapped.loc["E07000004"]) == ("E06000060", "merger")
    assert tuple(mapped.loc["E07000163"]) == ("E06000065", "merger")  # Craven
    assert tuple(mapped.loc["E08000016"]) == ("E08000038", "recode")  # Barnsley, 2025
    assert tuple(mapped.loc["E08000020"]) == ("E08000037", "boundary")  # Gateshead order 2013
    assert tuple(mapped.loc["E06000001"]) == ("E06000001", "identity")
    assert "E08000019" not in mapped.index  # Sheffield's target not asked for
    assert changes.set_index("new_code").loc["E08000037", "change_date"] == "2013-04-01"


def test_target_code_map_refuses_a_split():
    changes = pd.DataFrame(
        {
            "old_code": ["E07000001", "E07000001"],
            "old_name": ["A", "A"],
            "new_code": ["E06000101", "E06000102"],
            "new_name": ["B", "C"],
            "change_date": None,
            "change_type": "merger",
            "vintage_from": "2022",
            "vintage_to": "2023",
        }
    )
    with pytest.raises(SourceError, match="E07000001 maps to both"):
        target_code_map(changes, ["E06000101", "E06000102"])


def test_parse_reprojects_bng_and_dissolves_merged_lads(tmp_path, raw):
    files = raw(
        write_region_lookup(tmp_path / "Local_Authority_District_to_Region.csv"),
        write_bng_boundaries(tmp_path / "lad22_buc.geojson"),
        write_lep(tmp_path / "lep.geojson"),
    )
    tables = parse(files).extra
    lads = tables["lad_region"].set_index("lad_code")
    assert sorted(lads.index) == ["E06000001", "E06000063", "E08000038", "E08000039"]
    assert lads.loc["E06000063", "region_name"] == "North West"
    areas = tables["areas"].set_index("area_code")
    assert areas.loc["E06000063", "area_name"] == "Cumberland"
    assert areas.loc["E06000063", "vintage"] == "2025"
    assert areas.loc["E92000001", "area_type"] == "country"
    bounds = tables["boundaries"].set_index("area_code")
    cumberland = shapely.from_geojson(bounds.loc["E06000063", "geojson"])
    assert cumberland.geom_type == "Polygon"  # three squares dissolved into one
    lon_min, lat_min, lon_max, lat_max = cumberland.bounds
    assert -3.7 < lon_min < lon_max < -2.9 and 54.3 < lat_min < lat_max < 54.9
    coords = shapely.get_coordinates(shapely.from_geojson(bounds.loc["E08000038", "geojson"]))
    assert (coords.round(4) == coords).all()
    lep = tables["lad_lep"].set_index("lad_code")
    assert list(lep.index) == ["E06000063"] and lep.loc["E06000063", "share_of_lad_area"] > 0.99


def test_missing_lep_file_gives_empty_table_and_note(tmp_path, raw):
    result = parse(raw(write_region_lookup(tmp_path / "rgn.csv"), write_bng_boundaries(tmp_path / "lad.geojson")))
    assert result.extra["lad_lep"].empty and result.extra["lad_combined_authority"].empty
    assert any("no LEP boundaries" in note for note in result.notes)


def test_the_catalogue_keeps_the_release_of_a_source_without_indicator_rows(tmp_path, raw):
    """Geography lands no indicator rows, so no edition is chosen: its release ('LAD 2025') stays
    (it was dropped, leaving marts.sources.release_title NULL for geography)."""
    from sources.catalogue import parse_source

    files = raw(write_region_lookup(tmp_path / "rgn.csv"), write_bng_boundaries(tmp_path / "lad.geojson"))
    tables = parse_source("geography", files)
    assert tables.edition_choice.empty and tables.releases == ["LAD 2025"]


def test_missing_region_lookup_names_the_expected_file(tmp_path, raw):
    with pytest.raises(SourceError, match="LAD->region lookup CSV with columns LADyyCD"):
        parse(raw(write_bng_boundaries(tmp_path / "lad.geojson")))


def test_lad_without_boundary_is_listed(tmp_path, raw):
    files = raw(
        write_region_lookup(tmp_path / "rgn.csv"),
        write_bng_boundaries(tmp_path / "lad.geojson", [r for r in LAD22 if r[1] != "Sheffield"]),
    )
    with pytest.raises(SourceError, match=r"no boundary for LADs \['E08000039'\]"):
        parse(files)


def test_renamed_name_column_is_reported(tmp_path, raw):
    path = write_region_lookup(tmp_path / "rgn.csv")
    path.write_text(path.read_text(encoding="utf-8-sig").replace("LAD22NM", "LADNAME"), encoding="utf-8-sig")
    with pytest.raises(SourceError, match="column 'LAD22NM'"):
        parse(raw(path, write_bng_boundaries(tmp_path / "lad.geojson")))


def test_merged_lads_in_two_regions_are_refused(tmp_path, raw):
    rows = [r if r[1] != "Copeland" else (*r[:2], "E12000001", r[3]) for r in LAD22]
    with pytest.raises(SourceError, match="more than one region"):
        parse(raw(write_region_lookup(tmp_path / "rgn.csv", rows), write_bng_boundaries(tmp_path / "lad.geojson")))


def test_recodes_run_backwards_for_an_older_target():
    import pandas as pd

    from sources.geography import target_code_map
    from sources.geography.changes import built_in_changes

    changes = built_in_changes()
    mapping = target_code_map(changes, ["E08000016", "E06000065"])
    pairs = set(zip(mapping["source_code"], mapping["target_code"], mapping["relation"]))
    assert ("E08000038", "E08000016", "recode") in pairs  # 2025 data onto a 2023 target
    assert ("E07000163", "E06000065", "merger") in pairs  # Craven into North Yorkshire
    assert isinstance(mapping, pd.DataFrame)


ITL_HEADER = [
    "LAD20CD",
    "LAD20NM",
    "LAU121CD",
    "LAU121NM",
    "ITL321CD",
    "ITL321NM",
    "ITL221CD",
    "ITL221NM",
    "ITL121CD",
    "ITL121NM",
]
ITL_ROWS = [
    ("E06000001", "TLC11", "TLC1"),
    ("E07000026", "TLD11", "TLD1"),
    ("E07000028", "TLD12", "TLD1"),
    ("E07000029", "TLD11", "TLD1"),
    ("E08000016", "TLE31", "TLE3"),
    ("E08000019", "TLE32", "TLE3"),
    ("S12000005", "TLM72", "TLM7"),
    ("S12000005", "TLM72", "TLM7"),
]  # Scottish LAD repeated per LAU


def write_itl_xlsx(path, header=ITL_HEADER, rows=ITL_ROWS):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "LAD20_LAU121_ITL21_UK_LU v2"
    sheet.append(["Lookup of LAD20 to ITL"])  # a title row above the header
    sheet.append([])
    sheet.append(header)
    for lad, itl3, itl2 in rows:
        sheet.append([lad, "n", lad, "n", itl3, itl3 + " name", itl2, itl2 + " name", itl2[:3], "r"])
    book.create_sheet("Metadata").append(["Data Information"])
    book.save(path)
    return path


def write_lsip_xlsx(path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "LA Districts to LSIPs"
    sheet.append(["LAD23CD", "LAD23NM", "LSIP23CD", "LSIP23NM", "NEW LSIP GEOGRAPHY (4 london areas)"])
    for lad in ("E06000001", "E06000063", "E08000016", "E08000019"):
        sheet.append([lad, "n", "E69000028", " South Yorkshire ", "South Yorkshire " if lad != "E06000001" else None])
    book.save(path)
    return path


def test_itl_and_lsip_xlsx_on_the_target_vintage(tmp_path, raw):
    files = raw(
        write_region_lookup(tmp_path / "rgn.csv"),
        write_bng_boundaries(tmp_path / "lad.geojson"),
        write_itl_xlsx(tmp_path / "itl.xlsx"),
        write_lsip_xlsx(tmp_path / "lsip.xlsx"),
    )
    result = parse(files)
    itl = result.extra["lad_itl"].set_index("lad_code")
    assert list(itl.index) == ["E06000001", "E06000063", "E08000038", "E08000039"]  # England only
    assert itl.loc["E06000063", "itl2_code"] == "TLD1" and itl.loc["E06000063", "itl3_code"] is None
    assert itl.loc["E08000038", "itl3_code"] == "TLE31"
    lsip = result.extra["lad_lsip"].set_index("lad_code")
    assert tuple(lsip.loc["E08000038"]) == ("E69000028", "South Yorkshire", "South Yorkshire")
    assert lsip.loc["E06000001", "london_lsip_name"] is None


def test_merged_lad_across_two_itl2_keeps_a_row_each(tmp_path, raw):
    rows = [r if r[0] != "E07000028" else ("E07000028", "TLD12", "TLD9") for r in ITL_ROWS]
    files = raw(
        write_region_lookup(tmp_path / "rgn.csv"),
        write_bng_boundaries(tmp_path / "lad.geojson"),
        write_itl_xlsx(tmp_path / "itl.xlsx", rows=rows),
    )
    result = parse(files)
    cumberland = result.extra["lad_itl"].query("lad_code == 'E06000063'")
    assert sorted(cumberland["itl2_code"]) == ["TLD1", "TLD9"]
    assert any("span more than one itl2_code" in n for n in result.notes)
    assert result.extra["lad_lsip"].empty and any("no lsip lookup xlsx" in n for n in result.notes)


def test_renamed_itl_header_names_file_sheet_and_column(tmp_path, raw):
    header = [h if h != "ITL221CD" else "ITL2 code" for h in ITL_HEADER]
    files = raw(
        write_region_lookup(tmp_path / "rgn.csv"),
        write_bng_boundaries(tmp_path / "lad.geojson"),
        write_itl_xlsx(tmp_path / "itl_lookup.xlsx", header),
    )
    with pytest.raises(SourceError) as caught:
        parse(files)
    message = str(caught.value)
    assert "itl_lookup.xlsx" in message and "sheet 'LAD20_LAU121_ITL21_UK_LU v2'" in message
    assert "column 'ITL2yyCD'" in message


def test_a_merged_authority_with_a_former_part_missing_gets_no_value():
    # A release that lacks one of a merged authority's former districts (a row dropped, or a
    # district the publisher left out) must not pass a partial sum off as the whole area; a release
    # on any older map that covers it whole (Somerset before and after the 2019 merger) is summed.
    from assets import landing as ld
    from assets.warehouse import Warehouse
    from sources.geography.meta import EXTRA_TABLES
    from sources.tidy import TIDY_TABLE
    from tests.unit.landing_db import landing_connection

    changes = built_in_changes()  # the 2023 mergers (North Yorkshire, Somerset, ...) and 2025 recodes
    changes = combine_changes(
        [changes, changes_from_lookup(pd.DataFrame(
            {"old_code": ["E07000190", "E07000191"], "old_name": ["Taunton Deane", "West Somerset"],
             "new_code": ["E07000246", "E07000246"], "new_name": ["Somerset West and Taunton"] * 2}
        ), "2011", "2021")]
    )  # fmt: skip
    craven, hambleton, harrogate = "E07000163", "E07000164", "E07000165"
    nyorks = [craven, hambleton, harrogate, "E07000166", "E07000167", "E07000168", "E07000169"]
    mendip, sedgemoor, south_somerset, swt = "E07000187", "E07000188", "E07000189", "E07000246"
    somerset_2018 = ["E07000190", "E07000191", mendip, sedgemoor, south_somerset]
    somerset_2022 = [swt, mendip, sedgemoor, south_somerset]
    releases = {  # period -> districts in the release
        "2021": {"E06000065": nyorks, "E06000066": somerset_2022},
        "2022": {"E06000065": [c for c in nyorks if c != craven], "E06000066": somerset_2022[:-1]},
        "2018": {"E06000065": nyorks, "E06000066": somerset_2018},
        "2017": {"E06000065": nyorks, "E06000066": somerset_2018[1:]},
    }
    rows = [
        {"indicator_id": "rough_sleeping_count", "area_code": code, "period": period, "value": 1.0, "unit": "count",
         "source_id": "rough_sleeping", "release": "autumn 2022"}
        for period, targets in releases.items() for codes in targets.values() for code in codes
    ]  # fmt: skip
    con = landing_connection()
    ld.replace_contract_table(con, "indicator_values", TIDY_TABLE, pd.DataFrame(rows))
    ld.replace_contract_table(con, "population__former_area_values", TIDY_TABLE, pd.DataFrame(rows).iloc[0:0])
    ld.replace_contract_table(con, "geography__area_changes", EXTRA_TABLES["area_changes"], changes)
    code_map = target_code_map(changes, ["E06000065", "E06000066"])
    ld.replace_contract_table(con, "geography__code_map", EXTRA_TABLES["code_map"], code_map)
    Warehouse.run(con, "staging/code_map.sql")
    Warehouse.run(con, "staging/indicator_values.sql")
    got = {
        (area, period): (value, harmonisation)
        for area, period, value, harmonisation in con.execute(
            "SELECT area_code, period, value, harmonisation FROM staging.indicator_values"
        ).fetchall()
    }
    assert got == {
        ("E06000065", "2021"): (7.0, "summed"),
        ("E06000066", "2021"): (4.0, "summed"),
        ("E06000065", "2022"): (None, "not_harmonisable"),  # Craven missing
        ("E06000066", "2022"): (None, "not_harmonisable"),  # South Somerset missing
        ("E06000065", "2018"): (7.0, "summed"),
        ("E06000066", "2018"): (5.0, "summed"),  # Somerset West and Taunton's two former districts
        ("E06000065", "2017"): (7.0, "summed"),
        ("E06000066", "2017"): (None, "not_harmonisable"),  # Taunton Deane missing
    }
