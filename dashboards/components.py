"""Reusable HTML pieces. Every data string passes through esc(); ids and classes are our own."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from sources.base import OGL

from . import text


def esc(value) -> str:
    return "" if text.is_missing(value) else html.escape(str(value), quote=True)


@dataclass(frozen=True)
class Column:
    header: str
    numeric: bool = False


def data_table(table_id: str, caption: str, columns: list[Column], rows: list[list[str]]) -> str:
    """An accessible table: <caption>, column headers, and the first cell of each row as a row header.

    It sits in a focusable, labelled region so it can scroll sideways on a phone.
    """
    head = "".join(f'<th scope="col"{_num(c)}>{esc(c.header)}</th>' for c in columns)
    body = []
    for row in rows:
        cells = [f'<th scope="row">{esc(row[0])}</th>']
        cells += [f"<td{_num(c)}>{esc(v)}</td>" for c, v in zip(columns[1:], row[1:])]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        table_wrap(table_id, len(columns))
        + f'<table id="{table_id}"{_wide(len(columns))}><caption id="{table_id}-caption">{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


SCROLL_CUE = '<p class="scroll-cue" aria-hidden="true">Scroll the table sideways to see every column \u2192</p>'


def table_wrap(table_id: str, n_columns: int) -> str:
    """The opening of a table's scrolling region; on a phone a wide table scrolls with a visible cue."""
    return (
        SCROLL_CUE if n_columns >= 4 else ""
    ) + f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{table_id}-caption">'


def _wide(n_columns: int) -> str:
    return ' class="wide"' if n_columns >= 4 else ""


def collapsible(summary: str, inner: str, open_: bool = False) -> str:
    return f"<details{' open' if open_ else ''}><summary>{esc(summary)}</summary>{inner}</details>"


def chart_figure(fig_id: str, title: str, chart_html: str, description: str, kind: str = "line") -> str:
    """A chart with its data-generated text alternative: the plot is one image described by the caption.

    kind ('map' or 'line') picks the CSS height rule, so charts shrink on small screens.
    """
    return (
        f'<figure class="chart" aria-labelledby="{fig_id}-title">'
        f'<h3 id="{fig_id}-title">{esc(title)}</h3>'
        f'<div class="plot plot-{kind}" role="img" aria-label="{esc(title)}" '
        f'aria-describedby="{fig_id}-desc">{chart_html}</div>'
        f'<figcaption id="{fig_id}-desc">{esc(description)}</figcaption></figure>'
    )


def notice(message: str, kind: str = "info") -> str:
    return f'<p class="notice notice-{kind}">{esc(message)}</p>'


def download_link(href: str, label: str) -> str:
    return f'<p class="download"><a href="{esc(href)}" download>{esc(label)}</a> (CSV)</p>'


def example_banner() -> str:
    return (
        '<div class="banner" role="note" aria-label="Example data warning"><strong>Example data.</strong> '
        "The co-production figures, Place Standard results, Inclusion Reports, pillar B and IG+ scores "
        "on this site come from made-up "
        "example records, not from real programmes: do not quote them. The public statistics "
        "(rough sleeping, pay, poverty, social mobility) are real.</div>"
    )


def about_sources(
    sources: pd.DataFrame,
    build_info: dict[str, str],
    values: pd.DataFrame | None = None,
    periods: dict[str, str] | None = None,
) -> str:
    """periods: {source_id: period words} when the caller has them (else worked out from values)."""
    from . import currency

    items = []
    periods = currency.periods_by_source(values) if periods is None else periods
    for row in sources.to_dict("records"):
        lines = [f"<h3>{esc(row.get('title') or row['source_id'])}</h3><dl>"]
        period = periods.get(row["source_id"], "")
        if period:
            lines.append(_pair("Figures for", period))
        lines += [
            _pair("Release used", currency.release_words(row)),
            _pair("Newest release?", currency.currency_words(row)),
            _pair("Retrieved", currency.when(row.get("retrieved_at"))),
        ]
        note = currency.update_words(row)
        if note:
            lines.append(_pair("Note", note))
        lines.append(f'</dl><p class="licence">{linkify(esc(licence_text(row.get("licence"))))}</p>')
        items.append(f"<li>{''.join(lines)}</li>")
    listing = (
        f'<ul class="sources">{"".join(items)}</ul>'
        if items
        else ("<p>No source details were recorded in this build.</p>")
    )
    built = build_info.get("built_at", "")
    built_line = f"<p>This site was built on {esc(currency.when(built) or built)}.</p>" if built else ""
    return (
        f'<section aria-labelledby="about-title" class="about"><h2 id="about-title">About this data</h2>'
        f"{listing}{built_line}</section>"
    )


def licence_text(licence) -> str:
    """The licence as recorded; a bare OGL code is expanded to the full attribution statement."""
    recorded = "" if text.is_missing(licence) else str(licence)
    if "ogl" in recorded.lower() and "open government licence" not in recorded.lower():
        return OGL
    return recorded


def linkify(escaped: str) -> str:
    """Turn web addresses in already-escaped text into links (visiting them is the reader's choice)."""
    return re.sub(r"(https?://[^\s)<]+[^\s).,<])", r'<a href="\1">\1</a>', escaped)


def _pair(term: str, value) -> str:
    return f"<dt>{esc(term)}</dt><dd>{esc(value) or 'Not recorded'}</dd>"


def _num(column: Column) -> str:
    return ' class="num"' if column.numeric else ""
