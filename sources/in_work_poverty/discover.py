"""discover(): every CiLIF local-area edition through the GOV.UK search and content APIs, withdrawn
ones listed but not loaded, and the next one from the statistics release calendar. Each edition
restates earlier years; sources/editions.py keeps the newest edition's figures per year."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from ..acquire import Discovered, PublisherRelease, RemoteFile
from ..http import FetchError, HttpClient
from ..release_calendar import upcoming

GOVUK_BASE = "https://www.gov.uk"
SEARCH_QUERY = "children in low income families local area statistics"
# Each edition is a statistics page: .../children-in-low-income-families-local-area-statistics-2014-to-2021
RELEASE_PATH = re.compile(
    r"^/government/statistics/children-in-low-income-families-local-area-statistics-(\d{4})-to-(\d{4})$"
)


def discover(http: HttpClient, base: str = GOVUK_BASE) -> Discovered:
    base = base.rstrip("/")
    files: list[RemoteFile] = []
    listed: list[PublisherRelease] = []
    for path, release, stamp in releases(http, base):
        url = f"{base}/api/content{path}"
        try:
            content = http.get_json(url)
        except FetchError as exc:
            if exc.reason == "HTTP 404" and listed:  # an older search hit whose page has gone
                continue
            raise
        published = _iso_date(content.get("first_published_at") or stamp)
        withdrawn = bool(content.get("withdrawn_notice"))
        listed.append(PublisherRelease(release, published, "withdrawn" if withdrawn else "published", base + path))
        if not withdrawn:
            found = ods_attachments(content, base, release, url, published, required=not files)
            files += found
    announced = upcoming(http, base, SEARCH_QUERY, "Children in low income families")
    return Discovered(files, [*announced[:1], *listed])


def _iso_date(value) -> str | None:
    text = str(value or "")
    return text[:10] if len(text) >= 10 and text[4] == "-" and text[7] == "-" else None


def releases(http: HttpClient, base: str) -> list[tuple[str, str, str]]:
    """(page path, '2014 to 2021', public_timestamp) of every edition, newest years first."""
    url = f"{base}/api/search.json"
    params = {"q": SEARCH_QUERY, "order": "-public_timestamp", "count": 50}
    found: dict[str, tuple[tuple[int, int, str], str, str]] = {}
    # Editions are 'official_statistics'; accredited ones are filed as 'national_statistics'.
    for extra in ({"filter_format": "official_statistics"}, {}):
        results = http.get_json(url, params={**params, **extra}).get("results", [])
        for item in results:
            m = RELEASE_PATH.match(item.get("link", ""))
            if m:
                key = (int(m.group(2)), int(m.group(1)), item.get("public_timestamp") or "")
                found.setdefault(
                    item["link"], (key, f"{m.group(1)} to {m.group(2)}", item.get("public_timestamp") or "")
                )
        if found:
            break
    if not found:
        raise FetchError(
            url, "no 'Children in low income families: local area statistics' release in the search results"
        )
    ordered = sorted(found.items(), key=lambda kv: kv[1][0], reverse=True)
    return [(path, label, stamp) for path, (_, label, stamp) in ordered]


def ods_attachments(
    content: dict, base: str, release: str, url: str, published: str | None = None, required: bool = True
) -> list[RemoteFile]:
    files = []
    for att in content.get("details", {}).get("attachments", []):
        link = att.get("url") or ""
        name = att.get("filename") or link.rsplit("/", 1)[-1]
        if name.lower().endswith(".ods"):
            files.append(
                RemoteFile(
                    url=urljoin(base + "/", link), name=name, release=release, release_date=published, immutable=True
                )
            )
    if not files and required:
        raise FetchError(url, "the release page lists no .ods attachment")
    return files
