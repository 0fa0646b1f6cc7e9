"""What a cell looks like to people: blank or not, allowed values matched loosely, and what a column accepts.

The typed reading of every cell is SQL (validation.py); these helpers serve the header search and
the messages, which say what each column allows.
"""

from __future__ import annotations

import math
import re

from .model import LIST_SEPARATOR, Column


def is_blank(value) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and math.isnan(value))
    )


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
        assert col.references, "a reference column names its target"
        table, key = col.references.split(".")
        what = f"{'an' if key[0] in 'aeiou' else 'a'} {key} listed on the {table} sheet"
    elif col.kind == "id":
        what = "a short id (up to 200 characters), used once across all records files"
    else:
        what = "text (up to 200 characters)"
    if col.many:
        what = "one or more of " + what.removeprefix("one of: ") + f", separated by '{LIST_SEPARATOR}'"
    return what + ("" if col.required else "; may be left empty")


def canonical_code(value) -> str:
    """Choices match ignoring case, spaces and hyphens: 'Agenda setting' -> 'agenda_setting'."""
    return re.sub(r"[\s\-]+", "_", str(value).strip().lower())
