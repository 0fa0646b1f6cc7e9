"""The records rules as set-based SQL, generated from the data model (model.TABLES).

Each template table's cells arrive in rec_cells_<table> (or straight from a CSV file) as text plus
a one-letter cell type per column (see engine.py). typed_select() reads every cell as a STRUCT(v, k,
m, a): the typed value, or the kind of problem, its message and (rarely) a more specific 'allowed'.
rec_typed_<table> keeps each column's value under the column's name and, for the few rows with a
problem, the list of their cells' problems (`problems`, NULL when there is none). The statements below then
add the rules between cells, tables and files (duplicates, references), in the order the Python
reader used to apply them, so the messages and counts are the same.

Identifiers and literals here come from the data model in code, never from the files: the only
user data in these statements are the table columns they read.
"""

from __future__ import annotations

from ..sqlnames import quote_ident as q
from .cells import allowed
from .model import AGREEMENT_SCALE, LAD_PATTERN, Column, Table

# Numbers above this are refused even where the model sets no maximum: no count or amount in a
# records file is that large, and doubles lose whole-number precision beyond it.
STORAGE_LIMIT = 1e15
SQL_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "date": "DATE", "yes_no": "BOOLEAN"}
YES = ("yes", "y", "true", "1", "1.0")
NO = ("no", "n", "false", "0", "0.0")
DATE_RANGE = (1900, 2100)
assert LAD_PATTERN.pattern == r"^E0[6789]\d{6}$"
LAD_REGEX = "E0[6-9][0-9]{6}"


def lit(text) -> str:
    if text is None:
        return "NULL"
    if isinstance(text, (int, float)):
        return repr(text)
    return "'" + str(text).replace("'", "''") + "'"


def lits(values) -> str:
    return "(" + ", ".join(lit(v) for v in values) + ")"


def value_type(col: Column) -> str:
    return "VARCHAR[]" if col.many else SQL_TYPES.get(col.kind, "VARCHAR")


def _problem(col: Column, kind: str, message: str, allowed_sql: str = "NULL") -> str:
    return f"{{'v': NULL::{value_type(col)}, 'k': {lit(kind)}, 'm': {message}, 'a': {allowed_sql}}}"


def _ok(col: Column, value: str) -> str:
    return f"{{'v': CAST({value} AS {value_type(col)}), 'k': NULL, 'm': NULL, 'a': NULL}}"


def _limit_allowed(col: Column) -> str:
    what = "a whole number" if col.kind == "integer" else "a number"
    low = f"{col.minimum:g}" if col.minimum is not None else f"{-STORAGE_LIMIT:g}"
    return lit(f"{what} from {low} to {STORAGE_LIMIT:g}")


def _date_allowed() -> str:
    return lit(f"a date from {DATE_RANGE[0]}-01-01 to {DATE_RANGE[1]}-12-31, e.g. 2024-04-01 or 01/04/2024")


def number_parsed(col: Column) -> str:
    """The number a cell's text reads as ('1,000' and '£5' too), computed once per cell in the inner query."""
    space = r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
    return f"TRY_CAST(regexp_replace(replace({q(col.name)}, ',', ''), '^({space}|£)+|{space}+$', '', 'g') AS DOUBLE)"


def _number_branches(col: Column, t: str, ty: str, num: str) -> list[str]:
    show = f"rec_show({t})"
    out = [
        f"WHEN {ty} = 'b' OR {num} IS NULL THEN " + _problem(col, "wrong_type", f"{show} || ' is not a number'"),
        f"WHEN NOT isfinite({num}) THEN " + _problem(col, "wrong_type", f"{show} || ' is not a finite number'"),
    ]
    if col.kind == "integer":
        out.append(
            f"WHEN {num} <> floor({num}) THEN " + _problem(col, "wrong_type", f"{show} || ' is not a whole number'")
        )
    bounds = []
    if col.minimum is not None:
        bounds.append(f"{num} < {col.minimum!r}")
    if col.maximum is not None:
        bounds.append(f"{num} > {col.maximum!r}")
    if bounds:
        out.append(
            f"WHEN {' OR '.join(bounds)} THEN " + _problem(col, "out_of_range", f"rec_g({num}) || ' is out of range'")
        )
    if col.maximum is None or col.minimum is None:
        out.append(
            f"WHEN abs({num}) > {STORAGE_LIMIT!r} THEN "
            + _problem(col, "out_of_range", f"rec_g({num}) || ' is out of range'", _limit_allowed(col))
        )
    out.append("ELSE " + _ok(col, num))
    return out


def date_candidates(col: Column) -> str:
    """The dates a cell's text could be, computed once per cell in the inner query (see typed_sql)."""
    t, ty = q(col.name), q(col.name + "__t")
    x = f"regexp_replace(rec_strip({t}), '[T ]00:00(:00)?$', '')"
    iso = f"regexp_full_match({x}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')"
    return (
        f"CASE WHEN {ty} IS NULL OR {ty} IN ('x', 'f', 'm', 'e') THEN NULL "
        f"WHEN {ty} = 'd' THEN [TRY_CAST(left({t}, 10) AS DATE)] "
        f"WHEN {iso} THEN [TRY_CAST({x} AS DATE)] ELSE rec_dates({x}) END"
    )


