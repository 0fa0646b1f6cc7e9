"""Area pages, IG+ sections, co-production privacy, summaries and downloads, on a synthetic warehouse.

The warehouse is the index fixture (five LADs in the North East) plus a region, a LEP, a combined
authority, area_groupings, co-production record measures (one suppressed people count) and, when
asked, the issue-5 IG+ tables with made-up but internally consistent values.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboards import build_site, glossary, readability
from dashboards import summary as summary_module
from dashboards import words as words_module
from dashboards.pages import plain_text
from tests.fixtures.warehouses import create_like_real_igplus
from tests.unit.area_values_helper import add_area_values
from tests.unit.test_dashboards import LADS, build_geography_marts, lad_areas, make_warehouse

REGION, LEP, CA = "E12000001", "E37000099", "E47000099"
LEP_LADS = ["E06000001", "E06000002"]
RANKS = {
    "E06000001": (1, 1, 2, "hot"),
    "E06000002": (2, 1, 4, "uncertain"),
    "E08000001": (3, 2, 5, "uncertain"),
    "E09000001": (4, 3, 5, "uncertain"),
    "E07000001": (5, 5, 5, "cold"),
}


def add_areas_and_records(path: Path) -> None:
    con = duckdb.connect(str(path))
    # The region, a LEP and a combined authority, and which districts each holds, by the real SQL
    # over the geography landing tables (marts.areas and marts.area_groupings rebuilt whole).
    groupings = pd.DataFrame(
        [
            (REGION, "North East", "region", REGION, "North East", "2025"),
            (LEP, "Tees Partnership", "lep", REGION, "North East", "2021"),
            (CA, "Tees Combined", "combined_authority", REGION, "North East", "2025"),
        ],
        columns=lad_areas().columns,
    )
    build_geography_marts(
        con,
        pd.concat([lad_areas(), groupings], ignore_index=True),
        boundaries=None,  # as make_warehouse made them
        lad_lep=pd.DataFrame(
            {"lad_code": LEP_LADS, "lep_code": LEP, "lep_name": "Tees Partnership", "share_of_lad_area": 1.0}
        ),
        lad_combined_authority=pd.DataFrame({"lad_code": LEP_LADS, "ca_code": CA, "ca_name": "Tees Combined"}),
    )
    con.execute(
        "create table marts.record_measures (area_code varchar, year integer, measure varchar, "
        "value bigint, unit varchar, counts_people boolean, observation_status varchar, example_data boolean)"
    )
    measures = [
        ("E06000001", 2024, "involvement_activities", 6, False, None),
        ("E06000001", 2024, "activities_codesign_or_above", 2, False, None),
        ("E06000001", 2024, "activities_with_paid_participants", 3, False, None),
        ("E06000001", 2024, "participants", 40, True, None),
        ("E06000001", 2024, "participants_lived_experience", None, True, "suppressed"),
        ("E06000001", 2024, "recommendations", 5, False, None),
        ("E06000001", 2024, "recommendations_fed_back", 4, False, None),
        ("E06000001", 2024, "recommendations_adopted_or_partly", 2, False, None),
        ("E06000002", 2024, "participants", 12, True, None),
        ("E06000002", 2024, "participants_lived_experience", 7, True, None),
        # A people count below 5 that slipped through the mart's suppression: must not be shown.
        ("E06000002", 2024, "contributors_active", 3, True, None),
    ]
    con.executemany(
        "insert into marts.record_measures values (?, ?, ?, ?, 'count', ?, ?, false)",
        [(a, y, m, v, p, s) for a, y, m, v, p, s in measures],
    )
    con.close()


IGPLUS_SCORE_COLUMNS = [
    "area_code",
    "area_type",
    "year",
    "level",
    "component",
    "score",
    "rank",
    "n_ranked",
    "change_since_baseline",
    "england_score",
    "region_score",
    "neighbours_score",
    "quintile",
    "status",
]


def add_igplus(path: Path) -> None:
    """Made-up but internally consistent IG+ rows, in tables whose columns and types are the real
    IG+ SQL's (create_like_real_igplus): a row naming a column the real mart lacks fails here."""
    con = duckdb.connect(str(path))
    create_like_real_igplus(
        con, ["igplus_scores", "igplus_uncertainty", "statistical_neighbours", "framework_measures"]
    )
    rows = []
    for i, (code, _) in enumerate(LADS):
        a, b = 80.0 - 10 * i, 70.0 - 12 * i
        rank = RANKS[code][0]
        status = "ok" if code != "E07000001" else "no_records"
        ig = None if status == "no_records" else round((a * b) ** 0.5, 3)
        rows.append(
            (code, "lad", 2024, "igplus", "igplus", ig, rank if ig else None, 4, 1.5, 50.0, 55.0, 52.0, rank, status)
        )
        rows.append((code, "lad", 2024, "pillar", "A", a, rank, 5, 2.0, 60.0, 58.0, 57.0, rank, "ok"))
        rows.append(
            (code, "lad", 2024, "pillar", "B", None if ig is None else b, rank, 4, None, 40.0, 42.0, 41.0, rank, status)
        )
    rows.append((LEP, "lep", 2024, "igplus", "igplus", 71.0, 1, 1, 0.0, 50.0, 55.0, None, 1, "ok"))
    # Hartlepool's 2019 pillar B, made of other parts than its 2024 one (so no change is given in 2024).
    rows.append(("E06000001", "lad", 2019, "pillar", "B", 50.0, 1, 4, None, 40.0, 42.0, None, 1, "ok"))
    insert(
        con,
        "igplus_scores",
        pd.DataFrame(rows, columns=IGPLUS_SCORE_COLUMNS).assign(baseline_year=2019, example_data=False),
    )
    # Hartlepool's 2024 pillar A inputs: the latest figures published by 2024, carried forward.
    inputs = pd.DataFrame(
        [
            ("homelessness", "rough_sleeping", "rough_sleeping_rate", "2022", 2.5, False),
            ("in_work_poverty", "in_work_poverty", "children_low_income_relative_pct", "2020/21", 16.5, True),
            ("social_mobility", "smc_promising_prospects", "smc_promising_prospects", "2021 to 2024", None, False),
        ],
        columns=["domain", "component", "indicator_id", "period", "value", "fallback_used"],
    ).assign(area_code="E06000001", area_type="lad", year=2024, level="indicator", pillar="A", status="ok")
    insert(con, "igplus_scores", inputs)
    uncertainty = pd.DataFrame(
        [(c, "lad", 2024, "igplus", "igplus", r, lo, hi, 1000, 42, hc) for c, (r, lo, hi, hc) in RANKS.items()],
        columns=["area_code", "area_type", "year", "level", "component", "median_rank", "rank_p05", "rank_p95"]
        + ["n_draws", "seed", "hot_cold"],
    )
    insert(con, "igplus_uncertainty", uncertainty)
    # E06000002's neighbours: one with a rate of its own and E07000001, whose rate is suppressed;
    # E08000001's only neighbour is E07000001.
    neighbours = pd.DataFrame(
        [("E06000001", "lad", 2024, "E06000002", 1, 0.5), ("E06000001", "lad", 2024, "E08000001", 2, 0.9)]
        + [("E06000002", "lad", 2024, "E07000001", 1, 0.4), ("E06000002", "lad", 2024, "E06000001", 2, 0.5)]
        + [("E08000001", "lad", 2024, "E07000001", 1, 0.3)],
        columns=["area_code", "area_type", "year", "neighbour_code", "neighbour_rank", "distance"],
    )
    insert(con, "statistical_neighbours", neighbours)
    measures = pd.DataFrame(
        [("area", "E06000001", "E06000001", "lad", 2024, m, v) for m, v in (("sign_ups", 3), ("checklist_point_7", 4))],
        columns=["entity_type", "entity_code", "area_code", "area_type", "year", "measure", "value"],
    ).assign(example_data=False)
    insert(con, "framework_measures", measures)
    con.close()


