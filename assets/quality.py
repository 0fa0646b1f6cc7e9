"""A small adapter over Great Expectations 1.x (dagster-ge pins GX below 1.0, so we do not use it).

Suites are plain lists of (expectation class name, kwargs); results become Dagster asset check
results carrying the failing expectations and example values as evidence.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import dagster as dg

if TYPE_CHECKING:
    import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

Suite = list[tuple[str, dict]]


@dataclass
class Outcome:
    success: bool
    rows_checked: int
    results: list[dict] = field(default_factory=list)

    @property
    def failures(self) -> list[dict]:
        return [r for r in self.results if not r["success"]]


def validate(df: pd.DataFrame, suite_name: str, suite: Suite) -> Outcome:
    return validate_tables({suite_name: (df, suite)}, prefix=False)


_GX: dict = {}  # this process's one ephemeral GX context, and the batch definition every table goes through
_GX_LOCK = threading.Lock()


def _gx():
    """Great Expectations and a batch definition for any DataFrame, made once per process: a data
    source, asset and batch definition per table cost ~40 ms of CPU each, for some 50 tables a refresh."""
    with _GX_LOCK:
        if not _GX:
            import great_expectations as gx  # imported here: ~5 s, too slow for definitions load
            from great_expectations.data_context.types.base import ProgressBarsConfig

            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
            frames = context.data_sources.add_pandas("tables").add_dataframe_asset("table")
            _GX.update(gx=gx, batch=frames.add_batch_definition_whole_dataframe("whole"))
        return _GX["gx"], _GX["batch"]


def validate_tables(batches: dict[str, tuple[pd.DataFrame, Suite]], *, prefix: bool = True) -> Outcome:
    """Each table's rows against its suite; one outcome for them all (with prefix, each result's
    column is named `table.column`)."""
    gx, batch_def = _gx()
    rows, success, checked = [], True, 0
    for name, (df, suite) in batches.items():
        if not suite:
            continue
        gx_suite = gx.ExpectationSuite(name=name)
        for class_name, kwargs in suite:
            gx_suite.add_expectation(getattr(gx.expectations, class_name)(**kwargs))
        result = batch_def.get_batch(batch_parameters={"dataframe": df}).validate(gx_suite, result_format="BASIC")
        success, checked = success and bool(result.success), checked + len(df)
        for r in result.results:
            cfg = r.expectation_config
            detail = r.result or {}
            column = (
                cfg.kwargs.get("column")
                or ",".join(cfg.kwargs.get("column_list") or [])
                or ",".join(c for c in (cfg.kwargs.get("column_A"), cfg.kwargs.get("column_B")) if c)
            )
            rows.append(
                {
                    "expectation": cfg.type,
                    "column": f"{name}.{column}" if prefix else column,
                    "success": bool(r.success),
                    "unexpected_count": detail.get("unexpected_count", detail.get("observed_value")),
                    "examples": [str(x) for x in (detail.get("partial_unexpected_list") or [])[:5]],
                }
            )
    return Outcome(success=success, rows_checked=checked, results=rows)


def check_result(
    outcome: Outcome,
    *,
    asset_key=None,
    check_name: str | None = None,
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR,
) -> dg.AssetCheckResult:
    failures = outcome.failures
    description = (
        "all expectations met"
        if outcome.success
        else "; ".join(
            f"{f['expectation']} on {f['column']}: {f['unexpected_count']} unexpected, e.g. {f['examples']}"
            for f in failures
        )
    )
    return dg.AssetCheckResult(
        passed=outcome.success,
        severity=severity,
        asset_key=asset_key,
        check_name=check_name,
        description=description[:2000],
        metadata={
            "rows_checked": outcome.rows_checked,
            "expectations": len(outcome.results),
            "failed_expectations": len(failures),
            "evidence": dg.MetadataValue.json(failures or outcome.results),
        },
    )
