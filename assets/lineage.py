"""Lineage and code versions derived from the code itself, so Dagster's graph is the true data flow.

- tables_read: the schema-qualified tables a SQL file reads, from DuckDB's own parser
  (json_serialize_sql), so a SQL asset's deps are exactly the tables its SQL names.
- table_producer: which asset writes a table (landing tables are shared by the source assets).
- code versions: a hash of the SQL text and its parameter names, or of a Python package plus every
  module of this project it imports (so a change to sources/tidy.py reaches every parser).

What parsing finds (a SQL file's tables, a module's imports) is kept between processes in a file
(STORE_PATH), keyed by a hash of the text parsed: loading the definitions,
which every refresh, run and test does, then reads it instead of parsing ~75 SQL files and ~130
modules again (~0.6 s of CPU). An edited file is a new key, parsed again; the code versions are
always hashed from the files' text as they are now.
"""

from __future__ import annotations

import ast
import atexit
import hashlib
import json
import os
import re
import tempfile
import threading
from functools import cache
from pathlib import Path

import dagster as dg

from assets.warehouse import read_sql

PROJECT = Path(__file__).resolve().parents[1]
SCHEMAS = ("landing", "staging", "intermediate", "marts")
_CREATE_PREFIX = re.compile(
    r"^\s*CREATE\s+(OR\s+REPLACE\s+)?(TEMP\w*\s+)?(TABLE|VIEW)\s+[\w.\"]+\s+AS\s+", re.IGNORECASE
)


def _strip_comments(sql: str) -> str:
    return "\n".join(
        line.split("--", 1)[0] if "--" in line and "'" not in line.split("--", 1)[0] else line
        for line in sql.splitlines()
    )


class ParsedStore:
    """What parsing a text found, by a hash of that text, in a JSON file shared by every process.

    Valid only for the parsing code that wrote it: the file also records a hash of this module's own
    text and DuckDB's version (whose parser reads the SQL), and is ignored when either differs. Any
    fault reading or writing it (a read-only checkout, a torn file) only means parsing again."""

    LIMIT = 4000  # entries kept; beyond it, only those this process used (old texts drop out)

    def __init__(self, path: Path | None, stamp: str):
        self.path, self.stamp = path, stamp
        self._entries: dict[str, list] | None = None
        self._used: set[str] = set()
        self._dirty = False
        self._lock = threading.Lock()

    def _load(self) -> dict[str, list]:
        if self._entries is None:
            self._entries = {}
            try:
                data = json.loads(self.path.read_text()) if self.path is not None else {}
                if data.get("stamp") == self.stamp and isinstance(data.get("entries"), dict):
                    self._entries = data["entries"]
            except (OSError, ValueError, AttributeError):
                pass
        return self._entries

    def get(self, kind: str, text: str) -> list | None:
        key = self.key(kind, text)
        with self._lock:
            found = self._load().get(key)
            if found is not None:
                self._used.add(key)
            return found

    def put(self, kind: str, text: str, value: list) -> None:
        key = self.key(kind, text)
        with self._lock:
            self._load()[key] = value
            self._used.add(key)
            if not self._dirty and self.path is not None:
                self._dirty = True
                atexit.register(self.save)

    @staticmethod
    def key(kind: str, text: str) -> str:
        return kind + ":" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def save(self) -> None:
        """Write the entries (atomically: concurrent processes each leave a whole file)."""
        with self._lock:
            if not self._dirty or self.path is None or self._entries is None:
                return
            entries = self._entries
            if len(entries) > self.LIMIT:
                entries = {k: v for k, v in entries.items() if k in self._used}
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
                with os.fdopen(fd, "w") as out:
                    json.dump({"stamp": self.stamp, "entries": entries}, out)
                os.replace(tmp, self.path)
                self._dirty = False
            except OSError:
                pass


# In the checkout, like ruff's and pytest's caches (ignored by git); None keeps nothing.
STORE_PATH: Path | None = PROJECT / ".cache" / "lineage-parsed.json"


def _store_stamp() -> str:
    import duckdb

    return digest(Path(__file__).read_bytes(), duckdb.__version__)


_STORE: list[ParsedStore] = []


def store() -> ParsedStore:
    if not _STORE:
        _STORE.append(ParsedStore(STORE_PATH, _store_stamp()))
    return _STORE[0]


_PARSER: list = []  # the DuckDB connection that parses SQL for lineage (no tables in it)
_PARSER_LOCK = threading.Lock()


@cache
def tables_read(sql: str) -> frozenset[tuple[str, str]]:
    """(schema, table) pairs the statement reads, found by DuckDB's parser (CTE names excluded)."""
    kept = store().get("tables", sql)
    if kept is not None:
        return frozenset((schema, table) for schema, table in kept)
    found = _parse_tables_read(sql)
    store().put("tables", sql, sorted(found))
    return found


