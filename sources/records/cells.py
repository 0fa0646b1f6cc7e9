"""Turning one cell (from openpyxl or a CSV) into a typed value, or saying what is wrong with it."""
from __future__ import annotations

import datetime as dt
import math
import re

from .model import LAD_PATTERN, LIST_SEPARATOR, Column


class CellProblem(Exception):
    """What is wrong with a cell; the caller adds where it is and what is allowed."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        self.message = message
        super().__init__(message)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def show(value, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "...")


def allowed(col: Column) -> str:
    """Plain-English description of what a column accepts."""
    if col.kind in ("integer", "number"):
        what = "a whole number" if col.kind == "integer" else "a number"
        if col.minimum is not None and col.maximum is not None:
            what += f" from {col.minimum:g} to {col.maximum:g}"
        elif col.minimum is not None:
            what += f" of at least {col.minimum:g}"
    elif col.kind == "date":
        what = "a date, e.g. 2024-04-01 or 01/04/2024"
    elif col.kind == "yes_no":
        what = "yes or no"
    elif col.kind == "choice":
        what = "one of: " + ", ".join(col.choices)
    elif col.kind == "lad_code":
        what = "an English local authority GSS code such as E06000018 (Nottingham)"
    elif col.kind == "reference":
        table, key = col.references.split(".")
        what = f"{'an' if key[0] in 'aeiou' else 'a'} {key} listed on the {table} sheet"
    elif col.kind == "id":
        what = "a short id (up to 200 characters), used once across all records files"
    else:
        what = "text (up to 200 characters)"
    if col.many:
        what = "one or more of " + what.removeprefix("one of: ") + f", separated by '{LIST_SEPARATOR}'"
    return what + ("" if col.required else "; may be left empty")


def _number(value, col: Column) -> float:
    if isinstance(value, bool):
        raise CellProblem("wrong_type", f"{show(value)} is not a number")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "").lstrip("£").strip()
        try:
            number = float(text)
        except ValueError:
            raise CellProblem("wrong_type", f"{show(value)} is not a number") from None
    if not math.isfinite(number):
        raise CellProblem("wrong_type", f"{show(value)} is not a finite number")
    if col.kind == "integer" and not number.is_integer():
        raise CellProblem("wrong_type", f"{show(value)} is not a whole number")
    if (col.minimum is not None and number < col.minimum) or (col.maximum is not None and number > col.maximum):
        raise CellProblem("out_of_range", f"{number:g} is out of range")
    return int(number) if col.kind == "integer" else number


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y", "%Y/%m/%d", "%d %b %Y", "%d %B %Y")


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    text = re.sub(r"[T ]00:00(:00)?$", "", text)
    for fmt in _DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2100:
            return parsed
    raise CellProblem("wrong_type", f"{show(value)} is not a date")


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def _yes_no(value) -> bool:
    text = str(value).strip().lower()
    if isinstance(value, bool):
        return value
    if text in _YES or text == "1.0":
        return True
    if text in _NO or text == "0.0":
        return False
    raise CellProblem("wrong_type", f"{show(value)} is not yes or no")


def canonical_code(value) -> str:
    """Choices match ignoring case, spaces and hyphens: 'Agenda setting' -> 'agenda_setting'."""
    return re.sub(r"[\s\-]+", "_", str(value).strip().lower())


def _single(value, col: Column):
    kind = col.kind
    if kind in ("integer", "number"):
        return _number(value, col)
    if kind == "date":
        return _date(value)
    if kind == "yes_no":
        return _yes_no(value)
    if kind == "choice":
        code = canonical_code(value)
        if code not in col.choices:
            raise CellProblem("unknown_value", f"{show(value)} is not an allowed value")
        return code
    if kind == "lad_code":
        code = str(value).strip().upper()
        if not LAD_PATTERN.match(code):
            raise CellProblem("unknown_code", f"{show(value)} is not a local authority GSS code")
        return code
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as a number: 12 not '12.0'
    if isinstance(value, (dt.datetime, dt.date)):
        raise CellProblem("wrong_type", f"{show(value)} is a date, not text")
    text = str(value).strip()
    if len(text) > 200:
        raise CellProblem("too_long", f"text of {len(text)} characters is too long (at most 200)")
    return text


def convert(value, col: Column):
    """The typed value of a non-blank cell; a list for many-valued columns. Raises CellProblem."""
    if not col.many:
        return _single(value, col)
    parts = [p for p in str(value).split(LIST_SEPARATOR) if p.strip()]
    if not parts:
        raise CellProblem("missing_required", "no values")
    values = [_single(p, col) for p in parts]
    return list(dict.fromkeys(values))
