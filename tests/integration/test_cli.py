"""The `inclusion` command as an operator meets it."""

import os
import subprocess
import sys

from sources.registry import registered


def _run(args, env_extra, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("INCLUSION_")}
    env.update(env_extra)
    # A hang fails through the timeout; speed itself is never asserted (it depends on the machine).
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )
    return proc, None


def test_offline_without_mirror_fails_fast_naming_sources_and_leaves_published_file(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    published = home / "warehouse.duckdb"
    published.write_bytes(b"previous published warehouse")
    # Every publisher host points at a closed local port: offline, whatever the machine has.
    rewrites = ",".join(f"https://{h}=http://127.0.0.1:9" for h in {s.host for s in registered()})
    proc, _ = _run(["refresh"], {"INCLUSION_HOME": str(home), "INCLUSION_HTTP_REWRITE": rewrites}, cwd=os.getcwd())
    assert proc.returncode == 2
    assert "source rough_sleeping could not be reached" in proc.stderr
    assert "INCLUSION_MIRROR" in proc.stderr
    assert published.read_bytes() == b"previous published warehouse"


def test_serve_without_a_site_says_what_to_do(tmp_path):
    proc, _ = _run(["serve"], {"INCLUSION_HOME": str(tmp_path)}, cwd=os.getcwd())
    assert proc.returncode == 2 and "run the refresh first" in proc.stderr


def test_records_template_and_check_from_the_command_line(tmp_path):
    proc, _ = _run(["records", "template", str(tmp_path / "tpl")], {}, cwd=os.getcwd())
    assert proc.returncode == 0, proc.stderr
    xlsx = next((tmp_path / "tpl").glob("*.xlsx"))
    proc, _ = _run(["records", "check", str(xlsx)], {}, cwd=os.getcwd())
    assert proc.returncode == 0 and "No problems" in proc.stdout, proc.stdout + proc.stderr


def test_sql_opens_the_published_warehouse_read_only_in_the_duckdb_shell(tmp_path):
    import duckdb

    proc, _ = _run(["sql"], {"INCLUSION_HOME": str(tmp_path)}, cwd=os.getcwd())
    assert proc.returncode == 2 and "run 'make refresh' first" in proc.stderr
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.build_info AS SELECT 'built_at' AS key, 'x' AS value")
    con.close()
    env = {"INCLUSION_HOME": str(tmp_path)}
    proc, _ = _run(["sql", "-csv", "-c", "SELECT key FROM marts.build_info"], env, cwd=os.getcwd())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["key", "built_at"]
    proc, _ = _run(["sql", "-c", "CREATE TABLE marts.t (a INTEGER)"], env, cwd=os.getcwd())
    assert proc.returncode != 0 and "read-only" in (proc.stdout + proc.stderr).lower()
