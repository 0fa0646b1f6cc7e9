"""An ONS edition's previous versions as files to load (each is an edition of its own).

An ONS edition page's JSON lists its earlier versions under `versions[]` (`uri` = the edition's uri
+ `/previous/vN`, `updateDate`); `GET {uri}/data` answers the same JSON shape as the edition (its
files under `downloads[].file`), and a file is fetched from `{ons_base}/file?uri={uri}/{file}`. A
version's URL names its bytes for good, so its files are immutable: archived once, never fetched
again. sources/catalogue.py gives their rows the release '<edition> (previous version vN)', which the
current version outranks for every period both cover.
"""

from __future__ import annotations

from collections.abc import Callable

from .acquire import RemoteFile
from .http import FetchError, HttpClient
from .release_calendar import ons_previous_versions


def previous_version_files(
    http: HttpClient, base: str, edition_page: dict, label: str, pick: Callable[[list[str]], list[str]]
) -> list[RemoteFile]:
    """The files `pick` chooses from each previous version's downloads; a version listed but gone
    (HTTP 404) is skipped, as the edition's other versions still stand."""
    files = []
    for version in ons_previous_versions(base, edition_page, label):
        uri = str(version.url or "")[len(base.rstrip("/")) :]
        try:
            page = http.get_json(f"{base.rstrip('/')}{uri}/data")
        except FetchError as exc:
            if exc.reason == "HTTP 404":
                continue
            raise
        names = [str(d["file"]) for d in (page or {}).get("downloads") or [] if isinstance(d, dict) and d.get("file")]
        files += [
            RemoteFile(
                url=f"{base.rstrip('/')}/file?uri={uri}/{name}",
                name=name,
                release=version.title,
                release_date=version.release_date,
                immutable=True,
            )
            for name in pick(names)
        ]
    return files


def current_version_identity(file_url: str, edition_page: dict) -> str:
    """What names an edition's current file for good: its URL and the version it is. A correction
    moves the old bytes to previous/vN and serves the new ones at the same URL, adding an entry to
    `versions[]`; the URL alone would keep the uncorrected file archived as current for ever."""
    version = len((edition_page or {}).get("versions") or []) + 1
    return f"{file_url}#version-{version}"
