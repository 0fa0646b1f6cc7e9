"""sources.population on the real ONS workbook (mye23tablesew.xlsx) and Nomis CSV (NM_2002_1)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sources import population
from tests.conftest import real_file

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def workbook_tables(shared_data, tmp_path_factory):
    from sources.archive import Archive

    archive = Archive(tmp_path_factory.mktemp("archive"))
    raw = archive.store("population", shared_data / "population" / "mye23tablesew.xlsx", origin="mirror")
    return population.parse([raw])


@pytest.fixture(scope="module")
def nomis_tables(shared_data, tmp_path_factory):
    from sources.archive import Archive

    archive = Archive(tmp_path_factory.mktemp("archive"))
    raw = archive.store("population", shared_data / "population" / "nomis_NM_2002_1" / "lad.csv", origin="mirror")
    return population.parse([raw])


def value(frame, code, period, indicator="population_all_ages"):
    row = frame[(frame.area_code == code) & (frame.period == period) & (frame.indicator_id == indicator)]
    assert len(row) == 1, (code, period, indicator)
    return row.iloc[0]


def test_296_english_lads_every_year_2011_to_2023(workbook_tables):
    allages = workbook_tables.values[workbook_tables.values.indicator_id == "population_all_ages"]
    counts = allages.groupby("period").area_code.nunique()
    assert counts.to_dict() == {str(y): 296 for y in range(2011, 2024)}
    assert allages.area_code.str.match(r"E0[6-9]").all()
    assert allages.value.notna().all() and allages.observation_status.isna().all()


def test_england_2023_equals_lad_sum(workbook_tables):
    england = value(workbook_tables.aggregates, "E92000001", "2023")
    assert england.value == 57_690_323
    assert england.period_start == england.period_end == date(2023, 6, 30)
    lads = workbook_tables.values
    lads_2023 = lads[(lads.period == "2023") & (lads.indicator_id == "population_all_ages")]
    assert lads_2023.value.sum() == 57_690_323
    checks = {r.check: r for r in workbook_tables.reconciliations}
    assert checks["population_all_ages: sum of 296 English LADs = England, mid-2023"].passed
    assert checks["population_all_ages: sum of 296 English LADs = England, mid-2011"].expected == 53_107_169
    assert (
        len(
            workbook_tables.aggregates[workbook_tables.aggregates.period == "2023"].query(
                "indicator_id == 'population_all_ages'"
            )
        )
        == 10
    )  # England + 9 regions


def test_named_authorities_match_the_workbook(workbook_tables):
    v = workbook_tables.values
    assert value(v, "E08000025", "2023").value == 1_166_049  # Birmingham
    assert value(v, "E08000025", "2011").value == 1_074_283
    assert value(v, "E06000017", "2023").value == 40_643  # Rutland
    assert value(v, "E09000001", "2023").value == 13_462  # City of London
    assert value(v, "E09000001", "2021").value == 8_689
    assert value(v, "E06000065", "2011").value == 601_206  # North Yorkshire, on 2023 boundaries
    assert value(v, "E08000025", "2023").release == "mid-2023 (2023 LA boundaries)"


def test_aged_16_64_from_mye2(workbook_tables):
    v = workbook_tables.values
    assert value(v, "E06000017", "2023", "population_aged_16_64").value == 23_363
    assert value(v, "E09000001", "2023", "population_aged_16_64").value == 11_493
    england = value(workbook_tables.aggregates, "E92000001", "2023", "population_aged_16_64")
    assert england.value == 36_258_886
    assert set(v[v.indicator_id == "population_aged_16_64"].period) == {"2023"}


def test_nomis_309_english_lads_for_2021(nomis_tables):
    v = nomis_tables.values
    assert v.period.unique().tolist() == ["2021"]
    assert v.area_code.nunique() == 309 and len(v) == 309
    assert value(v, "E08000025", "2021").value == 1_142_494  # Birmingham
    assert value(v, "E07000163", "2021").value == 57_090  # Craven, abolished April 2023
    assert nomis_tables.releases == ["mid-2021 (Nomis NM_2002_1, April 2021 LA boundaries)"]
    # No England row in this extract: LADs reconcile with the nine English regions instead.
    [check] = nomis_tables.reconciliations
    assert check.passed and check.expected == 56_536_419


def test_both_files_workbook_wins_for_2021(shared_data, archive):
    folder = shared_data / "population"
    raws = [
        archive.store("population", folder / "nomis_NM_2002_1" / "lad.csv", origin="m"),
        archive.store("population", folder / "mye23tablesew.xlsx", origin="m"),
    ]
    tables = population.parse(raws)
    v = tables.values
    assert value(v, "E08000025", "2021").value == 1_143_285  # MYE4 mid-2021, not Nomis 1,142,494
    assert value(v, "E07000163", "2021").value == 57_090  # only Nomis has Craven
    assert (v[v.period == "2021"].release.str.contains("Nomis")).sum() == 17  # abolished districts
    assert any("292 LA and 9 aggregate values" in n for n in tables.notes)


def test_two_editions_side_by_side_give_every_2022_figure_from_one_edition(shared_data, tmp_path):
    """Issue 11 item 7: with the mid-2022 tables (../shared/editions) beside mye23tablesew.xlsx, the
    parser alone takes 2022 working-age from the superseded edition and all-ages from the revised
    one; after the edition choice every 2022 figure is the revised edition's."""
    from sources.acquire import mirror_files
    from sources.archive import Archive
    from sources.catalogue import parse_source

    mid_2022 = real_file(shared_data.parent / "editions" / "population" / "mye22final.xlsx")
    mirror = tmp_path / "mirror"
    (mirror / "population").mkdir(parents=True)
    for path in (shared_data / "population" / "mye23tablesew.xlsx", mid_2022):
        (mirror / "population" / path.name).symlink_to(path)
    archive = Archive(tmp_path / "archive")
    files = [archive.store("population", p, origin=str(p)) for p in mirror_files(mirror, "population")]

    mixed = population.parse(files).values
    mixed_2022 = mixed[mixed.period == "2022"].groupby("indicator_id").release.agg(set).to_dict()
    assert mixed_2022 == {
        "population_all_ages": {"mid-2023 (2023 LA boundaries)"},
        "population_aged_16_64": {"mid-2022 (2023 LA boundaries)"},
    }  # the bug

    tables = parse_source("population", files)
    rows_2022 = pd.concat([tables.values, tables.aggregates]).query("period == '2022'")
    assert set(rows_2022.release) == {"mid-2023 (2023 LA boundaries)"}
    assert rows_2022[rows_2022.indicator_id == "population_all_ages"].area_code.str.match("E0").sum() == 296
    assert "population_aged_16_64" not in set(rows_2022.indicator_id)  # the revision has no ages for 2022
    assert value(tables.values, "E06000001", "2022").value == value(mixed, "E06000001", "2022").value
    choice = tables.edition_choice.set_index("release")
    superseded = choice.loc["mid-2022 (2023 LA boundaries)"]
    assert (
        not superseded.used and superseded.periods_superseded == "2022" and superseded.release_date == date(2024, 3, 26)
    )
    assert choice.loc["mid-2023 (2023 LA boundaries)"].release_date == date(2024, 7, 15)
    assert any(
        "mid-2022 (2023 LA boundaries): 306 mid_year_estimates rows for 2022 not used" in n for n in tables.notes
    )