def _date_branches(col: Column, t: str, ty: str, x: str) -> list[str]:
    low, high = DATE_RANGE
    show = f"rec_show({t})"
    candidates = q(col.name + "__d")
    in_range = f"list_filter({candidates}, d -> year(d) BETWEEN {low} AND {high})[1]"
    valid = f"list_filter({candidates}, d -> d IS NOT NULL)[1]"
    # A number typed into a date-formatted cell (a year, 2021; or 21) is that day of the workbook's
    # calendar: a date from 1900 to 1905 (1904 to 1909 on Excel's 1904 calendar), shown as a date,
    # never a real one here.
    # (Excel's day 60 is 29 February 1900, which never was: days before it count from 31 December 1899.)
    serial = (
        f"date_diff('day', DATE '1899-12-30', {in_range}) - CASE WHEN {in_range} < DATE '1900-03-01' THEN 1 ELSE 0 END"
    )
    serial_1904 = f"date_diff('day', DATE '1904-01-01', {in_range})"
    typed_number = (
        f"CASE WHEN {serial} BETWEEN 1 AND {high} THEN {serial} "
        f"WHEN {serial_1904} BETWEEN 1 AND {high} THEN {serial_1904} END"
    )
    return [
        f"WHEN {ty} = 'd' AND {typed_number} IS NOT NULL THEN "
        + _problem(
            col,
            "wrong_type",
            f"{show} || ' is a date in ' || year({in_range}) || ': was ' || {typed_number} "
            "|| ' typed into a date-formatted cell?'",
            _date_allowed(),
        ),
        f"WHEN {in_range} IS NOT NULL THEN " + _ok(col, in_range),
        f"WHEN {valid} IS NOT NULL THEN "
        + _problem(col, "out_of_range", f"{show} || ' is out of range'", _date_allowed()),
        "ELSE " + _problem(col, "wrong_type", f"{show} || ' is not a date'"),
    ]


def _yes_no_branches(col: Column, t: str) -> list[str]:
    low = f"lower(rec_strip({t}))"
    return [
        f"WHEN {low} IN {lits(YES)} THEN " + _ok(col, "true"),
        f"WHEN {low} IN {lits(NO)} THEN " + _ok(col, "false"),
        "ELSE " + _problem(col, "wrong_type", f"rec_show({t}) || ' is not yes or no'"),
    ]


def _choice_code(col: Column, t: str) -> str:
    return f"(CASE WHEN {t} IN {lits(col.choices)} THEN {t} ELSE rec_canonical({t}) END)"


def _single_checks(col: Column, t: str, ty: str, known: bool) -> list[str]:
    """CASE branches for one non-blank, non-error value of a column (t may be a list element)."""
    x = f"rec_strip({t})"
    if col.kind in ("integer", "number"):
        return _number_branches(col, t, ty, q(col.name + "__n"))
    if col.kind == "date":
        return _date_branches(col, t, ty, f"regexp_replace({x}, '[T ]00:00(:00)?$', '')")
    if col.kind == "yes_no":
        return _yes_no_branches(col, t)
    if col.kind == "choice":
        code = _choice_code(col, t)
        return [
            f"WHEN {code} IN {lits(col.choices)} THEN " + _ok(col, code),
            "ELSE " + _problem(col, "unknown_value", f"rec_show({t}) || ' is not an allowed value'"),
        ]
    if col.kind == "lad_code":
        code = f"upper({x})"
        out = [
            f"WHEN NOT regexp_full_match({code}, '{LAD_REGEX}') THEN "
            + _problem(col, "unknown_code", f"rec_show({t}) || ' is not a local authority GSS code'")
        ]
        if known and not col.many:
            out.append(
                f"WHEN NOT rec_known_lad({code}) THEN "
                + _problem(
                    col,
                    "unknown_code",
                    f"rec_py_repr({code}) || ' is not a local authority code of the current geography'",
                )
            )
        return out + ["ELSE " + _ok(col, code)]
    if col.kind == "contributor_id":
        return [
            f"WHEN length({x}) > 200 THEN " + _problem(col, "too_long", "'identifier is longer than 200 characters'"),
            "ELSE " + _ok(col, x),
        ]
    return [
        f"WHEN {ty} = 'd' THEN " + _problem(col, "wrong_type", f"rec_show({t}) || ' is a date, not text'"),
        f"WHEN length({x}) > 200 THEN "
        + _problem(col, "too_long", f"'text of ' || length({x}) || ' characters is too long (at most 200)'"),
        "ELSE " + _ok(col, x),
    ]


def many_each(col: Column) -> str:
    """Each non-blank value of a list cell checked as a single cell would be (a list of STRUCT(v, k,
    m, a)), computed once per cell in the inner query (see typed_select): the list checks below read
    it several times, and writing it out in each place made the statement dear to compile (about
    two thirds of programmes' typing, which runs on every ingest). NULL for the cells those checks
    never reach (missing, formula, merged, empty and error cells), as cell_sql's earlier branches
    take them."""
    t, ty = q(col.name), q(col.name + "__t")
    single = Column(col.name, col.kind, col.required, choices=col.choices, references=col.references)
    parts = f"list_filter(string_split({t}, ';'), p -> NOT rec_blank(p))"
    checks = " ".join(_single_checks(single, "p", "'s'", known=False))
    return (
        f"CASE WHEN {ty} IS NULL OR {ty} IN ('x', 'f', 'm') OR rec_is_error({t}, {ty}) THEN NULL "
        f"ELSE list_transform({parts}, p -> CASE {checks} END) END"
    )


def _many_checks(col: Column, t: str, known: bool) -> list[str]:
    """Several values separated by ';': the first bad one is reported; the rest are kept, deduplicated."""
    each = q(col.name + "__e")  # many_each, one layer below
    first_bad = f"list_filter({each}, c -> c.k IS NOT NULL)[1]"
    values = f"list_transform({each}, c -> c.v)"
    unique = f"list_filter({values}, (v, i) -> list_position({values}, v) = i)"
    out = [
        f"WHEN len({each}) = 0 THEN " + _problem(col, "missing_required", "'no values'"),
        f"WHEN {first_bad} IS NOT NULL THEN {{'v': NULL::VARCHAR[], 'k': {first_bad}.k, 'm': {first_bad}.m, "
        f"'a': {first_bad}.a}}",
    ]
    if known and col.kind == "lad_code":
        unknown = f"list_filter({unique}, v -> NOT rec_known_lad(v))"
        out.append(
            f"WHEN len({unknown}) > 0 THEN "
            + _problem(
                col,
                "unknown_code",
                f"array_to_string(list_transform({unknown}, u -> rec_py_repr(u)), ', ') "
                "|| ' is not a local authority code of the current geography'",
            )
        )
    return out + ["ELSE " + _ok(col, unique)]