def insert(con, table: str, frame: pd.DataFrame) -> None:
    """Rows into marts.<table> by column name: a column the real mart lacks is an error."""
    con.register("fixture_rows", frame)
    try:
        con.execute(f"INSERT INTO marts.{table} BY NAME SELECT * FROM fixture_rows")
    finally:
        con.unregister("fixture_rows")


def site(tmp_path: Path, igplus: bool = True, **kwargs) -> tuple[dict, Path]:
    path = make_warehouse(tmp_path / "w.duckdb", **kwargs)
    add_areas_and_records(path)
    add_area_values(path)
    if igplus:
        add_igplus(path)
    return build_site(path, tmp_path / "site"), tmp_path / "site"


def page(root: Path, name: str) -> str:
    return (root / name).read_text(encoding="utf-8")


def words(html: str) -> str:
    return plain_text(html)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return site(tmp_path_factory.mktemp("igplus"))


@pytest.fixture(scope="module")
def built_without_igplus(tmp_path_factory):
    return site(tmp_path_factory.mktemp("plain"), igplus=False)


def test_one_page_per_area_and_links_from_the_index(built):
    summary, root = built
    expected = {f"areas/{c}.html" for c, _ in LADS} | {f"areas/{c}.html" for c in (REGION, LEP, CA)}
    assert expected <= set(summary["pages"])
    assert {"index.html", "methodology.html", "downloads.html"} <= set(summary["pages"])
    index = page(root, "index.html")
    for name in expected:
        assert f'href="{name}"' in index
    assert summary["igplus"] is True


