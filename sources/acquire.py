"""Get a source's raw files: from a mirror folder when one is configured, else from the publisher."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .archive import Archive, RawFile
from .errors import SourceUnavailable
from .http import FetchError, HttpClient, looks_whole

# Files in a mirror folder that are documentation or the desktop's, not data.
IGNORED_NAMES = {"SOURCE.md", "README.md", ".DS_Store", "Thumbs.db", "desktop.ini"}
# Lock files office programs leave beside a workbook someone has open: Excel's '~$name.xlsx'
# (LibreOffice's '.~lock.name#' is hidden, so already skipped).
LOCK_FILE_PREFIX = "~$"


@dataclass(frozen=True)
class RemoteFile:
    """A file a publisher's API says belongs to the latest release."""

    url: str
    name: str
    release: str | None = None
    release_date: str | None = None  # ISO date the publisher gives for the release, when it does
    immutable: bool = False  # the URL names one edition's bytes for good (GOV.UK media,
    # ONS edition files): once archived it is never fetched again
    identity: str | None = None  # what names the bytes for good when the URL alone does not: an ONS
    # edition's current file is replaced at the same URL by a correction (sources/ons_versions.py)


@dataclass(frozen=True)
class PublisherRelease:
    """A release as the publisher lists it at a live check (landing.publisher_releases)."""

    title: str
    release_date: str | None = None  # ISO date
    state: str = "published"  # published | withdrawn | announced | superseded (an earlier version)
    url: str | None = None


class Discovered(list):
    """What discover() found: the files to load (a list of RemoteFile) and, when the publisher's
    pages say more, every release it lists (newest first), withdrawn and announced ones included."""

    def __init__(self, files: Iterable[RemoteFile] = (), listed: Iterable[PublisherRelease] = ()):
        super().__init__(files)
        self.listed = list(listed)


def releases_listed(remote: Iterable[RemoteFile]) -> list[PublisherRelease]:
    """The releases behind the discovered files, in order of appearance (discovery finds the newest)."""
    seen: dict[str, PublisherRelease] = {}
    for item in remote:
        if item.release and item.release not in seen:
            seen[item.release] = PublisherRelease(item.release, item.release_date)
    return list(seen.values())


Discover = Callable[[HttpClient], Iterable[RemoteFile]]


def mirror_files(mirror: Path, source_id: str) -> list[Path] | None:
    """Data files under <mirror>/<source_id>/, or None when the mirror has no such folder."""
    folder = Path(mirror) / source_id
    if not folder.is_dir():
        return None
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.name not in IGNORED_NAMES and not p.name.startswith((".", LOCK_FILE_PREFIX))
    )


def acquire(
    source_id: str,
    *,
    archive: Archive,
    mirror: Path | None,
    http: HttpClient,
    discover: Discover | None,
    listed: list[PublisherRelease] | None = None,
) -> tuple[list[RawFile], str]:
    """Return (archived files, mode) where mode is 'mirror' or 'live'.

    A mirror folder, when present, wins: it is how operators run offline and how CI runs. On the
    live path the releases the publisher listed are appended to `listed` once discovery succeeds,
    so release currency is known even when a download then fails.
    """
    if mirror is not None:
        found = mirror_files(mirror, source_id)
        if found is not None:
            return [archive.store(source_id, p, origin=str(p.resolve())) for p in found], "mirror"
    if discover is None:
        raise SourceUnavailable(
            source_id, "no live download is implemented for this source and no mirror folder is configured"
        )
    try:
        remote = discover(http)
        remote = remote if isinstance(remote, Discovered) else list(remote)
    except FetchError as exc:
        raise SourceUnavailable(source_id, str(exc)) from exc
    if listed is not None:
        listed.extend(getattr(remote, "listed", None) or releases_listed(remote))
    if not remote:
        raise SourceUnavailable(source_id, "the publisher's API listed no files for the latest release")
    files = []
    with tempfile.TemporaryDirectory() as tmp:
        for item in remote:
            key = item.identity or item.url
            known = http.known_sha(key) if item.immutable else None
            archived = archive.lookup(source_id, known) if known else None
            if archived is not None:  # an edition already archived: not fetched again
                files.append(replace(archived, origin=item.url, release=item.release))
                continue
            try:
                fetched = http.download(item.url, Path(tmp) / item.name)
            except FetchError as exc:
                raise SourceUnavailable(source_id, str(exc)) from exc
            if fetched.status == 304:
                known = http.known_sha(item.url)
                cached = archive.lookup(source_id, known) if known else None
                if cached is not None:
                    files.append(cached)
                    continue
                fetched = http.download(item.url, Path(tmp) / item.name, conditional=False)
            assert fetched.path is not None  # only a 304 has no body, and that was handled above
            raw = archive.store(source_id, fetched.path, origin=item.url, release=item.release, original_name=item.name)
            # An edition's bytes are kept for good once remembered: a wrong body (a web page, a cut
            # file) is archived for the parser to report or set aside, but fetched again next time.
            if looks_whole(fetched.path):
                http.remember(item.url, raw.sha256)
                if key != item.url:
                    http.remember(key, raw.sha256)
            files.append(raw)
    return files, "live"
