"""The Dagster definitions load, with the job, schedule and checks the operators rely on."""
import dagster as dg


def test_definitions_load():
    from pipelines.definitions import defs

    job = defs.resolve_job_def("full_refresh")
    assert job.executor_def is dg.in_process_executor
    schedule = defs.resolve_schedule_def("nightly_refresh")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Europe/London"
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED   # INCLUSION_NIGHTLY unset
    keys = {spec.key.to_user_string() for spec in defs.resolve_all_asset_specs()}
    for expected in ("raw/rough_sleeping", "landing/rough_sleeping", "marts/indicator_values",
                     "marts/areas", "marts/indicators", "published_warehouse", "dashboard_site"):
        assert expected in keys
    checks = {k.name for k in defs.resolve_asset_graph().asset_check_keys}
    assert {"gx_landing_values", "indicator_values_unique", "counts_reconcile_with_england"} <= checks


def test_sources_and_dashboards_do_not_import_dagster():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    pattern = re.compile(r"^\s*(import dagster|from dagster)", re.M)
    offenders = [str(p) for d in ("sources", "dashboards") for p in (root / d).rglob("*.py")
                 if pattern.search(p.read_text())]
    assert offenders == []


def test_sql_files_hold_one_statement_each():
    import pathlib

    import duckdb

    root = pathlib.Path(__file__).resolve().parents[2] / "sql"
    for path in root.rglob("*.sql"):
        statements = duckdb.extract_statements(path.read_text())
        assert len(statements) == 1, f"{path} holds {len(statements)} statements"


def test_workspace_yaml_loads_the_definitions(tmp_path):
    """What `dagster dev` reads: workspace.yaml must point at the one Definitions object."""
    import os
    import pathlib
    import subprocess
    import sys

    root = pathlib.Path(__file__).resolve().parents[2]
    dagster = pathlib.Path(sys.executable).with_name("dagster")
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    proc = subprocess.run([str(dagster), "definitions", "validate", "-w", "workspace.yaml"], cwd=root,
                          env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Validation successful for code location pipelines.definitions" in proc.stdout + proc.stderr


def test_every_sql_asset_depends_on_the_staging_and_marts_tables_it_reads():
    """Dagster's graph must know every table a step reads, or a step could run on stale input."""
    import pathlib
    import re

    from pipelines.definitions import defs

    root = pathlib.Path(__file__).resolve().parents[2] / "sql"
    graph = defs.resolve_asset_graph()
    missing = []
    for key in graph.get_all_asset_keys():
        path = root / "/".join(key.path[:-1]) / f"{key.path[-1]}.sql"
        if len(key.path) != 2 or key.path[0] not in ("staging", "marts") or not path.exists():
            continue
        sql = re.sub(r"--[^\n]*", "", path.read_text())
        read = {(m[0], m[1]) for m in re.findall(r"\b(staging|marts)\.(\w+)", sql)} - {tuple(key.path)}
        if re.search(r"\blanding\.igplus_config_", sql):
            read.add(("landing", "igplus_config"))
        parents = {tuple(p.path) for p in graph.get(key).parent_keys}
        missing += [f"{key.to_user_string()} reads {'.'.join(t)}" for t in sorted(read - parents)]
    assert missing == []


def test_every_asset_has_an_owner():
    from pipelines.definitions import defs

    specs = list(defs.resolve_all_asset_specs())
    assert specs and [s.key.to_user_string() for s in specs if not s.owners] == []
    owners = {s.key.to_user_string(): s.owners for s in specs}
    assert owners["raw/rough_sleeping"] == ["team:data-acquisition"]
    assert owners["published_warehouse"] == ["team:operations"]