def cell_sql(col: Column, known: bool) -> str:
    """The STRUCT(v, k, m, a) of one column's cell."""
    t, ty = q(col.name), q(col.name + "__t")
    required = col.required
    missing = (
        _problem(col, "missing_required", "'required column is missing from the sheet'")
        if required
        else _ok(col, "NULL")
    )
    empty = _problem(col, "missing_required", "'required value is empty'") if required else _ok(col, "NULL")
    if col.kind == "free_text":
        return f"CASE WHEN {ty} = 'x' THEN {missing} WHEN {ty} IS NULL THEN {empty} ELSE {_ok(col, 'NULL')} END"
    branches = [
        f"WHEN {ty} = 'x' THEN {missing}",
        f"WHEN {ty} = 'f' THEN "
        + _problem(
            col,
            "formula_no_value",
            "'the cell holds a formula with no saved result, so it reads as empty'",
            lit("a value, or a formula saved with its result (open the file in a spreadsheet program and save it)"),
        ),
        f"WHEN {ty} = 'm' THEN "
        + _problem(
            col,
            "merged_cell",
            "'the cell is part of merged cells, so it reads as empty'",
            lit("one value in each cell: unmerge the cells and fill each one"),
        ),
        f"WHEN {ty} IS NULL THEN {empty}",
        f"WHEN rec_is_error({t}, {ty}) THEN "
        + _problem(col, "error_cell", f"'the cell holds the Excel error ' || rec_strip({t})"),
    ]
    checks = _many_checks(col, t, known) if col.many else _single_checks(col, t, ty, known)
    return "CASE " + " ".join(branches + checks) + " END"


def _bounds(col: Column) -> tuple[float, float]:
    """The range a number passes in: the model's, and the storage limit where the model sets none."""
    low = col.minimum if col.minimum is not None else -STORAGE_LIMIT
    high = col.maximum if col.maximum is not None else STORAGE_LIMIT
    if col.minimum is None or col.maximum is None:
        low, high = max(low, -STORAGE_LIMIT), min(high, STORAGE_LIMIT)
    return low, high


def cast_first(col: Column) -> str | None:
    """The cast the fast path tries first, computed once per cell (see typed_select)."""
    t, ty = q(col.name), q(col.name + "__t")
    if col.many:
        return None
    if col.kind == "integer":
        return f"CASE WHEN {ty} IN ('s', 'n') THEN TRY_CAST({t} AS BIGINT) END"
    if col.kind == "number":
        return (
            f"CASE WHEN {ty} IN ('s', 'n') AND regexp_full_match({t}, '[0-9]{{1,15}}([.][0-9]{{1,15}})?') "
            f"THEN TRY_CAST({t} AS DOUBLE) END"
        )
    if col.kind == "date":
        return f"CASE WHEN {ty} = 's' THEN TRY_CAST({t} AS DATE) END"
    return None


def fast_value(col: Column) -> str | None:
    """A cell's value when its text is already in the plain form every rule accepts unchanged, else NULL.

    Plain means: an integer or date that reads back as exactly its text ('12', '2024-04-01'; not
    '012', '12.0' or '1 Apr 2024'), a number of digits with an optional decimal part, an allowed
    value or yes/no word spelled as listed, a GSS code (of the current geography, when known)
    as is, or an id or text of printable characters at both ends and at most 200 characters. For
    every such cell the full rules (cell_sql) give the same value and no problem, and only the
    other cells go through them. No blank, missing, merged, formula or error cell is plain (an id
    or text starting with '#' is not, as Excel's error values do)."""
    t, ty, cast = q(col.name), q(col.name + "__t"), q(col.name + "__c")
    if col.many or col.kind == "free_text":
        return None
    if col.kind in ("integer", "number"):
        low, high = _bounds(col)
        exact = f"CAST({cast} AS VARCHAR) = {t} AND " if col.kind == "integer" else ""
        return f"CASE WHEN {exact}{cast} BETWEEN {low!r} AND {high!r} THEN {cast} END"
    if col.kind == "date":
        low, high = DATE_RANGE
        return f"CASE WHEN CAST({cast} AS VARCHAR) = {t} AND year({cast}) BETWEEN {low} AND {high} THEN {cast} END"
    if col.kind == "yes_no":
        spelled = lambda words: lits(sorted({f(w) for w in words for f in (str.lower, str.upper, str.title)}))  # noqa: E731
        return f"CASE WHEN {t} IN {spelled(YES)} THEN true WHEN {t} IN {spelled(NO)} THEN false END"
    if col.kind == "choice":
        return f"CASE WHEN {t} IN {lits(col.choices)} THEN {t} END"
    if col.kind == "lad_code":
        return f"CASE WHEN rec_known_lad({t}) THEN {t} END"
    # id, text, reference, contributor_id: printable ASCII at both ends means nothing to strip, and
    # at most 200 characters (RE2 counts characters) is short enough.
    return (
        f"CASE WHEN {ty} IN ('s', 'n') AND ascii({t}) BETWEEN 33 AND 126 AND ascii({t}) <> 35 "
        f"AND regexp_full_match({t}, '.([^\\n]{{0,198}}[!-~])?') THEN {t} END"
    )


def typed_columns(table: Table) -> list[str]:
    """The columns of a typed row after sheet_seq and row: each loaded column's value, then `problems`."""
    return [c.name for c in table.columns if c.loaded] + ["problems"]


