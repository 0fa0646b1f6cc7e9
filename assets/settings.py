"""Where things live, read from environment variables and the settings file (documented in README.md).

`make refresh`, `make dev` and the nightly schedule all read the same settings: the environment,
over the settings file `inclusion.env` (KEY=VALUE lines; INCLUSION_SETTINGS names another file), so
an operator who writes INCLUSION_MIRROR there gets the mirror in the Dagster UI's runs too.
"""

from __future__ import annotations

import math
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


SETTINGS_FILE = "inclusion.env"
# The versioned IG+ config (goalposts, weights, Monte Carlo, reporting rules) shipped with the code.
DEFAULT_IGPLUS_CONFIG = Path(__file__).resolve().parents[1] / "config" / "igplus.v1.yaml"
SWITCH = {
    "on": True,
    "true": True,
    "yes": True,
    "1": True,
    "off": False,
    "false": False,
    "no": False,
    "0": False,
    "": False,
}


def read_settings_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines and # comments ignored; quotes around a value removed."""
    values = {}
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM from a Windows editor is not part of the first key
    except (OSError, UnicodeDecodeError) as exc:  # said as a bad setting, never a traceback
        raise ValueError(f"settings file {path} cannot be read ({exc})") from None
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip().isidentifier():
            raise ValueError(f"{path} line {number} is not KEY=VALUE: {line!r}")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def switch(name: str, text: str) -> bool:
    value = text.strip().lower()
    if value not in SWITCH:
        raise ValueError(f"{name} {text!r} is not 'on' or 'off'")
    return SWITCH[value]


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