def test_index_igplus_maps_scatter_and_rank_list(built):
    summary, root = built
    assert summary["figures"][:4] == ["igplus-map", "igplus-map-1", "igplus-map-2", "igplus-scatter"]
    text = words(page(root, "index.html"))
    assert "Pillar A: inclusive growth by local authority, 2024" in text
    assert "The highest is Hartlepool (80.0)" in text
    # The LA with no records has no IG+ score, explained, never shown as 0.
    assert "No co-production records yet, so no IG+ score (this is not a score of zero)" in text
    table = page(root, "index.html")
    lad_table = table[table.index('id="table-areas-lad"') :]
    # 4 IG+ scores: no IG+ rank (minimum 5); pillar A ranks among 5, as ordinals.
    assert (
        '<a href="areas/E06000001.html">Hartlepool</a></th><td>E06000001</td>'
        '<td class="num">Not ranked (too few areas)</td><td class="num"></td><td></td>'
        '<td class="num">1st of 5</td>' in lad_table
    )
    assert "Hot spot" not in table and "Cold spot" not in table


def test_area_page_igplus_rank_only_among_enough_areas(built):
    _, root = built
    html = page(root, "areas/E06000002.html")
    text = words(html)
    # Only 4 local authorities have an IG+ score: the score is shown, a rank is not (minimum 5).
    assert (
        "On the IG+ score in 2024, Middlesbrough scored 63.7 out of 100 (not ranked: only 4 local "
        "authorities have a score, fewer than 5)."
    ) in text
    assert "2nd of 4" not in text and "likely between" not in text and 'class="interval"' not in html
    pillars = html[html.index('id="table-igplus-pillars"') :]
    assert (
        '<th scope="row">Pillar A: inclusive growth</th><td class="num">70.0</td><td class="num">2nd of 5</td>'
        in pillars
    )
    assert "Not ranked (only 4 with a score)" in pillars and "Change since 2019" in pillars