PROBLEM_STRUCT = "STRUCT(ord INTEGER, c VARCHAR, k VARCHAR, m VARCHAR, a VARCHAR)[]"


def empty_typed_select(table: Table) -> str:
    """No rows, with the columns and types typed_select gives (sheet_seq, row, values, problems)."""
    values = "".join(f", NULL::{value_type(c)} AS {q(c.name)}" for c in table.columns if c.loaded)
    return f"SELECT NULL::INTEGER AS sheet_seq, NULL::BIGINT AS row{values}, NULL::{PROBLEM_STRUCT} AS problems WHERE false"


def typed_select(table: Table, known: bool, source: str, keys: tuple[str, ...] = ("sheet_seq", "row")) -> str:
    """Every cell of `source` (a query with `keys` and rec_cells_<table>'s columns) typed.

    Layers, each a plain projection: the first casts, the fast values, the inputs of the full
    rules and then the rules themselves (cell_sql), both only for cells without a fast value, and
    last each column's value and the row's problems (NULL for a row without any)."""
    cols = table.columns
    casts = "".join(f", {cast_first(c)} AS {q(c.name + '__c')}" for c in cols if cast_first(c))
    fast = "".join(f", {fast_value(c)} AS {q(c.name + '__f')}" for c in cols if fast_value(c))
    slow = "".join(
        f", CASE WHEN {q(c.name + '__f')} IS NULL THEN {date_candidates(c)} END AS {q(c.name + '__d')}"
        for c in cols
        if c.kind == "date"
    )
    slow += "".join(
        f", CASE WHEN {q(c.name + '__f')} IS NULL THEN {number_parsed(c)} END AS {q(c.name + '__n')}"
        for c in cols
        if c.kind in ("integer", "number")
    )
    slow += "".join(f", {many_each(c)} AS {q(c.name + '__e')}" for c in cols if c.many)
    cells = ",\n       ".join(
        f"CASE WHEN {q(c.name + '__f')} IS NULL THEN {cell_sql(c, known)} END AS {q(c.name)}"
        if fast_value(c)
        else f"{cell_sql(c, known)} AS {q(c.name)}"
        for c in cols
    )
    values = "".join(
        f", coalesce({q(c.name + '__f')}, {q(c.name)}.v) AS {q(c.name)}"
        if fast_value(c)
        else f", {q(c.name)}.v AS {q(c.name)}"
        for c in cols
        if c.loaded
    )
    clean = " AND ".join(f"{q(c.name)}.k IS NULL" for c in cols)
    each = ", ".join(
        f"{{'ord': {i}, 'c': {lit(c.name)}, 'k': {q(c.name)}.k, 'm': {q(c.name)}.m, "
        f"'a': coalesce({q(c.name)}.a, {lit(allowed(c))})}}"
        for i, c in enumerate(cols)
    )
    problems = f"CASE WHEN {clean} THEN NULL ELSE list_filter([{each}], p -> p.k IS NOT NULL) END AS problems"
    fast_cols = "".join(f", {q(c.name + '__f')}" for c in cols if fast_value(c))
    passed = ", ".join(keys)
    return (
        f"SELECT {passed}{values}, {problems} FROM (\n"
        f"SELECT {passed}{fast_cols},\n       {cells}\n"
        f"FROM (SELECT *{slow} FROM (SELECT *{fast} FROM (SELECT *{casts} FROM ({source})))))"
    )


# Rules between the cells of one row: (target column, condition, message, allowed).
def row_rules(table: Table) -> list[tuple[str, str, str, str]]:
    v = q
    rules = {
        "end_not_before_start": (
            "end_date",
            f"{v('end_date')} < {v('start_date')}",
            f"CAST({v('end_date')} AS VARCHAR) || ' is before start_date ' || CAST({v('start_date')} AS VARCHAR)",
            "an end date on or after start_date",
        ),
        "last_not_before_first": (
            "last_involved",
            f"{v('last_involved')} < {v('first_involved')}",
            f"CAST({v('last_involved')} AS VARCHAR) || ' is before first_involved ' "
            f"|| CAST({v('first_involved')} AS VARCHAR)",
            "a date on or after first_involved",
        ),
        "lived_not_above_participants": (
            "participants_lived_experience",
            f"{v('participants_lived_experience')} > {v('participants')}",
            f"CAST({v('participants_lived_experience')} AS VARCHAR) || ' is more than the ' "
            f"|| CAST({v('participants')} AS VARCHAR) || ' participants'",
            "at most the number of participants",
        ),
        "amount_only_if_paid": (
            "payment_amount_gbp",
            f"{v('payment_amount_gbp')} <> 0 AND {v('payment')} = 'not_offered'",
            f"'an amount of ' || rec_g({v('payment_amount_gbp')}) || ' is given but payment is ''not_offered'''",
            "an amount only when participants were paid or offered payment",
        ),
        "policy_needs_policy": (
            "policy_co_designed",
            f"{v('policy_co_designed')} AND NOT {v('written_inclusion_policy')}",
            "'says the policy was co-designed but there is no written inclusion policy'",
            "yes only when written_inclusion_policy is yes",
        ),
        "definition_date_needs_definition": (
            "inclusion_defined_date",
            f"{v('inclusion_defined_date')} IS NOT NULL AND NOT {v('inclusion_defined')}",
            "'a date is given but inclusion_defined is no'",
            "a date only when inclusion_defined is yes",
        ),
        "feedback_activity_or_programme": (
            "activity_id",
            f"({v('activity_id')} IS NULL) = ({v('programme_id')} IS NULL)",
            f"CASE WHEN {v('activity_id')} IS NOT NULL THEN 'gives both an activity_id and a programme_id' "
            "ELSE 'gives neither an activity_id nor a programme_id' END",
            "exactly one of activity_id (feedback on one activity) or programme_id (on the whole programme)",
        ),
        "feedback_has_answers": (
            "strongly_disagree",
            " + ".join(v(a) for a in AGREEMENT_SCALE) + " = 0",
            "'every answer count is 0'",
            "at least one answer counted",
        ),
    }
    return [rules[name] for name in table.checks if name in rules]


