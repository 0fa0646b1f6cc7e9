"""The IG+ SQL on a small synthetic warehouse (30 LADs, 2 regions, England, the fictional example
records): scores against an independent pandas recomputation, ranks, the Monte Carlo's intervals
and seed stability, row-order independence, SMC pass-through, no-records handling, sensitivity."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from assets import landing as ld
from assets.igplus import CONFIG_TABLES, DEFAULT_CONFIG, config_tables, load_config
from assets.montecarlo import write_rank_summary
from assets.records import MIN_PEOPLE, write_landing
from assets.warehouse import Warehouse
from sources.geography.meta import EXTRA_TABLES as GEOGRAPHY_TABLES
from sources.population.meta import EXTRA_TABLES as POPULATION_TABLES
from sources.records import EXAMPLE_ONLY_KEY, ingest, write_example_records
from sources.records.model import FEEDBACK_QUESTIONS
from sources.tidy import TIDY_COLUMNS, TIDY_TABLE
from tests.fixtures.warehouses import SMALL_DRAWS, build_area_marts, small_igplus_config_file

from .igplus_reference import aligned_lad_values, competition_ranks, read_config, scores_from_table

EXAMPLE_LADS = ["E06000018", "E06000015", "E06000016", "E07000138"]
LADS = EXAMPLE_LADS + [f"E0700{n:04d}" for n in range(1, 27)]
REGION_OF = {code: ("E12000004" if i % 2 == 0 else "E12000007") for i, code in enumerate(LADS)}
RECORD_STEPS = [
    "staging/records_organisations.sql",
    "staging/records_programmes.sql",
    "staging/records_programme_areas.sql",
    "staging/records_programme_partners.sql",
    "staging/records_activities.sql",
    "staging/records_influence_log.sql",
    "staging/records_framework_register.sql",
    "staging/records_self_assessments.sql",
    "staging/records_place_surveys.sql",
    "staging/records_programme_years.sql",
    "staging/records_participant_feedback.sql",
]
AS_OF_YEAR = 2026  # open-ended programmes run to this year: fixed, so no result depends on today's date
# The public marts the index reads, by the real SQL over the landing tables (marts.areas and
# marts.area_groupings by build_area_marts): the harmonisation and inheritance steps of a refresh.
PUBLIC_STEPS = [
    "staging/code_map.sql",
    "staging/indicator_values.sql",
    "staging/upper_tier_map.sql",
    "staging/inherited_values.sql",
    "marts/indicator_values.sql",
    "marts/aggregate_values.sql",
]
IGPLUS_STEPS = [
    "marts/area_values.sql",
    "intermediate/lad_rollup.sql",
    "intermediate/igplus_records_values.sql",
    "intermediate/igplus_values.sql",
    "intermediate/igplus_scores_all.sql",
    "marts/statistical_neighbours.sql",
    "marts/igplus_scores.sql",
    "intermediate/igplus_rank_summary",
    "marts/igplus_uncertainty.sql",
    "marts/igplus_sensitivity.sql",
    "marts/framework_measures.sql",
]


def public_frames(shuffle_seed: int | None = None) -> dict[str, pd.DataFrame]:
    """The landing tables of the public sources (tidy values and aggregates, areas, LAD regions and
    county membership). Every indicator ranks the LADs the same way (LAD i is better than LAD i+1),
    with gaps far wider than the confidence intervals: a clear-cut case for hot and cold spots."""
    rows = []

    def add(indicator, area, period, start, end, value, lower=None, upper=None, status=None):
        rows.append(
            {
                "indicator_id": indicator,
                "area_code": area,
                "period": period,
                "period_start": pd.Timestamp(start),
                "period_end": pd.Timestamp(end),
                "value": value,
                "unit": "x",
                "lower_ci": lower,
                "upper_ci": upper,
                "observation_status": status,
                "source_id": "synthetic",
                "release": "r",
            }
        )

    for i, lad in enumerate(LADS):
        for year in range(2016, 2023):
            add("rough_sleeping_rate", lad, str(year), f"{year}-10-01", f"{year}-11-30", 1.0 + i + 0.1 * (year - 2016))
            add("population_all_ages", lad, str(year), f"{year}-06-30", f"{year}-06-30", 10000.0 * (1 + i % 7))
        for fy in (2018, 2019, 2020):
            add(
                "children_low_income_relative_pct",
                lad,
                f"{fy}/{(fy + 1) % 100:02d}",
                f"{fy}-04-01",
                f"{fy + 1}-03-31",
                5.0 + i,
            )
        add("jobs_below_living_wage_pct", lad, "2022", "2022-04-01", "2022-04-30", 4.0 + i, 3.9 + i, 4.1 + i)
        for index, scale in [
            ("smc_conditions_of_childhood", 1.0),
            ("smc_innovation_and_growth", 0.5),
            ("smc_labour_market_opportunities", 0.8),
        ]:
            add(index, lad, "2012 to 2017", "2012-01-01", "2017-12-31", scale * (2.0 - 0.1 * i))
            add(index, lad, "2018 to 2024", "2018-01-01", "2024-12-31", scale * (2.5 - 0.1 * i))
        add("smc_promising_prospects", lad, "2018 to 2020", "2018-01-01", "2020-12-31", 1.5 - 0.1 * i)
        add("smc_promising_prospects", lad, "2021 to 2024", "2021-01-01", "2024-12-31", 1.6 - 0.1 * i)
    values = pd.DataFrame(rows)
    aggregates = pd.DataFrame(
        [
            {
                **values.iloc[0].to_dict(),
                "indicator_id": "jobs_below_living_wage_pct",
                "area_code": "E92000001",
                "period": "2022",
                "period_start": pd.Timestamp("2022-04-01"),
                "period_end": pd.Timestamp("2022-04-30"),
                "value": 12.5,
                "lower_ci": 12.3,
                "upper_ci": 12.7,
            },
            {
                **values.iloc[0].to_dict(),
                "indicator_id": "rough_sleeping_rate",
                "area_code": "E12000004",
                "period": "2022",
                "period_start": pd.Timestamp("2022-10-01"),
                "period_end": pd.Timestamp("2022-11-30"),
                "value": 9.75,
                "lower_ci": None,
                "upper_ci": None,
            },
        ]
    )
    areas = pd.DataFrame(
        [
            {
                "area_code": c,
                "area_name": f"Area {c}",
                "area_type": "lad",
                "region_code": REGION_OF[c],
                "region_name": "r",
                "vintage": "2025",
            }
            for c in LADS
        ]
        + [
            {
                "area_code": r,
                "area_name": r,
                "area_type": "region",
                "region_code": r,
                "region_name": r,
                "vintage": "2025",
            }
            for r in ("E12000004", "E12000007")
        ]
        + [
            {
                "area_code": "E92000001",
                "area_name": "England",
                "area_type": "country",
                "region_code": None,
                "region_name": None,
                "vintage": "2025",
            }
        ]
    )
    lad_region = pd.DataFrame([{"lad_code": c, "region_code": r, "region_name": r} for c, r in REGION_OF.items()])
    frames = {
        "indicator_values": values,
        "aggregate_values": aggregates,
        "areas": areas,
        "lad_region": lad_region,
        "lad_county": pd.DataFrame(columns=POPULATION_TABLES["lad_county"].names),
    }
    if shuffle_seed is not None:
        frames = {k: v.sample(frac=1, random_state=shuffle_seed).reset_index(drop=True) for k, v in frames.items()}
    return frames


@functools.cache
def read_config_tables(config_set: str, path: Path, text: str) -> dict[str, pd.DataFrame]:
    """load_config and config_tables of one config file, once per process for the same file and
    contents (`text` is part of the key: an edited file is read again)."""
    return config_tables(load_config(path), config_set, path)


def load_configs(con, current: Path, default: Path = DEFAULT_CONFIG) -> None:
    sets = {"current": current, "default": default}
    tables = [read_config_tables(s, p, p.read_text()) for s, p in sets.items()]
    for name in CONFIG_TABLES:
        Warehouse.replace_table(
            con, "landing", f"igplus_config_{name}", pd.concat([t[name] for t in tables], ignore_index=True)
        )


@functools.cache
def records_load(with_records: bool):
    """The fictional example records (or none), checked by the real records engine once per test
    process: every warehouse build lands the same load (write_landing copies it, leaving it as it was)."""
    records = Path(tempfile.mkdtemp(prefix="igplus-records-"))
    atexit.register(shutil.rmtree, records, True)
    if with_records:
        write_example_records(records)
    return ingest(records, key=EXAMPLE_ONLY_KEY, known_lad_codes=set(LADS), example_data=True)


def land_public(con, frames: dict[str, pd.DataFrame], shuffle_seed: int | None = None) -> None:
    """The public frames into their landing tables through the contracts' DDL, then the public marts
    by the real SQL (PUBLIC_STEPS; areas and groupings by build_area_marts), so these tables have
    the real marts' columns and types. With shuffle_seed the marts' rows are stored in a random order
    too (the SQL sorts what it writes), so the index never sees them in a convenient order."""
    ld.ensure_landing(con)
    ld.replace_values(con, "synthetic", frames["indicator_values"][TIDY_COLUMNS], frames["aggregate_values"])
    ld.replace_contract_table(con, "population__lad_county", POPULATION_TABLES["lad_county"], frames["lad_county"])
    ld.replace_contract_table(con, "population__former_area_values", TIDY_TABLE, pd.DataFrame(columns=TIDY_COLUMNS))
    for name in ("code_map", "area_changes"):  # no recodings or mergers among the fixture's areas
        table = GEOGRAPHY_TABLES[name]
        ld.replace_contract_table(con, f"geography__{name}", table, pd.DataFrame(columns=table.names))
    build_area_marts(con, frames["areas"], frames["lad_region"])
    for step in PUBLIC_STEPS:
        Warehouse.run(con, step)
    if shuffle_seed is not None:
        for name in ("indicator_values", "aggregate_values", "areas", "area_groupings"):
            con.execute(
                f"CREATE OR REPLACE TABLE marts.{name} AS SELECT * FROM marts.{name} ORDER BY hash(rowid, $seed)",
                {"seed": shuffle_seed},
            )


def land_inputs(con, shuffle_seed: int | None = None, with_records: bool = True, edit=None) -> None:
    """Everything the index reads but its config: the records (landed, then their staging models)
    and the public marts."""
    write_landing(con, records_load(with_records), "fp")
    frames = public_frames(shuffle_seed)
    if edit is not None:
        edit(frames)
    land_public(con, frames, shuffle_seed)
    run_steps(con, RECORD_STEPS)


@functools.cache
def default_inputs() -> Path:
    """land_inputs with its defaults, once per test process: the builds that change only the config
    start from a copy of it (none of RECORD_STEPS or the public steps reads the config)."""
    folder = Path(tempfile.mkdtemp(prefix="igplus-inputs-"))
    atexit.register(shutil.rmtree, folder, True)
    warehouse = Warehouse(folder / "inputs.duckdb", folder / "inputs_pub.duckdb")
    with warehouse.connect() as con:
        land_inputs(con)
    return warehouse.work_path


def run_steps(con, steps: list[str]) -> None:
    for step in steps:
        if step == "intermediate/igplus_rank_summary":  # the Monte Carlo is Python (assets/montecarlo.py)
            write_rank_summary(con)
            continue
        sql = (Path(__file__).resolve().parents[2] / "sql" / step).read_text()
        params = {"min_people": MIN_PEOPLE, "as_of_year": AS_OF_YEAR}
        Warehouse.run(con, step, {k: v for k, v in params.items() if "$" + k in sql})


def build(
    tmp_path: Path,
    config: Path | None = None,
    shuffle_seed: int | None = None,
    with_records: bool = True,
    default: Path = DEFAULT_CONFIG,
    name: str = "w",
    edit=None,
) -> Warehouse:
    """config: the IG+ config (default: config/igplus.v1.yaml with the tests' 200-draw Monte Carlo).
    edit: a function changing the public landing frames (public_frames) before they land."""
    config = config or small_igplus_config_file()
    warehouse = Warehouse(tmp_path / f"{name}.duckdb", tmp_path / f"{name}_pub.duckdb")
    same_inputs = shuffle_seed is None and with_records and edit is None
    if same_inputs:
        shutil.copyfile(default_inputs(), warehouse.work_path)
    with warehouse.connect() as con:
        if not same_inputs:
            land_inputs(con, shuffle_seed, with_records, edit)
        load_configs(con, config, default)
        run_steps(con, IGPLUS_STEPS)
    return warehouse


def table(warehouse: Warehouse, name: str, order: str) -> pd.DataFrame:
    with warehouse.connect() as con:
        return con.execute(f"SELECT * FROM marts.{name} ORDER BY {order}").df()


def edited_config(tmp_path: Path, edit) -> Path:
    config = yaml.safe_load(small_igplus_config_file().read_text())
    edit(config)
    path = tmp_path / f"igplus.edited{len(list(tmp_path.glob('igplus.edited*')))}.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


@functools.cache
def default_build() -> Warehouse:
    """build() with its defaults, once per test process, in a temporary folder removed at exit: read
    by this module, tests/unit/test_igplus_montecarlo.py and tests.fixtures.warehouses.igplus_marts
    (never written: a test that changes a warehouse builds its own)."""
    folder = Path(tempfile.mkdtemp(prefix="igplus-default-"))
    atexit.register(shutil.rmtree, folder, True)
    return build(folder)


@pytest.fixture(scope="module")
def built():
    return None, default_build()


def test_scores_agree_with_an_independent_recomputation(built):
    _, warehouse = built
    scores = table(warehouse, "igplus_scores", "area_code, year, level, component")
    config = read_config(DEFAULT_CONFIG)
    # Pillar A values are the LAD values of the period the alignment rule picks.
    expected = aligned_lad_values(public_frames()["indicator_values"], config)
    got = scores[(scores.level == "indicator") & (scores.area_type == "lad") & (scores.pillar == "A")]
    merged = got.merge(expected, on=["area_code", "year", "component"], how="left", suffixes=("", "_ref"))
    assert np.allclose(merged["value"].astype(float), merged["value_ref"].astype(float), atol=1e-9, equal_nan=True)
    # Every level from those raw values, by the reference implementation.
    ref = scores_from_table(scores[scores.level == "indicator"], config)
    both = scores.merge(ref, on=["area_code", "year", "level", "component"], how="inner", validate="1:1")
    assert len(both) == len(scores)
    assert (both["score"].isna() == both["ref"].isna()).all()
    assert np.allclose(both["score"].dropna(), both["ref"].dropna().astype(float), atol=1e-9, rtol=0)
    # Ranks: 1 = best among areas of the same type, ties share the smaller rank.
    for _, group in scores[scores.score.notna()].groupby(["area_type", "year", "level", "component"]):
        assert (group["rank"].to_numpy() == competition_ranks(group["score"]).to_numpy()).all()
        assert (group["n_ranked"] == len(group)).all()


def test_publisher_values_kept_and_england_compared(built):
    _, warehouse = built
    scores = table(warehouse, "igplus_scores", "area_code, year, level, component")
    england = scores[
        (scores.area_code == "E92000001")
        & (scores.component == "low_pay")
        & (scores.year == 2022)
        & (scores.level == "indicator")
    ].iloc[0]
    assert england.value == 12.5 and england.aggregation == "as_published"
    region = scores[
        (scores.area_code == "E12000004")
        & (scores.component == "rough_sleeping")
        & (scores.year == 2022)
        & (scores.level == "indicator")
    ].iloc[0]
    assert region.value == 9.75 and region.aggregation == "as_published"
    other = scores[
        (scores.area_code == "E12000007")
        & (scores.component == "in_work_poverty")
        & (scores.year == 2020)
        & (scores.level == "indicator")
    ].iloc[0]
    lads = public_frames()["indicator_values"]
    members = [c for c, r in REGION_OF.items() if r == "E12000007"]
    cilif = lads[
        (lads.indicator_id == "children_low_income_relative_pct")
        & (lads.period == "2020/21")
        & lads.area_code.isin(members)
    ].set_index("area_code")["value"]
    pop = lads[
        (lads.indicator_id == "population_all_ages") & (lads.period == "2020") & lads.area_code.isin(members)
    ].set_index("area_code")["value"]
    assert other.aggregation == "population_weighted"
    assert abs(other.value - (cilif * pop).sum() / pop.sum()) < 1e-9
    lad = scores[
        (scores.area_code == LADS[0]) & (scores.year == 2022) & (scores.level == "pillar") & (scores.component == "A")
    ].iloc[0]
    assert (
        lad.england_score
        == scores[
            (scores.area_code == "E92000001")
            & (scores.year == 2022)
            & (scores.level == "pillar")
            & (scores.component == "A")
        ].score.iloc[0]
    )
    assert (
        lad.region_score
        == scores[
            (scores.area_code == "E12000004")
            & (scores.year == 2022)
            & (scores.level == "pillar")
            & (scores.component == "A")
        ].score.iloc[0]
    )
    # Like for like only: the 2019 pillar A has no low pay (published from 2022), so its 2022 score
    # is made of other parts and no change is given; a domain made of the same indicator in both
    # years gives score minus baseline score.
    baseline_a = scores[
        (scores.area_code == LADS[0]) & (scores.year == 2019) & (scores.level == "pillar") & (scores.component == "A")
    ].iloc[0]
    assert pd.notna(baseline_a.score) and pd.notna(lad.score) and pd.isna(lad.change_since_baseline)
    low_pay = scores[(scores.area_code == LADS[0]) & (scores.level == "domain") & (scores.component == "low_pay")]
    assert low_pay[low_pay.year == 2019].score.isna().all()
    assert len(low_pay[low_pay.year == 2022]) == 1 and low_pay[low_pay.year == 2022].score.notna().all()
    homes = scores[(scores.area_code == LADS[0]) & (scores.level == "domain") & (scores.component == "homelessness")]
    now, before = homes[homes.year == 2022].iloc[0], homes[homes.year == 2019].iloc[0]
    assert now.change_since_baseline == pytest.approx(now.score - before.score)


def test_in_work_poverty_falls_back_and_says_so(built):
    _, warehouse = built
    scores = table(warehouse, "igplus_scores", "area_code, year")
    rows = scores[(scores.component == "in_work_poverty") & (scores.level == "indicator")]
    assert set(rows.indicator_id) == {"children_low_income_relative_pct"} and rows.fallback_used.all()


def test_no_records_means_no_pillar_b_and_no_igplus_never_zero(built):
    _, warehouse = built
    scores = table(warehouse, "igplus_scores", "area_code, year, level, component")
    lad = scores[(scores.area_code == LADS[10]) & (scores.year == 2023)]
    top = lad[lad.level.isin(["pillar", "igplus"])].set_index("component")
    assert top.loc["A", "status"] == "ok" and top.loc["A", "score"] > 0
    assert top.loc["B", "status"] == "no_records" and pd.isna(top.loc["B", "score"])
    assert top.loc["igplus", "status"] == "no_records" and pd.isna(top.loc["igplus", "score"])
    # Nottingham has records in 2023: an IG+ score, marked as example data.
    notts = scores[(scores.area_code == "E06000018") & (scores.year == 2023) & (scores.level == "igplus")].iloc[0]
    assert notts.status == "ok" and notts.score > 0 and notts.example_data


def test_inherited_county_values_are_not_scored_ranked_or_used_for_neighbours(tmp_path):
    """A district showing its county's SMC values (basis 'inherited') gets no SMC score of its own:
    it is ranked on pillar A from its own figures only and its neighbours are picked without them,
    while its region's pooled value still counts it."""
    district = LADS[5]

    def inherit(frames):
        """The SMC publishes the district's figures only for its county (the same numbers): the
        real harmonisation SQL passes them down, basis 'inherited'."""
        values = frames["indicator_values"]
        smc = values["indicator_id"].str.startswith("smc_") & (values["area_code"] == district)
        county = values[smc].assign(area_code="E10000024")
        frames["indicator_values"] = pd.concat([values[~smc], county], ignore_index=True)
        frames["lad_county"] = pd.DataFrame(
            [{"lad_code": district, "county_code": "E10000024", "county_name": "Nottinghamshire"}]
        )

    warehouse = build(tmp_path, with_records=False, edit=inherit, name="inherited")
    with warehouse.connect() as con:
        basis = con.execute(
            "SELECT DISTINCT basis, basis_area_code, basis_area_name FROM marts.indicator_values "
            "WHERE area_code = ? AND indicator_id LIKE 'smc_%'",
            [district],
        ).fetchall()
    assert basis == [("inherited", "E10000024", "Nottinghamshire")]
    scores = table(warehouse, "igplus_scores", "area_code, year, level, component")
    mine = scores[(scores.area_code == district) & (scores.year == 2022)]
    smc = mine[(mine.level == "indicator") & mine.component.str.startswith("smc_")]
    assert len(smc) == 4 and smc.score.isna().all() and (smc.status == "inherited").all()
    assert smc["rank"].isna().all()
    social = mine[(mine.level == "domain") & (mine.component == "social_mobility")].iloc[0]
    assert pd.isna(social.score) and pd.isna(social["rank"])
    pillar = mine[(mine.level == "pillar") & (mine.component == "A")].iloc[0]
    assert pillar.status == "ok" and pillar.score > 0  # three of four domains, as the method allows
    others = scores[
        (scores.year == 2022)
        & (scores.level == "indicator")
        & (scores.area_type == "lad")
        & (scores.component == "smc_conditions_of_childhood")
    ]
    assert others.n_ranked.dropna().eq(len(LADS) - 1).all()  # ranked among the districts' own values only
    with warehouse.connect() as con:
        pairs = con.execute(
            "SELECT area_code, neighbour_code, n_indicators FROM marts.statistical_neighbours "
            "WHERE area_code = ? OR neighbour_code = ?",
            [district, district],
        ).df()
    assert len(pairs) and (pairs.n_indicators == 3).all()  # low pay, in-work poverty, rough sleeping
    region = scores[
        (scores.area_code == REGION_OF[district])
        & (scores.year == 2022)
        & (scores.level == "indicator")
        & (scores.component == "smc_conditions_of_childhood")
    ].iloc[0]
    lads = public_frames()["indicator_values"]
    members = [c for c, r in REGION_OF.items() if r == REGION_OF[district]]
    smc_values = lads[
        (lads.indicator_id == "smc_conditions_of_childhood")
        & (lads.period == "2018 to 2024")
        & lads.area_code.isin(members)
    ].set_index("area_code")["value"]
    pop = lads[
        (lads.indicator_id == "population_all_ages") & (lads.period == "2022") & lads.area_code.isin(members)
    ].set_index("area_code")["value"]
    assert region.value == pytest.approx((smc_values * pop).sum() / pop.sum())  # the district still counts
    check = (Path(__file__).resolve().parents[2] / "sql" / "checks" / "igplus_inherited_not_scored.sql").read_text()
    with warehouse.connect() as con:
        assert con.execute(check).fetchall() == []
        con.execute(
            "UPDATE marts.igplus_scores SET score = 50, rank = 1 WHERE area_code = ? AND level = 'indicator' "
            "AND component = 'smc_promising_prospects'",
            [district],
        )
        assert len(con.execute(check).fetchall()) > 0  # the check catches a scored inherited value


def test_monte_carlo_intervals_and_clear_cut_hot_cold(built, tmp_path):
    _, warehouse = built
    mc = table(warehouse, "igplus_uncertainty", "area_code, year, level, component")
    assert (mc.rank_p05 <= mc.median_rank).all() and (mc.median_rank <= mc.rank_p95).all()
    assert (mc.n_draws == SMALL_DRAWS).all()  # the tests' config (2000 in config/igplus.v1.yaml)
    lads = mc[(mc.area_type == "lad") & (mc.component == "A") & (mc.year == 2022)].set_index("area_code")
    # Every indicator orders the LADs alike, so every draw does too: the extremes are certain.
    assert (lads.rank_p05 == lads.rank_p95).all() and (lads.median_rank == lads["rank"]).all()
    assert lads.loc[LADS[:6], "hot_cold"].eq("hot").all() and lads.loc[LADS[-6:], "hot_cold"].eq("cold").all()
    assert lads.loc[LADS[6:-6], "hot_cold"].eq("uncertain").all()
    # The label comes from the reference run (keyed by the method version), so a new seed leaves
    # every label and share as it was.
    other_seed = build(tmp_path, edited_config(tmp_path, lambda c: c["monte_carlo"].update(seed=7)), name="seed")
    again = table(other_seed, "igplus_uncertainty", "area_code, year, level, component")
    assert (again.seed == 7).all() and (mc.seed != 7).all()
    pd.testing.assert_series_equal(again.hot_cold, mc.hot_cold)
    pd.testing.assert_series_equal(again.share_best_fifth, mc.share_best_fifth)


def test_shuffled_inputs_change_nothing(built, tmp_path):
    _, warehouse = built
    shuffled = build(tmp_path, shuffle_seed=3, name="shuffled")
    for name, order in [
        ("igplus_scores", "area_code, year, level, component"),
        ("igplus_uncertainty", "area_code, year, level, component"),
        ("statistical_neighbours", "area_code, neighbour_rank"),
        ("framework_measures", "entity_type, entity_code, year, measure, framework_id"),
    ]:
        pd.testing.assert_frame_equal(
            table(warehouse, name, order), table(shuffled, name, order), check_exact=False, rtol=0, atol=1e-9
        )


def test_smc_ranking_passes_through_with_equal_weights_and_no_uncertainty(tmp_path):
    def only_smc(config):
        config["components"] = {
            k: v
            for k, v in config["components"].items()
            if k == "smc_conditions_of_childhood"
            or v["domain"] not in {"low_pay", "in_work_poverty", "homelessness", "social_mobility"}
        }
        config["domains"] = {k: v for k, v in config["domains"].items() if k == "social_mobility" or v["pillar"] != "A"}
        config["monte_carlo"].update(weight_jitter=0.0, value_uncertainty=False, normalisations={"goalposts": 1.0})

    warehouse = build(tmp_path, edited_config(tmp_path, only_smc), name="smc")
    scores = table(warehouse, "igplus_scores", "area_code")
    published = public_frames()["indicator_values"]
    published = published[
        (published.indicator_id == "smc_conditions_of_childhood") & (published.period == "2018 to 2024")
    ].set_index("area_code")["value"]
    pillar = scores[
        (scores.area_type == "lad") & (scores.year == 2022) & (scores.level == "pillar") & (scores.component == "A")
    ].set_index("area_code")
    assert (pillar["rank"] == competition_ranks(published).loc[pillar.index]).all()
    mc = table(warehouse, "igplus_uncertainty", "area_code")
    mc = mc[(mc.area_type == "lad") & (mc.year == 2022) & (mc.component == "A")].set_index("area_code")
    assert (mc.median_rank == pillar.loc[mc.index, "rank"]).all() and (mc.rank_p05 == mc.rank_p95).all()


def test_edited_weights_change_scores_and_sensitivity_names_movers(built, tmp_path):
    _, warehouse = built
    unchanged = table(warehouse, "igplus_sensitivity", "area_code, year, level, component")
    assert (unchanged.rank_change.fillna(0) == 0).all()

    def reweight(config):
        config["domains"]["homelessness"]["weight"] = 4.0
        config["components"]["rough_sleeping"]["candidates"][0]["max"] = 10

    edited = build(tmp_path, edited_config(tmp_path, reweight), name="edited")
    before = table(warehouse, "igplus_scores", "area_code, year, level, component")
    after = table(edited, "igplus_scores", "area_code, year, level, component")
    assert not np.allclose(before.score.fillna(-1), after.score.fillna(-1))
    sens = table(edited, "igplus_sensitivity", "area_code, year, level, component")
    movers = sens[sens.rank_change.fillna(0) != 0]
    assert not movers.empty
    assert (movers.rank_change == movers.rank_default - movers.rank_current).all()
    check = sens[(sens.level == "pillar") & (sens.component == "A")].merge(
        after[(after.level == "pillar") & (after.component == "A")][["area_code", "year", "score"]],
        on=["area_code", "year"],
    )
    assert np.allclose(check.score_current, check.score, equal_nan=True)


def test_framework_measures_count_organisations_per_area(built):
    _, warehouse = built
    fm = table(warehouse, "framework_measures", "entity_type, entity_code, year, measure")
    region = fm[(fm.entity_code == "E12000004") & (fm.year == 2024)].set_index("measure")
    notts = fm[(fm.entity_code == "E06000018") & (fm.year == 2024)].set_index("measure")
    assert notts.loc["organisations_signed_up", "value"] >= 1
    assert region.loc["organisations_signed_up", "value"] >= notts.loc["organisations_signed_up", "value"]
    assert fm.example_data.all() and not fm.counts_people.any()
    assert {
        "community_investment_gbp",
        "programmes_measuring_social_mobility_pct",
        "checklist_points_met",
        "organisations_written_inclusion_policy",
    } <= set(region.index)


def test_config_errors_name_the_key(tmp_path):
    from assets.igplus import IgplusConfigError

    bad = edited_config(tmp_path, lambda c: c["components"]["low_pay"]["candidates"][0].update(min=50))
    with pytest.raises(IgplusConfigError, match=r"components.low_pay.candidates\[0\]"):
        load_config(bad)
    bad = edited_config(tmp_path, lambda c: c["components"]["low_pay"].update(domain="nowhere"))
    with pytest.raises(IgplusConfigError, match="components.low_pay.domain"):
        load_config(bad)
    bad = edited_config(tmp_path, lambda c: c["monte_carlo"].update(normalisations={"goalposts": 0.5}))
    with pytest.raises(IgplusConfigError, match="monte_carlo.normalisations"):
        load_config(bad)
    shutil.copy(DEFAULT_CONFIG, tmp_path / "copy.yaml")
    assert load_config(tmp_path / "copy.yaml")["version"] == "igplus.v1"


def test_participants_voice_is_a_pillar_b_domain(built):
    _, warehouse = built
    with warehouse.connect() as con:
        values = con.execute(
            "SELECT * FROM intermediate.igplus_records_values WHERE indicator_id LIKE 'records_feedback_%'"
        ).df()
        domains = con.execute("SELECT DISTINCT domain FROM marts.igplus_scores WHERE level = 'domain'").df()
    assert {f"records_feedback_{s}_pct" for s in FEEDBACK_QUESTIONS} == set(values["indicator_id"])
    shown = values.dropna(subset=["value"])
    assert len(shown) and shown["value"].between(0, 100).all()
    assert (values[values["value"].isna()]["observation_status"] == "suppressed").all()
    assert "voice" in set(domains["domain"])


def test_grouping_values_are_read_from_the_area_values_mart(built):
    """The index's region and England values are marts.area_values' (what the pages show), not a
    second aggregation of its own."""
    _, warehouse = built
    with warehouse.connect() as con:
        pooled = con.execute(
            "SELECT count(*) FROM intermediate.igplus_values WHERE pillar_source = 'public' "
            "AND area_type <> 'lad' AND value IS NOT NULL"
        ).fetchone()[0]
        pairs = con.execute("""SELECT v.value, a.value, a.aggregation_method FROM intermediate.igplus_values AS v
            JOIN marts.area_values AS a USING (area_code, indicator_id, period)
            WHERE v.pillar_source = 'public' AND v.area_type <> 'lad' AND v.value IS NOT NULL""").fetchall()
    assert pooled > 0 and len(pairs) == pooled
    assert all(index == pytest.approx(mart, rel=1e-12) for index, mart, _ in pairs)
    assert {method for *_, method in pairs} == {"published", "population_weighted_mean"}


def test_neighbours_score_only_when_half_the_neighbours_have_a_score(built):
    """neighbours_score is the mean of the neighbours' scores only when at least half of the
    area's neighbours have one: the mean of one or two of ten is not "similar areas"."""
    _, warehouse = built
    with warehouse.connect() as con:
        rows = con.execute("""
            WITH n AS (SELECT area_code, neighbour_code FROM marts.statistical_neighbours),
            k AS (SELECT area_code, year, level, component, score FROM marts.igplus_scores),
            means AS (
                SELECT n.area_code, k.year, k.level, k.component, avg(k.score) AS mean,
                       count(k.score) AS scored, count(*) AS listed
                FROM n JOIN k ON k.area_code = n.neighbour_code GROUP BY ALL
            )
            SELECT m.mean, m.scored, m.listed, s.neighbours_score
            FROM means AS m JOIN marts.igplus_scores AS s USING (area_code, year, level, component)""").fetchall()
    few = [r for r in rows if 0 < r[1] < 0.5 * r[2]]
    enough = [r for r in rows if r[1] >= 0.5 * r[2]]
    assert few and enough  # the fixture has both kinds (pillar B: records for a few districts only)
    assert all(r[3] is None for r in few)
    assert all(r[3] == pytest.approx(r[0], abs=1e-9) for r in enough)


def test_change_since_baseline_only_like_for_like(built):
    """change_since_baseline is given only when the same parts (domains of a pillar, indicators of a
    domain, pillars of IG+) have a score in both years: otherwise it is a change of method."""
    _, warehouse = built
    with warehouse.connect() as con:
        rows = con.execute("""
            WITH parts AS (
                SELECT area_code, year,
                       CASE level WHEN 'indicator' THEN 'domain' WHEN 'domain' THEN 'pillar' ELSE 'igplus' END AS level,
                       CASE level WHEN 'indicator' THEN domain WHEN 'domain' THEN pillar ELSE 'igplus' END AS component,
                       list_sort(list(component)) AS parts
                FROM marts.igplus_scores WHERE score IS NOT NULL AND level IN ('indicator', 'domain', 'pillar')
                GROUP BY ALL
            )
            SELECT s.level, s.score - b.score, s.change_since_baseline,
                   coalesce(pn.parts, []) = coalesce(pb.parts, []) AS same_parts
            FROM marts.igplus_scores AS s
            JOIN marts.igplus_scores AS b ON b.area_code = s.area_code AND b.level = s.level
                AND b.component = s.component AND b.year = s.baseline_year
            LEFT JOIN parts AS pn ON pn.area_code = s.area_code AND pn.year = s.year AND pn.level = s.level
                AND pn.component = s.component
            LEFT JOIN parts AS pb ON pb.area_code = s.area_code AND pb.year = b.year AND pb.level = s.level
                AND pb.component = s.component
            WHERE s.score IS NOT NULL AND b.score IS NOT NULL AND s.level <> 'indicator'""").fetchall()
    changed = [r for r in rows if not r[3]]
    same = [r for r in rows if r[3]]
    assert changed and same  # the fixture has both (low pay from 2022 only)
    assert all(r[2] is None for r in changed)
    assert all(r[2] == pytest.approx(r[1], abs=1e-9) for r in same)


def test_a_decision_fed_back_before_its_activity_is_not_a_quick_closure(built):
    """ "You said, we did" counts decisions fed back 0 to 90 days after the activity: a feedback date
    before the activity (the example records have one, 40 days early) is a recording error."""
    _, warehouse = built
    with warehouse.connect() as con:
        early = con.execute(
            "SELECT count(*) FROM staging.records_influence_log AS i JOIN staging.records_activities AS a "
            "USING (activity_id) WHERE i.fed_back_date < a.activity_date"
        ).fetchone()[0]
        pairs = con.execute("""
            WITH r AS (
                SELECT a.area_code, a.year, i.decision <> 'pending' AND i.fed_back_date IS NOT NULL
                       AND i.fed_back_date >= a.activity_date AND i.fed_back_date <= a.activity_date + 90 AS closed
                FROM staging.records_influence_log AS i JOIN staging.records_activities AS a USING (activity_id)
            )
            SELECT v.value, 100.0 * count(*) FILTER (WHERE r.closed) / count(*)
            FROM r JOIN intermediate.igplus_records_values AS v
                ON v.area_code = r.area_code AND v.year = r.year AND v.indicator_id = 'records_fed_back_90d_pct'
            GROUP BY v.area_code, v.year, v.value""").fetchall()
    assert early and pairs
    assert all(value == pytest.approx(expected) for value, expected in pairs)
