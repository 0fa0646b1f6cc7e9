"""The one way work is skipped: Dagster code versions and data versions.

Each asset's data version is a hash of its code version, the data versions of the assets it reads
(the latest Dagster recorded) and the values of its recorded parameters (settings, the as-of year,
the config file's hash). When that hash equals the data version Dagster recorded for the asset's
last materialization, and the table it wrote is still there, the work is skipped and the same data
version is reported, so everything downstream is unchanged too. The parameters are recorded in the
materialization's metadata, and the reason for a rebuild is read from Dagster's provenance.
`inclusion refresh` predicts the same versions before it starts, to leave out what has nothing new
(pipelines/plan.py, with the Predictions assets register here).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import dagster as dg
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus as Status

from .lineage import digest

DATA_VERSION_TAG = "dagster/data_version"


def parameters_text(params: dict) -> str:
    return json.dumps(params, sort_keys=True, default=str)


def inputs_of(instance: dg.DagsterInstance, reads) -> dict[dg.AssetKey, str | None]:
    """The latest data version Dagster holds for each asset read, in a stable order."""
    return latest_data_versions(instance, sorted(set(reads), key=lambda k: k.path))


def version_of(code_version: str, inputs: dict[dg.AssetKey, str | None], params: dict) -> str:
    """The one version formula, for assets and checks alike: code, inputs' data versions, parameters."""
    return digest(code_version, *(f"{k.to_user_string()}={v}" for k, v in inputs.items()), parameters_text(params))


@dataclass(frozen=True)
class Prediction:
    """How an asset's version can be worked out before a run (pipelines/plan.py): `parameters` gives the
    parameters the asset records, from the run's resources by name, and the asset itself calls it, so
    the two cannot differ; `must_run` says when the asset has work to do whatever its version (e.g. a
    landing step that marks a re-fetched source ok); `writes` names the tables the asset writes
    ("schema.table"): it is predicted unchanged only while they are all in the work database."""

    parameters: Callable[[Mapping[str, Any]], dict]
    must_run: Callable[[Mapping[str, Any]], bool] = lambda _resources: False
    writes: tuple[str, ...] = ()


# Asset key -> its Prediction, registered by the assets whose parameters are not constant. An asset
# with parameters and no Prediction is never predicted unchanged: the planner runs it.
PREDICTIONS: dict[dg.AssetKey, Prediction] = {}


def predicts(key: dg.AssetKey, prediction: Prediction) -> Prediction:
    PREDICTIONS[key] = prediction
    return prediction


def latest_data_versions(instance: dg.DagsterInstance, keys) -> dict[dg.AssetKey, str | None]:
    """The data version of each asset's latest materialization (else observation, as Dagster's
    get_latest_data_version_record), for many assets in one query of the asset index."""
    found: dict[dg.AssetKey, str | None] = {}
    for record in instance.get_asset_records(list(keys)):
        entry = record.asset_entry
        latest = entry.last_materialization_record or entry.last_observation_record
        found[entry.asset_key] = None if latest is None else (latest.event_log_entry.tags or {}).get(DATA_VERSION_TAG)
    return {key: found.get(key) for key in keys}


def predicted_version(
    versions: Mapping[dg.AssetKey, str | None], key: dg.AssetKey, code_version: str, reads, resources: Mapping[str, Any]
) -> str | None:
    """The data version the asset would report if it ran now (its Versioned formula, with the inputs'
    latest data versions from `versions`), or None when that cannot be known before running it (it must run)."""
    prediction = PREDICTIONS.get(key)
    if prediction is not None and prediction.must_run(resources):
        return None
    params = prediction.parameters(resources) if prediction is not None else {}
    inputs = {k: versions.get(k) for k in sorted(set(reads), key=lambda k: k.path)}
    return version_of(code_version, inputs, params)


class Versioned:
    """The version of one asset's output for this run, and whether it was already built."""

    def __init__(self, context: dg.AssetExecutionContext, params: dict | None = None):
        key = context.asset_key
        self.context = context
        self.params = params or {}
        self.code_version = context.assets_def.code_versions_by_key.get(key) or ""
        reads = sorted(set(context.assets_def.asset_deps.get(key, ())), key=lambda k: k.path)
        versions = latest_data_versions(context.instance, [*reads, key])  # one query for them all
        self.inputs = {k: versions[k] for k in reads}
        self.data_version = dg.DataVersion(version_of(self.code_version, self.inputs, self.params))
        self.previous = versions[key]

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


CHECK_VERSION = "check_version"
_EVALUATED = {Status.SUCCEEDED, Status.FAILED}  # not PLANNED: this run's own record


def check_outcome(
    context: dg.AssetCheckExecutionContext,
    code_version: str,
    reads: list[dg.AssetKey],
    run: Callable[[], dg.AssetCheckResult],
    params: dict | None = None,
) -> dg.AssetCheckResult:
    """An asset check's result, skipped like an asset: when the check's code version, its parameters
    and the data versions of every asset it reads equal those of its last evaluation (same data, same
    code: the same answer), that evaluation's outcome is repeated, marked unchanged, and neither Great
    Expectations nor the check's SQL runs again. Otherwise run() and record the version it saw."""
    instance, key = context.instance, context.check_specs[0].key
    inputs = inputs_of(instance, reads)
    version = version_of(code_version, inputs, params or {})
    if all(v is not None for v in inputs.values()):
        last = instance.event_log_storage.get_asset_check_execution_history(key, limit=1, status=_EVALUATED)
        evaluation = last[0].event.dagster_event.event_specific_data if last and last[0].event else None
        seen = evaluation.metadata.get(CHECK_VERSION) if evaluation is not None else None
        if seen is not None and seen.value == version:
            return dg.AssetCheckResult(
                passed=evaluation.passed,
                severity=evaluation.severity,
                description=evaluation.description,
                metadata={**evaluation.metadata, "unchanged": True, "evaluated_in_run": last[0].run_id},
            )
    result = run()
    return dg.AssetCheckResult(
        passed=result.passed,
        severity=result.severity,
        description=result.description,
        asset_key=result.asset_key,
        check_name=result.check_name,
        metadata={**result.metadata, CHECK_VERSION: version, "unchanged": False},
    )