def cell_problems_sql(table: Table) -> str:
    """Problems found in single cells and by the row rules, in the order the reader reported them."""
    typed = q("rec_typed_" + table.name)
    parts = [
        'SELECT sheet_seq, row, p.ord, p.c AS "column", p.k AS kind, p.m AS message, p.a AS allowed '
        f"FROM (SELECT sheet_seq, row, unnest(problems) AS p FROM {typed} WHERE problems IS NOT NULL)"
    ]
    parts.append(
        f"SELECT sheet_seq, row, 500, NULL, 'hidden_sheet', 'the sheet is hidden', 'visible sheets only' "
        f"FROM {typed} JOIN rec_sheets USING (sheet_seq) WHERE hidden"
    )
    for i, (column, condition, message, allowed_text) in enumerate(row_rules(table)):
        # As before, a rule is not reported on a column whose cell already has a problem.
        parts.append(
            f"SELECT sheet_seq, row, {600 + i}, {lit(column)}, 'inconsistent', {message}, {lit(allowed_text)} "
            f"FROM {typed} WHERE coalesce({condition}, false) "
            f"AND (problems IS NULL OR NOT list_contains(list_transform(problems, p -> p.c), {lit(column)}))"
        )
    return "\nUNION ALL ".join(parts)


def key_expr(table: Table, name: str) -> str:
    col = table.column(name)
    value = f"{q(name)}"
    return f"lower({value})" if col.kind == "contributor_id" else value


def duplicates_sql(table: Table) -> str:
    """Each key used before (in file, sheet and row order) is a duplicate, unless an identical row may repeat."""
    typed = q("rec_typed_" + table.name)
    keys = [key_expr(table, k) for k in table.key]
    key_cols = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
    not_null = " AND ".join(f"{q(k)} IS NOT NULL" for k in table.key)
    partition = ", ".join(f"k{i}" for i in range(len(keys)))
    private = any(table.column(k).kind == "contributor_id" for k in table.key)
    if private:
        shown = "'this identifier'"
    else:  # each key's own value (key_expr leaves it as it is), built only for the duplicates
        shown = " || ' + ' || ".join(
            f"{lit(k + ' ' + chr(39))} || CAST(r.k{i} AS VARCHAR) || ''''" for i, k in enumerate(table.key)
        )
    same = ""
    if table.same_duplicates_ok:
        row_values = (
            "[" + ", ".join(f"CAST({q(c.name)} AS VARCHAR)" if c.loaded else "NULL" for c in table.columns) + "]"
        )
        same = f", {row_values} AS vals"
    allowed_text = f"a {' + '.join(table.key)} used only once across all records files"
    # Keys are counted straight from the typed rows (nothing else is kept per row); only the rows of
    # a repeated key are ranked, and only their messages built.
    return f"""WITH repeated AS (
    SELECT {key_cols} FROM {typed} WHERE {not_null} GROUP BY ALL HAVING count(*) > 1
),
ranked AS (
    SELECT keyed.*, first_value(sheet_seq) OVER w AS first_seq, first_value(row) OVER w AS first_row,
           {"first_value(vals) OVER w AS first_vals," if same else ""} row_number() OVER w AS rn
    FROM (SELECT sheet_seq, row, {key_cols}{same} FROM {typed} WHERE {not_null}) AS keyed
    SEMI JOIN repeated USING ({partition})
    WINDOW w AS (PARTITION BY {partition} ORDER BY sheet_seq, row)
)
SELECT r.sheet_seq, r.row, 700 AS ord, {lit(table.key[0])} AS "column", 'duplicate_id' AS kind,
       {shown} || ' is already used in ' || s.file || ', sheet ' || s.sheet || ', row ' || r.first_row AS message,
       {lit(allowed_text)} AS allowed
FROM ranked AS r JOIN rec_sheets AS s ON s.sheet_seq = r.first_seq
WHERE r.rn > 1 {"AND r.vals IS DISTINCT FROM r.first_vals" if same else ""}"""


def good_keys_table(target: str) -> str:
    table, column = target.split(".")
    return q(f"rec_good_{table}__{column}")


def all_keys_table(target: str) -> str:
    table, column = target.split(".")
    return q(f"rec_all_{table}__{column}")


def references_sql(table: Table) -> str | None:
    typed = q("rec_typed_" + table.name)
    parts = []
    for i, col in enumerate(table.columns):
        if col.kind != "reference" or not col.references:
            continue
        target_key = col.references.split(".")[1]
        good, everything = good_keys_table(col.references), all_keys_table(col.references)
        tail = f"' does not match any {target_key} that loaded'"
        if col.many:
            missing = f"list_filter({q(col.name)}, x -> NOT list_contains(g.keys, x))"
            quarantined = f"len(list_filter({missing}, x -> list_contains(a.keys, x))) > 0"
            parts.append(
                f"SELECT sheet_seq, row, {800 + i} AS ord, {lit(col.name)} AS \"column\", 'dangling_reference' AS kind, "
                f"array_to_string(list_transform({missing}, x -> rec_py_repr(x)), ', ') || {tail} "
                f"|| CASE WHEN {quarantined} THEN ' (its row was quarantined: fix that row first)' ELSE '' END AS message, "
                f"{lit(allowed(col))} AS allowed "
                f"FROM {typed} CROSS JOIN (SELECT coalesce(list(key), []) AS keys FROM {good}) AS g "
                f"CROSS JOIN (SELECT coalesce(list(key), []) AS keys FROM {everything}) AS a "
                f"WHERE len({missing}) > 0"
            )
        else:
            # Outer joins, not IN / NOT IN: DuckDB then builds its hash table on the (usually far
            # smaller) side of the referring rows, and none at all for the message when nothing dangles.
            # The key tables hold distinct, non-null keys, so no row is repeated or lost.
            value = f"t.{q(col.name)}"
            parts.append(
                f'SELECT m.sheet_seq, m.row, {800 + i} AS ord, {lit(col.name)} AS "column", '
                f"'dangling_reference' AS kind, rec_py_repr(m.value) || {tail} "
                "|| CASE WHEN a.key IS NOT NULL THEN ' (its row was quarantined: fix that row first)' ELSE '' END "
                f"AS message, {lit(allowed(col))} AS allowed "
                f"FROM (SELECT t.sheet_seq, t.row, {value} AS value FROM {typed} AS t "
                f"LEFT JOIN {good} AS g ON g.key = {value} WHERE {value} IS NOT NULL AND g.key IS NULL) AS m "
                f"LEFT JOIN {everything} AS a ON a.key = m.value"
            )
    if not parts:
        return None
    return "\nUNION ALL ".join(parts)


