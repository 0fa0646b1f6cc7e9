"""Raw-file archive: every file we read is kept by sha256 with where and when it came from."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class RawFile:
    source_id: str
    path: str  # the archived copy, read by parsers
    sha256: str
    original_name: str
    origin: str  # URL it was downloaded from, or mirror path it was copied from
    retrieved_at: str  # ISO 8601, UTC
    release: str | None  # publisher's edition when known at acquisition (parsers may refine it)
    size_bytes: int

    def to_dict(self) -> dict:
        return asdict(self)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Archive:
    """archive/<source_id>/<sha256>/<original name> plus provenance.json beside it.

    Content addressed, so re-archiving identical bytes is a no-op and an analyst can always find
    the exact bytes a published value came from.
    """

    def __init__(self, root: Path):
        self.root = Path(root)

    def store(
        self,
        source_id: str,
        src: Path,
        *,
        origin: str,
        release: str | None = None,
        original_name: str | None = None,
        retrieved_at: str | None = None,
    ) -> RawFile:
        src = Path(src)
        digest = sha256_of(src)
        name = original_name or src.name
        folder = self.root / source_id / digest
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        if not target.exists():
            tmp = target.with_name(target.name + ".part")
            shutil.copyfile(src, tmp)
            tmp.replace(target)
        raw = RawFile(
            source_id=source_id,
            path=str(target),
            sha256=digest,
            original_name=name,
            origin=origin,
            retrieved_at=retrieved_at or now_utc(),
            release=release,
            size_bytes=target.stat().st_size,
        )
        prov_path = folder / "provenance.json"
        sightings = _sightings(prov_path, set_aside=True)
        sightings.append(raw.to_dict())
        # Written beside and then renamed: a refresh killed mid-write leaves the last whole file.
        tmp = prov_path.with_name(prov_path.name + ".part")
        tmp.write_text(json.dumps(sightings, indent=2))
        tmp.replace(prov_path)
        return raw

    def lookup(self, source_id: str, sha256: str) -> RawFile | None:
        sightings = _sightings(self.root / source_id / sha256 / "provenance.json")
        return RawFile(**sightings[-1]) if sightings else None


def _sightings(prov_path: Path, set_aside: bool = False) -> list[dict]:
    """The sightings recorded in provenance.json; none if there is no file or it cannot be read (a
    partial write by an older version killed mid-write). With set_aside, such a file is kept as
    provenance.unreadable.json for an operator to look at, and a new history starts beside it."""
    if not prov_path.exists():
        return []
    try:
        sightings = json.loads(prov_path.read_text(encoding="utf-8"))
        if isinstance(sightings, list) and all(isinstance(s, dict) for s in sightings):
            return sightings
    except (UnicodeDecodeError, json.JSONDecodeError):
        pass
    if set_aside:
        prov_path.replace(prov_path.with_name("provenance.unreadable.json"))
    return []
