"""The static site built from a tiny published warehouse made at test time."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from assets import landing as ld
from assets.warehouse import Warehouse
from dashboards import build_site
from dashboards.serve import make_server
from sources.geography.meta import EXTRA_TABLES as GEOGRAPHY_TABLES
from sources.population.meta import EXTRA_TABLES as POPULATION_TABLES
from sources.tidy import TIDY_COLUMNS, TIDY_TABLE
from tests.fixtures.warehouses import build_area_marts, copy_sources_mart
from tests.unit.area_values_helper import add_area_values

# England totals as published (autumn 2010-2022). The fixture's five LAs are far smaller, which
# lets the tests tell the published England row apart from the sum-of-LAs fallback.
ENGLAND = {
    2010: 1768,
    2011: 2181,
    2012: 2309,
    2013: 2414,
    2014: 2744,
    2015: 3569,
    2016: 4134,
    2017: 4751,
    2018: 4677,
    2019: 4266,
    2020: 2688,
    2021: 2440,
    2022: 3069,
}
EVIL = '<script>alert("x")</script> & Co'
LADS = [
    ("E06000001", "Hartlepool"),
    ("E06000002", "Middlesbrough"),
    ("E08000001", "Bolton"),
    ("E09000001", "City of London"),
    ("E07000001", EVIL),
]
# 2022 rates: (value, lower, upper, status). The evil-named LA is suppressed.
RATES_2022 = {
    "E06000001": (2.5, 1.0, 4.0, None),
    "E06000002": (7.3, None, None, None),
    "E08000001": (0.5, None, None, "provisional"),
    "E09000001": (250.0, None, None, None),
    "E07000001": (None, None, None, "suppressed"),
}
LICENCE = (
    "Rough sleeping snapshot in England, MHCLG. Contains public sector information licensed "
    "under the Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)."
)


def square(i: int) -> str:
    """A 0.4-degree square in England, ring anticlockwise as in RFC 7946 (and ONS files)."""
    x, y = -3.0 + 0.5 * i, 52.0 + 0.3 * (i % 2)
    ring = [[x, y], [x + 0.4, y], [x + 0.4, y + 0.4], [x, y + 0.4], [x, y]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def value_row(indicator, code, year, value, unit, lower=None, upper=None, status=None):
    return (
        indicator,
        code,
        str(year),
        f"{year}-10-01",
        f"{year}-11-30",
        value,
        unit,
        lower,
        upper,
        status,
        "rough_sleeping",
        "autumn 2022",
    )


def lad_areas() -> pd.DataFrame:
    """The fixture's districts as the geography source lands them (landing.geography__areas)."""
    return pd.DataFrame(
        [
            {
                "area_code": code,
                "area_name": name,
                "area_type": "lad",
                "region_code": "E12000001",
                "region_name": "North East",
                "vintage": "2022",
            }
            for code, name in LADS
        ]
    )


def build_geography_marts(
    con, areas: pd.DataFrame, *, boundaries: bool | None, drop_landing: bool = True, **lookups: pd.DataFrame
) -> None:
    """marts.areas, marts.area_groupings (regions from the areas' own, and `lookups` such as lad_lep)
    and marts.area_boundaries (a square per district, none, or with None left as it is) by the real
    SQL over the geography landing tables, which go again unless drop_landing is false: a published
    warehouse has no landing schema."""
    lads = areas[areas["area_type"] == "lad"]
    lad_region = lads.rename(columns={"area_code": "lad_code"})[["lad_code", "region_code", "region_name"]]
    build_area_marts(con, areas, lad_region, **lookups)
    if boundaries is not None:
        shapes = pd.DataFrame(
            [(code, name, "2022", square(i)) for i, (code, name) in enumerate(LADS)] if boundaries else [],
            columns=["area_code", "area_name", "vintage", "geojson"],
        )
        ld.replace_contract_table(con, "geography__boundaries", GEOGRAPHY_TABLES["boundaries"], shapes)
        Warehouse.run(con, "marts/area_boundaries.sql")
    if drop_landing:
        con.execute("DROP SCHEMA landing CASCADE")