def _parse_tables_read(sql: str) -> frozenset[tuple[str, str]]:
    import duckdb

    statement = duckdb.extract_statements(sql)[0].query
    body = _CREATE_PREFIX.sub("", _strip_comments(statement).strip(), count=1)
    with _PARSER_LOCK:  # one in-memory database for every file: opening one costs ~25 ms
        if not _PARSER:
            _PARSER.append(duckdb.connect())
        tree = json.loads(_PARSER[0].execute("SELECT json_serialize_sql($q)", {"q": body}).fetchone()[0])
    if tree.get("error"):
        raise ValueError(f"DuckDB could not parse the statement for lineage: {tree.get('error_message')}")
    found: set[tuple[str, str]] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE" and node.get("schema_name") in SCHEMAS:
                found.add((node["schema_name"], node["table_name"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return frozenset(found)


def sql_tables_read(relpath: str) -> frozenset[tuple[str, str]]:
    return tables_read(read_sql(relpath))


# Landing tables every source's assets write one slice of (rows keyed by source_id).
SHARED_LANDING = {
    "indicator_values": "landing",
    "aggregate_values": "landing",
    "unavailable_indicators": "landing",
    "source_editions": "landing",
    "raw_files": "raw",
}
# Landing tables with one writer each.
SINGLE_LANDING = {
    "indicator_catalogue": ["landing", "catalogue"],
    "source_catalogue": ["landing", "catalogue"],
    "source_status": ["landing", "source_status"],
    "records_files": ["raw", "records"],
    # written by the raw steps; observed, with the outcomes, by landing/source_status
    "publisher_releases": ["landing", "source_status"],
}


def table_producer(schema: str, table: str, source_ids: list[str]) -> list[dg.AssetKey]:
    """The asset(s) that write schema.table. Unknown landing tables are an error, not a guess."""
    if schema != "landing":
        return [dg.AssetKey([schema, table])]
    if table in SHARED_LANDING:
        return [dg.AssetKey([SHARED_LANDING[table], s]) for s in source_ids]
    if table in SINGLE_LANDING:
        return [dg.AssetKey(SINGLE_LANDING[table])]
    if table.startswith("igplus_config_"):
        return [dg.AssetKey(["landing", "igplus_config"])]
    if table.startswith("records_"):
        return [dg.AssetKey(["landing", "records"])]
    owner = table.split("__", 1)[0]
    if "__" in table and owner in source_ids:
        return [dg.AssetKey(["landing", owner])]
    raise ValueError(
        f"landing.{table}: no asset is known to write it; name it <source_id>__<table> or add it to assets/lineage.py"
    )


def deps_from_sql(relpath: str, source_ids: list[str]) -> list[dg.AssetKey]:
    """The asset keys a SQL file reads from, in a stable order."""
    keys = [k for schema, table in sorted(sql_tables_read(relpath)) for k in table_producer(schema, table, source_ids)]
    return list(dict.fromkeys(keys))


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\x00")
    return h.hexdigest()[:16]


def sql_code_version(relpath: str, param_names: tuple[str, ...] = ()) -> str:
    """The SQL text, the macros it calls (sql/macros/) and the names of the parameters bound to it
    (their values are checked per run)."""
    sql = read_sql(relpath)
    macros = [m.read_text() for m in sorted((PROJECT / "sql" / "macros").glob("*.sql")) if m.stem + "(" in sql]
    return digest(sql, *macros, *sorted(param_names))


PACKAGES = ("sources", "dashboards", "assets", "pipelines")


@cache
def _module_files(name: str) -> tuple[Path, ...]:
    """The files of a module or package, looked up once per process (as module_closure is kept)."""
    path = PROJECT.joinpath(*name.split("."))
    if path.is_dir():
        return tuple(sorted(path.glob("*.py")))
    file = path.with_suffix(".py")
    return (file,) if file.exists() else ()


def _imports(file: Path) -> set[str]:
    """Project modules a file imports (absolute and relative), by name."""
    return _imports_in(".".join(file.relative_to(PROJECT).with_suffix("").parts[:-1]), file.read_text())


@cache
def _imports_in(package: str, source: str) -> frozenset[str]:
    """Keyed by the text: each module is parsed once (then kept in the store), and an edited file is
    parsed again."""
    text = package + "\n" + source
    kept = store().get("imports", text)
    if kept is not None:
        return frozenset(kept)
    found = _parse_imports(package, source)
    store().put("imports", text, sorted(found))
    return found


def _parse_imports(package: str, source: str) -> frozenset[str]:
    names: set[str] = set()
    for node in _statements(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return frozenset(n for n in names if n.split(".")[0] in PACKAGES)


def _statements(tree: ast.AST):
    """Every statement, nested ones too (in functions, classes, if/try/with/for/while/match bodies):
    an import is a statement, so expressions, a module's bulk, need not be walked (ast.walk did)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            value = getattr(node, field, None)
            if isinstance(value, list):
                todo.extend(value)


@cache
def module_closure(*names: str) -> tuple[Path, ...]:
    """The files of the named project modules and of every project module they import, transitively."""
    seen: set[Path] = set()
    todo = [f for n in names for f in _module_files(n)]
    while todo:
        file = todo.pop()
        if file in seen:
            continue
        seen.add(file)
        for name in _imports(file):
            todo.extend(f for f in _module_files(name) if f not in seen)
    return tuple(sorted(seen))


def read_module(path: Path) -> str:
    return path.read_text()


def python_code_version(*names: str, extra: tuple[Path, ...] = ()) -> str:
    """Hash of the named modules' files and everything of this project they import."""
    files = sorted({*module_closure(*names), *extra})
    return digest(*(str(f.relative_to(PROJECT)) + "\n" + read_module(f) for f in files))
