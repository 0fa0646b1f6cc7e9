"""Every generated page read as a board member would: no wrong ordinal, no rank among fewer than 5,
no operator text or setting names, the county basis stated, no IG+ claim without an IG+ score, no
example IG+ on the front page, currency in words."""

from __future__ import annotations

import duckdb
import pytest

from dashboards import build_site
from dashboards.pages import plain_text
from tests.page_checks import board_problems, igplus_claims
from tests.unit.area_values_helper import add_area_values
from tests.unit.test_dashboards import make_warehouse
from tests.unit.test_dashboards_areas import LEP, REGION, add_areas_and_records, add_igplus

INHERITED = "E07000001"  # the fixture's district given its county's rate


def add_basis_and_faults(path, *, example: bool = False) -> None:
    """The fixture plus: basis columns (one district's rate inherited from a county), a stale source
    whose reason is an operator's error with a setting name, an unavailable measure whose reason names
    a setting, and (optionally) example records."""
    con = duckdb.connect(str(path))
    con.execute("alter table marts.indicator_values add column if not exists basis varchar default 'own'")
    con.execute("alter table marts.indicator_values add column if not exists basis_area_code varchar")
    con.execute("alter table marts.indicator_values add column if not exists basis_area_name varchar")
    con.execute("update marts.indicator_values set basis_area_code = area_code")
    con.execute(
        "update marts.indicator_values set value = 6.5, observation_status = null, basis = 'inherited', "
        "basis_area_code = 'E10000024', basis_area_name = 'Nottinghamshire' "
        "where area_code = ? and indicator_id = 'rough_sleeping_rate'",
        [INHERITED],
    )
    con.execute("alter table marts.sources add column if not exists last_success_at timestamp")
    con.execute(
        "insert into marts.sources (source_id, title, licence, releases, retrieved_at, mode, status, "
        "stale_reason, last_success_at) values ('social_mobility', 'Social mobility by area', 'OGL', "
        "['CI1 2.0', 'CI3 2.0'], '2024-02-01 08:00:00', 'mirror', 'stale', "
        "'Traceback: HTTPError 503 at https://x.example/api; set STAT_XPLORE_API_KEY', '2024-01-05 07:00:00')"
    )
    con.execute("alter table marts.indicators add column if not exists available boolean default true")
    con.execute("alter table marts.indicators add column if not exists unavailable_reason varchar")
    con.execute(
        "insert into marts.indicators (indicator_id, title, source_id, unit, polarity, description, domain, "
        "available, unavailable_reason) values ('uc_in_employment_rate', 'Universal Credit in work', 'dwp', "
        "'percent', 'lower_is_better', '', 'poverty', false, 'STAT_XPLORE_API_KEY not set: unavailable')"
    )
    # The region: an IG+ score pooled from the records of 2 of its 5 districts, ranked among 9 regions.
    con.execute(
        "insert into marts.igplus_scores (area_code, area_type, year, level, component, score, rank, "
        "n_ranked, status, example_data, baseline_year) values (?, 'region', 2024, 'igplus', 'igplus', "
        "61.0, 3, 9, 'ok', false, 2019), (?, 'region', 2024, 'pillar', 'A', 58.0, 4, 9, 'ok', false, 2019)",
        [REGION, REGION],
    )
    if example:
        con.execute("update marts.record_measures set example_data = true")
        con.execute("update marts.build_info set value = 'true' where key = 'example_data'")
    con.close()


def build(tmp_path, example=False):
    path = make_warehouse(tmp_path / "w.duckdb")
    add_areas_and_records(path)
    add_igplus(path)
    add_basis_and_faults(path, example=example)
    add_area_values(path)
    summary = build_site(path, tmp_path / "site")
    texts = {name: plain_text((tmp_path / "site" / name).read_text(encoding="utf-8")) for name in summary["pages"]}
    return summary, texts


@pytest.fixture(scope="module")
def real_records(tmp_path_factory):
    return build(tmp_path_factory.mktemp("text"))


