"""discover(): find the newest CiLIF local-area release through the GOV.UK search and content APIs."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from ..acquire import RemoteFile
from ..http import FetchError, HttpClient

GOVUK_BASE = "https://www.gov.uk"
SEARCH_QUERY = "children in low income families local area statistics"
# Each edition is a statistics page: .../children-in-low-income-families-local-area-statistics-2014-to-2021
RELEASE_PATH = re.compile(
    r"^/government/statistics/children-in-low-income-families-local-area-statistics-(\d{4})-to-(\d{4})$")


def discover(http: HttpClient, base: str = GOVUK_BASE) -> list[RemoteFile]:
    base = base.rstrip("/")
    path, release = newest_release(http, base)
    content = http.get_json(f"{base}/api/content{path}")
    return ods_attachments(content, base, release, f"{base}/api/content{path}")


def newest_release(http: HttpClient, base: str) -> tuple[str, str]:
    """(page path, '2014 to 2021') of the edition covering the latest years."""
    url = f"{base}/api/search.json"
    params = {"q": SEARCH_QUERY, "order": "-public_timestamp", "count": 50}
    found = []
    # Editions are 'official_statistics'; accredited ones are filed as 'national_statistics'.
    for extra in ({"filter_format": "official_statistics"}, {}):
        results = http.get_json(url, params={**params, **extra}).get("results", [])
        for item in results:
            m = RELEASE_PATH.match(item.get("link", ""))
            if m:
                found.append(((int(m.group(2)), int(m.group(1)), item.get("public_timestamp") or ""),
                              item["link"], f"{m.group(1)} to {m.group(2)}"))
        if found:
            break
    if not found:
        raise FetchError(url, "no 'Children in low income families: local area statistics' release "
                         "in the search results")
    _, path, release = max(found)
    return path, release


def ods_attachments(content: dict, base: str, release: str, url: str) -> list[RemoteFile]:
    files = []
    for att in content.get("details", {}).get("attachments", []):
        link = att.get("url") or ""
        name = att.get("filename") or link.rsplit("/", 1)[-1]
        if name.lower().endswith(".ods"):
            files.append(RemoteFile(url=urljoin(base + "/", link), name=name, release=release))
    if not files:
        raise FetchError(url, "the release page lists no .ods attachment")
    return files
