"""How current each source's figures are, in plain words for boards (marts.sources).

"Up to date" used to mean only that the last read did not fail. A board needs three things: the
period the figures are for, the publisher's release (title and date), and whether that release is
known to be the newest one ("latest release", "a newer release exists (date)", or "not checked
against the publisher" for a mirror copy). When the last update of a source failed, the page says
in plain words that its figures are from an earlier update and when: never the operator's error.

The currency columns (release_title, release_date, currency, newest_release_title,
newest_release_date, currency_checked_at, withdrawn_releases) come from the editions step; a warehouse without them
reads as "not checked against the publisher".
"""

from __future__ import annotations

import re

import pandas as pd

from . import text

CURRENCY_WORDS = {
    "latest": "Latest release",
    "behind": "A newer release exists",
    "not_checked": "Not checked against the publisher",
    "withdrawn": "Withdrawn by the publisher: these figures are from a release it has withdrawn",
}
# Edition codes (e.g. "CI1 2.0") mean nothing to a board: they stay in the build metadata.
EDITION_CODE = re.compile(r"\b[A-Z]{1,4}\d+ \d+(?:\.\d+)*\b;?\s*")
DATASET_CODE = re.compile(r"\s*\([^()]*\b[A-Z]{2,}_[0-9_]+[^()]*\)")  # '(Nomis NM_2002_1, ...)'


def when(value) -> str:
    """'4 March 2026' from a date or timestamp ('' when missing)."""
    if text.is_missing(value) or value == "":
        return ""
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return str(value)
    if pd.isna(stamp):  # a NULL DATE column read through pandas is NaT
        return ""
    return f"{stamp.day} {stamp.strftime('%B %Y')}"


def release_words(row: dict) -> str:
    """The release loaded: its title and date, e.g. 'Rough sleeping snapshot in England: autumn 2022
    (published 28 February 2023)'."""
    title = row.get("release_title")
    title = _plain_releases(row.get("releases") if text.is_missing(title) or not str(title).strip() else title)
    date = when(row.get("release_date"))
    if title and date and "published" not in title.lower():  # some titles already carry their date
        return f"{title} (published {date})"
    return title or (f"Published {date}" if date else "Not recorded")


def behind_words(row: dict) -> str:
    """'2 releases behind' from releases_behind ('' when it is not known)."""
    count = row.get("releases_behind")
    if text.is_missing(count) or not str(count).strip():
        return ""
    n = int(float(count))
    return f"{n} release{'' if n == 1 else 's'} behind" if n > 0 else ""


def currency_words(row: dict) -> str:
    """'Latest release (checked 1 December 2026)', '2 releases behind: a newer release exists
    (Autumn 2024, published 27 February 2025)' or 'Not checked against the publisher'."""
    currency = row.get("currency")
    currency = "not_checked" if text.is_missing(currency) else str(currency)
    words = CURRENCY_WORDS.get(currency, CURRENCY_WORDS["not_checked"])
    withdrawn = _str(row.get("withdrawn_releases"))
    gone = f"; withdrawn by the publisher and not used: {withdrawn}" if withdrawn and currency != "withdrawn" else ""
    if currency == "latest":
        checked = when(row.get("currency_checked_at"))
        return (f"{words} (checked {checked})" if checked else words) + gone
    if currency == "behind":
        newest = ", ".join(
            x
            for x in (
                _str(row.get("newest_release_title")),
                f"published {when(row.get('newest_release_date'))}" if when(row.get("newest_release_date")) else "",
            )
            if x
        )
        words = f"{words} ({newest})" if newest else words
        count = behind_words(row)
        return (f"{count}: {words[0].lower()}{words[1:]}" if count else words) + gone
    if currency == "withdrawn":
        return f"{words} ({withdrawn})" if withdrawn else words
    return words


def update_words(row: dict) -> str:
    """'' when the last update worked; else that the figures are from an earlier update, and when."""
    status = str(row.get("status") or "").lower()
    if status in ("ok", "fresh", ""):
        return ""
    last = when(row.get("last_success_at")) or when(row.get("retrieved_at"))
    if status == "never_run":
        return "Not loaded yet."
    if last:
        return f"These figures are from an earlier update ({last}): the latest update could not be read."
    return "The latest update could not be read, and no earlier figures are available."