@pytest.fixture(scope="module")
def example_records(tmp_path_factory):
    return build(tmp_path_factory.mktemp("example"), example=True)


def test_no_page_has_a_bad_ordinal_a_rank_among_few_or_operator_text(real_records, example_records):
    for _summary, texts in (real_records, example_records):
        for name, text in texts.items():
            assert board_problems(text, methodology=name == "methodology.html") == {}, name


def test_checks_catch_what_they_look_for():
    bad = (
        "It comes 3th of 296 and 12st of 20, 2nd out of 2, in the London. STAT_XPLORE_API_KEY not set. "
        "Editions CI1 2.0. Up to date."
    )
    problems = board_problems(bad)
    assert problems["bad ordinals"] == ["3th", "12st"]
    assert problems["rank among fewer than 5"] and "STAT_XPLORE_API_KEY" in problems["operator text"]
    assert "CI1 2.0" in problems["operator text"] and "Up to date" in problems["forbidden phrase"]
    assert board_problems("It ranks 11th, 12th, 13th, 21st, 22nd, 23rd, 101st and 111th of 296; out of 100.") == {}


def test_county_basis_stated_on_the_page_and_in_the_csv(real_records, tmp_path):
    _, texts = real_records
    text = texts[f"areas/{INHERITED}.html"]
    assert "Nottinghamshire figure; not published for" in text
    assert "figure is Nottinghamshire’s: it is not published for" in text  # the summary says it too


def test_failed_source_in_plain_words_without_the_error(real_records):
    _, texts = real_records
    index = texts["index.html"]
    assert (
        "Social mobility by area: These figures are from an earlier update (5 January 2024): the latest "
        "update could not be read."
    ) in index
    assert "Not checked against the publisher" in index
    assert "503" not in index and "STAT_XPLORE" not in index and "CI1 2.0" not in index


def test_no_igplus_claim_without_an_igplus_score(real_records):
    _, texts = real_records
    # E07000001 has no IG+ score (no records): its page names pillar A and never claims an IG+ score.
    assert igplus_claims(texts[f"areas/{INHERITED}.html"]) == []
    assert "has no IG+ score because" in texts[f"areas/{INHERITED}.html"]


def test_example_records_never_lead_the_front_page(example_records):
    summary, texts = example_records
    index = texts["index.html"]
    assert "example.html" in summary["pages"]
    assert not any(fig.startswith("igplus-map-") or fig == "igplus-scatter" for fig in summary["charts"]["index.html"])
    assert "IG+ score by local authority" not in index and "IG+ rank Likely range" not in index
    assert "Pillar A: inclusive growth by local authority" in index
    example = texts["example.html"]
    assert "Example only" in example and "Do not quote them" in example
    for name, text in texts.items():
        if name.startswith("areas/"):
            assert igplus_claims(text) == [], name
            summary_text = text[text.index("Summary") : text.index("Overall score")] if "Overall score" in text else ""
            assert "IG+ score, it" not in summary_text, name


def test_grouping_pooled_records_show_their_coverage(real_records):
    _, texts = real_records
    lep = texts[f"areas/{LEP}.html"]
    # The LEP's two districts both sent records: its IG+ stands, but is not ranked among 1.
    assert "not ranked: only 1 LEP area has a score, fewer than 5" in lep
    assert "Its pillar B and IG+ scores pool the co-production records from 2 of 2 local authorities" in lep


