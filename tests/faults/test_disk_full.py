"""A real full disk (a tiny tmpfs, where the machine allows mounting one): DuckDB's errors and
Dagster's storage errors come out in plain words."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from pipelines.faults import plain

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tiny_disk(tmp_path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root); the plain-words mapping is unit-tested")
    try:
        yield mount
    finally:
        # Lazy: a test that left a file open on the disk must not leave the mount behind.
        subprocess.run(["umount", "--lazy", str(mount)], capture_output=True)


def _fill(disk: Path) -> None:
    with open(disk / "filler", "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass


def test_duckdb_writing_to_a_full_disk(tiny_disk):
    con = duckdb.connect(str(tiny_disk / "work.duckdb"))
    with pytest.raises(duckdb.Error) as caught:
        con.execute("CREATE TABLE t AS SELECT range AS i, md5(range::VARCHAR) AS s FROM range(2000000)")
        con.execute("CHECKPOINT")
    message = plain(caught.value, home=tiny_disk)
    assert message.startswith("The disk is full: the refresh could not write to"), str(caught.value)


def test_duckdb_out_of_memory_because_it_cannot_spill(tiny_disk):
    con = duckdb.connect(str(tiny_disk / "work.duckdb"))
    con.execute("SET memory_limit = '20MB'")
    con.execute(f"SET temp_directory = '{tiny_disk / 'tmp'}'")
    with pytest.raises(duckdb.Error) as caught:
        con.execute(
            "CREATE TEMP TABLE big AS SELECT range AS i, md5(range::VARCHAR) AS s FROM range(3000000) ORDER BY s"
        )
    assert "Out of Memory" in str(caught.value)  # what DuckDB says
    assert plain(caught.value, home=tiny_disk).startswith("The disk is full: DuckDB could not spill")


FULL_STORAGE = textwrap.dedent("""
    import sys
    from pathlib import Path
    import dagster as dg
    from pipelines.faults import plain

    home = Path(sys.argv[1])
    instance = dg.DagsterInstance.from_config(str(home))

    @dg.op
    def one():
        return 1

    @dg.job
    def small():
        one()

    small.execute_in_process(instance=instance)
    with open(home.parent / "filler", "wb") as handle:
        try:
            while True:
                handle.write(b"\\0" * 65536)
        except OSError:
            pass
    try:
        small.execute_in_process(instance=instance, raise_on_error=False)
    except Exception as exc:
        print(plain(exc, home=home.parent, dagster_home=home))
""")


def test_dagster_storage_on_a_full_disk(tiny_disk):
    home = tiny_disk / "dagster_home"
    home.mkdir()
    proc = subprocess.run(
        [sys.executable, "-c", FULL_STORAGE, str(home)], cwd=PROJECT, capture_output=True, text=True, timeout=300
    )
    assert proc.stdout.strip().startswith("The disk is full: Dagster's run storage in"), (
        proc.stdout + proc.stderr[-2000:]
    )
