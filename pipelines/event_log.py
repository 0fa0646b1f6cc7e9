"""Dagster's SQLite event log with each database kept open, instead of opened and closed per event.

Dagster's SqliteEventLogStorage makes a new SQLAlchemy engine and SQLite connection for every
event it stores and closes it after, which checkpoints the write-ahead log; with synchronous=FULL
each commit is also flushed to disk. A cold refresh stores some 550 events (start, output,
materialization, success of about 100 steps, and the checks'), so that was about 40 ms of CPU and a
few disk flushes per event. This storage is the same tables and files (<DAGSTER_HOME>/history/runs/),
with one open engine for each of the few databases in use (the index and the newest runs) and
synchronous=NORMAL in WAL mode: a commit survives the process being killed; only a power cut can
lose the last events, and then the next refresh redoes the work they recorded (no data version,
no skip). pipelines/dagster.yaml selects it for `inclusion refresh` and `make dev`.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from dagster import DagsterInvariantViolationError, Field, StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS

# Databases kept open at once: the index and the runs being written or read (a refresh writes two).
KEEP_OPEN = 4


def event_log_dir(dagster_home: Path) -> str:
    """Where Dagster's default storage keeps the event log of a home, so either storage reads it."""
    return str(dagster_home / "history" / "runs") + os.sep


def _pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class OpenSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage whose databases stay open (see the module's docstring)."""

    def __init__(self, base_dir: str | None = None, inst_data: Any = None):
        self._engines: OrderedDict[str, sa.Engine] = OrderedDict()
        self._pid = os.getpid()
        if not base_dir:  # `inclusion` writes it into the home's copy of dagster.yaml (pipelines/cli.py)
            home = os.environ.get("DAGSTER_HOME", "").strip()
            if not home:
                raise DagsterInvariantViolationError(
                    "OpenSqliteEventLogStorage needs config base_dir or DAGSTER_HOME to find the event log"
                )
            base_dir = event_log_dir(Path(home))
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def config_type(cls):
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sa.Connection]:
        with self._db_lock:
            with self._engine(shard).connect() as conn, conn.begin():
                yield conn

    def _engine(self, shard: str) -> sa.Engine:
        if self._pid != os.getpid():  # a forked child: the open connections are its parent's
            self._engines = OrderedDict()
            self._pid = os.getpid()
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = sa.create_engine(
                self.conn_string_for_shard(shard),
                poolclass=sa.pool.QueuePool,
                pool_size=1,
                max_overflow=1,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            sa.event.listen(engine, "connect", _pragmas)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
        self._engines[shard] = engine  # the newest last
        while len(self._engines) > KEEP_OPEN:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    def _close_all(self) -> None:
        while self._engines:
            self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        with self._db_lock:
            self._close_all()
        super().wipe()

    def dispose(self) -> None:
        with self._db_lock:
            self._close_all()
        super().dispose()
