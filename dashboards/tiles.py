"""One tile per indicator on an area page: latest value, change, comparisons and a small trend."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import svg, text, words
from .components import Column, collapsible, data_table, esc
from .data import ENGLAND, SiteData

TABLE_COLUMNS = [
    "area_code",
    "area_name",
    "indicator_id",
    "title",
    "period",
    "value",
    "unit",
    "lower_ci",
    "upper_ci",
    "observation_status",
    "basis",
    "basis_area_code",
    "basis_area_name",
    "basis_note",
    "england_value",
    "region_value",
    "neighbours_value",
    "neighbours_used",
    "neighbours_total",
    "source_id",
    "release",
]


# The "similar areas" average is given only when at least this share of an area's statistical
# neighbours have a figure of their own for that indicator and period: the mean of one or two of
# ten neighbours (most districts' social mobility figures are their county's) is not theirs.
MIN_NEIGHBOURS_SHARE = 0.5


def neighbours_of(sd: SiteData, code: str) -> list[str]:
    table = sd.table("statistical_neighbours")
    if table is None or table.empty:
        return []
    if "neighbours_of" not in sd.cache:  # one split of the table per build, not a scan per call
        sd.cache["neighbours_of"] = {}
        sd.cache["neighbours_by_area"] = dict(tuple(table.groupby("area_code", sort=False)))
    found = sd.cache["neighbours_of"]
    if code not in found:
        rows = sd.cache["neighbours_by_area"].get(code, table.iloc[0:0])
        if "year" in rows and len(rows):
            rows = rows[rows["year"] == rows["year"].max()]  # the latest neighbour set
        rows = rows.sort_values("neighbour_rank")
        found[code] = rows["neighbour_code"].tolist()
    return list(found[code])


def comparison_areas(sd: SiteData, code: str) -> dict[str, str | None]:
    area = sd.area(code)
    region = area.get("region_code") if area.get("area_type") != "region" else None
    return {
        "england": None if code == ENGLAND else ENGLAND,
        "region": None if text.is_missing(region) or region == code else region,
    }


def indicator_table(sd: SiteData, code: str) -> pd.DataFrame:
    """Every period of every available indicator for the area, with England, region and neighbours."""
    batch = sd.cache.get("indicator_tables")
    if batch is not None and code in batch[1]:  # cut from indicator_tables' frame of every area
        start, n = batch[1][code]
        return batch[0].iloc[start : start + n].reset_index(drop=True)
    own = sd.series(code)
    if own.empty:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    own = own[own["indicator_id"].isin(sd.indicators["indicator_id"])]
    keys = ["indicator_id", "period"]
    refs = comparison_areas(sd, code)
    pairs = list(zip(own["indicator_id"], own["period"]))
    for label, ref in (("england_value", refs["england"]), ("region_value", refs["region"])):
        lookup = _values_by_key(sd, ref) if ref else None
        if ref is None:  # as a left merge with an empty, untyped frame gives: an object column of NaN
            own = own.assign(**{label: pd.Series([np.nan] * len(own), index=own.index, dtype=object)})
        elif lookup is not None:
            own = own.assign(**{label: np.array([lookup.get(k, np.nan) for k in pairs], dtype=float)})
        else:  # keys repeated or missing in the other area's rows: a merge says what that means
            other = sd.series(ref)
            own = own.merge(other[keys + ["value"]].rename(columns={"value": label}), on=keys, how="left")
            pairs = list(zip(own["indicator_id"], own["period"]))
    neighbours = neighbours_of(sd, code)
    if neighbours:
        near = _neighbours_mean(sd, code, neighbours)
        own = own.assign(
            neighbours_value=np.array([near.get(k, (np.nan, 0))[0] for k in pairs], dtype=float),
            neighbours_used=np.array([near.get(k, (np.nan, 0))[1] for k in pairs], dtype=float),
            neighbours_total=float(len(neighbours)),
        )
    else:
        own = own.assign(neighbours_value=None, neighbours_used=None, neighbours_total=None)
    titles = dict(zip(sd.indicators["indicator_id"], sd.indicators["title"]))
    name = sd.name(code)
    notes = _basis_notes(own, name)
    own = own.assign(area_name=name, title=own["indicator_id"].map(titles), basis_note=notes)
    return own[TABLE_COLUMNS].reset_index(drop=True)


def indicator_tables(sd: SiteData, codes: list[str]) -> tuple[pd.DataFrame, dict[str, tuple[int, int]]]:
    """indicator_table of many areas at once: one frame with each area's rows together, and each
    area's (first row, number of rows). The values are indicator_table's; a comparison missing for
    a whole column is NaN here where indicator_table gives an object column of NaN or None.

    Left out, for indicator_table to make one by one: areas without rows of an available indicator,
    and areas whose England or region rows repeat a key (a merge decides what those mean)."""
    england = _values_by_key(sd, ENGLAND)
    if england is None:
        return pd.DataFrame(columns=TABLE_COLUMNS), {}
    values = sd.values
    rows_of = values.groupby("area_code", sort=False).indices
    available = values["indicator_id"].isin(sd.indicators["indicator_id"]).to_numpy()
    indicator, period = values["indicator_id"].to_numpy(), values["period"].to_numpy()
    positions, spans = [], {}
    columns: dict[str, list] = {
        "england_value": [],
        "region_value": [],
        "neighbours_value": [],
        "neighbours_used": [],
        "neighbours_total": [],
    }
    names, notes = [], []
    start = 0
    for code in codes:
        at = rows_of.get(code)
        if at is None or code in spans:
            continue
        at = at[available[at]]
        refs = comparison_areas(sd, code)
        region = _values_by_key(sd, refs["region"]) if refs["region"] else {}
        if not len(at) or region is None:
            continue
        pairs = list(zip(indicator[at], period[at]))
        neighbours = neighbours_of(sd, code)
        near = _neighbours_mean(sd, code, neighbours) if neighbours else {}
        lookups = {
            "england_value": england if refs["england"] else {},
            "region_value": region,
        }
        for label, lookup in lookups.items():
            columns[label].append(np.array([lookup.get(k, np.nan) for k in pairs], dtype=float))
        columns["neighbours_value"].append(np.array([near.get(k, (np.nan, 0))[0] for k in pairs], dtype=float))
        columns["neighbours_used"].append(
            np.array([near.get(k, (np.nan, 0))[1] if neighbours else np.nan for k in pairs], dtype=float)
        )
        columns["neighbours_total"].append(np.full(len(at), float(len(neighbours)) if neighbours else np.nan))
        name = sd.name(code)
        names += [name] * len(at)
        notes += _basis_notes(values.iloc[at], name)
        positions.append(at)
        spans[code] = (start, len(at))
        start += len(at)
    if not spans:
        return pd.DataFrame(columns=TABLE_COLUMNS), {}
    titles = dict(zip(sd.indicators["indicator_id"], sd.indicators["title"]))
    table = values.take(np.concatenate(positions))
    table = table.assign(
        **{label: np.concatenate(parts) for label, parts in columns.items()},
        area_name=names,
        title=table["indicator_id"].map(titles),
        basis_note=notes,
    )
    return table[TABLE_COLUMNS].reset_index(drop=True), spans


def _basis_notes(rows: pd.DataFrame, name: str) -> list[str]:
    """words.basis_note of each row, a pooled figure with how many of the grouping's local
    authorities it comes from (marts.area_values' coverage, as the site reads it)."""
    missing = [None] * len(rows)
    used, total, share = (
        rows[c].tolist() if c in rows else missing
        for c in ("members_used", "members_total", "coverage_population_share")
    )
    return [
        words.basis_note(b, n, name, used=u, total=t, population_share=p, has_value=not text.is_missing(v))
        for b, n, u, t, p, v in zip(rows["basis"], rows["basis_area_name"], used, total, share, rows["value"])
    ]


def _values_by_key(sd: SiteData, code: str) -> dict | None:
    """(indicator_id, period) -> value of one area, made once per build; None when a key repeats or
    is missing (then the caller merges, as pandas defines it)."""
    key = ("values_by_key", code)
    if key not in sd.cache:
        rows = sd.series(code)
        pairs = list(zip(rows["indicator_id"], rows["period"]))
        clean = len(set(pairs)) == len(pairs) and not rows[["indicator_id", "period"]].isna().any().any()
        sd.cache[key] = dict(zip(pairs, rows["value"].astype(float))) if clean else None
    return sd.cache[key]


def _neighbours_mean(sd: SiteData, code: str, neighbours: list[str]) -> dict:
    """(indicator_id, period) -> (mean, n): the mean of the neighbours' own figures (never a county's)
    and how many neighbours have one, for one area; the mean is NaN when fewer than
    MIN_NEIGHBOURS_SHARE of its neighbours have a figure. Worked out for every area in one groupby
    the first time: each group's values are in the same order (neighbour by neighbour) as a
    per-area concat would give, so the means are identical."""
    if "neighbours_mean" not in sd.cache:
        table = sd.table("statistical_neighbours")
        areas = table["area_code"].drop_duplicates().tolist() if table is not None else []
        rows_of = sd.values.groupby("area_code", sort=False).indices  # positions, in sd.series' order
        parts, owners, how_many = [], [], {}
        for area in areas:
            listed = neighbours_of(sd, area) if area != code else neighbours
            how_many[area] = len(listed)
            for n in listed:
                if n in rows_of:
                    parts.append(rows_of[n])
                    owners.append(np.full(len(rows_of[n]), area, dtype=object))
        positions = np.concatenate(parts) if parts else np.array([], dtype=int)
        near = sd.values.take(positions).assign(for_area=np.concatenate(owners) if owners else [])
        near = near[(near["basis"] != "inherited") & near["value"].notna()]
        means = near.groupby(["for_area", "indicator_id", "period"])["value"].agg(["mean", "size"])
        by_area: dict[str, dict] = {}
        for (area, indicator, period), value, n in zip(means.index, means["mean"], means["size"]):
            enough = n >= MIN_NEIGHBOURS_SHARE * how_many[area]
            by_area.setdefault(area, {})[(indicator, period)] = (value if enough else np.nan, int(n))
        sd.cache["neighbours_mean"] = by_area
    return sd.cache["neighbours_mean"].get(code, {})


def tiles(sd: SiteData, code: str, table: pd.DataFrame) -> tuple[str, list[dict]]:
    """HTML of the tile grid and a list of facts (one per tile) for the summary."""
    if table.empty:
        return "<p>No indicator figures are available for this area in this build.</p>", []
    refs = comparison_areas(sd, code)
    region_name = sd.name(refs["region"]) if refs["region"] else ""
    has_neighbours = table["neighbours_total"].notna().any()  # the area has a list of similar areas
    html_tiles, facts = [], []
    if "indicator_metas" not in sd.cache:  # the same for every page
        sd.cache["indicator_metas"] = {m["indicator_id"]: m for m in sd.indicators.to_dict("records")}
    metas = sd.cache["indicator_metas"]
    by_indicator: dict[str, list[dict]] = {}
    columns = list(table.columns)  # plain dicts (as to_dict("records") gives, from whole columns)
    for row in (dict(zip(columns, cells)) for cells in zip(*(table[c].tolist() for c in columns))):
        by_indicator.setdefault(row["indicator_id"], []).append(row)
    if "england_methods" not in sd.cache:  # the same for every page
        sd.cache["england_methods"] = england_methods(sd)
    england = sd.cache["england_methods"] if code != ENGLAND else {}
    for indicator_id in [i for i in metas if i in by_indicator]:
        tile, fact = _tile(metas[indicator_id], by_indicator[indicator_id], region_name, has_neighbours, england)
        html_tiles.append(tile)
        facts.append(fact)
    published = sd.table("statistical_neighbours") is not None
    note = (
        ""
        if has_neighbours
        else (
            '<p class="notice">Comparisons with statistical neighbours are not yet available: the '
            "table of similar areas has not been published in this build.</p>"
            if not published
            else '<p class="notice">No similar areas (statistical neighbours) are listed for this area, '
            "so it is not compared with any.</p>"
        )
    )
    return f'{note}<div class="tiles">{"".join(html_tiles)}</div>', facts


def england_methods(sd: SiteData) -> dict[tuple[str, str], str]:
    """(indicator, period) -> how England's figure was got, from England's rows of marts.area_values."""
    rows = sd.series(ENGLAND)
    missing = [None] * len(rows)
    used, total, share = (
        rows[c].tolist() if c in rows else missing
        for c in ("members_used", "members_total", "coverage_population_share")
    )
    methods = {}
    for i, p, v, b, u, t, s in zip(
        rows["indicator_id"], rows["period"], rows["value"], rows["basis"], used, total, share
    ):
        method = words.england_method("not_available" if text.is_missing(v) else b)
        part = words.partial_coverage(u, t, s) if b == "weighted_mean" and not text.is_missing(v) else ""
        methods[(i, p)] = f"{method[:-1]}, from {part}." if part and method.endswith(".") else method
    return methods


def _tile(
    meta: dict, rows: list[dict], region_name: str, has_neighbours: bool, england: dict | None = None
) -> tuple[str, dict]:
    unit, polarity, iid = meta["unit"], meta["polarity"] or "neutral", meta["indicator_id"]
    known = [r for r in rows if not text.is_missing(r["value"])]
    latest = known[-1] if known else rows[-1]
    previous = known[-2] if len(known) > 1 else None
    value_text = text.with_unit(latest["value"], unit)
    # The Commission's category labels its own figures (an area's, or its county's); a pooled average
    # of districts is ours, so it keeps its number with the category it would fall in beside it.
    smc = iid.startswith("smc_") and not text.is_missing(latest["value"])
    own_figure = latest.get("basis") in ("own", "published", "inherited", None)
    category = words.smc_category(latest["value"]) if smc and own_figure else ""
    if smc and not own_figure:
        value_text += f" (in the Commission's \u201c{words.smc_category(latest['value'])}\u201d band)"
    status = _status(latest)
    lines = []
    direction, verdict = ("", "")
    if previous is not None:
        direction, verdict = text.change_words(latest["value"], previous["value"], polarity, unit)
        if direction:
            word = {"up": "Up from", "down": "Down from", "same": "About the same as"}[direction]
            lines.append(
                f"{word} {text.with_unit(previous['value'], unit)} in {previous['period']}"
                + (f" ({verdict})" if verdict else "")
                + "."
            )
    comparisons = [("England", "england_value"), (region_name, "region_value")]
    comparisons += [(_neighbours_label(latest), "neighbours_value")] if has_neighbours else []
    compared = {}
    for label, col in comparisons:
        if not label:
            continue
        relation, better = text.compare(
            latest["value"], latest["lower_ci"], latest["upper_ci"], latest[col], polarity, unit
        )
        if relation:
            compared[col] = (relation, better)
            lines.append(text.comparison_sentence(relation, better, label, text.with_unit(latest[col], unit)))
    too_few = _too_few_neighbours(latest) if has_neighbours and unit != "count" else ""  # counts are not compared
    if too_few:
        lines.append(too_few)
    span = text.interval(latest["lower_ci"], latest["upper_ci"], unit)
    notes = [
        f"Likely range {span}." if span else "",
        f"{status}." if status else "",
        "" if latest.get("basis") == "inherited" else latest.get("basis_note") or "",
        (england or {}).get((iid, latest["period"]), ""),
    ]
    with_ci = any(not text.is_missing(r["lower_ci"]) for r in known)
    trend = (
        svg.sparkline(
            [r["value"] for r in known],
            f"Trend: {_trend_words(known, unit)}" + (", with the likely range shaded" if with_ci else ""),
            lower=[None if text.is_missing(r["lower_ci"]) else r["lower_ci"] for r in known],
            upper=[None if text.is_missing(r["upper_ci"]) else r["upper_ci"] for r in known],
        )
        if len(known) > 1
        else ""
    )
    table = _tile_table(iid, meta["title"], rows, unit, region_name)
    tile = (
        f'<article class="tile" aria-labelledby="tile-{esc(iid)}"><h3 id="tile-{esc(iid)}">{esc(meta["title"])}</h3>'
        + (
            f'<p class="tile-value"><span class="big">{esc(category)}</span> '
            f'<span class="period">in {esc(latest["period"])}</span></p>'
            f"<p>Social Mobility Commission category (index value {esc(value_text)}; 0 is the average "
            "area).</p>"
            if category
            else f'<p class="tile-value"><span class="big">{esc(value_text)}</span> '
            f'<span class="period">in {esc(latest["period"])}</span></p>'
        )
        + (
            f'<p class="basis"><strong>{esc(latest["basis_note"])}</strong></p>'
            if latest.get("basis") == "inherited"
            else ""
        )
        + "".join(f"<p>{esc(line)}</p>" for line in lines)
        + trend
        + "".join(f'<p class="tile-note">{esc(n)}</p>' for n in notes if n)
        + collapsible("Show the figures", table)
        + "</article>"
    )
    fact = {
        "indicator_id": iid,
        "title": meta["title"],
        "unit": unit,
        "polarity": polarity,
        "basis": latest.get("basis"),
        "basis_note": latest.get("basis_note"),
        # a grouping's figure pooled from only some of its local authorities (the note says how many)
        "pooled_from_some": latest.get("basis") == "weighted_mean"
        and (latest.get("basis_note") or "") != words.basis_note("weighted_mean", None, ""),
        "category": category,
        "provisional": status == "Provisional",
        "value": latest["value"],
        "period": latest["period"],
        "direction": direction,
        "verdict": verdict,
        "vs_england": compared.get("england_value", ("", "")),
        "england_value": latest["england_value"],
    }
    return tile, fact


def _status(row: dict) -> str:
    """The row's status in words; a value from a provisional release whose publisher does not flag
    single values (ASHE: status NULL, release "2022 provisional") is said to be provisional too."""
    said = text.status_words(row.get("observation_status"), row.get("source_id"))
    if said or text.is_missing(row.get("value")):
        return said
    return "Provisional" if "provisional" in str(row.get("release") or "").lower() else ""


def _neighbours_label(row: dict) -> str:
    """'similar areas (average of statistical neighbours)', naming how many of them when not all
    have a figure of their own for this period."""
    used, total = row.get("neighbours_used"), row.get("neighbours_total")
    if text.is_missing(used) or text.is_missing(total) or int(used) >= int(total):
        return "similar areas (average of statistical neighbours)"
    return f"similar areas (average of the {int(used)} of its {int(total)} statistical neighbours with a figure of their own)"


def _too_few_neighbours(row: dict) -> str:
    """Why a figure is not compared with similar areas ('' when it is, or has no value)."""
    used, total = row.get("neighbours_used"), row.get("neighbours_total")
    if text.is_missing(row.get("value")) or text.is_missing(total) or not text.is_missing(row.get("neighbours_value")):
        return ""
    used, total = 0 if text.is_missing(used) else int(used), int(total)
    if used == 0:
        return f"Not compared with similar areas: none of its {words.count(total, 'statistical neighbour')} has a figure of its own."
    return (
        f"Not compared with similar areas: only {used} of its {words.count(total, 'statistical neighbour')} "
        f"{words.has_have(used)} a figure of {'its' if used == 1 else 'their'} own."
    )


def _trend_words(known: list[dict], unit: str) -> str:
    first, last = known[0], known[-1]
    return (
        f"from {text.with_unit(first['value'], unit)} in {first['period']} to "
        f"{text.with_unit(last['value'], unit)} in {last['period']}"
    )


def _tile_table(iid: str, title: str, rows: list[dict], unit: str, region_name: str) -> str:
    with_region = bool(region_name) and any(not text.is_missing(r["region_value"]) for r in rows)
    with_near = any(not text.is_missing(r["neighbours_value"]) for r in rows)
    with_ci = any(not text.is_missing(r["lower_ci"]) for r in rows)
    columns = [
        Column(f"Period ({text.unit_phrase(unit)})" if unit not in ("count", "percent", "score") else "Period"),
        Column("This area", True),
    ]
    columns += [Column("Likely range", True)] if with_ci else []
    columns += [Column("England", True)]
    columns += [Column(region_name, True)] if with_region else []
    columns += [Column("Similar areas", True)] if with_near else []
    columns += [Column("Note")]
    body = []
    for r in rows:
        shown = text.number(r["value"], unit)
        if iid.startswith("smc_") and not text.is_missing(r["value"]):
            shown = f"{shown} ({words.smc_category(r['value'])})"
        row = [r["period"], shown] + ([text.interval(r["lower_ci"], r["upper_ci"], unit)] if with_ci else [])
        row += [text.number(r["england_value"], unit)]
        row += [text.number(r["region_value"], unit)] if with_region else []
        row += [text.number(r["neighbours_value"], unit)] if with_near else []
        near = (
            f"Similar areas: {int(r['neighbours_used'])} of {int(r['neighbours_total'])} "
            f"{words.has_have(int(r['neighbours_used']))} a figure of their own."
            if with_near
            and not text.is_missing(r["neighbours_value"])
            and int(r["neighbours_used"]) < int(r["neighbours_total"])
            else ""
        )
        note = " ".join(x for x in (_status(r), r.get("basis_note") or "", near) if x)
        body.append(row + [note])
    return data_table(f"table-{iid}", f"{title}: figures by period", columns, body)
