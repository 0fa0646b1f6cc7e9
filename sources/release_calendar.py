"""The next announced release of a series: GOV.UK's statistics release calendar, or an ONS page.

GOV.UK: the research-and-statistics finder's "upcoming" entries, i.e. statistics announcements.

The GOV.UK Search API answers `GET /api/search.json?filter_format=statistics_announcement&q=...`
with `results[]` holding `title`, `link`, `release_timestamp` and `statistics_announcement_state`
(`provisional`, `confirmed` or `cancelled`). A calendar that cannot be read leaves the next release
unknown; it never fails a source.
"""

from __future__ import annotations

from .acquire import PublisherRelease
from .editions import published_date
from .http import FetchError, HttpClient

FIELDS = ["title", "link", "release_timestamp", "statistics_announcement_state"]


def upcoming(http: HttpClient, base: str, query: str, title_starts: str) -> list[PublisherRelease]:
    """Announced, not cancelled, releases whose title starts with `title_starts`, soonest first."""
    params = {
        "filter_format": "statistics_announcement",
        "q": query,
        "count": 20,
        "order": "release_timestamp",
        "fields": FIELDS,
    }
    try:
        results = http.get_json(base.rstrip("/") + "/api/search.json", params=params).get("results") or []
    except FetchError:
        return []
    found = []
    for item in results:
        title = str(item.get("title") or "")
        when = str(item.get("release_timestamp") or "")[:10]
        if (
            title.lower().startswith(title_starts.lower())
            and len(when) == 10
            and item.get("statistics_announcement_state") != "cancelled"
        ):
            found.append(
                PublisherRelease(title, when, state="announced", url=base.rstrip("/") + str(item.get("link") or ""))
            )
    return sorted(found, key=lambda r: r.release_date or "")


def ons_next_release(page: dict) -> list[PublisherRelease]:
    """The next release an ONS dataset page announces (`description.nextRelease`, e.g. '28 October
    2026'; 'To be announced' gives none)."""
    text = str(((page or {}).get("description") or {}).get("nextRelease") or "")
    when = published_date(text)
    return [PublisherRelease(f"next release ({text.strip()})", when.isoformat(), state="announced")] if when else []


def ons_previous_versions(base: str, edition_page: dict, label: str) -> list[PublisherRelease]:
    """An ONS edition's earlier versions (`versions[]`: `uri` .../previous/vN, `updateDate`), listed
    as 'superseded': the edition's current version replaces each of them (a correction or an
    update of the same tables), so they are never loaded, but the listing shows they existed."""
    out = []
    for item in (edition_page or {}).get("versions") or []:
        uri = str((item or {}).get("uri") or "").rstrip("/")
        if not uri:
            continue
        text = str(item.get("updateDate") or "")
        when = text[:10] if len(text) >= 10 and text[4] == "-" and text[7] == "-" else None
        version = uri.rsplit("/", 1)[-1]
        out.append(
            PublisherRelease(f"{label} (previous version {version})", when, "superseded", base.rstrip("/") + uri)
        )
    return out