# Dates of what followed an activity, so never before it (the rule "after_activity"): a decision
# on a recommendation, participants told the outcome, feedback collected on taking part. The
# activities' dates come from rec_activity_dates (engine._derived_tables: the loaded activities).
AFTER_ACTIVITY = {
    "influence_log": ("decision_date", "fed_back_date"),
    "participant_feedback": ("collected_date",),
}
# Columns other tables' rules read, kept by a check's scan beside the keys and references.
READ_BY_RULES = {"activities": ("activity_date",)}


def after_activity_sql(table: Table, clean: str) -> list[str]:
    """Each date before the date of the activity its row is about: one problem per column."""
    if "after_activity" not in table.checks:
        return []
    return [
        f"SELECT t.sheet_seq, t.row, {910 + i} AS ord, {lit(name)} AS \"column\", 'inconsistent' AS kind, "
        f"CAST(t.{q(name)} AS VARCHAR) || ' is before ' || CAST(a.activity_date AS VARCHAR) "
        "|| ', the date of activity ''' || t.activity_id || '''' AS message, "
        "'a date on or after the activity''s activity_date' AS allowed "
        f"{clean} JOIN rec_activity_dates AS a ON a.activity_id = t.activity_id "
        f"WHERE t.{q(name)} < a.activity_date"
        for i, name in enumerate(AFTER_ACTIVITY[table.name])
    ]


def table_rules_sql(table: Table) -> str | None:
    """Rules against other tables, checked only on rows with no other problem."""
    typed = q("rec_typed_" + table.name)
    flagged = q("rec_problems_" + table.name)  # the row and cell problems found so far
    clean = f"FROM {typed} AS t ANTI JOIN {flagged} AS f ON f.sheet_seq = t.sheet_seq AND f.row = t.row"
    dated = after_activity_sql(table, clean)
    if dated:
        return "\nUNION ALL ".join(dated)
    if "activity_area_served" in table.checks:
        return f"""SELECT t.sheet_seq, t.row, 900 AS ord, 'local_authority_code' AS "column", 'inconsistent' AS kind,
       '''' || t.local_authority_code || ''' is not served by programme ''' || t.programme_id || '''' AS message,
       'one of the programme''s local_authority_codes: ' || array_to_string(list_sort(p.codes), ', ') AS allowed
{clean} JOIN rec_programme_areas AS p ON p.programme_id = t.programme_id
WHERE t.local_authority_code IS NOT NULL AND NOT list_contains(p.codes, t.local_authority_code)"""
    if "framework_point_known" in table.checks:
        return f"""WITH numbers AS (SELECT framework_id, max(point_number) AS top FROM rec_points GROUP BY ALL)
SELECT t.sheet_seq, t.row, 900 AS ord, 'point_number' AS "column", 'inconsistent' AS kind,
       'framework ''' || t.framework_id || ''' has no point ' || t.point_number AS message,
       CASE WHEN n.top IS NOT NULL THEN 'a point number from 1 to ' || n.top
            ELSE 'a point listed on framework_points' END AS allowed
{clean} JOIN numbers AS n ON n.framework_id = t.framework_id
WHERE t.point_number IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM rec_points AS p WHERE p.framework_id = t.framework_id
                  AND p.point_number = t.point_number)"""
    return None


# ---- the check without stored rows ---------------------------------------------------------------
# `inclusion records check` needs only the problems and the counts, not the typed rows. One pass
# over each CSV file keeps, per row in file order, only whether it is plain (each cell has a
# fast_cell value, or is an empty optional cell, and no row rule fires) and its keys and referenced
# values (fast_scan_select). A table whose every row is plain, whose keys are unique and whose
# references resolve has no problem at all (fast_clean_sql). Otherwise only the rows that are not
# plain are typed by the full statements above, beside the plain rows' kept values, and every
# rule runs as when rows are kept, so every message comes from the same statements.

# Tables whose typed rows other tables' rules read (rec_points, rec_programme_areas) or with lists.
FAST_EXCLUDED = ("programmes", "framework_points")


def text_sql(text: str) -> str:
    """A text value (a file name or path) in SQL without its characters reaching the parser: the hex
    digits of its UTF-8 bytes, decoded by DuckDB. Binding it as a parameter instead would make
    DuckDB's Python client import numpy, pandas and pyarrow (about 0.4 s of CPU) in a check."""
    return f"decode(unhex('{text.encode('utf-8').hex()}'))"


def fast_eligible(table: Table, present: set[str]) -> bool:
    """Whether the check may prove a table clean from its grouped keys: no lists, no identical
    repeats allowed, no typed rows read by other tables, and no required column missing (every row
    would then have a problem)."""
    if table.name in FAST_EXCLUDED or table.same_duplicates_ok or any(c.many for c in table.columns):
        return False
    return all(c.name in present for c in table.columns if c.required)


