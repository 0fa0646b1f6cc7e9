"""docs/warehouse.md is the analysts' contract; this reads its tables and columns so the published
warehouse carries the same words as COMMENT ON, and so a test can hold the two together.

A table is documented by a heading `### `marts.<table>`` followed by a paragraph (the table's
comment) and a column table whose first cell names one or more columns in backticks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "warehouse.md"
HEADING = re.compile(r"^#{2,4} `marts\.(\w+)`", re.M)
ROW = re.compile(r"^\|([^|\n]*)\|(.*)\|\s*$")
CODE = re.compile(r"`([a-z_][a-z0-9_]*)`")


@dataclass
class TableDoc:
    name: str
    description: str
    columns: dict[str, str] = field(default_factory=dict)


def _plain(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: keep their words
    return " ".join(text.replace("`", "").replace("**", "").split())


def table_docs(path: Path = DOC) -> dict[str, TableDoc]:
    text = path.read_text()
    heads = list(HEADING.finditer(text))
    out: dict[str, TableDoc] = {}
    for i, head in enumerate(heads):
        body = text[head.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        body = re.split(r"^#{1,3} (?!`marts\.)", body, maxsplit=1, flags=re.M)[0]  # stop at the next section
        paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
        prose = next((p for p in paragraphs if not p.lstrip().startswith(("|", "```"))), "")
        doc = TableDoc(head.group(1), _plain(prose))
        for table in _column_tables(body):
            for first, rest in table:
                for column in CODE.findall(first):
                    doc.columns.setdefault(column, _plain(rest.replace("|", ";")))
        out[doc.name] = doc
    return out


def _column_tables(body: str) -> list[list[tuple[str, str]]]:
    """Markdown tables whose header's first cell is 'column', as (first cell, the rest) rows."""
    tables, lines = [], body.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|"):
            block = []
            while i < len(lines) and lines[i].startswith("|"):
                block.append(lines[i])
                i += 1
            rows = [ROW.match(line).groups() for line in block if ROW.match(line)]
            if rows and rows[0][0].strip() == "column":
                tables.append([r for r in rows[1:] if not set(r[0].strip()) <= set("-: ")])
        i += 1
    return tables


def quote_comment(text: str) -> str:
    """COMMENT ON takes no bound parameters; the text is ours (docs/warehouse.md), quoted anyway."""
    return "'" + text.replace("'", "''") + "'"


def comment_statements(catalog: str, docs: dict[str, TableDoc], columns: dict[str, list[str]]) -> list[str]:
    """COMMENT ON for each published table and column that the docs describe."""
    statements = []
    for table, names in columns.items():
        doc = docs.get(table)
        if doc is None:
            continue
        target = f'{catalog}.marts."{table}"'
        if doc.description:
            statements.append(f"COMMENT ON TABLE {target} IS {quote_comment(doc.description)}")
        for column in names:
            if column in doc.columns:
                statements.append(f'COMMENT ON COLUMN {target}."{column}" IS {quote_comment(doc.columns[column])}')
    return statements
