"""Dagster resources, one per concern; an asset asks only for those it uses.

pipelines/definitions.py builds them from the deployment's Settings (assets/settings.py: the
environment over inclusion.env) and gives the two secrets as dg.EnvVar, so their values never sit
in the definitions or a run's config. Nothing here reads the environment.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TypeVar

import dagster as dg
import duckdb
from pydantic import Field

from sources.archive import Archive
from sources.http import HttpClient

from .settings import HomeLayout, Settings
from .warehouse import Warehouse

R = TypeVar("R", bound=dg.ConfigurableResource)
HOME = "The deployment's working directory (INCLUSION_HOME)."


class WarehouseResource(dg.ConfigurableResource):
    """The refresh's private DuckDB database, the published copy and the site, under one home."""

    home: str = Field(description=HOME)
    duckdb_memory: str = Field("4GB", description="DuckDB memory_limit (INCLUSION_DUCKDB_MEMORY).")

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehouseResource:
        return cls(home=str(settings.home), duckdb_memory=settings.duckdb_memory)

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[WarehouseResource]:
        """For a run: the private database stays open (Warehouse.held), so steps do not reopen it.
        Not for a sensor's tick (no run): it must not wait for a running refresh's lock."""
        if context.dagster_run is None:
            yield self
            return
        with self.warehouse.held():
            yield self

    @property
    def layout(self) -> HomeLayout:
        return HomeLayout(Path(self.home))

    @property
    def warehouse(self) -> Warehouse:
        layout = self.layout
        return Warehouse(layout.work_db_path, layout.warehouse_path, memory_limit=self.duckdb_memory)

    def connect(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A connection to the private database (the run's held one, inside a run)."""
        return self.warehouse.connect()


class PublishersResource(dg.ConfigurableResource):
    """How the public sources are fetched (mirror or HTTP) and what a release must satisfy to land."""

    home: str = Field(description=HOME + " The raw archive and HTTP validators live under it.")
    mirror: str | None = Field(None, description="INCLUSION_MIRROR: <mirror>/<source_id>/<files>.")
    target_vintage: str | None = Field(None, description="INCLUSION_TARGET_VINTAGE (default the newest).")
    http_timeout: float = Field(30.0, description="INCLUSION_HTTP_TIMEOUT: seconds per request attempt.")
    http_rewrites: list[list[str]] = Field([], description="INCLUSION_HTTP_REWRITE: [prefix, replacement] pairs.")
    shrink_min_share: float = Field(0.75, description="INCLUSION_SHRINK_MIN_SHARE of the last good release.")
    accept_shrink: list[str] = Field([], description="INCLUSION_ACCEPT_SHRINK: sources allowed to shrink.")
    statxplore_api_key: str | None = Field(None, description="Secret (dg.EnvVar STAT_XPLORE_API_KEY).")

    @classmethod
    def from_settings(cls, settings: Settings) -> PublishersResource:
        return cls(
            home=str(settings.home),
            mirror=str(settings.mirror) if settings.mirror else None,
            target_vintage=settings.target_vintage,
            http_timeout=settings.http_timeout,
            http_rewrites=[list(pair) for pair in settings.http_rewrites],
            shrink_min_share=settings.shrink_min_share,
            accept_shrink=list(settings.accept_shrink),
        )

    @property
    def mirror_path(self) -> Path | None:
        return Path(self.mirror) if self.mirror else None

    @property
    def work_dir(self) -> Path:
        """Where one-shot shrink acceptances are kept (`inclusion accept-shrink`)."""
        return HomeLayout(Path(self.home)).work_db_path.parent

    @property
    def archive(self) -> Archive:
        return Archive(HomeLayout(Path(self.home)).archive_dir)

    def http(self) -> HttpClient:
        return HttpClient(
            HomeLayout(Path(self.home)).http_cache,
            timeout=self.http_timeout,
            rewrites={prefix: to for prefix, to in self.http_rewrites},
        )


class RecordsResource(dg.ConfigurableResource):
    """The co-production records folder and the key that pseudonymises their identifiers."""

    home: str = Field(description=HOME + " The fictional example records are written under it.")
    records_dir: str | None = Field(None, description="INCLUSION_RECORDS; unset: the fictional example set.")
    records_key: str | None = Field(None, description="Secret (dg.EnvVar INCLUSION_RECORDS_KEY).")

    @classmethod
    def from_settings(cls, settings: Settings) -> RecordsResource:
        return cls(home=str(settings.home), records_dir=str(settings.records_dir) if settings.records_dir else None)

    @property
    def records_path(self) -> Path | None:
        return Path(self.records_dir) if self.records_dir else None

    @property
    def example_data(self) -> bool:
        """True when no records directory is configured: the built-in fictional example set is used."""
        return self.records_dir is None

    @property
    def example_dir(self) -> Path:
        return Path(self.home) / "records_example"


class RetentionResource(dg.ConfigurableResource):
    """How long runs, their event logs and unused raw files are kept (the housekeeping job)."""

    home: str = Field(description=HOME)
    days: int = Field(90, description="INCLUSION_RETENTION_DAYS.")
    runs: int = Field(30, description="INCLUSION_RETENTION_RUNS: the newest runs kept whatever their age.")

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionResource:
        return cls(home=str(settings.home), days=settings.retention_days, runs=settings.retention_runs)

    @property
    def layout(self) -> HomeLayout:
        return HomeLayout(Path(self.home))


class IgplusResource(dg.ConfigurableResource):
    """The IG+ config file: goalposts, weights, the Monte Carlo and the reporting rules."""

    config: str = Field(description="INCLUSION_IGPLUS_CONFIG (default config/igplus.v1.yaml).")

    @classmethod
    def from_settings(cls, settings: Settings) -> IgplusResource:
        return cls(config=str(settings.igplus_config))

    @property
    def config_path(self) -> Path:
        return Path(self.config)


def with_fields(resource: R, **fields) -> R:
    """A new resource like `resource` with some fields set (model_copy would keep the old config
    Dagster resolved for it)."""
    current = {name: getattr(resource, name) for name in type(resource).model_fields}
    return type(resource)(**{**current, **fields})


def resources_for(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """Every resource for one deployment's settings, by the key assets ask for it (secrets unset)."""
    return {
        "warehouse": WarehouseResource.from_settings(settings),
        "publishers": PublishersResource.from_settings(settings),
        "records": RecordsResource.from_settings(settings),
        "retention": RetentionResource.from_settings(settings),
        "igplus": IgplusResource.from_settings(settings),
    }