def test_currency_from_the_sources_contract(tmp_path):
    """With the editions step's columns in marts.sources: release title and date, and 'a newer release
    exists (date)' for a release known to be behind; the summary says so too."""
    path = make_warehouse(tmp_path / "w.duckdb")
    add_areas_and_records(path)
    con = duckdb.connect(str(path))
    for column, kind in [
        ("release_title", "varchar"),
        ("release_date", "date"),
        ("currency", "varchar"),
        ("releases_behind", "integer"),
        ("newest_release_title", "varchar"),
        ("newest_release_date", "date"),
        ("next_release_date", "date"),
        ("currency_checked_at", "timestamp"),
        ("last_success_at", "timestamp"),
    ]:
        con.execute(f"alter table marts.sources add column if not exists {column} {kind}")
    con.execute(
        "update marts.sources set release_title = 'Rough sleeping snapshot in England: autumn 2022', "
        "release_date = '2023-02-28', currency = 'behind', releases_behind = 2, "
        "newest_release_title = 'Rough sleeping snapshot in England: autumn 2024', "
        "newest_release_date = '2025-02-27', currency_checked_at = '2026-11-30 06:00:00'"
    )
    con.close()
    build_site(path, tmp_path / "site")
    index = plain_text((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert "Rough sleeping snapshot in England: autumn 2022 (published 28 February 2023)" in index
    assert (
        "2 releases behind: a newer release exists (Rough sleeping snapshot in England: autumn 2024, "
        "published 27 February 2025)" in index
    )
    area = plain_text((tmp_path / "site" / "areas" / "E06000001.html").read_text(encoding="utf-8"))
    assert (
        "A newer release of Rough sleeping snapshot in England exists (27 February 2025): these figures are "
        "2 releases behind."
    ) in area
    assert "Up to date" not in index + area


def test_latest_release_says_when_it_was_checked():
    from dashboards.currency import currency_words

    assert (
        currency_words({"currency": "latest", "currency_checked_at": "2026-11-30 06:00:00"})
        == "Latest release (checked 30 November 2026)"
    )
    assert currency_words({}) == "Not checked against the publisher"
    assert currency_words({"currency": "behind", "releases_behind": 1}) == "1 release behind: a newer release exists"


def test_release_words_keep_edition_codes_and_dataset_ids_off_the_page():
    from dashboards.currency import release_words

    assert (
        release_words({"release_title": "CI1 2.0; CI2 2.0; CI4 3.0", "release_date": "2025-12-18"})
        == "Versions 2.0 and 3.0 (published 18 December 2025)"
    )
    assert (
        release_words({"releases": "mid-2023 (2023 LA boundaries); mid-2021 (Nomis NM_2002_1, April 2021)"})
        == "mid-2023 (2023 LA boundaries); mid-2021"
    )
    assert release_words({"releases": None}) == "Not recorded"
    assert (
        release_words({"release_title": "FYE 2015 to 2021 (published 31 March 2022)", "release_date": "2022-03-31"})
        == "FYE 2015 to 2021 (published 31 March 2022)"
    )


def test_grouping_pooled_records_below_the_coverage_rule_are_not_quoted(real_records):
    _, texts = real_records
    region = texts[f"areas/{REGION}.html"]
    assert (
        "has no IG+ score because the co-production records cover too little of it (records from 2 of 5 "
        "local authorities)"
    ) in region
    assert "On the pillar A score (inclusive growth outcomes) in 2024" in region and "ranked 4th of 9 regions" in region
    assert igplus_claims(region) == []


def test_correlation_only_from_enough_areas_and_with_its_likely_range():
    import pandas as pd

    from dashboards.index_sections import correlation_words

    three = correlation_words(pd.Series([1.0, 2.0, 3.0]), pd.Series([1.0, 2.5, 2.9]), 10)
    assert three == "With only 3 areas to compare, no correlation is given: it would mean very little."
    x = pd.Series([float(i) for i in range(20)])
    strong = correlation_words(x, x * 2 + pd.Series([(-1) ** i for i in range(20)], dtype=float), 10)
    assert strong == (
        "Across 20 areas the two pillars tend to go together (correlation 1.00, likely range 0.99 to 1.00)."
    )
    weak = correlation_words(x, pd.Series([(-1) ** i * 5.0 for i in range(20)]), 10)
    assert weak.endswith(
        "may or may not go together: the likely range includes no link at all (correlation "
        "-0.09, likely range -0.51 to 0.37)."
    )
