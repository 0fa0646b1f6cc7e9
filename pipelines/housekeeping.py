"""Housekeeping at the start of every refresh: runs whose process died are marked failed, and run
history and provenance older than the retention setting are pruned.

Dagster prunes its own schedule and sensor ticks (`retention:` in pipelines/dagster.yaml) but keeps
runs and their event logs for ever; those logs can quote what a records file held, so they are
pruned here: runs that ended over INCLUSION_RETENTION_DAYS days ago (default 90), always keeping
the newest INCLUSION_RETENTION_RUNS runs (default 30). Raw files archived over that many days ago
and no longer behind any landed row are pruned too.
"""

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from assets.resources import RetentionResource
from assets.settings import HomeLayout

from .plan import REFRESH_TAG

ORPHAN_MESSAGE = (
    "The refresh process ended without finishing (killed, out of memory or the machine "
    "stopped); marked failed at the next start. The published warehouse was not changed by it."
)
UNFINISHED = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.CANCELING]
FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]


@dataclass
class Housekeeping:
    orphaned_runs: list[str] = field(default_factory=list)
    pruned_runs: list[str] = field(default_factory=list)
    pruned_raw_files: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        if self.orphaned_runs:
            out.append(
                f"{len(self.orphaned_runs)} earlier run(s) had been killed and are now marked failed: "
                + ", ".join(r[:8] for r in self.orphaned_runs)
            )
        if self.pruned_runs or self.pruned_raw_files:
            out.append(
                f"Pruned {len(self.pruned_runs)} old run(s) and {len(self.pruned_raw_files)} old raw file(s) "
                f"(INCLUSION_RETENTION_DAYS)"
            )
        return out


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_pid(instance: dg.DagsterInstance, run_id: str) -> int | None:
    """The process a run executed in, from its engine events ("Executing steps in process (pid: N)")."""
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        data = record.dagster_event.event_specific_data if record.dagster_event else None
        metadata = getattr(data, "metadata", None) or {}
        pid = metadata.get("pid")
        if pid is not None:
            value = getattr(pid, "value", pid)
            try:
                return int(value)
            except (TypeError, ValueError):
                continue
    return None


def fail_orphaned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Runs left STARTED (or STARTING/CANCELING) by a process that no longer exists: marked failed."""
    failed = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=UNFINISHED)):
        pid = run_pid(instance, run.run_id)
        if pid is None or pid == os.getpid() or _pid_alive(pid):
            continue
        instance.report_run_failed(run, message=ORPHAN_MESSAGE)
        failed.append(run.run_id)
    return failed


def prune_runs(instance: dg.DagsterInstance, *, days: int, keep: int, now: float | None = None) -> list[str]:
    """Delete finished runs (with their event logs and captured output) that ended over `days` ago,
    keeping the newest `keep` refreshes whatever their age: the runs of one refresh (tagged with its
    id, REFRESH_TAG) count as one, a run without the tag as one."""
    cutoff = (now if now is not None else time.time()) - days * 86400
    records = instance.get_run_records(filters=dg.RunsFilter(statuses=FINISHED))  # newest first
    refreshes: dict[str, int] = {}  # refresh id -> its place, newest first
    pruned = []
    for record in records:
        run = record.dagster_run
        if refreshes.setdefault(run.tags.get(REFRESH_TAG) or run.run_id, len(refreshes)) < keep:
            continue
        ended = record.end_time or record.update_timestamp.timestamp()
        if ended >= cutoff:
            continue
        instance.delete_run(record.dagster_run.run_id)
        _delete_compute_logs(instance, record.dagster_run.run_id)
        pruned.append(record.dagster_run.run_id)
    return pruned


def _delete_compute_logs(instance: dg.DagsterInstance, run_id: str) -> None:
    base = getattr(instance.compute_log_manager, "_base_dir", None)
    if base:
        shutil.rmtree(Path(base) / run_id, ignore_errors=True)


def prune_raw_archive(archive_dir: Path, in_use: set[str], *, days: int, now: float | None = None) -> list[str]:
    """Remove archived raw files (<archive>/<source>/<sha256>/) last seen over `days` ago that no
    landed row rests on any more (a file in use is never removed, whatever its age), and trim each
    file's provenance.json to its first sighting plus those within `days`."""
    cutoff_ts = (now if now is not None else time.time()) - days * 86400
    cutoff = datetime.fromtimestamp(cutoff_ts, UTC).isoformat()
    removed = []
    for entry in sorted(Path(archive_dir).glob("*/*")):
        if not entry.is_dir() or len(entry.name) != 64:
            continue
        provenance = entry / "provenance.json"
        last_seen = max((p.stat().st_mtime for p in entry.iterdir()), default=0)
        if entry.name not in in_use and last_seen < cutoff_ts:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(f"{entry.parent.name}/{entry.name}")
        elif provenance.is_file():
            _trim_sightings(provenance, cutoff)
    return removed


def _trim_sightings(path: Path, cutoff: str) -> None:
    try:
        sightings = json.loads(path.read_text())
    except (OSError, ValueError):
        return
    if not isinstance(sightings, list) or len(sightings) < 3:
        return
    kept = [sightings[0]] + [s for s in sightings[1:-1] if str(s.get("retrieved_at", "")) >= cutoff] + [sightings[-1]]
    if len(kept) < len(sightings):
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(kept, indent=2))
        os.replace(tmp, path)


def housekeep(instance: dg.DagsterInstance, home: HomeLayout, days: int, keep: int) -> Housekeeping:
    """Everything above, for one deployment's home: runs older than `days` pruned (the newest `keep`
    kept), and raw files archived over `days` ago that no landed row needs."""
    from assets.warehouse import Warehouse

    done = Housekeeping(orphaned_runs=fail_orphaned_runs(instance))
    done.pruned_runs = prune_runs(instance, days=days, keep=keep)
    if home.work_db_path.exists() and home.archive_dir.is_dir():
        with Warehouse(home.work_db_path, home.warehouse_path).connect() as con:
            tables = {
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'landing'"
                ).fetchall()
            }
            in_use = {
                sha
                for table in ("raw_files", "raw_files_landed")
                if table in tables
                for (sha,) in con.execute("SELECT sha256 FROM landing." + table).fetchall()
            }
        done.pruned_raw_files = prune_raw_archive(home.archive_dir, in_use, days=days)
    return done


@dg.op(description="Mark runs whose process died as failed; prune old runs, event logs and raw files.")
def housekeeping_op(context: dg.OpExecutionContext, retention: RetentionResource) -> None:
    for line in housekeep(context.instance, retention.layout, retention.days, retention.runs).lines():
        context.log.info(line)


@dg.job(
    description="Housekeeping: orphaned runs marked failed; run history and provenance pruned "
    "(INCLUSION_RETENTION_DAYS, INCLUSION_RETENTION_RUNS)."
)
def housekeeping():
    housekeeping_op()


housekeeping_schedule = dg.ScheduleDefinition(
    name="daily_housekeeping",
    job=housekeeping,
    cron_schedule="30 1 * * *",
    execution_timezone="Europe/London",
    description="01:30 UK time: orphaned runs marked failed, old runs and raw files pruned.",
)


@dg.sensor(
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Every 5 minutes under `dagster dev`: runs whose process died are marked failed (the "
    "default run launcher cannot tell the daemon's run monitoring that a worker died).",
)
def orphaned_runs(context: dg.SensorEvaluationContext):
    failed = fail_orphaned_runs(context.instance)
    return dg.SkipReason(f"{len(failed)} orphaned run(s) marked failed" if failed else "no orphaned runs")