def tidy(rows: list[tuple]) -> pd.DataFrame:
    """value_row tuples as the tidy frame a source lands (sources/tidy.py)."""
    frame = pd.DataFrame(rows, columns=TIDY_COLUMNS)
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def land_values(con, values: list[tuple], aggregates: list[tuple]) -> None:
    """The rough sleeping rows landed as the source lands them (assets/landing.py), then
    marts.indicator_values and marts.aggregate_values by the real SQL of a refresh (harmonisation
    to the fixture's areas, nothing to inherit); the staging tables go again."""
    from tests.unit.test_igplus_index import PUBLIC_STEPS

    ld.replace_values(con, "rough_sleeping", tidy(values), tidy(aggregates))
    ld.replace_contract_table(
        con,
        "population__lad_county",
        POPULATION_TABLES["lad_county"],
        pd.DataFrame(columns=POPULATION_TABLES["lad_county"].names),
    )
    ld.replace_contract_table(con, "population__former_area_values", TIDY_TABLE, pd.DataFrame(columns=TIDY_COLUMNS))
    for name in ("code_map", "area_changes"):  # no recodings or mergers among the fixture's areas
        table = GEOGRAPHY_TABLES[name]
        ld.replace_contract_table(con, f"geography__{name}", table, pd.DataFrame(columns=table.names))
    for step in PUBLIC_STEPS:
        Warehouse.run(con, step)
    con.execute("DROP SCHEMA staging CASCADE")


def make_warehouse(path: Path, *, boundaries=True, rate_years=(2021, 2022), england_row=True, example=False) -> Path:
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA landing; CREATE SCHEMA staging; CREATE SCHEMA marts")
    ld.ensure_landing(con)
    # Areas, boundaries and values by the real SQL; this fixture has no groupings (add_area_values
    # makes the regions it needs for a moment; tests/unit/test_dashboards_areas.py adds them for good).
    build_geography_marts(con, lad_areas(), boundaries=boundaries, drop_landing=False)
    con.execute(
        "create table marts.indicators (indicator_id varchar, title varchar, source_id varchar, "
        "unit varchar, polarity varchar, description varchar, domain varchar)"
    )
    con.execute(
        "insert into marts.indicators values "
        "('rough_sleeping_count', 'People sleeping rough', 'rough_sleeping', 'count', 'lower_is_better', '', 'housing'),"
        "('rough_sleeping_rate', 'Rate', 'rough_sleeping', 'rate_per_100k', 'lower_is_better', '', 'housing')"
    )
    lad_rows = [
        value_row("rough_sleeping_count", code, year, float((i + 1) * (year - 2005)), "count")
        for year in ENGLAND
        for i, (code, _) in enumerate(LADS)
    ]
    for year in rate_years:
        for code, (value, lower, upper, status) in RATES_2022.items():
            shift = 0.0 if year == 2022 or value is None else 1.0  # other years differ from 2022
            lad_rows.append(
                value_row(
                    "rough_sleeping_rate",
                    code,
                    year,
                    None if value is None else value + shift,
                    "rate_per_100k",
                    lower,
                    upper,
                    status,
                )
            )
    england = [value_row("rough_sleeping_count", "E92000001", y, float(v), "count") for y, v in ENGLAND.items()]
    land_values(con, lad_rows, england if england_row else [])
    con.execute("DROP SCHEMA landing CASCADE")
    con.execute("DROP TABLE marts.area_groupings")
    copy_sources_mart(con)  # built by the real SQL: rough_sleeping, 'autumn 2022', retrieved 2024-03-01 09:30
    con.execute("create table marts.build_info (key varchar, value varchar)")
    con.execute(
        "insert into marts.build_info values ('built_at', '2024-03-02T10:00:00Z'), ('example_data', ?)",
        ["true" if example else "false"],
    )
    con.close()
    add_area_values(path)
    return path


