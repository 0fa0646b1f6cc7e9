"""A plain summary of a refresh for operators: what ran, what failed and why, what was published."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from assets.settings import Settings

from .faults import plain


def dagster_home() -> Path | None:
    return Path(os.environ["DAGSTER_HOME"]) if os.environ.get("DAGSTER_HOME") else None


def _error_text(error) -> str:
    """The message of an error and of every error that caused it."""
    parts = []
    while error is not None:
        parts.append(error.message or "")
        error = error.cause or getattr(error, "context", None)
    return "\n".join(parts)


def _own_error(error) -> str:
    """The last line of the step's own error ("ValueError: ..."), below Dagster's wrapper
    ("DagsterExecutionStepExecutionError: Error occurred while executing op ...")."""
    while error.cause is not None and (error.cls_name or "").startswith("Dagster"):
        error = error.cause
    # The whole message on one line (a parser's says where on later lines), caret-only lines dropped.
    lines = [line.strip() for line in (error.message or "").splitlines() if line.strip(" ^\t")]
    text = " ".join(lines)
    if error.cls_name == "Failure":  # a step's own dg.Failure: its description is the message
        text = text.split(": ", 1)[-1]
    return text[:500] if text else "unknown error"


def _failures(result, settings: Settings | None = None) -> list[str]:
    lines = []
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.STEP_FAILURE:
            error = event.event_specific_data.error
            message = error.message.strip() if error else "unknown error"
            explained = (
                plain(_error_text(error), home=settings.home, dagster_home=dagster_home())
                if error is not None and settings is not None
                else None
            )
            lines.append(f"{event.step_key}: {explained or (_own_error(error) if error else message)}")
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            data = event.event_specific_data
            if not data.passed:
                severity = getattr(data.severity, "value", data.severity)
                lines.append(
                    f"check {data.check_name} on {data.asset_key.to_user_string()} "
                    f"({severity}): {data.description or 'failed'}"
                )
    return lines


@contextmanager
def _reading(settings: Settings) -> Iterator[Callable[[str], list[tuple]]]:
    """The rows of a query on the private database, opened read-only once for all the summary's
    questions (an open costs ~40 ms of CPU); none when there is no database or it cannot be read."""
    con = None
    if settings.work_db_path.exists():
        try:
            con = duckdb.connect(str(settings.work_db_path), read_only=True)
        except duckdb.Error:
            pass

    def rows(sql: str) -> list[tuple]:
        if con is None:
            return []
        try:
            return con.execute(sql).fetchall()
        except duckdb.Error:
            return []

    try:
        yield rows
    finally:
        if con is not None:
            con.close()


def _source_rows(rows: Callable[[str], list[tuple]]) -> list[tuple]:
    return rows(
        "SELECT source_id, status, coalesce(releases, ''), coalesce(reason, '') "
        "FROM landing.source_status ORDER BY source_id"
    )


def caveats(settings: Settings, rows: Callable[[str], list[tuple]] | None = None) -> list[str]:
    """What a reader of this build must know: example data and fallbacks standing in."""
    if rows is None:
        with _reading(settings) as read:
            return caveats(settings, read)
    lines = []
    if rows("SELECT 1 FROM marts.build_info WHERE key = 'example_data' AND value = 'true'"):
        lines.append(
            "example data: the co-production measures (IG+ pillar B, framework measures) come "
            "from the fictional example records; set INCLUSION_RECORDS to your records"
        )
    for indicator, note in rows(
        "SELECT indicator_id, fallback_note FROM marts.indicators WHERE fallback_note IS NOT NULL AND available ORDER BY 1"
    ):
        lines.append(f"fallback: {indicator}: {note}")
    return lines


class Runs:
    """The runs of one refresh (pipelines/plan.py) read as one result: it succeeded if each did."""

    def __init__(self, results: list):
        self.results = results

    @property
    def success(self) -> bool:
        return all(r.success for r in self.results)

    @property
    def all_events(self) -> list:
        return [event for r in self.results for event in r.all_events]


def print_summary(result, settings: Settings, seconds: float) -> int:
    out = sys.stdout
    with _reading(settings) as read:
        rows, notes = _source_rows(read), caveats(settings, read)
    # A source whose own step failed outright recorded nothing: its row still reads as before ("ok").
    crashed = {event.step_key for event in result.all_events if event.event_type == dg.DagsterEventType.STEP_FAILURE}
    rows = [
        (source_id, "failed", releases, "its step failed (the line marked ! below); earlier figures kept")
        if status == "ok" and {f"raw__{source_id}", f"landing__{source_id}"} & crashed
        else (source_id, status, releases, reason)
        for source_id, status, releases, reason in rows
    ]
    failed = [source_id for source_id, status, _, _ in rows if status != "ok"]
    outcome = "succeeded" if result.success else "FAILED"
    if failed and result.success:
        outcome = (
            f"published, but {len(failed)} source{'s' if len(failed) > 1 else ''} FAILED "
            f"({', '.join(failed)}: last good data kept, or none)"
        )
    print(f"Refresh {outcome} in {seconds:.0f}s.", file=out)
    stale = bool(failed)
    for source_id, status, releases, reason in rows:
        line = f"  {source_id:<18} {status:<11} {releases}"
        if reason:
            line += f"\n      {'reason' if status != 'ok' else 'note'}: {reason}"
        print(line, file=out)
    failures = _failures(result, settings)
    for line in failures:
        print("  ! " + line, file=out)
    for line in notes:
        print("  * " + line, file=out)
    # A failed refresh that did not reach the publish (or the site) leaves the last good one: say so,
    # so nobody takes it for this refresh's.
    kept = " (not changed by this refresh: the last good one)"
    if settings.warehouse_path.exists():
        now = result.success or _materialized(result, "published_warehouse")
        print(f"Published warehouse: {settings.warehouse_path}{'' if now else kept}", file=out)
    if (settings.site_dir / "index.html").exists():
        now = result.success or _materialized(result, "dashboard_site")
        print(
            f"Dashboards: {settings.site_dir / 'index.html'}{'' if now else kept}  (serve with: inclusion serve)",
            file=out,
        )
    code = 0 if result.success and not stale else 1
    print(final_line(result.success, failed, len(failures), code), file=out)
    return code


def _materialized(result, asset: str) -> bool:
    key = dg.AssetKey(asset)
    return any(
        event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION and event.asset_key == key
        for event in result.all_events
    )


def final_line(success: bool, failed_sources: list[str], failed_checks: int, code: int) -> str:
    """The last line says what the exit code says: 'Refresh succeeded' only with exit code 0."""
    if code == 0:
        warned = (
            f", with {failed_checks} check warning{'s' if failed_checks != 1 else ''} above" if failed_checks else ""
        )
        return f"Refresh succeeded{warned} (exit code 0)."
    problems = []
    if failed_sources:
        problems.append(
            f"{len(failed_sources)} source{'s' if len(failed_sources) != 1 else ''} not updated "
            f"({', '.join(failed_sources)}; earlier figures kept where there were any)"
        )
    if not success:
        problems.append("a step failed (see the lines marked ! above)")
    return f"Refresh finished with problems: {'; '.join(problems) or 'see above'} (exit code {code})."
