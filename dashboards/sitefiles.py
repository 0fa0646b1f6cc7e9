"""Publish the site atomically, like the warehouse: build aside, swap in one step.

`site` is a symlink to one complete version folder, `site.versions/<id>`. A build writes a new
version folder; a file whose bytes equal the live version's is hard-linked from it instead of
written again (unchanged pages are not rewritten: same inode, same modification time). When the
build is complete, a new symlink is renamed over `site` (one atomic rename), and every other
version is deleted, so files of areas no longer built disappear. A kill at any point leaves the
live site whole; the half-built folder is removed by the next build. Readers need nothing new:
`inclusion serve` and file:// resolve `site/...` afresh on every request.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from pathlib import Path

LOCK = ".lock"


def versions_dir(site: Path) -> Path:
    return site.with_name(site.name + ".versions")


class SiteWriter:
    """Writes one version folder; counts files written and linked unchanged."""

    def __init__(self, root: Path, previous: Path | None, lock=None):
        self.root, self.previous, self.lock = root, previous, lock
        self.written = self.linked = 0

    def path(self, relative: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write_text(self, relative: str, text: str) -> Path:
        return self.write_bytes(relative, text.encode("utf-8"))

    def write_bytes(self, relative: str, data: bytes) -> Path:
        path = self.path(relative)
        old = self.previous / relative if self.previous else None
        if old is not None and _same_bytes(old, data):
            try:
                os.link(old, path)
                self.linked += 1
                return path
            except OSError:  # another file system, or links not allowed: write it
                pass
        with open(path, "wb") as handle:
            handle.write(data)
        self.written += 1
        return path


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def live_version(site: Path) -> Path | None:
    """The complete version `site` shows now: its symlink target, or a plain folder of older builds."""
    if site.is_symlink():
        target = site.resolve()
        return target if target.is_dir() else None
    return site if site.is_dir() else None


def begin(site: Path) -> SiteWriter:
    """A writer for a new version folder beside the live one; half-built folders of killed builds go."""
    versions = versions_dir(site)
    versions.mkdir(parents=True, exist_ok=True)
    lock = open(versions / LOCK, "w")  # one build of a site at a time; the OS frees it if we die
    fcntl.flock(lock, fcntl.LOCK_EX)
    live = live_version(site)
    for folder in versions.iterdir():
        if folder.name != LOCK and folder != live and not (live and live.is_relative_to(folder)):
            _remove(folder)
    new = versions / f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{os.getpid()}-{time.time_ns() % 10**9:09d}"
    new.mkdir()
    return SiteWriter(new, live, lock)


def commit(site: Path, writer: SiteWriter) -> None:
    """Make the new version live in one rename, then delete every other version."""
    _sync_tree(writer.root)
    swap = site.with_name(site.name + ".swap")
    if swap.is_symlink() or swap.exists():
        swap.unlink()
    os.symlink(os.path.relpath(writer.root, site.parent), swap)
    if site.is_dir() and not site.is_symlink():
        # A site built before versions existed: move it aside (the one moment `site` is missing).
        os.rename(site, versions_dir(site) / "unversioned")
    os.replace(swap, site)
    _sync_dir(site.parent)
    for folder in versions_dir(site).iterdir():
        if folder.name != LOCK and folder != writer.root:
            _remove(folder)
    if writer.lock is not None:
        writer.lock.close()


def _remove(folder: Path) -> None:
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    else:
        shutil.rmtree(folder, ignore_errors=True)


def _sync_tree(root: Path) -> None:
    """Pages on disk before the swap: a crash after it must not show empty files."""
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            if os.stat(path).st_nlink > 1:  # linked from the live version: already on disk
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _sync_dir(Path(dirpath))


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
