"""The Dagster definitions load, with the job, schedule and checks the operators rely on."""

import dagster as dg


def test_definitions_load():
    from pipelines.definitions import defs

    job = defs.resolve_job_def("full_refresh")
    assert job.executor_def is dg.in_process_executor
    schedule = defs.resolve_schedule_def("nightly_refresh")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Europe/London"
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED  # INCLUSION_NIGHTLY unset
    keys = {spec.key.to_user_string() for spec in defs.resolve_all_asset_specs()}
    for expected in (
        "raw/rough_sleeping",
        "landing/rough_sleeping",
        "marts/indicator_values",
        "marts/areas",
        "marts/indicators",
        "published_warehouse",
        "dashboard_site",
    ):
        assert expected in keys
    checks = {k.name for k in defs.resolve_asset_graph().asset_check_keys}
    assert {
        "gx_tidy_contract",
        "indicator_values_unique",
        "counts_reconcile_with_england",
        "sources_release_titled",
    } <= checks


def test_sql_files_hold_one_statement_each():
    import pathlib

    import duckdb

    root = pathlib.Path(__file__).resolve().parents[2] / "sql"
    for path in root.rglob("*.sql"):
        statements = duckdb.extract_statements(path.read_text())
        assert len(statements) == 1, f"{path} holds {len(statements)} statements"


def validate_workspace(root, home, log) -> None:
    """`dagster definitions validate -w workspace.yaml` run from `root` (the console script's own
    entry point, dagster._cli.main), its output to `log`. Run in a forked child: it inherits the
    imports already made, and its logging setup and environment stay in the child."""
    import os
    import sys

    from dagster._cli import ENV_PREFIX, cli

    os.chdir(root)
    os.environ["DAGSTER_HOME"] = str(home)
    with open(log, "w") as out:
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
        sys.stdout = sys.stderr = out
        cli.main(
            ["definitions", "validate", "-w", "workspace.yaml"], prog_name="dagster", auto_envvar_prefix=ENV_PREFIX
        )


def test_workspace_yaml_loads_the_definitions(tmp_path):
    """What `dagster dev` reads: workspace.yaml must point at the one Definitions object."""
    import multiprocessing
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    log = tmp_path / "validate.log"
    child = multiprocessing.get_context("fork").Process(target=validate_workspace, args=(root, tmp_path, log))
    child.start()
    child.join(180)
    output = log.read_text()
    assert child.exitcode == 0, output
    assert "Validation successful for code location pipelines.definitions" in output


def test_every_sql_asset_depends_on_exactly_the_tables_its_sql_reads():
    """Dagster's graph is the true data flow: a SQL asset's parents are the writers of the tables its
    SQL reads (no more, so a change rebuilds only what is downstream; no fewer, so nothing runs on
    stale input). Read here with a plain regex, independently of DuckDB's parser used for the graph."""
    import pathlib
    import re

    from assets.lineage import table_producer
    from pipelines.definitions import defs
    from sources.registry import SOURCE_IDS

    root = pathlib.Path(__file__).resolve().parents[2] / "sql"
    graph = defs.resolve_asset_graph()
    checked, wrong = 0, []
    for key in graph.get_all_asset_keys():
        path = root / "/".join(key.path[:-1]) / f"{key.path[-1]}.sql"
        if len(key.path) != 2 or key.path[0] not in ("staging", "intermediate", "marts") or not path.exists():
            continue
        sql = re.sub(r"--[^\n]*", "", path.read_text())
        sql = re.sub(r"^\s*CREATE\s+OR\s+REPLACE\s+TABLE\s+\S+", "", sql.strip(), flags=re.I)
        read = {(m[0], m[1]) for m in re.findall(r"\b(landing|staging|intermediate|marts)\.(\w+)", sql)}
        expected = {p for schema, table in read for p in table_producer(schema, table, list(SOURCE_IDS))}
        parents = set(graph.get(key).parent_keys)
        if parents != expected:
            wrong.append((key.to_user_string(), sorted(k.to_user_string() for k in parents ^ expected)))
        checked += 1
    assert checked >= 35 and wrong == []


def test_every_asset_has_a_code_version_and_few_parents():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = list(graph.get_all_asset_keys())
    assert [k.to_user_string() for k in keys if not graph.get(k).code_version] == []
    # Before deps were derived from the SQL every step hung off all six sources: 8.4 parents each.
    average = sum(len(graph.get(k).parent_keys) for k in keys) / len(keys)
    assert average < 3.5, average


def test_only_the_records_branch_reads_the_records():
    from pipelines.definitions import defs

    selection = dg.AssetSelection.assets(dg.AssetKey(["landing", "records"])).downstream()
    downstream = {k.to_user_string() for k in selection.resolve(defs.resolve_asset_graph())}
    assert "marts/record_measures" in downstream and "marts/indicator_values" not in downstream
    assert "marts/areas" not in downstream and "staging/indicator_values" not in downstream


def test_every_asset_has_an_owner():
    from pipelines.definitions import defs

    specs = list(defs.resolve_all_asset_specs())
    assert specs and [s.key.to_user_string() for s in specs if not s.owners] == []
    owners = {s.key.to_user_string(): s.owners for s in specs}
    assert owners["raw/rough_sleeping"] == ["team:data-acquisition"]
    assert owners["published_warehouse"] == ["team:operations"]
