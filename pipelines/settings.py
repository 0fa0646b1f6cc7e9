"""Where things live, read from environment variables (documented in README.md)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    home: Path                  # INCLUSION_HOME: working directory (default build/)
    mirror: Path | None         # INCLUSION_MIRROR: <mirror>/<source_id>/<files>, read instead of downloading
    records_dir: Path | None    # INCLUSION_RECORDS: folder of co-production record workbooks
    target_vintage: str | None  # INCLUSION_TARGET_VINTAGE: LAD vintage to harmonise to (default newest)

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "Settings":
        env = os.environ if environ is None else environ

        def path_or_none(name: str) -> Path | None:
            value = env.get(name, "").strip()
            return Path(value).expanduser().resolve() if value else None

        return cls(
            home=Path(env.get("INCLUSION_HOME", "").strip() or "build").expanduser().resolve(),
            mirror=path_or_none("INCLUSION_MIRROR"),
            records_dir=path_or_none("INCLUSION_RECORDS"),
            target_vintage=env.get("INCLUSION_TARGET_VINTAGE", "").strip() or None,
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
