"""Live discovery and download against a local stand-in for social-mobility.data.gov.uk."""

from __future__ import annotations

import json

import pytest

from sources import social_mobility as sm
from sources.acquire import acquire
from sources.errors import SourceError, SourceUnavailable
from sources.http import HttpClient
from sources.social_mobility.discover import AREA_MAP_PATHS, INDEX_PAGES
from tests.fixtures.http_server import LocalServer

HEADER = (
    "measure_code,measure_title,chart_type,area_code,area_type,area_name,primary_split_type,"
    "primary_split_value,secondary_split_type,secondary_split_value,time_period,value,unit,split_order"
)
# page path -> (current file, older file also linked from the page history)
DATASETS = {
    INDEX_PAGES[0]: (
        "CI1-3.0-conditions-of-childhood--full-dataset.csv",
        "CI1-2.0-conditions-of-childhood--full-dataset.csv",
    ),
    INDEX_PAGES[1]: ("CI2-3.0-labour-market-opportunities-for-young-people--full-dataset.csv", None),
    INDEX_PAGES[2]: ("CI3-3.0-innovation-and-growth--full-dataset.csv", None),
    INDEX_PAGES[3]: ("CI4-4.0-promising-prospects--full-dataset.csv", "CI4-3.0-promising-prospects--full-dataset.csv"),
}
MAP = {
    "205_regions": [
        {"name": "Blackburn with Darwen", "url": "bwd", "codes": ["E06000008"]},
        {"name": "Essex", "url": "essex", "codes": ["E10000012", "E07000066"]},
    ]
}


def dataset_csv(file_name: str, value: float) -> bytes:
    code = file_name.split("-")[0].lower()
    rows = [
        f'"{code}","T","composite_index",,"Local Authority","Blackburn with Darwen","time_period",'
        f'"2018 to 2025","zscore_category","Bottom 5%","2018 to 2025",{value},"z-score",1',
        f'"{code}","T","composite_index",,"Local Authority","Essex","time_period","2018 to 2025",'
        f'"zscore_category","30-70%","2018 to 2025",0.3,"z-score",4',
    ]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def page(current: str | None, older: str | None) -> bytes:
    def version(f):
        return f.split("-")[1]

    links = ""
    if current:
        links += f'<a href="{version(current)}/{current}" class="govuk-link">Download full dataset (CSV, 2KB)</a>'
    if older:
        links += f'<p>Previous version: <a href="{version(older)}/{older}">download</a></p>'
    return f"<html><body><a href='/'>Home</a>{links}</body></html>".encode()


def publish(server: LocalServer, *, drop_link_on: str | None = None) -> None:
    for k, (path, (current, older)) in enumerate(DATASETS.items()):
        folder = "/" + path.rsplit("/", 1)[0]
        server.static("/" + path, page(None if path == drop_link_on else current, older), "text/html")
        for j, name in enumerate(f for f in (current, older) if f):
            server.static(f"{folder}/{name.split('-')[1]}/{name}", dataset_csv(name, -2.0 - k - j / 10), "text/csv")
    server.static("/" + AREA_MAP_PATHS[0], json.dumps(MAP).encode(), "application/json")
    server.static("/" + AREA_MAP_PATHS[1], b"area_name,value\nBlackburn with Darwen,1\nEssex,1\n", "text/csv")


def test_discover_reads_the_newest_download_link(tmp_path):
    with LocalServer() as server:
        publish(server)
        found = sm.discover(HttpClient(tmp_path / "http.json"), base_url=server.url)
    names = [f.name for f in found]
    assert names == [c for c, _ in DATASETS.values()] + ["205_regions_codes.json", "205-regions.csv"]
    assert found[0].url == (
        f"{server.url}/state-of-the-nation/drivers_of_social_mobility/composite_indices/"
        "conditions_of_childhood/3.0/CI1-3.0-conditions-of-childhood--full-dataset.csv"
    )
    assert [f.release for f in found[:4]] == ["CI1 3.0", "CI2 3.0", "CI3 3.0", "CI4 4.0"]


def test_acquire_live_then_parse(tmp_path, archive):
    with LocalServer() as server:
        publish(server)
        files, mode = acquire(
            "social_mobility",
            archive=archive,
            mirror=None,
            http=HttpClient(tmp_path / "http.json"),
            discover=lambda http: sm.discover(http, base_url=server.url),
        )
        downloaded = {path for method, path, _ in server.requests if path.endswith(".csv")}
    assert mode == "live" and len(files) == 6
    assert not any("2.0/CI1-2.0" in p for p in downloaded)  # the superseded version is not fetched
    tables = sm.parse(files)
    v = tables.values.set_index(["indicator_id", "area_code"])["value"]
    assert v[("smc_conditions_of_childhood", "E06000008")] == -2.0
    assert v[("smc_promising_prospects", "E06000008")] == -5.0
    assert v[("smc_innovation_and_growth", "E10000012")] == 0.3
    assert sorted(tables.releases) == ["CI1 3.0", "CI2 3.0", "CI3 3.0", "CI4 4.0"]


def test_page_without_download_link(tmp_path):
    with LocalServer() as server:
        publish(server, drop_link_on=INDEX_PAGES[2])
        with pytest.raises(SourceError, match="Download full dataset") as err:
            sm.discover(HttpClient(tmp_path / "http.json"), base_url=server.url)
    assert "innovation_and_growth/latest" in err.value.file


def test_missing_page_is_unavailable(tmp_path, archive):
    with LocalServer() as server:  # nothing published
        with pytest.raises(SourceUnavailable, match="HTTP 404"):
            acquire(
                "social_mobility",
                archive=archive,
                mirror=None,
                http=HttpClient(tmp_path / "http.json", retries=0),
                discover=lambda http: sm.discover(http, base_url=server.url),
            )
