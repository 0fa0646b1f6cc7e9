"""`inclusion refresh` prints one line per finished step on a terminal, and nothing when piped."""

import io
import re

import dagster as dg

from pipelines.progress import with_progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


@dg.asset(key=["landing", "rough_sleeping"])
def landing_rough_sleeping():
    return 1


@dg.asset(key=["marts", "sources"], deps=[landing_rough_sleeping])
def marts_sources():
    raise dg.Failure("publisher unreachable")


JOB = dg.Definitions(assets=[landing_rough_sleeping, marts_sources], jobs=[dg.define_asset_job("j")]).resolve_job_def(
    "j"
)


def test_a_line_per_step_with_its_source_count_and_elapsed_time_on_a_terminal():
    out = Terminal()
    job, loggers = with_progress(JOB, out)
    job.execute_in_process(
        run_config={"loggers": loggers}, instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert re.match(r"^\[\d\d:\d\d\]   1/2 landing/rough_sleeping done \(\d+\.\ds\)$", lines[0])
    assert "  2/2 marts/sources FAILED (" in lines[1]


def test_quiet_when_not_a_terminal():
    out = io.StringIO()
    job, loggers = with_progress(JOB, out)
    assert job is JOB and loggers == {}
    job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert out.getvalue() == ""
