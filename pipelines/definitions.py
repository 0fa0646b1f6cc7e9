"""The one Definitions object, loaded by workspace.yaml (`dagster dev`) and the `inclusion` CLI."""

from __future__ import annotations

import os

import dagster as dg

from assets.checks import check_defs
from assets.disclosure import disclosure_checks
from assets.igplus import igplus_assets, igplus_checks
from assets.publish import dashboard_site, published_warehouse
from assets.records import records_assets, records_checks
from assets.resources import resources_for, with_fields
from assets.settings import Settings
from assets.sources import landing_assets, raw_assets
from assets.transform import transform_assets

from .housekeeping import housekeeping, housekeeping_schedule, orphaned_runs
from .jobs import full_refresh, nightly_refresh, records_refresh, refresh_sources
from .owners import with_owners
from .sensors import planned_refresh, sensors

# The secrets, by resource and field: given as dg.EnvVar, resolved by Dagster when a run starts.
SECRETS = {
    ("records", "records_key"): "INCLUSION_RECORDS_KEY",
    ("publishers", "statxplore_api_key"): "STAT_XPLORE_API_KEY",
}


def deployment_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """The resources of one deployment, secrets as dg.EnvVar (an unset variable is left out: the
    records then refuse to load, and Stat-Xplore's indicators are reported unavailable)."""
    resources = resources_for(settings)
    for (key, field), name in SECRETS.items():
        if os.environ.get(name, "").strip():
            resources[key] = with_fields(resources[key], **{field: dg.EnvVar(name)})
    return resources


def build_defs(settings: Settings) -> dg.Definitions:
    """Definitions for one deployment's settings (tests build their own with a temporary home)."""
    return dg.Definitions(
        assets=with_owners(
            [
                *raw_assets,
                *landing_assets,
                *transform_assets,
                *records_assets,
                *igplus_assets,
                published_warehouse,
                dashboard_site,
            ]
        ),
        asset_checks=[*check_defs, *records_checks, *igplus_checks, *disclosure_checks],
        sensors=[*sensors(settings), planned_refresh, orphaned_runs],
        jobs=[full_refresh, refresh_sources, records_refresh, housekeeping],
        schedules=[nightly_refresh(settings.nightly), housekeeping_schedule],
        resources=deployment_resources(settings),
    )


defs = build_defs(Settings.from_env())