def checked_timeout(text: str) -> float:
    """INCLUSION_HTTP_TIMEOUT: seconds per download attempt, a finite number above 0 (a socket refuses
    a negative one mid-run; nan or inf would wait for ever on a stalled publisher)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"INCLUSION_HTTP_TIMEOUT {text!r} is not a number of seconds above 0, such as 30")
    return value


def checked_vintage(text: str) -> str | None:
    """INCLUSION_TARGET_VINTAGE: a year of local authority boundaries such as 2023, or unset (the newest)."""
    value = text.strip()
    if value and not (len(value) == 4 and value.isascii() and value.isdigit()):
        raise ValueError(f"INCLUSION_TARGET_VINTAGE {text!r} is not a year such as 2023 (unset: the newest vintage)")
    return value or None


def checked_folder(name: str, path: Path) -> Path:
    """A folder the refresh writes in (made when missing): an existing file there cannot be one."""
    if path.exists() and not path.is_dir():
        raise ValueError(f"{name} {str(path)!r} is a file, not a folder")
    return path


def checked_file(name: str, path: Path | None) -> Path | None:
    """A setting that names a file to read: it must be one (a typo used to surface mid-refresh as a
    FileNotFoundError that did not name the setting)."""
    if path is not None and not path.is_file():
        raise ValueError(f"{name} {str(path)!r}: no such file")
    return path


def checked_sources(text: str) -> tuple[str, ...]:
    """INCLUSION_ACCEPT_SHRINK: source ids, 'population,...'. A misspelt one was ignored, so the shrink
    the operator meant to accept was refused again with nothing said about the typo."""
    names = tuple(s.strip() for s in text.split(",") if s.strip())
    if names:  # the registry is imported only then: `inclusion records check` starts without it
        from sources.registry import SOURCE_IDS

        unknown = [n for n in names if n not in SOURCE_IDS]
        if unknown:
            raise ValueError(
                f"INCLUSION_ACCEPT_SHRINK names {', '.join(map(repr, unknown))}, not a source; "
                f"sources are: {', '.join(SOURCE_IDS)}"
            )
    return names


def checked_count(name: str, text: str) -> int:
    if not text.isdigit():
        raise ValueError(f"{name} {text!r} is not a whole number of at least 0")
    return int(text)


@dataclass(frozen=True)
class Settings:
    home: Path  # INCLUSION_HOME: working directory (default build/)
    mirror: Path | None  # INCLUSION_MIRROR: <mirror>/<source_id>/<files>, read instead of downloading
    records_dir: Path | None  # INCLUSION_RECORDS: folder of co-production record workbooks
    target_vintage: str | None  # INCLUSION_TARGET_VINTAGE: LAD vintage to harmonise to (default newest)
    http_rewrites: tuple[tuple[str, str], ...] = ()  # INCLUSION_HTTP_REWRITE: "prefix=replacement,..."
    http_timeout: float = 30.0  # INCLUSION_HTTP_TIMEOUT: seconds per request attempt
    duckdb_memory: str = "4GB"  # INCLUSION_DUCKDB_MEMORY: DuckDB memory_limit; bigger steps spill to disk
    nightly: bool = False  # INCLUSION_NIGHTLY: 'on' starts the nightly_refresh schedule switched on
    shrink_min_share: float = 0.75  # INCLUSION_SHRINK_MIN_SHARE: a release keeps this share of the last good one
    accept_shrink: tuple[str, ...] = ()  # INCLUSION_ACCEPT_SHRINK: sources allowed to shrink, "population,..."
    retention_days: int = 90  # INCLUSION_RETENTION_DAYS: runs, event logs and unused raw files older are pruned
    retention_runs: int = 30  # INCLUSION_RETENTION_RUNS: the newest runs kept whatever their age
    igplus_config: Path = DEFAULT_IGPLUS_CONFIG  # INCLUSION_IGPLUS_CONFIG: the IG+ config file

    @classmethod
    def from_env(cls, environ: dict | None = None) -> Settings:
        """The environment over the settings file (read only for the real environment, or when
        `environ` names one with INCLUSION_SETTINGS)."""
        env = dict(os.environ if environ is None else environ)
        named = env.get("INCLUSION_SETTINGS", "").strip()
        file = Path(named).expanduser() if named else (Path(SETTINGS_FILE) if environ is None else None)
        if named and not file.is_file():
            raise ValueError(f"INCLUSION_SETTINGS {named!r}: no such file")
        if file is not None and file.is_file():
            env = {**read_settings_file(file), **env}

        def path_or_none(name: str) -> Path | None:
            value = env.get(name, "").strip()
            return Path(value).expanduser().resolve() if value else None

        return cls(
            home=checked_folder(
                "INCLUSION_HOME", Path(env.get("INCLUSION_HOME", "").strip() or "build").expanduser().resolve()
            ),
            mirror=path_or_none("INCLUSION_MIRROR"),
            records_dir=path_or_none("INCLUSION_RECORDS"),
            target_vintage=checked_vintage(env.get("INCLUSION_TARGET_VINTAGE", "")),
            http_rewrites=parse_rewrites(env.get("INCLUSION_HTTP_REWRITE", "")),
            http_timeout=checked_timeout(env.get("INCLUSION_HTTP_TIMEOUT", "").strip() or "30"),
            duckdb_memory=checked_memory_limit(env.get("INCLUSION_DUCKDB_MEMORY", "").strip() or "4GB"),
            nightly=switch("INCLUSION_NIGHTLY", env.get("INCLUSION_NIGHTLY", "off")),
            shrink_min_share=checked_share(env.get("INCLUSION_SHRINK_MIN_SHARE", "").strip() or "0.75"),
            accept_shrink=checked_sources(env.get("INCLUSION_ACCEPT_SHRINK", "")),
            retention_days=checked_count(
                "INCLUSION_RETENTION_DAYS", env.get("INCLUSION_RETENTION_DAYS", "").strip() or "90"
            ),
            retention_runs=checked_count(
                "INCLUSION_RETENTION_RUNS", env.get("INCLUSION_RETENTION_RUNS", "").strip() or "30"
            ),
            igplus_config=checked_file("INCLUSION_IGPLUS_CONFIG", path_or_none("INCLUSION_IGPLUS_CONFIG"))
            or DEFAULT_IGPLUS_CONFIG,
        )

    @property
    def layout(self) -> HomeLayout:
        return HomeLayout(self.home)

    @property
    def warehouse_path(self) -> Path:
        return self.layout.warehouse_path

    @property
    def work_db_path(self) -> Path:
        return self.layout.work_db_path

    @property
    def site_dir(self) -> Path:
        return self.layout.site_dir

    @property
    def archive_dir(self) -> Path:
        return self.layout.archive_dir

    @property
    def http_cache(self) -> Path:
        return self.layout.http_cache


@dataclass(frozen=True)
class HomeLayout:
    """Where a deployment keeps its files under INCLUSION_HOME (the settings and resources agree on it)."""

    home: Path

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
