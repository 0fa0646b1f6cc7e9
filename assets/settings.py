"""Where things live, read from environment variables (documented in README.md)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path


def parse_rewrites(text: str) -> tuple[tuple[str, str], ...]:
    """'https://www.gov.uk=http://proxy.local/govuk,https://a=https://b' -> pairs, in order."""
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        prefix, sep, replacement = item.partition("=")
        if not sep or not prefix or not replacement:
            raise ValueError(f"INCLUSION_HTTP_REWRITE entry {item!r} is not 'prefix=replacement'")
        pairs.append((prefix, replacement))
    return tuple(pairs)


MEMORY_LIMIT = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$")


def checked_memory_limit(text: str) -> str:
    """A DuckDB memory_limit such as '4GB' (DuckDB's SET takes no bound
    parameters, so the value is checked here, before it reaches SQL)."""
    value = text.strip()
    if not MEMORY_LIMIT.match(value):
        raise ValueError(f"INCLUSION_DUCKDB_MEMORY {text!r} is not a size such as '4GB' or '512MB'")
    return value


def checked_share(text: str) -> float:
    """INCLUSION_SHRINK_MIN_SHARE: a fraction from 0 (never refuse) to 1 (refuse any shrink)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise ValueError(f"INCLUSION_SHRINK_MIN_SHARE {text!r} is not a fraction from 0 to 1, such as 0.75")
    return value


def checked_count(name: str, text: str) -> int:
    if not text.isdigit():
        raise ValueError(f"{name} {text!r} is not a whole number of at least 0")
    return int(text)


@dataclass(frozen=True)
class Settings:
    home: Path                  # INCLUSION_HOME: working directory (default build/)
    mirror: Path | None         # INCLUSION_MIRROR: <mirror>/<source_id>/<files>, read instead of downloading
    records_dir: Path | None    # INCLUSION_RECORDS: folder of co-production record workbooks
    target_vintage: str | None  # INCLUSION_TARGET_VINTAGE: LAD vintage to harmonise to (default newest)
    http_rewrites: tuple[tuple[str, str], ...] = ()  # INCLUSION_HTTP_REWRITE: "prefix=replacement,..."
    http_timeout: float = 30.0  # INCLUSION_HTTP_TIMEOUT: seconds per request attempt
    duckdb_memory: str = "4GB"  # INCLUSION_DUCKDB_MEMORY: DuckDB memory_limit; bigger steps spill to disk
    shrink_min_share: float = 0.75     # INCLUSION_SHRINK_MIN_SHARE: a release keeps this share of the last good one
    accept_shrink: tuple[str, ...] = ()  # INCLUSION_ACCEPT_SHRINK: sources allowed to shrink, "population,..."
    retention_days: int = 90    # INCLUSION_RETENTION_DAYS: runs, event logs and unused raw files older are pruned
    retention_runs: int = 30    # INCLUSION_RETENTION_RUNS: the newest runs kept whatever their age

    @classmethod
    def from_env(cls, environ: dict | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def path_or_none(name: str) -> Path | None:
            value = env.get(name, "").strip()
            return Path(value).expanduser().resolve() if value else None

        return cls(
            home=Path(env.get("INCLUSION_HOME", "").strip() or "build").expanduser().resolve(),
            mirror=path_or_none("INCLUSION_MIRROR"),
            records_dir=path_or_none("INCLUSION_RECORDS"),
            target_vintage=env.get("INCLUSION_TARGET_VINTAGE", "").strip() or None,
            http_rewrites=parse_rewrites(env.get("INCLUSION_HTTP_REWRITE", "")),
            http_timeout=float(env.get("INCLUSION_HTTP_TIMEOUT", "").strip() or 30),
            duckdb_memory=checked_memory_limit(env.get("INCLUSION_DUCKDB_MEMORY", "").strip() or "4GB"),
            shrink_min_share=checked_share(env.get("INCLUSION_SHRINK_MIN_SHARE", "").strip() or "0.75"),
            accept_shrink=tuple(s.strip() for s in env.get("INCLUSION_ACCEPT_SHRINK", "").split(",") if s.strip()),
            retention_days=checked_count("INCLUSION_RETENTION_DAYS", env.get("INCLUSION_RETENTION_DAYS", "").strip() or "90"),
            retention_runs=checked_count("INCLUSION_RETENTION_RUNS", env.get("INCLUSION_RETENTION_RUNS", "").strip() or "30"),
        )

    @property
    def warehouse_path(self) -> Path:
        """The published warehouse analysts open (read-only)."""
        return self.home / "warehouse.duckdb"

    @property
    def work_db_path(self) -> Path:
        """The refresh's private database; never opened by analysts."""
        return self.home / "work" / "refresh.duckdb"

    @property
    def site_dir(self) -> Path:
        return self.home / "site"

    @property
    def archive_dir(self) -> Path:
        return self.home / "raw"

    @property
    def http_cache(self) -> Path:
        return self.home / "raw" / "http_validators.json"