def test_no_igplus_score_means_pillar_a_named_and_no_igplus_rank(built):
    _, root = built
    text = words(page(root, "areas/E07000001.html"))
    assert "has no IG+ score because there are no co-production records for it yet" in text
    assert (
        "On the pillar A score (inclusive growth outcomes) in 2024, " in text
        and "scored 40.0 out of 100 and ranked 5th of 5 local authorities" in text
    )
    summary = text[text.index("Summary") : text.index("Overall score")]
    assert "IG+ rank" not in summary and "On the IG+" not in summary
    assert "On the pillar A score (inclusive growth outcomes), it ranks 5th of 5 local authorities in 2024." in summary


def test_grouping_rank_among_one_is_not_shown(built):
    _, root = built
    text = words(page(root, f"areas/{LEP}.html"))
    assert not re.search(r"\d(?:st|nd|rd|th) (?:out )?of [1-4]\b|out of [1-4]\b(?![\d,.])", text)
    assert "not ranked: only 1 LEP area has a score, fewer than 5" in text


def test_tiles_compare_with_england_region_and_neighbours(built):
    _, root = built
    text = words(page(root, "areas/E06000001.html"))
    # The fixture has no population, so England and the North East are plain means of the five LADs
    # (2.5, 7.3, 0.5, 250.0; the suppressed one has no value): 65.1.
    assert (
        "Rate 2.5 per 100,000 people in 2022 Down from 3.5 per 100,000 people in 2021 (better). "
        "Lower than England (65.1 per 100,000 people), which is better. "
        "Lower than North East (65.1 per 100,000 people), which is better."
    ) in text
    assert "Likely range 1.0 to 4.0." in text
    assert "similar areas (average of statistical neighbours)" in text
    # Neighbours: Middlesbrough 7.3 and Bolton 0.5 average 3.9, inside Hartlepool's 1.0-4.0 range.
    assert "Similar to similar areas (average of statistical neighbours) (3.9 per 100,000 people)." in text


def test_similar_areas_average_says_how_many_and_needs_half_of_them(built):
    """The "similar areas" average is the neighbours' own figures: it says how many of them have one
    when not all do, and is not given from fewer than half (a suppressed or county figure is not theirs)."""
    _, root = built
    text = words(page(root, "areas/E06000002.html"))
    # Middlesbrough's neighbours: Hartlepool (2.5) and the suppressed E07000001.
    assert (
        "similar areas (average of the 1 of its 2 statistical neighbours with a figure of their own) "
        "(2.5 per 100,000 people)"
    ) in text
    assert "Similar areas: 1 of 2 has a figure of their own." in text
    csv = pd.read_csv(root / "data" / "areas" / "E06000002-indicators.csv")
    row = csv[(csv["indicator_id"] == "rough_sleeping_rate") & (csv["period"].astype(str) == "2022")].iloc[0]
    assert (row["neighbours_value"], row["neighbours_used"], row["neighbours_total"]) == (2.5, 1, 2)
    # Bolton's one neighbour has no rate of its own: no average, and the tile says why.
    text = words(page(root, "areas/E08000001.html"))
    assert "Not compared with similar areas: none of its 1 statistical neighbour has a figure of its own." in text
    assert "The 1 area most like Bolton" in text
    csv = pd.read_csv(root / "data" / "areas" / "E08000001-indicators.csv")
    rates = csv[csv["indicator_id"] == "rough_sleeping_rate"]
    assert rates["neighbours_value"].isna().all() and (rates["neighbours_used"] == 0).all()


