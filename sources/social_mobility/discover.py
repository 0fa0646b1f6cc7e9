"""Live discovery on the SMC data explorer (https://social-mobility.data.gov.uk).

Each composite index has a '.../latest' page whose 'Download full dataset (CSV)' link points at
the current versioned file ('3.0/CI4-3.0-promising-prospects--full-dataset.csv', relative to the
page), so reading the link follows new versions without hard-coding them. The 205-area map is a
static asset of the site. URL forms are inferred from the explorer's source (ukgov-equality-hub/
smc-son) and have not been fetched from the live site.
"""

from __future__ import annotations

import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

from ..acquire import RemoteFile
from ..errors import SourceError
from ..http import HttpClient
from .composite import FILE_NAME

DEFAULT_BASE_URL = "https://social-mobility.data.gov.uk"
INDEX_PAGES = [
    "state-of-the-nation/drivers_of_social_mobility/composite_indices/conditions_of_childhood/latest",
    "state-of-the-nation/drivers_of_social_mobility/composite_indices/"
    "labour_market_opportunities_for_young_people/latest",
    "state-of-the-nation/drivers_of_social_mobility/composite_indices/innovation_and_growth/latest",
    "state-of-the-nation/intermediate_outcomes/composite_indices/promising_prospects/latest",
]
AREA_MAP_PATHS = [
    "static/data/by-page/social_mobility_by_area/205_regions_codes.json",
    "static/data/by-page/social_mobility_by_area/205-regions.csv",
]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _page_links(http: HttpClient, url: str) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        fetched = http.download(url, Path(tmp) / "page.html", conditional=False)
        assert fetched.path is not None  # an unconditional download always has a body
        html = fetched.path.read_text(encoding="utf-8", errors="replace")
    parser = _Links()
    parser.feed(html)
    return parser.links


def _version_of(url: str) -> tuple[int, ...]:
    match = FILE_NAME.match(Path(urlparse(url).path).name)
    assert match is not None  # only URLs whose name matched FILE_NAME are compared
    return tuple(int(p) for p in match["version"].split("."))


def discover(http: HttpClient, base_url: str = DEFAULT_BASE_URL) -> list[RemoteFile]:
    base = base_url.rstrip("/") + "/"
    found = []
    for page in INDEX_PAGES:
        page_url = urljoin(base, page)
        datasets = [
            urljoin(page_url, href)
            for href in _page_links(http, page_url)
            if FILE_NAME.match(Path(urlparse(href).path).name)
        ]
        if not datasets:
            raise SourceError(
                "page has no 'Download full dataset (CSV)' link to a '<CODE>-<version>-<slug>--full-dataset.csv' file",
                file=page_url,
            )
        # Page history can link older versions too: take the newest.
        url = max(datasets, key=_version_of)
        name = Path(urlparse(url).path).name
        match = FILE_NAME.match(name)
        assert match is not None  # datasets holds only names that matched FILE_NAME
        found.append(RemoteFile(url=url, name=name, release=f"{match['code'].upper()} {match['version']}"))
    for path in AREA_MAP_PATHS:
        found.append(RemoteFile(url=urljoin(base, path), name=Path(path).name))
    return found
