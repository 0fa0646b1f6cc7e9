"""SQL identifiers: DuckDB binds values as parameters but never names, so the few names spliced into
SQL (schemas, tables and columns of our own data model, from code, never from data or user text) are
checked and quoted here, in one place."""

from __future__ import annotations


def quote_ident(name: str) -> str:
    """A name of letters, digits and underscores, double-quoted; anything else is refused."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unsafe identifier {name!r}")
    return '"' + name + '"'


def qualified(schema: str, table: str) -> str:
    return quote_ident(schema) + "." + quote_ident(table)


def swap_in_staged(con, schema: str, table: str) -> None:
    """schema.<table>__next, fully built, replaces schema.<table> (in the caller's transaction, if any)."""
    con.execute("DROP TABLE IF EXISTS " + qualified(schema, table))
    con.execute("ALTER TABLE " + qualified(schema, table + "__next") + " RENAME TO " + quote_ident(table))