def test_a_grouping_figure_from_some_of_its_authorities_says_so(built):
    """A pooled figure from only some of a grouping's local authorities says how many, on the tile,
    in its table, in the summary and in the CSV; a total that would be short is not given."""
    _, root = built
    text = words(page(root, f"areas/{REGION}.html"))
    partial = (
        "Estimated as the population-weighted average of only 4 of its 5 local authorities "
        "(home to 80% of its people): the other one has no figure."
    )
    summary = text[text.index("Summary") : text.index("Summary") + 600]
    assert (
        "In 2022, 65.1 in every 100,000 people slept rough on one night. That is about the same as in "
        f"England as a whole (65.1 per 100,000 people). {partial}"
    ) in summary
    assert text.count(partial) >= 3  # the summary, the tile and its table
    assert (
        "These figures come from records in only 2 of its 5 local authorities (Hartlepool and Middlesbrough) "
        "in 2024; the others have none, so they are not figures for the whole of the North East."
    ) in text  # the co-production totals
    assert "These figures come from" not in words(page(root, f"areas/{LEP}.html"))  # both its members have records
    assert "has not been published in this build" not in text  # the neighbours table is published
    assert "No similar areas (statistical neighbours) are listed for this area" in text
    csv = pd.read_csv(root / "data" / "areas" / f"{REGION}-indicators.csv")
    row = csv[(csv["indicator_id"] == "rough_sleeping_rate") & (csv["period"].astype(str) == "2022")].iloc[0]
    assert row["basis_note"] == partial
    # England's rate in the fixture is pooled the same way (no published England row): said beside it.
    assert (
        "England's figure is an estimate: the average of its local authorities, weighted by population "
        "(the publisher gives none), from only 4 of its 5 local authorities (home to 80% of its people): "
        "the other one has no figure."
    ) in words(page(root, "areas/E06000001.html"))
    assert words_module.basis_note("sum", None, "X", used=4, total=5) == (
        "Not added up: only 4 of its 5 local authorities have a figure, so a total would be short."
    )


def test_a_score_without_a_like_for_like_baseline_says_why_it_has_no_change(built):
    _, root = built
    text = words(page(root, "areas/E06000001.html"))
    assert "No change since 2019 is given: the 2019 score was made from other measures." in text
    assert "No change since" not in words(page(root, "areas/E06000002.html"))  # no 2019 score at all


def test_a_score_says_which_periods_its_public_statistics_are_from(built):
    """A 2024 score built on 2022 and 2020/21 figures says so, on the area page and the overview;
    an input without a value is not named."""
    _, root = built
    said = (
        "A 2024 score uses the latest figures published by then, so its public statistics are not all "
        "from 2024: child poverty (in place of in-work poverty) from 2020/21 and rough sleeping from 2022."
    )
    assert said in words(page(root, "areas/E06000001.html"))
    assert said in words(page(root, "index.html"))
    assert "not all from" not in words(page(root, "areas/E06000002.html"))  # no inputs in its rows


def test_grouping_values_are_computed_and_labelled(built):
    _, root = built
    text = words(page(root, f"areas/{LEP}.html"))
    # Counts add up: LAD counts are (i+1)*(year-2005); Hartlepool+Middlesbrough in 2022 = 17+34.
    assert "People sleeping rough 51 in 2022 Up from 48 in 2021 (worse)." in text
    assert "worked out by adding up its local authorities" in text
    csv = pd.read_csv(root / "data" / "areas" / f"{LEP}-indicators.csv")
    row = csv[(csv["indicator_id"] == "rough_sleeping_count") & (csv["period"].astype(str) == "2022")].iloc[0]
    assert row["value"] == 51 and row["basis"] == "sum"
    assert (root / "data" / "areas" / f"{LEP}-indicators.parquet").is_file()
    assert pd.read_parquet(root / "data" / "areas" / f"{LEP}-indicators.parquet").shape == csv.shape


