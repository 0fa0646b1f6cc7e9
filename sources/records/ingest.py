"""Ingesting a records directory: typed, checked rows load; every other row is quarantined.

For every sheet read, loaded + quarantined == read. Free text is never kept, contributor
identifiers leave this module only as keyed pseudonyms.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import rules
from .cells import CellProblem, allowed, convert, is_blank
from .frameworks import builtin_points
from .model import LOAD_ORDER, TABLES, TABLES_BY_NAME, Column, Table
from .privacy import pseudonymise
from .problems import Problem
from .reading import MAX_ROWS_PER_SHEET, SheetRows, read_source, records_sources

DTYPES = {"integer": "Int64", "number": "Float64", "date": "datetime64[ns]", "yes_no": "boolean"}
SOURCE_COLUMNS = ["source_file", "source_sheet", "source_row"]
QUARANTINE_COLUMNS = ["file", "sheet", "table_name", "row", "kinds", "reasons", "row_values"]
RECONCILIATION_COLUMNS = ["file", "sheet", "table_name", "status", "read", "loaded", "quarantined",
                          "kept_previous"]
PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "kind", "message", "allowed"]


@dataclass
class Candidate:
    sheet: SheetRows
    row: int
    values: dict
    raw: dict
    problems: list[Problem] = field(default_factory=list)

    def where(self) -> tuple:
        return self.sheet.file, self.sheet.sheet, self.row


@dataclass
class RecordsLoad:
    tables: dict[str, pd.DataFrame]        # landing.records_<table>
    links: dict[str, pd.DataFrame]         # landing.records_<table>__<column> for ';' lists
    quarantine: pd.DataFrame
    reconciliation: pd.DataFrame
    problems: list[Problem]
    files: list[str]
    rejected_files: list[str]
    example_data: bool = False

    def problems_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame([p.to_dict() for p in self.problems], columns=PROBLEM_COLUMNS)
        return frame.astype({c: "Int64" if c == "row" else "string" for c in PROBLEM_COLUMNS})


def ingest(root: Path, *, key: bytes, known_lad_codes: set[str] | None = None,
           max_rows: int = MAX_ROWS_PER_SHEET, example_data: bool = False) -> RecordsLoad:
    """Read, check and split every records file under root. Never raises for bad content."""
    root = Path(root)
    problems, sheets, files, rejected = [], [], [], []
    for kind, path in records_sources(root):
        read = read_source(kind, path, root, max_rows)
        files.append(read.file)
        problems += read.problems
        if read.rejected:
            rejected.append(read.file)
        for sheet in read.sheets:
            problems += sheet.problems
            sheets.append(sheet)
    candidates: dict[str, list[Candidate]] = {t.name: [] for t in TABLES}
    for sheet in sheets:
        candidates[sheet.table.name] += [_convert_row(sheet, n, raw, known_lad_codes) for n, raw in sheet.rows]
    for table in TABLES:
        _flag_duplicates(table, candidates[table.name])
    _resolve_references(candidates)
    problems += [p for cs in candidates.values() for c in cs for p in c.problems if p.kind != "hidden_sheet"]
    return RecordsLoad(
        tables={t.name: _loaded_frame(t, candidates[t.name], key) for t in TABLES},
        links=_link_frames(candidates),
        quarantine=_quarantine_frame(sheets, candidates, key),
        reconciliation=_reconciliation(sheets, candidates, rejected),
        problems=problems, files=files, rejected_files=rejected, example_data=example_data)


def _convert_row(sheet: SheetRows, number: int, raw: dict, known_lad: set[str] | None) -> Candidate:
    cand = Candidate(sheet, number, {}, raw)
    problem = lambda col, kind, msg: cand.problems.append(  # noqa: E731
        Problem(sheet.file, sheet.sheet, number, col.name, kind, msg, allowed(col)))
    for col in sheet.table.columns:
        cell = raw.get(col.name)
        cand.values[col.name] = None
        if col.name not in sheet.columns or is_blank(cell):
            if col.required:
                problem(col, "missing_required", "required value is empty" if col.name in sheet.columns
                        else "required column is missing from the sheet")
            continue
        if col.kind == "free_text":
            continue  # only its presence matters; the text itself is never kept
        if col.kind == "contributor_id":
            text = str(cell).strip()
            if len(text) > 200:
                problem(col, "too_long", "identifier is longer than 200 characters")
            cand.values[col.name] = text
            continue
        try:
            value = convert(cell, col)
        except CellProblem as exc:
            problem(col, exc.kind, exc.message)
            continue
        if col.kind == "lad_code" and known_lad is not None:
            unknown = [c for c in (value if col.many else [value]) if c not in known_lad]
            if unknown:
                problem(col, "unknown_code", ", ".join(repr(c) for c in unknown)
                        + " is not a local authority code of the current geography")
                continue
        cand.values[col.name] = value
    if sheet.hidden:
        cand.problems.append(Problem(sheet.file, sheet.sheet, number, None, "hidden_sheet",
                                     "the sheet is hidden", "visible sheets only"))
    bad_columns = {p.column for p in cand.problems}
    for rule in sheet.table.checks:
        if rule in rules.ROW_RULES:
            found = rules.apply(rule, cand.values, None, cand.where())
            if found and found.column not in bad_columns:
                cand.problems.append(found)
    return cand


def _key_of(table: Table, cand: Candidate):
    parts = []
    for name in table.key:
        value = cand.values.get(name)
        if value is None:
            return None
        parts.append(str(value).strip().casefold() if table.column(name).kind == "contributor_id" else value)
    return tuple(parts)


def _flag_duplicates(table: Table, cands: list[Candidate]) -> None:
    first: dict[tuple, Candidate] = {}
    for cand in cands:
        key = _key_of(table, cand)
        if key is None:
            continue
        if key not in first:
            first[key] = cand
            continue
        earlier = first[key]
        if table.same_duplicates_ok and _same(table, earlier, cand):
            continue
        private = any(table.column(k).kind == "contributor_id" for k in table.key)
        shown = "this identifier" if private else " + ".join(f"{k} '{v}'" for k, v in zip(table.key, key))
        file, sheet, row = earlier.where()
        cand.problems.append(Problem(*cand.where(), table.key[0], "duplicate_id",
                                     f"{shown} is already used in {file}, sheet {sheet}, row {row}",
                                     f"a {' + '.join(table.key)} used only once across all records files"))


def _same(table: Table, a: Candidate, b: Candidate) -> bool:
    return all(a.values.get(c) == b.values.get(c) for c in table.column_names)


def _resolve_references(candidates: dict[str, list[Candidate]]) -> None:
    """Tables in dependency order: a row loads only if what it points to loaded."""
    loaded_keys: dict[str, set] = {}
    all_keys: dict[str, set] = {}
    points = {(p["framework_id"], p["point_number"]) for p in builtin_points()}
    context = {"programme_areas": {}, "framework_points": points, "framework_ids": {f for f, _ in points}}
    for name in LOAD_ORDER:
        table = TABLES_BY_NAME[name]
        for cand in candidates[name]:
            for col in table.columns:
                if col.kind == "reference" and cand.values.get(col.name) is not None:
                    _check_reference(cand, col, loaded_keys, all_keys, context)
            if not cand.problems:
                for rule in table.checks:
                    if rule in rules.TABLE_RULES:
                        found = rules.apply(rule, cand.values, context, cand.where())
                        if found:
                            cand.problems.append(found)
        good = [c for c in candidates[name] if not c.problems]
        for col in table.columns:
            if col.kind in ("id", "contributor_id"):
                loaded_keys[f"{name}.{col.name}"] = {c.values[col.name] for c in good}
                all_keys[f"{name}.{col.name}"] = {c.values[col.name] for c in candidates[name]}
        if name == "framework_points":
            context["framework_points"] |= {(c.values["framework_id"], c.values["point_number"]) for c in good}
            context["framework_ids"] |= {c.values["framework_id"] for c in good}
            loaded_keys["framework_points.framework_id"] = set(context["framework_ids"])
        if name == "programmes":
            context["programme_areas"] = {c.values["programme_id"]: set(c.values["local_authority_codes"])
                                          for c in good}


def _check_reference(cand: Candidate, col: Column, loaded: dict, everything: dict, context: dict) -> None:
    values = cand.values[col.name]
    missing = [v for v in (values if col.many else [values]) if v not in loaded.get(col.references, set())]
    if not missing:
        return
    table, key = col.references.split(".")
    quarantined = [v for v in missing if v in everything.get(col.references, set())]
    note = " (its row was quarantined: fix that row first)" if quarantined else ""
    cand.problems.append(Problem(*cand.where(), col.name, "dangling_reference",
                                 ", ".join(repr(str(v)) for v in missing)
                                 + f" does not match any {key} that loaded{note}", allowed(col)))


def _output_value(col: Column, value, key: bytes):
    if value is None:
        return None
    if col.kind == "contributor_id":
        return pseudonymise(value, key)
    if col.many:
        return ";".join(str(v) for v in value)
    return value


def _output_name(col: Column) -> str:
    return "contributor_pseudonym" if col.kind == "contributor_id" else col.name


def _loaded_frame(table: Table, cands: list[Candidate], key: bytes) -> pd.DataFrame:
    cols = [c for c in table.columns if c.loaded]
    records = [[c.sheet.file, c.sheet.sheet, c.row] + [_output_value(col, c.values[col.name], key) for col in cols]
               for c in cands if not c.problems]
    frame = pd.DataFrame(records, columns=SOURCE_COLUMNS + [_output_name(c) for c in cols])
    dtypes = {"source_file": "string", "source_sheet": "string", "source_row": "Int64"}
    for col in cols:
        dtypes[_output_name(col)] = "string" if col.many else DTYPES.get(col.kind, "string")
    for name, dtype in dtypes.items():
        frame[name] = pd.to_datetime(frame[name]) if dtype.startswith("datetime") else frame[name].astype(dtype)
    return frame


def _link_frames(candidates: dict[str, list[Candidate]]) -> dict[str, pd.DataFrame]:
    links = {}
    for table in TABLES:
        for col in (c for c in table.columns if c.many):
            rows = [[c.sheet.file, *(c.values[k] for k in table.key), v]
                    for c in candidates[table.name] if not c.problems for v in (c.values[col.name] or [])]
            links[f"{table.name}__{col.name}"] = pd.DataFrame(
                rows, columns=["source_file", *table.key, "value"]).astype("string")
    return links


def _row_values(cand: Candidate, key: bytes) -> str:
    """The quarantined row as JSON for whoever fixes it: no free text, contributor ids pseudonymised."""
    shown = {}
    for col in cand.sheet.table.columns:
        if not col.loaded:
            continue
        raw = cand.raw.get(col.name)
        if col.kind == "contributor_id":
            shown[_output_name(col)] = None if is_blank(raw) else pseudonymise(raw, key)
        else:
            shown[col.name] = None if is_blank(raw) else str(raw)[:100]
    return json.dumps(shown, default=str)


def _quarantine_frame(sheets: list[SheetRows], candidates: dict, key: bytes) -> pd.DataFrame:
    rows = []
    for cands in candidates.values():
        for c in cands:
            if c.problems:
                rows.append([c.sheet.file, c.sheet.sheet, c.sheet.table.name, c.row,
                             ",".join(sorted({p.kind for p in c.problems})),
                             "; ".join(f"column {p.column}: {p.message}" if p.column else p.message
                                       for p in c.problems), _row_values(c, key)])
    for sheet in sheets:
        for kind, numbers in (("row_limit", sheet.overflow_rows), ("no_header", sheet.headerless_rows)):
            reason = next(p.message for p in sheet.problems if p.kind == kind) if numbers else ""
            rows += [[sheet.file, sheet.sheet, sheet.table.name, n, kind, reason, None] for n in numbers]
    return pd.DataFrame(rows, columns=QUARANTINE_COLUMNS).astype(
        {"file": "string", "sheet": "string", "table_name": "string", "row": "Int64", "kinds": "string",
         "reasons": "string", "row_values": "string"})


def _reconciliation(sheets: list[SheetRows], candidates: dict, rejected: list[str]) -> pd.DataFrame:
    counts: dict[int, list[int]] = {id(s): [0, 0] for s in sheets}
    for cands in candidates.values():
        for c in cands:
            counts[id(c.sheet)][1 if c.problems else 0] += 1
    rows = [[s.file, s.sheet, s.table.name, "hidden" if s.hidden else "read", s.read, counts[id(s)][0],
             counts[id(s)][1] + len(s.overflow_rows) + len(s.headerless_rows), 0] for s in sheets]
    rows += [[f, None, None, "rejected", 0, 0, 0, 0] for f in rejected]
    return pd.DataFrame(rows, columns=RECONCILIATION_COLUMNS).astype(
        {"file": "string", "sheet": "string", "table_name": "string", "status": "string",
         "read": "Int64", "loaded": "Int64", "quarantined": "Int64", "kept_previous": "Int64"})
