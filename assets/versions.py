"""The one way work is skipped: Dagster code versions and data versions.

Each asset's data version is a hash of its code version, the data versions of the assets it reads
(the latest Dagster recorded) and the values of its recorded parameters (settings, the as-of year,
the config file's hash). When that hash equals the data version Dagster recorded for the asset's
last materialization, and the table it wrote is still there, the work is skipped and the same data
version is reported, so everything downstream is unchanged too. The parameters are recorded in the
materialization's metadata, and the reason for a rebuild is read from Dagster's provenance.
"""

from __future__ import annotations

import json

import dagster as dg

from .lineage import digest

DATA_VERSION_TAG = "dagster/data_version"


def latest_data_version(instance: dg.DagsterInstance, key: dg.AssetKey) -> str | None:
    """The data version of the asset's latest materialization or observation, if Dagster has one."""
    record = instance.get_latest_data_version_record(key)
    return None if record is None else (record.event_log_entry.tags or {}).get(DATA_VERSION_TAG)


def parameters_text(params: dict) -> str:
    return json.dumps(params, sort_keys=True, default=str)


class Versioned:
    """The version of one asset's output for this run, and whether it was already built."""

    def __init__(self, context: dg.AssetExecutionContext, params: dict | None = None):
        key = context.asset_key
        self.context = context
        self.params = params or {}
        self.code_version = context.assets_def.code_versions_by_key.get(key) or ""
        self.inputs = {
            dep: latest_data_version(context.instance, dep)
            for dep in sorted(context.assets_def.asset_deps.get(key, ()), key=lambda k: k.path)
        }
        self.data_version = dg.DataVersion(
            digest(
                self.code_version,
                *(f"{k.to_user_string()}={v}" for k, v in self.inputs.items()),
                parameters_text(self.params),
            )
        )
        self.previous = latest_data_version(context.instance, key)

    @property
    def unchanged(self) -> bool:
        return self.previous == self.data_version.value

    def reason(self) -> str:
        """Why this output is rebuilt, from the provenance Dagster recorded last time."""
        if self.previous is None:
            return "never built (or no record of it in this Dagster instance)"
        provenance = self.context.get_asset_provenance(self.context.asset_key)
        if provenance is None:
            return "no provenance recorded"
        reasons = []
        if provenance.code_version != self.code_version:
            reasons.append("code changed")
        moved = [
            k.to_user_string()
            for k, v in self.inputs.items()
            if (provenance.input_data_versions.get(k) or dg.DataVersion("")).value != (v or "")
        ]
        if moved:
            reasons.append("new data in " + ", ".join(moved))
        if not reasons:
            reasons.append("parameters changed" if not self.unchanged else "output missing")
        return "; ".join(reasons)

    def skipped(self, **metadata) -> dg.MaterializeResult:
        """The result for work not redone: same data version, marked unchanged."""
        return dg.MaterializeResult(
            data_version=self.data_version,
            metadata={"unchanged": True, "parameters": parameters_text(self.params), **metadata},
        )

    def built(self, **metadata) -> dg.MaterializeResult:
        return dg.MaterializeResult(
            data_version=self.data_version,
            metadata={
                "unchanged": False,
                "rebuilt_because": self.reason(),
                "parameters": parameters_text(self.params),
                **metadata,
            },
        )