def test_no_people_count_below_five_anywhere(built):
    _, root = built
    lep = page(root, f"areas/{LEP}.html")
    records = lep[lep.index('id="table-records"') :]
    # Lived experience: one member suppressed, so the LEP total (7 + hidden) is not shown either, and
    # not called "fewer than 5" (it is at least 7).
    hidden = "hidden to protect small numbers"
    assert re.search(rf"People taking part with lived experience</th><td class=\"num\">{hidden}", records)
    assert re.search(rf"Active contributors</th><td class=\"num\">{hidden}", records)
    assert "fewer than 5" not in records
    assert 'People taking part</th><td class="num">52</td>' in records
    downloads = pd.read_csv(root / "data" / "areas" / f"{LEP}-coproduction.csv")
    people = downloads[downloads["counts_people"]]
    assert (people["value"].isna() | (people["value"] >= 5)).all()
    marts = pd.read_csv(root / "data" / "marts" / "record_measures.csv")
    small = marts[marts["counts_people"] & (marts["value"] < 5)]
    assert small.empty


def test_coproduction_ladder_paid_and_you_said_we_did(built):
    summary, root = built
    html = page(root, "areas/E06000001.html")
    text = words(html)
    assert "chart-ladder" in summary["charts"]["areas/E06000001.html"]
    assert "In 2024, 2 of 6 involvement activities reached co-design or co-production" in text
    assert "people were paid or offered payment in 3 of 6 involvement activities" in text
    assert "people made 5 recommendations. 4 had a decision fed back to them and 2 were taken up" in text


def test_framework_measures_and_checklist(built):
    _, root = built
    html = page(root, "areas/E06000001.html")
    assert 'id="table-framework"' in html and 'id="table-checklist"' in html
    assert "Checklist point 7" in html


def test_summary_is_plain_english_and_names_its_measure(built):
    summary, root = built
    for name, score in summary["reading_ease"].items():
        assert score >= readability.TARGET, name  # kept in the build summary, not shown to boards
        assert "Reading ease" not in page(root, name) and "Flesch" not in page(root, name)
    text = words(page(root, "areas/E06000001.html"))
    assert (
        "On the IG+ score, it scores 74.8 out of 100 in 2024. Too few local authorities have a score to rank it."
        in text
    )
    assert "Hartlepool is a local council area in the North East." in text


def test_no_jargon_left_unexplained(built):
    summary, root = built
    for name in summary["pages"]:
        html = page(root, name)
        terms = re.findall(r'<dt id="term-[^"]+">([^<]+)</dt>', html)
        body = (
            html[html.index("<main") : html.index('<section aria-labelledby="glossary-title"')]
            if "glossary-title" in html
            else html
        )
        missing = glossary.unexplained(words(body), [t.replace("&amp;", "&") for t in terms])
        assert not missing, (name, missing)


def test_pages_without_igplus_say_not_yet_available(built_without_igplus):
    summary, root = built_without_igplus
    assert summary["igplus"] is False
    assert "IG+ scores are not yet available" in page(root, "index.html")
    area = page(root, "areas/E06000001.html")
    assert "IG+ scores are not yet available" in area
    assert "Framework impact measures are not yet available" in area
    assert "Comparisons with statistical neighbours are not yet available" in area
    assert summary["charts"]["areas/E06000001.html"] == ["area-map", "chart-ladder"]


def test_area_pages_are_offline_and_share_boundaries(built):
    summary, root = built
    boundaries = (root / "assets" / "boundaries.js").read_text()
    assert boundaries.startswith("window.SiteBoundaries=") and "E06000001" in boundaries
    for name in summary["pages"]:
        html = page(root, name)
        assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", html), name
        assert '"coordinates"' not in html, name  # boundaries only in the shared asset
    area = page(root, "areas/E06000001.html")
    assert '<script src="../assets/boundaries.js" defer></script>' in area
    assert '<script src="../assets/plotly.min.js" charset="utf-8" defer></script>' in area


