"""Rough sleeping snapshot parser on the real autumn 2020 and autumn 2022 workbooks.

Expected figures were read from the files themselves (Table 1 Total and Table 5 Rates).
"""

from __future__ import annotations

import pytest

import sources.rough_sleeping as rs
from sources.archive import RawFile

pytestmark = pytest.mark.realdata

FILE_2020 = "rs_statistics2020.xlsx"
FILE_2022 = "Rough_sleeping.xlsx"  # autumn 2022 edition re-exported through Apple Numbers


def raw(folder, name) -> RawFile:
    path = folder / name
    return RawFile(
        rs.SOURCE_ID, str(path), "0" * 64, name, str(path), "2026-01-01T00:00:00+00:00", None, path.stat().st_size
    )


@pytest.fixture(scope="module")
def folder(shared_data):
    return shared_data / rs.SOURCE_ID


@pytest.fixture(scope="module")
def tables(folder):
    return rs.parse([raw(folder, FILE_2020), raw(folder, FILE_2022), raw(folder, "SOURCE.md")])


def value(frame, code, year, indicator="rough_sleeping_count"):
    hit = frame[(frame.area_code == code) & (frame.period == str(year)) & (frame.indicator_id == indicator)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_england_sums_and_la_counts_come_from_the_2022_edition(tables):
    counts = tables.values[tables.values.indicator_id == "rough_sleeping_count"]
    sums = counts.groupby("period").value.sum()
    assert (sums["2017"], sums["2020"], sums["2022"]) == (4751, 2688, 3069)
    assert counts.groupby("period").size().eq(309).all()
    assert sorted(counts.period.unique()) == [str(y) for y in range(2010, 2023)]
    assert set(counts.release) == {"autumn 2022"}
    assert tables.releases == ["autumn 2022"]
    assert counts.observation_status.isna().all()
    # merged authorities from the 2020 edition are not mixed in
    assert not counts.area_code.isin(["E07000150", "E07000153"]).any()  # Corby, Kettering


def test_named_authorities(tables):
    v = tables.values
    assert value(v, "E09000033", 2022).value == 250  # Westminster
    assert value(v, "E09000033", 2017).value == 217
    assert value(v, "E08000003", 2022).value == 58  # Manchester
    assert value(v, "E08000003", 2018).value == 123
    assert value(v, "E06000023", 2022).value == 58  # Bristol, City of
    assert value(v, "E06000023", 2015).value == 97
    assert value(v, "E06000061", 2022).release == "autumn 2022"  # North Northamptonshire


def test_rates_table(tables):
    v = tables.values
    rates = v[v.indicator_id == "rough_sleeping_rate"]
    assert set(rates.unit) == {"rate_per_100k"} and len(rates) == 309 * 13
    assert value(v, "E09000033", 2022, "rough_sleeping_rate").value == pytest.approx(121.899486559363)
    assert value(v, "E08000003", 2021, "rough_sleeping_rate").value == pytest.approx(7.82027196359754)
    england = value(tables.aggregates, "E92000001", 2022, "rough_sleeping_rate")
    assert england.value == pytest.approx(5.42835937309719)


def test_aggregates_and_areas(tables):
    agg = tables.aggregates
    assert value(agg, "E92000001", 2022).value == 3069
    assert value(agg, "E12000007", 2022).value == 858  # London
    assert value(agg, "E12000006", 2017).value == 615  # East of England
    assert agg.area_code.nunique() == 10  # England + 9 regions; no Rest of England
    areas = tables.extra["areas"].set_index("area_code")
    assert len(areas) == 309
    assert areas.loc["E06000023", "area_name"] == "Bristol, City of"
    assert areas.loc["E06000023", "region_code"] == "E12000009"
    assert areas.loc["E09000033", "region_name"] == "London"
    assert any("SOURCE.md" in n for n in tables.notes)
    assert all(r.passed for r in tables.reconciliations)


def test_2020_edition_alone(folder):
    edition = rs.parse_workbook(folder / FILE_2020)
    assert (edition.release, edition.years[-1]) == ("autumn 2020", 2020)
    assert len(edition.areas) == 314
    assert "E06000060" in set(edition.areas.area_code)  # Buckinghamshire
    assert value(edition.values, "E06000060", 2020).value == 5
    assert value(edition.values, "E07000153", 2017).value == 14  # Kettering, pre-merger
    assert edition.values.indicator_id.unique().tolist() == ["rough_sleeping_count"]
    tables = rs.parse([raw(folder, FILE_2020)])
    counts = tables.values.groupby("period").value.sum()
    assert (counts["2017"], counts["2020"]) == (4751, 2688)
    assert tables.releases == ["autumn 2020"]


def test_2022_edition_reconciles_every_year(folder):
    edition = rs.parse_workbook(folder / FILE_2022)
    checks = {r.check: r for r in edition.reconciliations}
    assert checks["sum of local authorities = England, 2022"].expected == 3069
    assert checks["Rest of England = England - London, 2022"].expected == 2211
    assert len([c for c in checks if c.startswith("sum of local authorities = England")]) == 13