def period_words(values: pd.DataFrame, source_id: str) -> str:
    """The latest period of the source's figures on the site and its earliest, e.g. '2022 (earliest 2010)'."""
    return periods_by_source(values).get(source_id, "")


def periods_by_source(values: pd.DataFrame | None) -> dict[str, str]:
    """{source_id: '2022 (earliest 2010)'} in one pass over the values (first and last period with a value)."""
    if values is None or values.empty or "source_id" not in values:
        return {}
    rows = values[values["value"].notna()].sort_values(["period_end", "period"])
    out = {}
    for source_id, group in rows.groupby("source_id", sort=False):
        first, last = str(group["period"].iloc[0]), str(group["period"].iloc[-1])
        out[source_id] = last if first == last else f"{last} (earliest {first})"
    return out


def periods_by_area(values: pd.DataFrame | None) -> dict[str, dict[str, str]]:
    """{area_code: periods_by_source(that area's values)} for every area, in one sort of the table."""
    if values is None or values.empty or "source_id" not in values:
        return {}
    rows = values[values["value"].notna()].sort_values(["area_code", "period_end", "period"])
    period = rows["period"].to_numpy()
    out: dict[str, dict[str, str]] = {}
    for (area, source_id), at in rows.groupby(["area_code", "source_id"], sort=False).indices.items():
        first, last = str(period[at[0]]), str(period[at[-1]])
        out.setdefault(area, {})[source_id] = last if first == last else f"{last} (earliest {first})"
    return out


def _plain_releases(value) -> str:
    if text.is_missing(value):
        return ""
    if not isinstance(value, str):
        value = "; ".join(str(v) for v in value)
    value = value.strip("[]").replace('"', "")
    plain = DATASET_CODE.sub("", EDITION_CODE.sub("", value)).strip(" ;,")
    if not plain and EDITION_CODE.search(value):  # only codes such as 'CI1 2.0; CI4 3.0': name the versions
        versions = sorted({m.group(0).split(" ")[1].rstrip(";").strip() for m in EDITION_CODE.finditer(value)})
        plain = f"{'Version' if len(versions) == 1 else 'Versions'} {' and '.join(versions)}"
    return plain


def _str(value) -> str:
    return "" if text.is_missing(value) else str(value)


def page_note(sources: pd.DataFrame) -> str:
    """One sentence under a page's summary on how current its figures are."""
    if sources is None or sources.empty:
        return ""
    rows = sources.to_dict("records")
    earlier = [r.get("title") or r["source_id"] for r in rows if update_words(r)]
    behind = [r for r in rows if str(r.get("currency")) == "behind"]
    withdrawn = [r for r in rows if str(r.get("currency")) == "withdrawn"]
    unchecked = [r for r in rows if text.is_missing(r.get("currency")) or str(r.get("currency")) == "not_checked"]
    parts = []
    if earlier:
        parts.append(
            "Some figures are from an earlier update because the latest could not be read: " + "; ".join(earlier) + "."
        )
    for r in withdrawn:
        parts.append(
            f"The publisher has withdrawn the release of {r.get('title') or r['source_id']} these figures are "
            "from; they are shown until a replacement can be read."
        )
    for r in behind:
        newest = when(r.get("newest_release_date"))
        count = behind_words(r)
        parts.append(
            f"A newer release of {r.get('title') or r['source_id']} exists"
            + (f" ({newest})" if newest else "")
            + (f": these figures are {count}." if count else ": these figures are from the one before.")
        )
    if unchecked and len(unchecked) == len(rows):
        parts.append(
            "Each figure is from the release named under \u201cAbout this data\u201d; we have not "
            "checked with the publishers whether a newer release exists."
        )
    elif unchecked:
        parts.append(
            "For "
            + "; ".join(r.get("title") or r["source_id"] for r in unchecked)
            + ", we have not checked with the publisher whether a newer release exists."
        )
    elif not behind and not earlier and not withdrawn:
        parts.append("Each figure is from the publisher's latest release.")
    return " ".join(parts)