def test_methodology_placeholder_and_markdown(built, tmp_path):
    path = built[1].parent / "w.duckdb"  # the module's warehouse, read only
    build_site(path, tmp_path / "a", area_codes=[], methodology=tmp_path / "missing.md")
    assert "has not been written yet" in (tmp_path / "a" / "methodology.html").read_text()
    doc = tmp_path / "methodology.md"
    doc.write_text("# The IG+ method\n\n| Pillar | Weight |\n|---|---|\n| A | 1.0 |\n")
    build_site(path, tmp_path / "b", area_codes=[], methodology=doc)
    html = (tmp_path / "b" / "methodology.html").read_text()
    assert '<h1 id="the-ig-method">The IG+ method</h1>' in html and "<td>1.0</td>" in html


def test_flesch_reading_ease_matches_hand_count():
    # 2 sentences, 11 words, 11 syllables: 206.835 - 1.015*5.5 - 84.6*1 = 116.65
    assert readability.flesch_reading_ease("The cat sat on the mat. It was a good cat.") == pytest.approx(
        116.65, abs=0.01
    )
    assert [readability.syllables(w) for w in ("table", "people", "authority", "estimated", "1,234")] == [2, 2, 4, 3, 2]
    assert readability.sentence_count("Rates were 4.5 per 100,000. Down from 5.1.") == 2


def test_the_site_follows_the_reporting_rules_of_the_config_it_is_given(built, tmp_path):
    """build_site is given the IG+ config of the build (never reads the environment): a config
    asking for more ranked areas than any grouping has blanks every rank in the downloads."""
    path = built[1].parent / "w.duckdb"  # the module's warehouse (with IG+ tables), read only
    strict = tmp_path / "strict.yaml"
    strict.write_text("reporting:\n  min_ranked_areas: 6\n")
    build_site(path, tmp_path / "shipped", area_codes=[], workers=1)
    build_site(path, tmp_path / "strict", area_codes=[], workers=1, igplus_config=strict)
    shipped, strict_ranks = (
        pd.read_csv(tmp_path / site / "data/marts/igplus_scores.csv")["rank"] for site in ("shipped", "strict")
    )
    assert shipped.notna().sum() == 5 and strict_ranks.notna().sum() == 0


@pytest.mark.parametrize(
    "indicator_id, unit",
    [
        ("jobs_below_living_wage_pct", "percent"),
        ("rough_sleeping_rate", "rate_per_100k"),
        ("children_low_income_relative_pct", "percent"),
        ("median_weekly_pay_resident", "gbp"),
    ],
)
def test_every_figure_in_a_summary_says_its_period(indicator_id, unit):
    fact = {"indicator_id": indicator_id, "unit": unit, "value": 12.3, "period": "2019/20", "basis": "own"}
    assert summary_module._indicator_sentence(fact).startswith("In 2019/20, ")
    if indicator_id == "rough_sleeping_rate":  # 26 authorities counted no one in autumn 2022
        assert summary_module._indicator_sentence(dict(fact, value=0.0)) == (
            "In 2019/20, no one was found sleeping rough here on the night of the count."
        )
    provisional = summary_module._indicator_sentence(dict(fact, provisional=True))
    assert provisional.endswith(
        " (a provisional figure)."
    ) and "(a provisional" not in summary_module._indicator_sentence(fact)


def test_similar_areas_of_a_district_with_its_countys_social_mobility_say_it_was_not_used():
    """Neighbours are matched on a district's own figures: a district showing its county's social
    mobility figures must not read as matched on social mobility."""
    from types import SimpleNamespace

    from dashboards import area_page

    values = pd.DataFrame(
        {
            "area_code": ["E07000174", "E07000175"],
            "indicator_id": ["smc_promising_prospects", "smc_promising_prospects"],
            "basis": ["inherited", "own"],
            "basis_area_name": ["Nottinghamshire", None],
        }
    )
    neighbours = pd.DataFrame(
        {
            "area_code": ["E07000174", "E07000175"],
            "neighbour_code": ["E07000175", "E07000174"],
            "neighbour_rank": [1, 1],
        }
    )
    names = {"E07000174": "Mansfield", "E07000175": "Newark"}
    sd = SimpleNamespace(
        values=values,
        cache={},
        members={c: [c] for c in names},
        name=names.get,
        table=lambda t: neighbours if t == "statistical_neighbours" else None,
    )
    inherited = words(area_page._similar_areas(sd, "E07000174", "Mansfield"))
    assert "its social mobility figures are its county's, so they were not used" in inherited
    assert "rough sleeping and social mobility figures" not in inherited
    own = words(area_page._similar_areas(sd, "E07000175", "Newark"))
    assert "pay, poverty, rough sleeping and social mobility figures of their own" in own


