"""A refresh holds only the work that can have anything new: the rest is left out before it starts.

`inclusion refresh` runs the full_refresh job in two Dagster runs when the home has been refreshed
before. The first holds the root assets whose version cannot be known without running them (each
source's raw files, the records folder, the IG+ config): they look at what is there now and record
data versions. Then every other asset's data version is predicted with the formula the asset itself
uses (assets/versions.py: its code version, its inputs' latest data versions, its parameters, the
latter registered as a Prediction by the asset). When the prediction equals the data version of its
last materialization and the tables it writes (the Prediction's `writes`) are in the private
database, the asset would only report that same version again, so it is left out of the second run. Anything else is in it, with everything downstream of it and every check that reads
any of it: a new input, new code or a new parameter; an asset whose parameters have no Prediction,
or that reports versions some other way (its prediction never matches); a Prediction's must_run.
The freshness checks of sources that are not ok run too, so a stale source is reported every time.
With nothing new, the second run does not happen at all.

No private database yet (a first refresh, or one deleted to start again): one run of the whole job.

The nightly schedule and the Dagster UI do the same in two runs: the refresh_sources job (the roots),
then the planned_refresh sensor (pipelines/sensors.py) plans the rest with second_run() and requests
it as a run of full_refresh holding only that, both runs tagged with one refresh id (REFRESH_TAG).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from assets.versions import PREDICTIONS, latest_data_versions, predicted_version

FRESH = "fresh"
# The runs of one refresh carry its id under this tag: retention counts refreshes, not runs.
REFRESH_TAG = "inclusion/refresh"


@dataclass
class Plan:
    """What the second run holds (empty: nothing to do)."""

    assets: set[dg.AssetKey] = field(default_factory=set)
    checks: set[dg.AssetCheckKey] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.assets or self.checks)

    def without(self, dropped: AbstractSet[dg.AssetKey], graph) -> Plan:
        """The plan less the dropped assets and every check that targets or reads one of them."""
        return Plan(
            self.assets - dropped,
            {
                ck
                for ck in self.checks
                if ck.asset_key not in dropped
                and not any(d.asset_key in dropped for d in graph.get_check_spec(ck).additional_deps)
            },
        )


def observed_first(graph, instance: dg.DagsterInstance, resources: Mapping[str, Any]) -> set[dg.AssetKey]:
    """The roots whose version is only known by running them (raw files, records folder, config)."""
    roots = [key for key in graph.toposorted_asset_keys if not graph.get(key).parent_keys]
    versions, present = latest_data_versions(instance, roots), tables_present(resources)
    return {key for key in roots if not _unchanged(graph, versions, key, resources, present)}


def plan_after(graph, instance: dg.DagsterInstance, resources: Mapping[str, Any], observed: set) -> Plan:
    """After the first run: every asset that may have something new, what is downstream, their checks."""
    changed: set[dg.AssetKey] = set()
    versions, present = latest_data_versions(instance, graph.toposorted_asset_keys), tables_present(resources)
    for key in graph.toposorted_asset_keys:
        if key in observed:
            continue
        if any(p in changed for p in graph.get(key).parent_keys) or not _unchanged(
            graph, versions, key, resources, present
        ):
            changed.add(key)
    # The checks of what is rebuilt, of what it reads (a blocking check's last failure still blocks:
    # the check repeats its outcome, assets/versions.py check_outcome) and of sources not ok.
    inputs = {p for key in changed for p in graph.get(key).parent_keys}
    checks = {
        ck
        for ck in graph.asset_check_keys
        if ck.asset_key in changed | inputs
        or any(d.asset_key in changed for d in graph.get_check_spec(ck).additional_deps)
        or (ck.name == FRESH and _source_not_ok(resources, ck.asset_key))
    }
    return Plan(changed, checks)


def second_run(
    graph, instance: dg.DagsterInstance, resources: Mapping[str, Any], observed: set, materialized: set
) -> Plan:
    """The plan after a first run that ran `observed` and materialized `materialized` of them: what a
    failed step feeds is left out, as one run of the whole job would skip it."""
    plan = plan_after(graph, instance, resources, observed)
    failed = observed - materialized
    if failed:
        plan = plan.without(dg.AssetSelection.assets(*failed).downstream().resolve(graph), graph)
    return plan


def tables_present(resources: Mapping[str, Any]) -> set[str]:
    """Every table in the private database, "schema.table" (one query for the whole plan)."""
    with resources["warehouse"].connect() as con:
        rows = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    return {f"{schema}.{table}" for schema, table in rows}


def _unchanged(
    graph, versions: Mapping, key: dg.AssetKey, resources: Mapping[str, Any], present: AbstractSet[str]
) -> bool:
    """Would the asset report the data version it last reported, and are the tables it writes still
    there? (Then it has nothing new to do; a table dropped or lost since is rebuilt.)"""
    node = graph.get(key)
    prediction = PREDICTIONS.get(key)
    if prediction is not None and not set(prediction.writes) <= present:
        return False
    predicted = predicted_version(versions, key, node.code_version or "", node.parent_keys, resources)
    return predicted is not None and predicted == versions.get(key)


def _source_not_ok(resources: Mapping[str, Any], landing: dg.AssetKey) -> bool:
    from assets import landing as ld

    with resources["warehouse"].connect() as con:
        ld.ensure_landing(con)
        return (ld.status_of(con, landing.path[-1]) or {}).get("status") != "ok"


def run_planned(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    execute: Callable[[dg.JobDefinition], Any],
    job_name: str = "full_refresh",
) -> list:
    """Run the job as planned; the results of the runs made (one, two, or one when nothing is new)."""
    job = defs.resolve_job_def(job_name)
    resources: Mapping[str, Any] = defs.resources or {}
    if not resources["warehouse"].layout.work_db_path.exists():
        return [execute(job)]
    graph = defs.resolve_asset_graph()
    # The private database is opened once, from the first plan to the end of the last run: the plans
    # look into it some twenty times and each run's steps join it (Warehouse.held), where opening
    # the file again costs ~40 ms of CPU (and a checkpoint at each close) for each plan and run.
    with resources["warehouse"].warehouse.held():
        observed = observed_first(graph, instance, resources)
        results = [execute(job.get_subset(asset_selection=observed))] if observed else []
        materialized = {e.asset_key for r in results for e in r.get_asset_materialization_events()}
        plan = second_run(graph, instance, resources, observed, materialized)
        if plan:
            results.append(execute(job.get_subset(asset_selection=plan.assets, asset_check_selection=plan.checks)))
    return results