def fast_sets(table: Table) -> list[tuple[str, ...]]:
    """The groups the pass keeps: the table's key first, then each reference (with the column a
    rule against the referenced table reads beside it)."""
    sets = [tuple(table.key)]
    for col in table.columns:
        if col.kind != "reference" or not col.references:
            continue
        if col.name == "programme_id" and "activity_area_served" in table.checks:
            group: tuple[str, ...] = ("programme_id", "local_authority_code")
        elif col.name == "activity_id" and "after_activity" in table.checks:
            group = ("activity_id", *AFTER_ACTIVITY[table.name])
        elif col.name == "framework_id" and "framework_point_known" in table.checks:
            group = ("framework_id", "point_number")
        else:
            group = (col.name,)
        if group not in sets:
            sets.append(group)
    return sets


def fast_columns(table: Table) -> list[str]:
    """Every column any of fast_sets' groups holds, in the order GROUPING() numbers them."""
    out: list[str] = []
    for group in [*fast_sets(table), READ_BY_RULES.get(table.name, ())]:
        out += [c for c in group if c not in out]
    return out


def fast_cell(col: Column) -> str | None:
    """A non-empty cell's value when it is plain, else NULL: a value the full rules (cell_sql) take
    unchanged with no problem. `t` is the cell's text; an empty cell is NULL.

    Codes, allowed values, yes/no words and dates are plain exactly when fast_value calls them so
    (for a non-blank cell of a CSV; no such form is blank); ids and text only when fast_value calls
    them so and they are printable ASCII (the cheaper test below). A number is plain when
    DuckDB's own cast reads its text (number_parsed applies the same cast after removing commas,
    a leading '£' and surrounding white space, none of which a text the cast reads holds, except
    ASCII spaces the cast itself ignores) as a finite number within the column's range (and whole,
    for an integer): exactly the value the full rules give."""
    t, d = q(col.name), q(col.name + "__d")  # d: fast_cast, computed once in the layer below
    if col.many or col.kind == "free_text":
        return None
    if col.kind in ("integer", "number"):
        low, high = _bounds(col)
        whole = f" AND {d} = floor({d})" if col.kind == "integer" else ""
        value = f"CAST({d} AS BIGINT)" if col.kind == "integer" else d
        return f"CASE WHEN {d} BETWEEN {low!r} AND {high!r}{whole} THEN {value} END"
    if col.kind == "date":
        low, high = DATE_RANGE
        return f"CASE WHEN CAST({d} AS VARCHAR) = {t} AND year({d}) BETWEEN {low} AND {high} THEN {d} END"
    if col.kind in ("id", "text", "reference", "contributor_id"):
        # Printable ASCII only, a subset of fast_value's form: a first character that is not a
        # space or '#', a last one that is not a space, at most 200 bytes (so characters). RE2 runs
        # this pattern one-pass, which costs about 0.7 of fast_value's on a short id; other ids go
        # to the full rules.
        return (
            f"CASE WHEN strlen({t}) <= 200 AND NOT suffix({t}, ' ') "
            f"AND regexp_full_match({t}, '[!-\"$-~][ -~]*') THEN {t} END"
        )
    # Allowed values, yes/no words and GSS codes as fast_value takes them; a list, not IN, which the
    # optimizer would turn into a join (and a join may reorder the rows csv's rowid numbers).
    if col.kind == "yes_no":
        yes, no = (sorted({f(w) for w in words for f in (str.lower, str.upper, str.title)}) for words in (YES, NO))
        return (
            f"CASE WHEN list_contains([{', '.join(map(lit, yes))}], {t}) THEN true "
            f"WHEN list_contains([{', '.join(map(lit, no))}], {t}) THEN false END"
        )
    if col.kind == "choice":
        return f"CASE WHEN list_contains([{', '.join(map(lit, col.choices))}], {t}) THEN {t} END"
    assert col.kind == "lad_code", col.kind
    return fast_value(col)


def fast_cast(col: Column) -> str | None:
    """The cast fast_cell reads a number or date through."""
    if col.many:
        return None
    if col.kind in ("integer", "number"):
        return f"TRY_CAST({q(col.name)} AS DOUBLE)"
    if col.kind == "date":
        return f"TRY_CAST({q(col.name)} AS DATE)"
    return None


def _plain_cell(col: Column) -> str:
    """Whether the full rules give a cell no problem because it is plain (fast_cell), or an empty
    optional cell (NULL: empty in the file, or the sheet lacks the optional column)."""
    t = q(col.name)
    if col.kind == "free_text":
        return "true" if not col.required else f"NOT rec_blank({t})"
    empty_ok = "" if col.required else f"{t} IS NULL OR "
    return f"({empty_ok}{q(col.name + '__f')} IS NOT NULL)"