def build(tmp_path: Path, **kwargs) -> tuple[dict, str]:
    summary = build_site(make_warehouse(tmp_path / "w.duckdb", **kwargs), tmp_path / "site")
    return summary, (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def default_site(tmp_path_factory) -> tuple[dict, str, Path]:
    """The default fixture's site, built once for the tests that only read it: (summary, index, root)."""
    tmp = tmp_path_factory.mktemp("default-site")
    summary, page = build(tmp)
    return summary, page, tmp / "site"


def text_of(html: str) -> str:
    """Visible text with tags removed and whitespace collapsed, for sentence assertions."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_site_files_and_summary(default_site):
    summary, page, site = default_site
    assert (site / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    assert (site / "assets" / "site.css").is_file()
    assert summary["pages"][0] == "index.html"
    assert {f"areas/{code}.html" for code, _ in LADS} | {"methodology.html", "downloads.html"} <= set(summary["pages"])
    assert (site / "assets" / "boundaries.js").is_file()
    assert summary["bytes"]["index.html"] == len(page.encode("utf-8"))
    assert summary["figures"] == ["map-rough-sleeping-rate", "trend-rough-sleeping-count"]
    assert summary["example_data"] is False and summary["notes"] == []
    rates = (site / "data" / "rough_sleeping_rate_by_local_authority_2022.csv").read_text()
    assert "E09000001,City of London,North East,2022,250.0" in rates
    england = (site / "data" / "rough_sleeping_count_england.csv").read_text()
    assert "2017,2017-10-01,4751.0" in england and "published" in england
    assert "Open Government Licence" in (site / "data" / "sources.csv").read_text()


def test_page_is_offline_and_accessible(default_site):
    _, page, _ = default_site
    assert '<html lang="en-GB">' in page
    assert '<script src="assets/plotly.min.js" charset="utf-8" defer></script>' in page
    assert '<script src="assets/boundaries.js" defer></script>' in page
    assert '<link rel="stylesheet" href="assets/site.css">' in page
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", page)
    assert 'class="skip-link" href="#main"' in page and 'id="main"' in page
    assert '<div id="map-rough-sleeping-rate"' in page and '<div id="trend-rough-sleeping-count"' in page
    assert 'aria-describedby="map-rough-sleeping-rate-desc"' in page
    assert '<figcaption id="trend-rough-sleeping-count-desc">' in page
    # Map and trend tables, the list of local authority pages, and data freshness.
    assert page.count("<caption") == 4 and '<th scope="col"' in page and '<th scope="row">' in page
    assert "Example data" not in page


def test_captions_computed_from_data(default_site):
    _, page, _ = default_site
    words = text_of(page)
    assert (
        "Rough sleeping in England rose from 1,768 in 2010 to a peak of 4,751 in 2017 and was 3,069 in 2022."
    ) in words
    assert (
        "In 2022, rough sleeping rates across 4 local authorities ranged from 0.5 per 100,000 "
        "people in Bolton to 250.0 in City of London. The middle (median) authority had 4.9. "
        "1 authority had no published value."
    ) in words
    assert "3,069 people were sleeping rough in England" in words


def test_tables_show_values_ranges_and_status_words(default_site):
    _, page, _ = default_site
    rate_table = page[page.index('<table id="table-rough-sleeping-rate"') :]
    rate_table = rate_table[: rate_table.index("</table>")]
    assert "Rough sleeping rate per 100,000 people by local authority, autumn 2022" in rate_table
    assert (
        '<th scope="row">Hartlepool</th><td>E06000001</td><td>North East</td>'
        '<td class="num">2.5</td><td class="num">1.0 to 4.0</td>' in rate_table
    )
    assert "Suppressed to protect confidentiality" in rate_table and ">Provisional<" in rate_table
    assert ">suppressed<" not in rate_table and "no value" in rate_table
    # Highest first, no-value rows last.
    assert rate_table.index("City of London") < rate_table.index("Middlesbrough") < rate_table.index("Bolton")
    trend_table = page[page.index('<table id="table-rough-sleeping-count"') :]
    assert '<th scope="row">2017</th><td class="num">4,751</td>' in trend_table


def test_data_strings_are_escaped(default_site):
    summary, page, site = default_site
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page
    for name in summary["pages"]:
        html = (site / name).read_text(encoding="utf-8")
        assert EVIL not in html and "<script>alert" not in html, name
        # Only our own scripts: the asset references and one JSON chart spec per figure.
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert all('src="' in s or 'type="application/json" class="chart-spec"' in s for s in scripts), name
    assert len(re.findall(r"<script\b", page)) == 4 + 2  # boundaries, plotly, search index, site.js


def test_no_boundaries_falls_back_to_table(tmp_path):
    summary, page = build(tmp_path, boundaries=False)
    assert "map-rough-sleeping-rate" not in summary["figures"]
    assert '<div id="map-rough-sleeping-rate"' not in page
    assert "Area boundaries were not available" in page
    table_start = page.index('<table id="table-rough-sleeping-rate"')
    assert "<details" not in page[page.index('id="map-section"') : table_start]  # shown, not folded away
    assert "ranged from 0.5 per 100,000 people in Bolton" in text_of(page)


def test_latest_year_without_rates_falls_back_and_says_so(tmp_path):
    summary, page = build(tmp_path, rate_years=(2021,))
    assert "Rates for 2022 are not available yet, so the map shows 2021, the latest year with rates." in page
    assert "ranged from 1.5 per 100,000 people in Bolton to 251.0 in City of London" in text_of(page)
    assert (tmp_path / "site" / "data" / "rough_sleeping_rate_by_local_authority_2021.csv").is_file()
    assert summary["notes"]


def test_no_rate_rows_gives_message(tmp_path):
    summary, page = build(tmp_path, rate_years=())
    assert "No rough sleeping rates are available in this build" in page
    assert summary["figures"] == ["trend-rough-sleeping-count"]
    assert 'id="table-rough-sleeping-rate"' not in page


def test_trend_falls_back_to_sum_of_local_authorities(tmp_path):
    _, page = build(tmp_path, england_row=False)
    # LA counts are (i+1)*(year-2005) for five LAs: 75 in 2010 rising to 255 in 2022.
    assert "Rough sleeping in England rose from 75 in 2010 to 255 in 2022, the highest in the series." in text_of(page)
    assert "sum of the local authorities" in page


def test_example_banner_when_flagged(tmp_path):
    summary, page = build(tmp_path, example=True)
    assert summary["example_data"] is True
    assert 'class="banner"' in page and "made-up example records" in page
    # everything from the records is named, not only the scores: the Place Standard results and the
    # Inclusion Reports are made up too
    assert "Place Standard results, Inclusion Reports, pillar B and IG+ scores" in page


def test_about_this_data_lists_sources(default_site):
    _, page, _ = default_site
    about = page[page.index('id="about-title"') :]
    assert "Rough sleeping snapshot in England" in about and "autumn 2022" in about
    # A warehouse without the currency columns: never "Up to date", but "not checked".
    assert "1 March 2024" in about and "Up to date" not in page
    assert "Not checked against the publisher" in about
    assert "Open Government Licence v3.0" in about
    assert '<a href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/">' in about


def test_missing_warehouse_or_tables_is_a_clear_error(tmp_path):
    from dashboards.warehouse import WarehouseError

    with pytest.raises(WarehouseError, match="not found"):
        build_site(tmp_path / "nope.duckdb", tmp_path / "site")
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    with pytest.raises(WarehouseError, match="marts.areas"):
        build_site(tmp_path / "empty.duckdb", tmp_path / "site")


def test_warehouse_is_opened_read_only(default_site, tmp_path, monkeypatch):
    import dashboards.warehouse as wh

    path, opened, real_connect = default_site[2].parent / "w.duckdb", [], duckdb.connect
    monkeypatch.setattr(wh.duckdb, "connect", lambda *a, **kw: opened.append(kw) or real_connect(*a, **kw))
    build_site(path, tmp_path / "site")
    assert opened == [{"read_only": True}]


def test_make_server_serves_site_and_records_paths(default_site):
    import threading
    import urllib.request

    seen = []
    server = make_server(default_site[2], port=0, on_request=seen.append)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/assets/site.css"
        assert b"skip-link" in urllib.request.urlopen(url, timeout=5).read()
    finally:
        server.shutdown()
        server.server_close()
    assert seen == ["/assets/site.css"]


def test_rings_are_rewound_clockwise_for_plotly():
    from dashboards.geometry import _signed_area, for_plotly

    outer = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]  # anticlockwise, RFC 7946 style
    hole = [[0.2, 0.2], [0.2, 0.8], [0.8, 0.8], [0.8, 0.2], [0.2, 0.2]]  # clockwise
    polygon = for_plotly({"type": "Polygon", "coordinates": [outer, hole]})["coordinates"]
    assert _signed_area(polygon[0]) < 0 and _signed_area(polygon[1]) > 0
    multi = for_plotly({"type": "MultiPolygon", "coordinates": [[outer[::-1]], [outer]]})["coordinates"]
    assert all(_signed_area(p[0]) < 0 for p in multi)
    rounded = for_plotly(
        {"type": "Polygon", "coordinates": [[[0.12344, 0], [0.12341, 0], [1, 0], [1, 1], [0, 1], [0.12344, 0]]]}
    )
    assert [0.123, 0.0] in rounded["coordinates"][0] and len(rounded["coordinates"][0]) == 5


def test_bare_ogl_code_is_expanded_to_the_attribution():
    from dashboards.components import licence_text

    assert licence_text("OGL-UK-3.0").startswith(
        "Contains public sector information licensed under the Open Government Licence v3.0"
    )
    assert licence_text(LICENCE) == LICENCE


def test_trend_table_shows_status_words(tmp_path):
    path = make_warehouse(tmp_path / "w.duckdb")
    con = duckdb.connect(str(path))
    con.execute("update marts.aggregate_values set observation_status = 'estimated' where period = '2022'")
    con.close()
    build_site(path, tmp_path / "site")
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="row">2022</th><td class="num">3,069</td><td>Estimate</td>' in page
