"""Faults an operator can act on, in plain words: a full disk, Dagster's storage full, a file held
by another program, a busy port. The raw error stays in Dagster's event log for developers."""

from __future__ import annotations

import errno
import re
import shutil
from pathlib import Path

DISK_FULL = re.compile(
    r"no space left on device|disk is full|database or disk is full|errno 28|\[Errno 28\]"
    r"|could not write.*(space|full)|not enough space|disk quota exceeded",
    re.I,
)
SPILL_FULL = re.compile(r"failed to offload|max_temp_directory_size", re.I)
OUT_OF_MEMORY = re.compile(r"out of memory|could not allocate block|failed to allocate", re.I)
DAGSTER_STORAGE = re.compile(
    r"sqlalchemy|sqlite3\.OperationalError|runs\.db|event_logs|schedules\.db|"
    r"index\.db|DagsterInstance",
    re.I,
)
MISSING_LANDING = re.compile(r"Table with name (\w+?)__\w+ does not exist")
DAMAGED = re.compile(
    r"could not read enough bytes from file|is not a valid DuckDB database file|corrupt database file"
    r"|checksum \S* ?does not match",
    re.I,
)
QUOTED_PATH = re.compile(r'file "([^"]+)"')
INTERRUPTED = re.compile(r"DagsterExecutionInterruptedError|KeyboardInterrupt")
LOCKED = re.compile(r"could not set lock on file|conflicting lock is held|database is locked", re.I)


def free_bytes(path: Path) -> int | None:
    """Free space on the disk holding path (or its nearest existing parent)."""
    probe = Path(path)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return None


def _size(n: int | None) -> str:
    return "unknown" if n is None else f"{n / 1e9:.1f} GB" if n >= 1e8 else f"{n / 1e6:.0f} MB"


def plain(error: str | BaseException, *, home: Path, dagster_home: Path | None = None) -> str | None:
    """A plain-words explanation of a fault, or None when the error is not one we recognise."""
    text = (
        f"{type(error).__module__}.{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(error)
    )
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        text += " no space left on device"
    storage = DAGSTER_STORAGE.search(text) is not None
    nearly_full = (free_bytes(dagster_home or home) or 0) < 100e6
    if DISK_FULL.search(text) or (re.search(r"disk I/O error|I/O error", text, re.I) and nearly_full):
        where = dagster_home if storage and dagster_home else home
        what = (
            f"Dagster's run storage in {where} could not be written"
            if storage
            else f"the refresh could not write to {where}"
        )
        return (
            f"The disk is full: {what} ({_size(free_bytes(where))} free). Free some space (old runs and raw "
            f"files are pruned after INCLUSION_RETENTION_DAYS), then run the refresh again. The published "
            f"warehouse and site were not changed."
        )
    if SPILL_FULL.search(text):  # DuckDB says "Out of Memory" when the disk it spills to is full
        return (
            f"The disk is full: DuckDB could not spill to disk under {home / 'work'} "
            f"({_size(free_bytes(home / 'work'))} free), so it ran out of memory. Free some space (or raise "
            f"INCLUSION_DUCKDB_MEMORY), then run the refresh again. The published warehouse and site were not "
            f"changed."
        )
    if OUT_OF_MEMORY.search(text):
        free = free_bytes(home)
        disk = (
            f" The disk under {home} has only {_size(free)} free, so DuckDB could not spill to disk: free some space."
            if free is not None and free < 2e9
            else ""
        )
        return (
            f"DuckDB ran out of memory (INCLUSION_DUCKDB_MEMORY caps it; larger steps spill to "
            f"{home / 'work'}).{disk} Raise INCLUSION_DUCKDB_MEMORY or free memory, then run the refresh again. "
            f"The published warehouse and site were not changed."
        )
    if DAMAGED.search(text):
        named = QUOTED_PATH.search(text)
        work = home / "work" / "refresh.duckdb"
        path = Path(named.group(1)) if named else work
        if path.name != work.name:
            return (
                f"The DuckDB file {path} is damaged (cut short or overwritten): it cannot be read. "
                "The published warehouse and site were not changed."
            )
        return (
            f"The refresh's private database {path} is damaged (cut short or overwritten, e.g. after a full "
            f"disk): it cannot be read. Move it aside (rename it to {path.name}.damaged) and run the refresh "
            "again: it is rebuilt from the sources' files (a source that cannot be fetched again has no data "
            "until it can). The published warehouse and site were not changed."
        )
    if INTERRUPTED.search(text):
        return (
            "interrupted (Ctrl+C or a stop signal) while this step ran. The published warehouse and site "
            "are whole (each is replaced in one step, never written in place); run the refresh again to "
            "carry on from what had finished."
        )
    if missing := MISSING_LANDING.search(text):
        return (
            f"this step needs the {missing.group(1)} source, which has no good data yet (see its reason "
            f"above); nothing that depends on it can be built until it loads once."
        )
    if LOCKED.search(text) and not storage:
        return (
            "Another program holds a DuckDB file the refresh needs (another refresh, or a connection "
            "opened for writing). Close it, then run the refresh again. Analysts: open the published "
            "warehouse read-only (duckdb -readonly build/warehouse.duckdb)."
        )
    if storage and re.search(r"OperationalError|DatabaseError|IntegrityError", text):
        first = next((line for line in text.splitlines() if line.strip()), "")[:200]
        return (
            f"Dagster's run storage in {dagster_home or 'DAGSTER_HOME'} could not be used ({first}). "
            f"Check the disk has space and the folder is writable, then run the refresh again."
        )
    return None
