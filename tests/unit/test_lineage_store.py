"""The parsed-lineage store (assets/lineage.py ParsedStore): what parsing found is kept between
processes by a hash of the text, so an edited SQL or Python file is parsed again and still changes
its code version and lineage; a store from other parsing code, or a torn one, is ignored."""

from __future__ import annotations

import json

import pytest

from assets import lineage


@pytest.fixture
def fresh_store(tmp_path, monkeypatch):
    """A store in tmp_path, and no answers remembered in this process: each call reads the store or parses."""

    def new(stamp: str = "stamp-1") -> lineage.ParsedStore:
        store = lineage.ParsedStore(tmp_path / "parsed.json", stamp)
        monkeypatch.setattr(lineage, "_STORE", [store])
        lineage.tables_read.cache_clear()
        lineage._imports_in.cache_clear()
        return store

    yield new
    lineage.tables_read.cache_clear()
    lineage._imports_in.cache_clear()


def _no_parsing(monkeypatch):
    def refuse(*_args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(lineage, "_parse_tables_read", refuse)
    monkeypatch.setattr(lineage, "_parse_imports", refuse)


SQL = "SELECT a.x FROM staging.code_map a JOIN marts.areas b USING (x)"
MODULE = "from sources.tidy import column\nfrom .landing import ensure_landing\n"


def test_a_later_process_reads_the_store_instead_of_parsing(fresh_store, monkeypatch):
    first = fresh_store()
    tables = lineage.tables_read(SQL)
    imports = lineage._imports_in("assets", MODULE)
    first.save()
    assert json.loads((first.path).read_text())["stamp"] == "stamp-1"

    fresh_store()  # a new process: same file, nothing in memory
    _no_parsing(monkeypatch)
    assert lineage.tables_read(SQL) == tables == {("staging", "code_map"), ("marts", "areas")}
    assert lineage._imports_in("assets", MODULE) == imports
    assert {"sources.tidy", "assets.landing.ensure_landing"} <= imports


def test_an_edited_text_is_parsed_again_with_a_full_store(fresh_store, monkeypatch):
    first = fresh_store()
    lineage.tables_read(SQL)
    lineage._imports_in("assets", MODULE)
    first.save()

    fresh_store()
    edited_sql = SQL.replace("marts.areas", "marts.area_groupings")
    assert lineage.tables_read(edited_sql) == {("staging", "code_map"), ("marts", "area_groupings")}
    edited_module = MODULE + "from assets.quality import validate\n"
    assert "assets.quality" in lineage._imports_in("assets", edited_module)
    # The same text in another package resolves its relative imports there: a different key.
    assert "sources.landing" in lineage._imports_in("sources", MODULE)


def test_a_store_written_by_other_parsing_code_or_torn_is_ignored(fresh_store, monkeypatch):
    first = fresh_store("stamp-1")
    lineage.tables_read(SQL)
    first.save()
    # A wrong answer under the right key: only the stamp stands between it and the lineage.
    data = json.loads(first.path.read_text())
    data["entries"] = {k: [["marts", "wrong"]] for k in data["entries"]}
    first.path.write_text(json.dumps(data))

    fresh_store("stamp-2")  # lineage.py or DuckDB changed
    assert lineage.tables_read(SQL) == {("staging", "code_map"), ("marts", "areas")}

    first.path.write_text('{"stamp": "stamp-2", "entries": {"tab')  # torn by a crash
    fresh_store("stamp-2")
    assert lineage.tables_read(SQL) == {("staging", "code_map"), ("marts", "areas")}


def test_the_stamp_covers_the_lineage_module_itself(monkeypatch):
    stamp = lineage._store_stamp()
    real = type(lineage.PROJECT).read_bytes
    monkeypatch.setattr(type(lineage.PROJECT), "read_bytes", lambda self: real(self) + b"\n# changed\n")
    assert lineage._store_stamp() != stamp


def test_changed_files_change_code_versions_with_a_warm_store(fresh_store, monkeypatch, tmp_path):
    """The versions the planner compares: a changed SQL or Python file changes them, store or not."""
    store = fresh_store()
    sql_before = lineage.sql_code_version("staging/code_map.sql")
    py_before = lineage.python_code_version("sources.tidy")
    store.save()

    fresh_store()
    _no_parsing(monkeypatch)  # unchanged files: answered by the store alone
    assert lineage.sql_code_version("staging/code_map.sql") == sql_before
    lineage.module_closure.cache_clear()
    assert lineage.python_code_version("sources.tidy") == py_before

    sql_file = lineage.PROJECT / "sql" / "staging" / "code_map.sql"
    tidy = lineage.PROJECT / "sources" / "tidy.py"
    real_text, real_read = type(sql_file).read_text, lineage.read_module
    monkeypatch.setattr(
        type(sql_file),
        "read_text",
        lambda self, *a, **k: real_text(self, *a, **k) + ("\n-- changed" if self == sql_file else ""),
    )
    monkeypatch.setattr(
        lineage, "read_module", lambda path: real_read(path) + ("\n# changed\n" if path == tidy else "")
    )
    assert lineage.sql_code_version("staging/code_map.sql") != sql_before
    assert lineage.python_code_version("sources.tidy") != py_before
