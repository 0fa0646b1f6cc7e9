"""Find the newest tables workbook through the GOV.UK Content API (media ids change every release)."""
from __future__ import annotations

import posixpath
from datetime import date
from urllib.parse import urljoin, urlparse

from ..acquire import RemoteFile
from ..http import FetchError, HttpClient
from .meta import release_label

BASE_URL = "https://www.gov.uk"
PAGE_PATH = "/api/content/government/statistics/rough-sleeping-snapshot-in-england-autumn-{year}"
FIRST_YEAR = 2019          # earliest edition whose landing page follows PAGE_PATH
TABLE_EXTENSIONS = (".ods", ".xlsx")


def discover(http: HttpClient, base_url: str = BASE_URL, *, latest_year: int | None = None
             ) -> list[RemoteFile]:
    """The tables file of the newest published autumn edition, or [] if its page lists none.

    Pages for editions not yet published answer 404, so walk back from the current year.
    """
    for year in range((latest_year or date.today().year), FIRST_YEAR - 1, -1):
        url = base_url.rstrip("/") + PAGE_PATH.format(year=year)
        try:
            page = http.get_json(url)
        except FetchError as exc:
            if exc.reason == "HTTP 404":
                continue
            raise
        attachment = _tables_attachment(page.get("details", {}).get("attachments", []) or [])
        if attachment is None:
            return []
        file_url = urljoin(base_url, attachment["url"])
        name = attachment.get("filename") or posixpath.basename(urlparse(file_url).path)
        return [RemoteFile(file_url, name, release=release_label(year))]
    raise FetchError(base_url + PAGE_PATH.format(year="YYYY"),
                     f"no rough sleeping snapshot page found for autumn {FIRST_YEAR}-"
                     f"{latest_year or date.today().year}")


def _tables_attachment(attachments: list[dict]) -> dict | None:
    """'Rough sleeping snapshot in England: autumn YYYY - tables', not the '(accessible)' copy."""
    matches = [a for a in attachments
               if (a.get("title") or "").strip().lower().endswith("- tables")
               and "(accessible)" not in (a.get("title") or "").lower()
               and urlparse(a.get("url") or "").path.lower().endswith(TABLE_EXTENSIONS)]
    matches.sort(key=lambda a: not urlparse(a["url"]).path.lower().endswith(".ods"))  # ODS first
    return matches[0] if matches else None