def fast_scan_select(table: Table, source: str, extras: list[str], kept: list[str] | None = None) -> str:
    """One pass over `source` (each template column's text by name, NULL when empty or missing, the
    other columns' texts named `extras`, and a `blank` flag for a row with nothing in any cell), a
    projection only, so its rows stay in file order (rowid numbers them, as in csv_fast): whether
    each row is plain (ok), the row rules evaluated on the plain values, the plain values of
    fast_columns (or of `kept`: a landing keeps every loaded column), and for a row that is not
    plain its cells as rec_cells_<table> holds them (`texts`, fast_texts) and whether it is a row of
    blank cells (`empty`, white space only)."""
    cols = table.columns
    casts = "".join(f", {fast_cast(c)} AS {q(c.name + '__d')}" for c in cols if fast_cast(c))
    fast = "".join(f", {fast_cell(c)} AS {q(c.name + '__f')}" for c in cols if fast_cell(c))
    values = ", ".join(f"{q(c.name + '__f')} AS {q(c.name)}" for c in cols if c.loaded)
    # Each cell's text (of free text only whether it is blank, as rec_cells keeps it), passed on.
    raw = ", ".join(
        f"CASE WHEN rec_blank({q(c.name)}) THEN NULL ELSE 's' END AS {q(c.name + '__r')}"
        if c.kind == "free_text"
        else f"{q(c.name)} AS {q(c.name + '__r')}"
        for c in cols
    )
    plain = " AND ".join(_plain_cell(c) for c in cols)
    rules = "".join(f" AND NOT coalesce({condition}, false)" for _, condition, _, _ in row_rules(table))
    kept_sql = ", ".join(q(c) for c in (kept if kept is not None else fast_columns(table)))
    texts = "[" + ", ".join(q(c.name + "__r") for c in cols) + "]"
    empty = " AND ".join([f"rec_blank({q(c.name + '__r')})" for c in cols] + [f"rec_blank({q(x)})" for x in extras])
    passed = "".join(f", {q(x)}" for x in extras)
    return (
        f"SELECT blank, {kept_sql}, ok, CASE WHEN ok THEN NULL ELSE {texts} END AS texts, "
        f"CASE WHEN ok THEN false ELSE {empty} END AS empty FROM (\n"
        f"SELECT *, plain{rules} AS ok FROM (\n"
        f"SELECT blank, {values}, {raw}{passed}, {plain} AS plain "
        f"FROM (SELECT *{fast} FROM (SELECT *{casts} FROM ({source})))))"
    )


def fast_texts(table: Table, present: set[str]) -> str:
    """rec_cells_<table>'s cell columns from a scanned row's `texts` (fast_scan_select)."""
    out = []
    for i, col in enumerate(table.columns, start=1):
        text = f"texts[{i}]"
        if col.name not in present:
            kind = "'x'"
        elif col.kind == "free_text":
            kind = text  # its type, kept by the scan
        else:
            kind = f"CASE WHEN rec_blank({text}) THEN NULL ELSE 's' END"
        if col.kind != "free_text":
            out.append(f"{text} AS {q(col.name)}")
        out.append(f"{kind} AS {q(col.name + '__t')}")
    return ", ".join(out)


# The duplicate test of a scanned table compares 64-bit hashes of the keys, sorted: if no two
# hashes are equal, no two keys are, so the table has no key twice. Only when two hashes meet (a
# repeated key, or a collision: about n^2 / 2^65 for n keys, 3e-6 at 10 million) are the keys
# themselves compared (fast_duplicates_sql). Sorting 10 million hashes took 1.5 s of CPU against
# 2.1 s for grouping the keys (docs/records-speed.md). A test replaces it with one that always collides.
KEY_HASH = "hash"


def fast_duplicates_sql(table: Table, scanned: str) -> str:
    """True when no key of the rows `scanned` repeats (as the duplicate rule compares keys)."""
    keys = ", ".join(key_expr(table, k) for k in table.key)
    not_null = " AND ".join(f"{q(k)} IS NOT NULL" for k in table.key)
    return f"SELECT NOT EXISTS (SELECT 1 FROM {scanned} WHERE {not_null} GROUP BY {keys} HAVING count(*) > 1)"


def fast_clean_sql(table: Table, scanned: str) -> str:
    """Two truths about the rows `scanned` (rec_fast_<table>: every non-blank row of the table's
    scanned files): `clean`, every row plain, every reference found among the rows that loaded and
    the rules against other tables met; and `distinct`, no two keys' hashes equal (KEY_HASH). Both
    true: the table has no problem at all. `clean` but not `distinct`: fast_duplicates_sql decides.
    Each test fails wherever the full statements would report a problem."""
    keys = ", ".join(key_expr(table, k) for k in table.key)
    not_null = " AND ".join(f"{q(k)} IS NOT NULL" for k in table.key)
    tests = [f"NOT EXISTS (SELECT 1 FROM {scanned} WHERE NOT ok)"]
    for group in fast_sets(table)[1:]:
        columns = ", ".join(q(c) for c in group)
        first = group[0]
        col = table.column(first)
        assert col.references
        if group == ("programme_id", "local_authority_code"):
            lookup = (
                "(SELECT programme_id, unnest(codes) AS code FROM rec_programme_areas) AS p "
                "ON p.programme_id = f.programme_id AND p.code = f.local_authority_code"
            )
            missing = "p.programme_id IS NULL"
        elif group == ("framework_id", "point_number"):
            lookup = "rec_points AS p ON p.framework_id = f.framework_id AND p.point_number = f.point_number"
            missing = "p.framework_id IS NULL"
        elif first == "activity_id" and "after_activity" in table.checks:
            lookup = "rec_activity_dates AS p ON p.activity_id = f.activity_id"
            early = " OR ".join(f"f.{q(c)} < p.activity_date" for c in group[1:])
            missing = f"f.activity_id IS NOT NULL AND (p.activity_id IS NULL OR {early})"
        else:
            lookup = f"{good_keys_table(col.references)} AS p ON p.key = f.{q(first)}"
            missing = f"f.{q(first)} IS NOT NULL AND p.key IS NULL"
        tests.append(
            f"NOT EXISTS (SELECT 1 FROM (SELECT DISTINCT {columns} FROM {scanned}) AS f LEFT JOIN {lookup} "
            f"WHERE {missing})"
        )
    hashes = f"SELECT {KEY_HASH}({keys}) AS h FROM {scanned} WHERE {not_null}"
    distinct = f"NOT EXISTS (SELECT 1 FROM (SELECT h, lag(h) OVER (ORDER BY h) AS p FROM ({hashes})) WHERE h = p)"
    return "SELECT " + "\n   AND ".join(tests) + f" AS clean,\n   {distinct} AS distinct"
