"""Every autumn edition through the GOV.UK Content API (media ids change every release), and the
next one from the statistics release calendar.

The series' collection (`/api/content/government/collections/homelessness-statistics`) lists every
edition's page under `links.documents[]` (`title`, `api_path`), the editions before autumn 2019
included, whose pages have other slugs; the pattern `/api/content/government/statistics/rough-
sleeping-snapshot-in-england-autumn-YYYY` (404 until published) finds the editions the collection
does not list (yet). On a page `first_public_at` is its publication date, a `withdrawn_notice` marks
a withdrawn one, and `details.attachments[]` holds the tables file (rough_sleeping/SOURCE.md).
Each file restates 2010 onwards; sources/editions.py keeps the newest edition's figures per year.
"""

from __future__ import annotations

import posixpath
import re
from datetime import date
from urllib.parse import urljoin, urlparse

from ..acquire import Discovered, PublisherRelease, RemoteFile
from ..http import FetchError, HttpClient
from ..release_calendar import upcoming
from .meta import release_label

BASE_URL = "https://www.gov.uk"
PAGE_PATH = "/api/content/government/statistics/rough-sleeping-snapshot-in-england-autumn-{year}"
FIRST_YEAR = 2019  # earliest edition whose landing page follows PAGE_PATH
COLLECTION_PATH = "/api/content/government/collections/homelessness-statistics"
# 'Rough sleeping snapshot in England: autumn 2022', and the older series titles such as 'Rough
# sleeping in England: autumn 2017' or 'Rough sleeping statistics England autumn 2012'
SERIES_TITLE = re.compile(r"^rough sleeping\b[^:]*?\bengland\b\W*autumn (\d{4})\b", re.I)
TABLE_EXTENSIONS = (".ods", ".xlsx", ".xls")
CALENDAR_QUERY = "rough sleeping snapshot in England"


def discover(
    http: HttpClient, base_url: str = BASE_URL, *, latest_year: int | None = None, all_editions: bool = True
) -> Discovered:
    """The tables file of every published, not withdrawn, autumn edition (newest first; only the
    newest when all_editions is False), with every edition and the next announced one listed."""
    base = base_url.rstrip("/")
    paths = _collection_pages(http, base)
    for year in range((latest_year or date.today().year), FIRST_YEAR - 1, -1):
        paths.setdefault(year, PAGE_PATH.format(year=year))
    pages = []
    for year, path in sorted(paths.items(), reverse=True):
        try:
            pages.append((year, path, http.get_json(base + path)))
        except FetchError as exc:
            if exc.reason != "HTTP 404":
                raise
    if not pages:
        raise FetchError(
            base + PAGE_PATH.format(year="YYYY"),
            f"no rough sleeping snapshot page found for autumn {FIRST_YEAR}-{latest_year or date.today().year}",
        )
    files: list[RemoteFile] = []
    listed: list[PublisherRelease] = []
    for year, path, page in pages:
        published = _iso_date(page.get("first_public_at") or page.get("public_updated_at"))
        withdrawn = bool(page.get("withdrawn_notice"))
        listed.append(
            PublisherRelease(
                release_label(year), published, state="withdrawn" if withdrawn else "published", url=base + path
            )
        )
        if withdrawn or (files and not all_editions):
            continue
        attachment = _tables_attachment(page.get("details", {}).get("attachments", []) or [])
        if attachment is None:
            continue
        file_url = urljoin(base_url, attachment["url"])
        name = attachment.get("filename") or posixpath.basename(urlparse(file_url).path)
        files.append(RemoteFile(file_url, name, release=release_label(year), release_date=published, immutable=True))
    announced = upcoming(http, base, CALENDAR_QUERY, "Rough sleeping snapshot in England")
    return Discovered(files, [*announced[:1], *listed])


def _collection_pages(http: HttpClient, base: str) -> dict[int, str]:
    """autumn year -> Content API path of its page, for every edition the collection lists (none when
    the collection is not there: the page pattern still finds the editions since autumn 2019)."""
    try:
        collection = http.get_json(base + COLLECTION_PATH)
    except FetchError as exc:
        if exc.reason != "HTTP 404":
            raise
        return {}
    found: dict[int, str] = {}
    for doc in ((collection or {}).get("links") or {}).get("documents") or []:
        match = SERIES_TITLE.search(str((doc or {}).get("title") or "").strip())
        path = str(doc.get("api_path") or "") or (f"/api/content{doc['base_path']}" if doc.get("base_path") else "")
        if match and path.startswith("/api/content/"):
            found.setdefault(int(match.group(1)), path)
    return found


def _iso_date(value) -> str | None:
    """GOV.UK's first_public_at ('2023-02-28T09:30:00.000+00:00') as an ISO date."""
    text = str(value or "")
    return text[:10] if len(text) >= 10 and text[4] == "-" and text[7] == "-" else None


def _tables_attachment(attachments: list[dict]) -> dict | None:
    """'Rough sleeping snapshot in England: autumn YYYY - tables', not the '(accessible)' copy."""
    matches = [
        a
        for a in attachments
        if (a.get("title") or "").strip().lower().endswith("- tables")
        and "(accessible)" not in (a.get("title") or "").lower()
        and urlparse(a.get("url") or "").path.lower().endswith(TABLE_EXTENSIONS)
    ]
    matches.sort(key=lambda a: not urlparse(a["url"]).path.lower().endswith(".ods"))  # ODS first
    return matches[0] if matches else None