def test_map_descriptions_give_the_reason_each_district_has_no_score(built, monkeypatch):
    """An IG+ or pillar B map explains its blanks by missing records; the county social mobility
    note belongs to pillar A only (it was printed under the example IG+ and pillar B maps, where
    293 blanks were "districts whose social mobility figures are published only for their county")."""
    from dashboards import data, index_sections

    _, root = built
    assert (
        "1 has no score and is left white. Of these, 1 has no co-production records yet (this is not a score of zero)."
        in (words(page(root, "index.html")))
    )
    with duckdb.connect(str(root.parent / "w.duckdb"), read_only=True) as con:
        sd = data.load(con)
    monkeypatch.setattr(index_sections, "_county_only", lambda sd: {"E07000001"})  # as if its figures were its county's
    layers = [("igplus", None, "IG+ score"), ("pillar", "B", "Pillar B")]
    html, _ = index_sections._score_maps(sd, "<section>", layers, scatter=False)
    assert "no co-production records yet" in words(html)
    assert "published only for their county" not in words(html)


def test_area_lists_give_the_reason_an_area_has_no_rank(built):
    """The front page's lists of areas never leave a rank blank without a reason: an area with no
    IG+ or pillar A score says why in the maps' words (no records, not enough data), as the map
    tables' notes do (a district without records had a blank IG+ rank; one without pillar A a blank
    pillar A rank)."""
    from dashboards import data, igplus_view, index_sections

    _, root = built
    html = page(root, "index.html")
    lists = html[html.index('id="table-areas-') :]
    assert '<td class="num"></td><td class="num"></td><td></td>' not in lists  # no blank IG+ rank and range
    lads = lists[lists.index('id="table-areas-lad"') :]
    no_records = lads[lads.index("areas/E07000001.html") :]
    assert (
        '<td class="num">No co-production records yet, so no IG+ score (this is not a score of zero)</td>'
        in no_records[: no_records.index("</tr>")]
    )
    with duckdb.connect(str(root.parent / "w.duckdb"), read_only=True) as con:
        sd = data.load(con)
    table = sd.table("igplus_scores")
    gone = (table["area_code"] == "E08000001") & (table["level"] == "pillar") & (table["component"] == "A")
    table.loc[gone, ["score", "rank", "status"]] = [None, None, "insufficient_data"]
    county = {"indicator_id": "smc_promising_prospects", "basis": "inherited", "basis_area_name": "Teesshire"}
    sd.values = pd.concat([sd.values, pd.DataFrame([dict(county, area_code="E08000001")])], ignore_index=True)
    rows = [r for r in index_sections.areas_section(sd).split("<tr>") if "areas/E08000001.html" in r]
    assert len(rows) == 1
    reason = (
        f"{igplus_view.STATUS_WORDS['insufficient_data']} (its social mobility figures are Teesshire\u2019s, "
        "not its own, and are not used to score it)"
    )
    assert f'<td class="num">{reason}</td><td class="num"></td></tr>' in rows[0]
    assert '<td class="num"></td><td class="num"></td>' not in rows[0]
    # the pillar A map's table gives the same reason (one source): the lists copy no logic of their own
    maps, _ = index_sections._score_maps(sd, "<section>", [("pillar", "A", "Pillar A")], scatter=False)
    assert f"<td>{reason}</td>" in maps
