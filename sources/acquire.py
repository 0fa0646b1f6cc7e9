"""Get a source's raw files: from a mirror folder when one is configured, else from the publisher."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Iterable

from .archive import Archive, RawFile
from .errors import SourceUnavailable
from .http import FetchError, HttpClient

# Files in a mirror folder that are documentation, not data.
IGNORED_NAMES = {"SOURCE.md", "README.md", ".DS_Store"}


@dataclass(frozen=True)
class RemoteFile:
    """A file a publisher's API says belongs to the latest release."""
    url: str
    name: str
    release: str | None = None


Discover = Callable[[HttpClient], Iterable[RemoteFile]]


def mirror_files(mirror: Path, source_id: str) -> list[Path] | None:
    """Data files under <mirror>/<source_id>/, or None when the mirror has no such folder."""
    folder = Path(mirror) / source_id
    if not folder.is_dir():
        return None
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.name not in IGNORED_NAMES and not p.name.startswith("."))


def acquire(source_id: str, *, archive: Archive, mirror: Path | None, http: HttpClient,
            discover: Discover | None) -> tuple[list[RawFile], str]:
    """Return (archived files, mode) where mode is 'mirror' or 'live'.

    A mirror folder, when present, wins: it is how operators run offline and how CI runs.
    """
    if mirror is not None:
        found = mirror_files(mirror, source_id)
        if found is not None:
            return [archive.store(source_id, p, origin=str(p.resolve())) for p in found], "mirror"
    if discover is None:
        raise SourceUnavailable(source_id, "no live download is implemented for this source and "
                                "no mirror folder is configured")
    try:
        remote = list(discover(http))
    except FetchError as exc:
        raise SourceUnavailable(source_id, str(exc)) from exc
    if not remote:
        raise SourceUnavailable(source_id, "the publisher's API listed no files for the latest release")
    files = []
    with tempfile.TemporaryDirectory() as tmp:
        for item in remote:
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
            raw = archive.store(source_id, fetched.path, origin=item.url, release=item.release,
                                original_name=item.name)
            http.remember(item.url, raw.sha256)
            files.append(raw)
    return files, "live"
