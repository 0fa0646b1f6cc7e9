"""Dagster resources. Configured from environment variables via assets.settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from sources.archive import Archive
from sources.http import HttpClient

from .settings import Settings
from .warehouse import Warehouse


class InclusionResource(dg.ConfigurableResource):
    """Paths and access to the warehouse, the raw archive and the mirror for one deployment."""

    home: str
    mirror: str | None = None
    records_dir: str | None = None
    target_vintage: str | None = None
    http_timeout: float = 30.0
    http_rewrites: list[list[str]] = []
    duckdb_memory: str = "4GB"
    shrink_min_share: float = 0.75
    accept_shrink: list[str] = []
    retention_days: int = 90
    retention_runs: int = 30
    # Secrets: given as dg.EnvVar (pipelines/definitions.py), so their values never sit in the
    # definitions or the run config; None falls back to reading the environment where used.
    records_key: str | None = None
    statxplore_api_key: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> InclusionResource:
        return cls(
            home=str(settings.home),
            mirror=str(settings.mirror) if settings.mirror else None,
            records_dir=str(settings.records_dir) if settings.records_dir else None,
            target_vintage=settings.target_vintage,
            http_rewrites=[list(pair) for pair in settings.http_rewrites],
            http_timeout=settings.http_timeout,
            duckdb_memory=settings.duckdb_memory,
            shrink_min_share=settings.shrink_min_share,
            accept_shrink=list(settings.accept_shrink),
            retention_days=settings.retention_days,
            retention_runs=settings.retention_runs,
        )

    @property
    def settings(self) -> Settings:
        return Settings(
            home=Path(self.home),
            mirror=Path(self.mirror) if self.mirror else None,
            records_dir=Path(self.records_dir) if self.records_dir else None,
            target_vintage=self.target_vintage,
            http_rewrites=tuple((prefix, to) for prefix, to in self.http_rewrites),
            http_timeout=self.http_timeout,
            duckdb_memory=self.duckdb_memory,
            shrink_min_share=self.shrink_min_share,
            accept_shrink=tuple(self.accept_shrink),
            retention_days=self.retention_days,
            retention_runs=self.retention_runs,
        )

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[InclusionResource]:
        """For the run: the private database stays open (Warehouse.held), so steps do not reopen it."""
        with self.warehouse.held():
            yield self

    @property
    def warehouse(self) -> Warehouse:
        s = self.settings
        return Warehouse(s.work_db_path, s.warehouse_path, memory_limit=s.duckdb_memory)

    @property
    def archive(self) -> Archive:
        return Archive(self.settings.archive_dir)

    def http(self) -> HttpClient:
        return HttpClient(
            self.settings.http_cache,
            timeout=self.http_timeout,
            rewrites={prefix: to for prefix, to in self.http_rewrites},
        )
