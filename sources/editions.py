"""One edition per table: for each indicator group and period, every figure comes from one edition.

Publishers restate earlier periods in later editions (a revised mid-2022 population, a final FYE
2021 after a provisional one) and change boundaries between them, so mixing editions within a
period double counts merged areas and pairs a revised total with a superseded breakdown. For each
edition group (indicators published together in one table, e.g. all-ages and working-age
population) and period, the newest edition that covers the period supplies all of its figures; the
older editions' figures for that period are dropped, and the choice is returned as a table for
provenance (landing.source_editions, marts.source_editions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from .tidy import TIDY_COLUMNS, to_tidy

EDITION_COLUMNS = [
    "source_id",
    "edition_group",
    "release",
    "release_date",
    "edition_rank",
    "used",
    "periods_used",
    "periods_superseded",
    "rows_used",
    "rows_superseded",
]

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class Edition:
    """A release a parser read: its label (the rows' `release`) and publication date when known."""

    release: str
    published: date | None = None
    periods: tuple[str, ...] = ()  # periods it covers, for the record when a parser set it aside


def nomis_years_since(latest_year: int, first_year: int) -> str:
    """Nomis's date selection for every year from first_year to the latest ('latestMINUSn-latest'):
    how a back-fill asks Nomis for a series without naming years Nomis may not hold yet."""
    back = latest_year - first_year
    return f"latestMINUS{back}-latest" if back > 0 else "latest"


def published_date(value) -> date | None:
    """A publication date from a cell or a line of text ('published at 9.30am 15 July 2024')."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for day, month, year in DAY_MONTH_YEAR.findall(str(value or "")):
        number = MONTHS.get(month.lower())
        if number:
            try:
                return date(int(year), number, int(day))
            except ValueError:
                continue
    return None


# ONS keeps each earlier version of an edition at <edition>/previous/vN; its rows carry the edition's
# label with this suffix (sources/catalogue.py), so the current version always outranks them.
PREVIOUS_VERSION = re.compile(r"\s*\(previous version (v(\d+))\)\s*$", re.I)


def previous_version(release: str | None) -> str | None:
    """'v1' for '2022 revised (previous version v1)'; None for a current version."""
    match = PREVIOUS_VERSION.search(str(release or ""))
    return match.group(1).lower() if match else None


def label_rank(release: str) -> tuple:
    """Order of two releases from their labels alone: newest data year, then final beats revised
    beats provisional, then an edition's current version beats its previous versions (v2 beats v1).
    Used where the publication dates do not decide."""
    text = str(release).lower()
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", text)]
    stage = 3 if "final" in text else 2 if "revised" in text else 0 if "provisional" in text else 1
    match = PREVIOUS_VERSION.search(text)
    version = int(match.group(2)) if match else 1 << 30
    return (max(years) if years else -1, stage, version, text)


def rank_key(release: str, published: dict[str, date | None]) -> tuple:
    """A known publication date beats an unknown one; then the later date; then the label."""
    when = published.get(release)
    return (when is not None, when or date.min, label_rank(release))


def one_edition_per_period(
    source_id: str, values: pd.DataFrame, aggregates: pd.DataFrame, editions: list[Edition], groups: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(values, aggregates, editions table, former areas) with, per edition group and period, only
    the rows of the newest edition present. `groups` maps indicator_id to its edition group
    (default: itself). `former areas` are superseded local-authority rows of areas the chosen
    edition does not have (abolished since): never published, but a harmonisation weight."""
    import pandas as pd

    published = {e.release: e.published for e in editions}
    rows = pd.concat(
        [values[TIDY_COLUMNS].assign(_part="values"), aggregates[TIDY_COLUMNS].assign(_part="aggregates")],
        ignore_index=True,
    )
    if rows.empty:
        return values, aggregates, pd.DataFrame(columns=EDITION_COLUMNS), values.iloc[0:0]
    rows["_release"] = rows["release"].fillna("").astype(str)
    rows["_group"] = rows["indicator_id"].map(lambda i: groups.get(i, i))
    releases = sorted(set(rows["_release"]), key=lambda r: rank_key(r, published))
    order = {r: i for i, r in enumerate(releases)}
    rows["_rank"] = rows["_release"].map(order)
    newest = rows.groupby(["_group", "period"], dropna=False)["_rank"].transform("max")
    rows["_used"] = rows["_rank"] == newest

    table = []
    for (group, release), part in rows.groupby(["_group", "_release"], sort=True):
        used, dropped = part[part["_used"]], part[~part["_used"]]
        table.append(
            {
                "source_id": source_id,
                "edition_group": group,
                "release": release or None,
                "release_date": published.get(release),
                "edition_rank": order[release],
                "used": bool(len(used)),
                "periods_used": _periods(used),
                "periods_superseded": _periods(dropped),
                "rows_used": len(used),
                "rows_superseded": len(dropped),
            }
        )
    for edition in editions:  # read, but a newer edition restates every period it had
        if edition.release not in order:
            table.append(
                {
                    "source_id": source_id,
                    "edition_group": None,
                    "release": edition.release,
                    "release_date": edition.published,
                    "edition_rank": None,
                    "used": False,
                    "periods_used": None,
                    "periods_superseded": ", ".join(edition.periods) or None,
                    "rows_used": 0,
                    "rows_superseded": 0,
                }
            )
    kept = rows[rows["_used"]]
    out = [to_tidy(kept[kept["_part"] == p][TIDY_COLUMNS]) for p in ("values", "aggregates")]
    dropped = rows[~rows["_used"] & (rows["_part"] == "values")]
    where = ["_group", "period", "area_code"]  # areas the chosen edition has for that period
    former = dropped[~pd.MultiIndex.from_frame(dropped[where]).isin(pd.MultiIndex.from_frame(kept[where]))]
    former = former.sort_values("_rank", ascending=False).drop_duplicates(
        ["indicator_id", "period", "area_code"]
    )  # the newest superseded edition of each
    return out[0], out[1], pd.DataFrame(table, columns=EDITION_COLUMNS), to_tidy(former[TIDY_COLUMNS])


def _periods(part: pd.DataFrame) -> str | None:
    periods = sorted(set(part["period"].dropna().astype(str)))
    return ", ".join(periods) if periods else None
