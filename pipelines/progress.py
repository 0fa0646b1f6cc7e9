"""Console progress for `inclusion refresh`: one line per finished step with the source or table,
how many steps are done and the time since the start. Only on a terminal: cron and CI logs get the
summary alone."""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

import dagster as dg


def describe(step_key: str) -> str:
    """'landing__rough_sleeping' -> 'landing/rough_sleeping'; checks keep their asset's name."""
    return step_key.replace("__", "/")


class ProgressHandler(logging.Handler):
    def __init__(self, stream: TextIO, total: int | None, started: float | None = None):
        super().__init__(level=logging.DEBUG)
        self.stream, self.total = stream, total
        self.started = time.monotonic() if started is None else started
        self.begun: dict[str, float] = {}
        self.done = 0

    def line(self, text: str) -> None:
        elapsed = int(time.monotonic() - self.started)
        self.stream.write(f"[{elapsed // 60:02d}:{elapsed % 60:02d}] {text}\n")
        self.stream.flush()

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_event", None)
        step = getattr(event, "step_key", None)
        if event is None or step is None:
            return
        kind = event.event_type
        if kind == dg.DagsterEventType.STEP_START:
            self.begun[step] = time.monotonic()
        elif kind in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            self.done += 1
            took = time.monotonic() - self.begun.pop(step, time.monotonic())
            word = "done" if kind == dg.DagsterEventType.STEP_SUCCESS else "FAILED"
            count = f"{self.done:>3}/{self.total}" if self.total else f"{self.done:>3}"
            self.line(f"{count} {describe(step)} {word} ({took:.1f}s)")
        elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION and not event.event_specific_data.passed:
            self.line(f"        check {event.event_specific_data.check_name} on {describe(step)} failed")


def progress_logger(stream: TextIO, total: int | None) -> dg.LoggerDefinition:
    @dg.logger(None, description="One console line per finished step (inclusion refresh, on a terminal).")
    def _progress(_init_context):
        log = logging.Logger("inclusion.progress", level=logging.DEBUG)
        log.addHandler(ProgressHandler(stream, total))
        return log

    return _progress


def with_progress(job: dg.JobDefinition, stream: TextIO | None = None) -> tuple[dg.JobDefinition, dict]:
    """The job with a progress logger beside its console logger, and the run config that turns it
    on; unchanged when `stream` is not a terminal."""
    stream = sys.stderr if stream is None else stream
    if not (hasattr(stream, "isatty") and stream.isatty()):
        return job, {}
    total = _steps(job)
    loggers = {**job.loggers, "progress": progress_logger(stream, total)}
    return job.with_logger_defs(loggers), {"progress": {}}


def _steps(job: dg.JobDefinition) -> int | None:
    try:  # the plan's step count (assets and checks); a private API, so a missing total is fine
        from dagster._core.execution.api import create_execution_plan

        return len(create_execution_plan(job).step_keys_to_execute)
    except Exception:
        return None
