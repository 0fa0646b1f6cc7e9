"""in_work_poverty on the real CiLIF 2014-to-2021 workbook (FYE 2015 to 2021, published 31 March 2022).

Expected figures were read from the workbook's LA sheets directly (pandas, no project code).
Opening the .ods takes 30-60 s (odfpy loads the whole document), so it is parsed once per module.
"""

from __future__ import annotations

import math

import pytest

from sources import in_work_poverty as iwp
from sources.archive import Archive

pytestmark = pytest.mark.realdata
PERIODS = ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19", "2019/20", "2020/21"]


@pytest.fixture(scope="module")
def parsed(shared_data, tmp_path_factory):
    folder = shared_data / "in_work_poverty"
    archive = Archive(tmp_path_factory.mktemp("archive"))
    files = [
        archive.store("in_work_poverty", p, origin=str(p))
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "SOURCE.md"
    ]
    return iwp.parse(files)  # includes stat_xplore_metadata/*.csv, which parse must skip


def value(df, indicator, code, period="2020/21"):
    hit = df[(df.indicator_id == indicator) & (df.area_code == code) & (df.period == period)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_row_counts_per_year(parsed):
    counts = parsed.values.groupby(["indicator_id", "period"]).size()
    assert set(counts.index.get_level_values("period")) == set(PERIODS)
    assert (counts == 309).all() and len(counts) == 4 * 7  # 309 English LADs, April 2021
    assert parsed.values.area_code.str.match(r"^E0[6-9]\d{6}$").all()
    assert parsed.extra["other_uk_local_authorities"].area_code.nunique() == 65  # 22 W + 32 S + 11 N
    assert any("skipped" in n and "database.csv" in n for n in parsed.notes)


@pytest.mark.parametrize(
    "code,rel_n,rel_pct,abs_n,abs_pct",
    [
        ("E06000001", 5417, 30.1, 4911, 27.3),  # Hartlepool
        ("E08000025", 91470, 35.6, 76183, 29.6),  # Birmingham
        ("E08000003", 36583, 32.5, 29025, 25.8),  # Manchester
        ("E09000030", 16931, 25.3, 14107, 21.1),  # Tower Hamlets
        ("E07000008", 2242, 10.2, 1794, 8.1),  # Cambridge
        ("E09000001", 56, 3.3, 46, 2.7),  # City of London
    ],
)
def test_named_authorities_2020_21(parsed, code, rel_n, rel_pct, abs_n, abs_pct):
    v = parsed.values
    assert value(v, "children_low_income_relative_count", code).value == rel_n
    assert value(v, "children_low_income_relative_pct", code).value == pytest.approx(rel_pct)
    assert value(v, "children_low_income_absolute_count", code).value == abs_n
    assert value(v, "children_low_income_absolute_pct", code).value == pytest.approx(abs_pct)
    # FYE 2021 is marked [p] in the headers
    assert value(v, "children_low_income_relative_pct", code).observation_status == "provisional"


def test_earlier_year_is_final(parsed):
    row = value(parsed.values, "children_low_income_relative_count", "E08000025", "2014/15")
    assert row.value == 68940 and row.observation_status is None
    pct = value(parsed.values, "children_low_income_absolute_pct", "E07000243", "2014/15")  # Stevenage
    assert pct.value == pytest.approx(13.4) and str(pct.period_start) == "2014-04-01"


def test_england_totals_as_sum_of_authorities(parsed):
    # The file has no England row; these are the sums of its 309 English LAs.
    v = parsed.values
    for indicator, period, total in [
        ("children_low_income_relative_count", "2020/21", 2003734),
        ("children_low_income_relative_count", "2014/15", 1574129),
        ("children_low_income_absolute_count", "2020/21", 1641209),
    ]:
        assert v[(v.indicator_id == indicator) & (v.period == period)].value.sum() == total


def test_uk_aggregate_and_reconciliation(parsed):
    agg = parsed.aggregates
    assert set(agg.area_code) == {"K02000001"}
    assert value(agg, "children_low_income_relative_count", "K02000001").value == 2379590
    assert value(agg, "children_low_income_relative_pct", "K02000001").value == pytest.approx(18.7)
    assert value(agg, "children_low_income_absolute_count", "K02000001", "2014/15").value == 1897438
    recon = parsed.extra["reconciliation"]
    assert len(recon) == 14 and (recon.authorities == 374).all()
    row = recon[(recon.measure == "absolute") & (recon.period == "2019/20")].iloc[0]
    assert row.published_total == 1992720 and row.sum_of_authorities == 1992816
    assert all(r.passed for r in parsed.reconciliations) and len(parsed.reconciliations) == 14


def test_markers_never_numbers(parsed):
    for frame in (parsed.values, parsed.aggregates, parsed.extra["other_uk_local_authorities"]):
        statuses = set(frame.observation_status.dropna())
        assert statuses <= {"provisional", "suppressed", "not_available", "not_applicable"}
        withheld = frame.observation_status.isin(["suppressed", "not_available", "not_applicable"])
        assert frame.loc[withheld, "value"].isna().all()
        assert frame.loc[~withheld, "value"].map(math.isfinite).all()
    pct = parsed.values[parsed.values.unit == "percent"].value
    assert pct.between(0, 100).all() and pct.max() > 1  # stored as fractions, published as 0-100


def test_release_from_cover_sheet(parsed):
    assert parsed.releases == ["FYE 2015 to 2021 (published 31 March 2022)"]
    assert set(parsed.values.release) == {"FYE 2015 to 2021 (published 31 March 2022)"}


from sources.in_work_poverty.statxplore import SPECS as STATXPLORE_SPECS  # noqa: E402

# The Stat-Xplore client's hard-coded ids, checked against the metadata snapshot (database.csv,
# measure.csv, dimension.csv) pulled from the Stat-Xplore schema API; see SOURCE.md section 2.
STATXPLORE_DIMENSION_NAMES = {
    "children_low_income_working_family_pct": ("National - Regional - LA - OAs", "Work Status", "Year"),
    "uc_in_employment_rate": ("National - Regional - LA - OAs", "Employment indicator", "Month"),
}


def _csv_pairs(path, key, value):
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {row[value]: row[key] for row in csv.DictReader(handle)}


@pytest.mark.parametrize("spec", STATXPLORE_SPECS, ids=lambda s: s.indicator_id)
def test_statxplore_ids_exist_in_the_publisher_metadata(shared_data, spec):
    folder = shared_data / "in_work_poverty" / "stat_xplore_metadata" / spec.database.split(":")[-1]
    databases = _csv_pairs(folder / "database.csv", "database_name", "database")
    measures = _csv_pairs(folder / "measure.csv", "measure_name", "measure")
    dimensions = _csv_pairs(folder / "dimension.csv", "dimension_name", "dimension")
    assert spec.database in databases
    assert spec.measure in measures
    named = tuple(dimensions.get(f) for f in (spec.geography_field, spec.breakdown_field, spec.period_field))
    assert named == STATXPLORE_DIMENSION_NAMES[spec.indicator_id]
