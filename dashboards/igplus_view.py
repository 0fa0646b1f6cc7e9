"""The IG+ index on the pages (issue 5's marts.igplus_scores and marts.igplus_uncertainty).

Those tables may be missing from a warehouse built before the index existed: every function then
returns a clear "not yet available" note instead of a chart.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from . import coverage, rules, svg, text, words
from .components import Column, data_table, esc, notice
from .data import SiteData

NOT_YET = (
    "IG+ scores are not yet available: this build of the warehouse does not include the Inclusive Growth Plus tables."
)
HOT_COLD_WORDS = {
    "hot": "in the best fifth of areas in at least 39 of every 40 simulations",
    "cold": "in the worst fifth of areas in at least 39 of every 40 simulations",
    "uncertain": "not clearly in the best or worst fifth once uncertainty is allowed for",
}
FIFTH_LABELS = {"hot": "Best fifth", "cold": "Worst fifth", "uncertain": "Not clearly in either"}
STATUS_WORDS = {
    "no_records": "No co-production records yet, so no IG+ score (this is not a score of zero)",
    "inherited": "Only its county's figure is published, so it is not scored",
    "insufficient_data": "Not enough data to give a score",
    "not_scored": "Not scored",
}


NO_SCORE_REASONS = {
    "no_records": "there are no co-production records for it yet (this is not a score of zero)",
    "insufficient_data": "there is not enough data to give one",
}


# Pillar A's domains in the config's order, for saying which period of each a year's score uses,
# and the words for those whose name does not say them (the others: their name with spaces). IG+
# domains, not sources, though two share a source's name (test_no_second_per_source_registry).
DOMAIN_ORDER = ("low_pay", "in_work_poverty", "homelessness", "social_mobility")
DOMAIN_WORDS = {"in_work_poverty": "in-work poverty", "homelessness": "rough sleeping"}


def scores(sd: SiteData) -> pd.DataFrame | None:
    table = sd.table("igplus_scores")
    return None if table is None or table.empty else table


COVERAGE = 0.9  # the year shown: the latest in which at least this share of the best year's areas is scored


def latest_year(sd: SiteData):
    """The latest year with scores for most areas (a final year scored for only some areas is skipped)."""
    table = scores(sd)
    if table is None:
        return None
    if "igplus_year" in sd.cache:
        return sd.cache["igplus_year"]
    scored = table[table["score"].notna() & table["level"].isin(["pillar", "igplus"])]
    if scored.empty:
        return table["year"].max()
    counts = scored.groupby("year").size()
    year = max(y for y, n in counts.items() if n >= COVERAGE * counts.max())
    sd.cache["igplus_year"] = year
    return year


def input_periods(sd: SiteData, code: str | None = None) -> str:
    """A sentence saying which period of each public statistic a score of the shown year uses (the
    latest published by then, carried forward: docs/methodology.md, "Years"), for one area or, with
    no code, for the local authorities; '' when every period is the year itself or nothing is known.
    A "2023" score built on 2020/21 and 2022 figures must not read as 2023's."""
    table, year = scores(sd), latest_year(sd)
    if table is None or year is None or "period" not in table:
        return ""
    key = ("input_periods_rows", year)
    if key not in sd.cache:
        rows = table[
            (table["level"] == "indicator")
            & (table["pillar"] == "A")
            & (table["year"] == year)
            & table["value"].notna()
        ]
        sd.cache[key] = (rows, dict(tuple(rows.groupby("area_code", sort=False))))
    rows, by_area = sd.cache[key]
    rows = by_area.get(code, rows.iloc[0:0]) if code is not None else rows[rows["area_type"] == "lad"]
    if rows.empty or set(rows["period"].astype(str)) <= {str(year)}:
        return ""
    order = list(DOMAIN_ORDER) + sorted(set(rows["domain"].dropna()) - set(DOMAIN_ORDER))
    parts = []
    for domain in order:
        mine = rows[rows["domain"] == domain]
        if mine.empty:
            continue
        periods = sorted(mine["period"].dropna().astype(str).unique())
        name = DOMAIN_WORDS.get(domain, str(domain).replace("_", " "))
        if domain == "in_work_poverty" and mine["fallback_used"].fillna(False).astype(bool).all():
            name = "child poverty (in place of in-work poverty)"
        parts.append(f"{name} from {_and(periods)}")
    return (
        f"A {year} score uses the latest figures published by then, so its public statistics are "
        f"not all from {year}: {_and(parts)}."
    )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def pillar_label(component) -> str:
    c = str(component).lower()
    if c in ("a", "pillar_a") or "growth" in c:
        return "Pillar A: inclusive growth"
    if c in ("b", "pillar_b") or "inclusion" in c:
        return "Pillar B: inclusion in decisions"
    return str(component).replace("_", " ").capitalize()


def status_words(status) -> str:
    if text.is_missing(status) or status in ("", "ok", "scored"):
        return ""
    return STATUS_WORDS.get(str(status), str(status).replace("_", " ").capitalize())


def unranked_words(sd: SiteData, code: str, score, status, *, pillar_a: bool = False) -> str:
    """Why an area has no score (or no rank), in plain English, for the maps and the lists of areas:
    its status's words, and for pillar A a district's county social mobility figures (not used)."""
    if not text.is_missing(score):
        return status_words(status) or "Not ranked"
    out = status_words(status) or "No score"
    county = inherited_county(sd, code) if pillar_a else ""
    if county:
        out += f" (its social mobility figures are {county}\u2019s, not its own, and are not used to score it)"
    return out


def level_rows(sd: SiteData, level: str, area_type: str | None = None, year=None) -> pd.DataFrame:
    """Rows of one level in the shown year; cached, since every page asks (the table is large)."""
    table = scores(sd)
    if table is None:
        return pd.DataFrame()
    year = latest_year(sd) if year is None else year
    key = ("level_rows", level, area_type, year)
    if key not in sd.cache:
        rows = table[(table["level"] == level) & (table["year"] == year)]
        sd.cache[key] = rows if area_type is None else rows[rows["area_type"] == area_type]
    return sd.cache[key]


def area_rows(sd: SiteData, code: str) -> pd.DataFrame:
    """IG+ and pillar rows of one area in the shown year."""
    if "area_rows" not in sd.cache:
        both = pd.concat([level_rows(sd, "igplus"), level_rows(sd, "pillar")])
        sd.cache["area_rows"] = {c: rows for c, rows in both.groupby("area_code", sort=False)}
        sd.cache["area_rows_none"] = pd.DataFrame(columns=scores(sd).columns)  # one empty frame, not one a page
    return sd.cache["area_rows"].get(code, sd.cache["area_rows_none"])


def uncertainty(sd: SiteData, year=None, level: str = "igplus", component: str | None = None) -> pd.DataFrame:
    """Rank intervals for one level (and pillar component); tables without a level column are IG+ only."""
    key = ("uncertainty", year, level, component)
    if key not in sd.cache:
        sd.cache[key] = _uncertainty(sd, year, level, component)
    return sd.cache[key]


def _area_uncertainty(sd: SiteData, year, level: str, component: str | None, code: str) -> pd.DataFrame:
    """uncertainty(...) rows of one area, from a per-area split made once per build."""
    key = ("uncertainty_by_area", year, level, component)
    if key not in sd.cache:
        sd.cache[key] = dict(tuple(uncertainty(sd, year, level, component).groupby("area_code", sort=False)))
    found = sd.cache[key].get(code)
    return uncertainty(sd, year, level, component).iloc[0:0] if found is None else found


def _uncertainty(sd: SiteData, year, level: str, component: str | None) -> pd.DataFrame:
    table = sd.table("igplus_uncertainty")
    if table is None or table.empty:
        return pd.DataFrame(columns=["area_code", "median_rank", "rank_p05", "rank_p95", "hot_cold"])
    year = latest_year(sd) if year is None else year
    rows = table[table["year"] == year]
    if "level" in rows:
        rows = rows[rows["level"] == level]
        if component is not None and "component" in rows:
            rows = rows[rows["component"] == component]
    elif level != "igplus":
        return rows.iloc[0:0]
    return rows


def reporting_rules(sd: SiteData) -> rules.Rules:
    """The rules build_site was given (the IG+ config of the build), else the shipped config's."""
    if "rules" not in sd.cache:
        sd.cache["rules"] = rules.load()
    return sd.cache["rules"]


def igplus_reason(sd: SiteData, code: str, row: dict) -> str:
    """Why an area's IG+ (and pillar B) score is not quoted as real, as a clause that follows
    'because' ('' when it is quoted)."""
    if text.is_missing(row.get("score")):
        return NO_SCORE_REASONS.get(str(row.get("status")), "there is not enough data to give one")
    if sd.records_example:
        return "the co-production records in this build are made-up examples"
    cover = coverage.records_coverage(sd, code, row.get("year"))
    if cover is not None and not reporting_rules(sd).coverage_enough(cover.share):
        return f"the co-production records cover too little of it ({cover.words()})"
    return ""


def area_facts(sd: SiteData, code: str) -> dict:
    """The overall score the page and its summary may quote, or {} when there is none.

    IG+ when the area has a real IG+ score (not from example records, and for a grouping from
    records covering enough of its population); otherwise pillar A, with igplus_reason saying why.
    measure names the score in words, and rank_shown whether its rank meets the reporting rule.
    """
    if scores(sd) is None:
        return {}
    key = ("area_facts", code)
    if key not in sd.cache:
        sd.cache[key] = _area_facts(sd, code)
    return dict(sd.cache[key])


def _area_facts(sd: SiteData, code: str) -> dict:
    mine = _row_dicts(sd, code)
    igplus = dict(next((r for r in mine if _is(r["level"], "igplus")), {}))
    reason = igplus_reason(sd, code, igplus) if igplus else "No IG+ row for this area"
    if igplus and not reason:
        facts = dict(igplus, headline="IG+", measure="IG+ score")
        unc = _area_uncertainty(sd, None, "igplus", None, code)
    else:
        pillar = next(
            (
                r
                for r in mine
                if _is(r["level"], "pillar") and _is(r["component"], "A") and not text.is_missing(r["score"])
            ),
            None,
        )
        if pillar is None:
            return dict(igplus, headline="none", measure="", igplus_reason=reason, rank_shown=False) if igplus else {}
        facts = dict(
            pillar,
            headline="Pillar A",
            igplus_reason=reason,
            measure="pillar A score (inclusive growth outcomes)",
        )
        unc = _area_uncertainty(sd, None, "pillar", "A", code)
    facts["rank_shown"] = reporting_rules(sd).rank_shown(facts.get("rank"), facts.get("n_ranked"))
    if len(unc) and facts["rank_shown"]:
        facts.update({k: unc[k].iloc[0] for k in ("median_rank", "rank_p05", "rank_p95", "hot_cold")})
    return facts


def rank_words(sd: SiteData, rank, n_ranked, area_type) -> str:
    """'12th of 296 local authorities', or why there is no rank ('' when there is no score)."""
    if text.is_missing(rank):
        return ""
    if not reporting_rules(sd).rank_shown(rank, n_ranked):
        return (
            f"not ranked: only {words.count(int(n_ranked), _type_singular(area_type), _type_plural(area_type))} "
            f"{words.has_have(int(n_ranked))} a score, fewer than {reporting_rules(sd).min_ranked_areas}"
        )
    return words.rank_phrase(rank, n_ranked, _type_plural(area_type))


def area_section(sd: SiteData, code: str, area_name: str) -> str:
    head = '<section aria-labelledby="igplus-title"><h2 id="igplus-title">Overall score</h2>'
    if scores(sd) is None:
        return head + notice(NOT_YET) + "</section>"
    facts = area_facts(sd, code)
    if not facts:
        return head + notice(f"There is no overall score for {area_name} in this build.") + "</section>"
    year, parts = facts["year"], [head]
    if facts["headline"] != "IG+":
        parts.append(
            f"<p>{esc(area_name)} has no IG+ score because {esc(facts.get('igplus_reason'))}. "
            + (
                "Its pillar A score (how people do in the place: pay, poverty, rough sleeping and "
                "social mobility, from public statistics) is shown instead.</p>"
                if facts["headline"] == "Pillar A"
                else "</p>"
            )
        )
    county = inherited_county(sd, code)
    if county and facts["headline"] != "none":
        parts.append(
            f"<p>Its social mobility figures are {esc(county)}\u2019s, not its own, so they are left out "
            "of its score and rank: the score uses its other figures (see the methodology).</p>"
        )
    if facts["headline"] != "none":
        ranked = rank_words(sd, facts.get("rank"), facts.get("n_ranked"), facts.get("area_type"))
        rank_text = (
            f" and ranked <strong>{esc(ranked)}</strong>"
            if facts["rank_shown"]
            else f" ({esc(ranked)})"
            if ranked
            else ""
        )
        parts.append(
            f'<p class="lead">On the {esc(facts["measure"])} in {esc(year)}, {esc(area_name)} scored '
            f"<strong>{facts['score']:.1f}</strong> out of 100{rank_text}. Higher is better.</p>"
        )
        periods = input_periods(sd, code)
        if periods:
            parts.append(f"<p>{esc(periods)}</p>")
        cover = coverage.records_coverage(sd, code, year) if facts["headline"] == "IG+" else None
        if cover is not None:
            parts.append(f"<p>Its pillar B and IG+ scores pool the co-production {esc(cover.words())}.</p>")
    if facts.get("rank_shown") and not text.is_missing(facts.get("rank_p05")):
        n = int(facts.get("n_ranked") or 0)
        low, high = words.ordinal(facts["rank_p05"]), words.ordinal(facts["rank_p95"])
        label = f"Rank {words.ordinal(facts.get('median_rank'))}, likely range {low} to {high} of {n:,}"
        parts.append(
            f"<p>Allowing for uncertainty, its rank is likely between {low} and {high}. It is "
            f"{esc(HOT_COLD_WORDS.get(str(facts.get('hot_cold')), 'not classified'))}.</p>"
        )
        parts.append(svg.rank_interval(facts["median_rank"], facts["rank_p05"], facts["rank_p95"], n, label))
    parts.append(_pillar_table(sd, code, year, real_only=True))
    parts.append("</section>")
    if sd.records_example:
        parts.append(example_section(sd, code, area_name, year))
    return "".join(parts)


def inherited_county(sd: SiteData, code: str) -> str:
    """The county whose social mobility figures a district shows ('' when they are its own)."""
    if "basis" not in sd.values:
        return ""
    if "inherited_smc" not in sd.cache:  # every area's inherited social mobility rows, split once
        values = sd.values
        rows = values[values["indicator_id"].str.startswith("smc_", na=False) & (values["basis"] == "inherited")]
        sd.cache["inherited_smc"] = dict(tuple(rows.groupby("area_code", sort=False)))
    rows = sd.cache["inherited_smc"].get(code)
    if rows is None:
        return ""
    return (
        ""
        if rows.empty
        else str(rows["basis_area_name"].dropna().iloc[-1])
        if rows["basis_area_name"].notna().any()
        else "its county"
    )


def example_section(sd: SiteData, code: str, area_name: str, year) -> str:
    """Pillar B and IG+ from example records, fenced off under a warning (never quoted elsewhere)."""
    rows = area_rows(sd, code)
    if rows.empty:
        return ""
    cover = coverage.records_coverage(sd, code, year)
    pooled = f"<p>For {esc(area_name)} they pool the example {esc(cover.words())}.</p>" if cover is not None else ""
    return (
        '<section aria-labelledby="example-title" class="example-section"><h2 id="example-title">'
        "Example only: IG+ and pillar B from made-up records</h2>"
        + notice(
            "These scores come from made-up example co-production records, used to test the site. "
            f"They say nothing about {area_name}. Do not quote them.",
            "warning",
        )
        + pooled
        + _pillar_table(sd, code, year, real_only=False, example=True)
        + "</section>"
    )


def _lower_first(value) -> str:
    value = "" if text.is_missing(value) else str(value)
    return value[:1].lower() + value[1:]


def _pillar_table(sd: SiteData, code: str, year, *, real_only: bool, example: bool = False) -> str:
    rows = _row_dicts(sd, code)
    if not rows:
        return ""
    real = [_is(r["level"], "pillar") and _is(r["component"], "A") for r in rows]
    if not sd.records_example:
        first = next((r for r in rows if _is(r["level"], "igplus")), None)
        if not (igplus_reason(sd, code, first) if first is not None else ""):
            real = [True] * len(rows)
    rows = [r for r, is_real in zip(rows, real) if is_real == real_only]
    if not rows:
        return ""
    rows = [rows[i] for i in _pillars_then_igplus_order([r["level"] for r in rows], [r["component"] for r in rows])]
    baseline = (
        next((r["baseline_year"] for r in rows if not text.is_missing(r["baseline_year"])), None)
        if "baseline_year" in rows[0]
        else None
    )
    change = f"Change since {int(baseline)}" if baseline is not None else "Change since the baseline year"
    columns = [
        Column("Score"),
        Column("Score out of 100", True),
        Column("Rank", True),
        Column("Likely range of rank", True),
        Column(change, True),
        Column("England", True),
        Column("Region", True),
        Column("Similar areas", True),
        Column("Note"),
    ]
    body = []
    for r in (SimpleNamespace(**{c: row[c] for c in PILLAR_COLUMNS}) for row in rows):
        shown = reporting_rules(sd).rank_shown(r.rank, r.n_ranked)
        unc = _area_uncertainty(sd, year, r.level, None if r.level == "igplus" else r.component, code)
        span = "" if unc.empty or not shown else words.rank_range(unc["rank_p05"].iloc[0], unc["rank_p95"].iloc[0])
        rank = (
            words.rank_phrase(r.rank, r.n_ranked, "").strip()
            if shown
            else ("" if text.is_missing(r.rank) else f"Not ranked (only {int(r.n_ranked)} with a score)")
        )
        body.append(
            [
                "IG+ overall" if r.level == "igplus" else pillar_label(r.component),
                _score(r.score),
                rank,
                span,
                _signed(r.change_since_baseline),
                _score(r.england_score),
                _score(r.region_score),
                _score(r.neighbours_score),
                " ".join(x for x in (status_words(r.status), _no_change_note(sd, code, r, baseline)) if x),
            ]
        )
    caption = f"{'Example only: ' if example else ''}scores, {year} (out of 100, higher is better)"
    return data_table(
        "table-igplus-example" if example else "table-igplus-pillars", caption[:1].upper() + caption[1:], columns, body
    )


def _no_change_note(sd: SiteData, code: str, row, baseline) -> str:
    """Why a score with a baseline score has no change since then: the two were made from different
    parts (marts.igplus_scores gives a change only like for like), e.g. no low pay figures in 2019."""
    if baseline is None or text.is_missing(row.score) or not text.is_missing(row.change_since_baseline):
        return ""
    key = ("baseline_scored", int(baseline))
    if key not in sd.cache:
        table = scores(sd)
        then = table[
            (table["year"] == int(baseline)) & table["score"].notna() & table["level"].isin(["pillar", "igplus"])
        ]
        sd.cache[key] = set(zip(then["area_code"], then["level"], then["component"]))
    if (code, row.level, row.component) not in sd.cache[key]:
        return ""
    return f"No change since {int(baseline)} is given: the {int(baseline)} score was made from other measures."


def _pillars_then_igplus_order(levels: list, components: list) -> list[int]:
    """Positions in the order sort_values(["order", "component"]) gives, with order = level is igplus:
    pillars first, by component (missing last), ties kept in place (a stable sort)."""
    keys = [
        (level == "igplus", text.is_missing(component), "" if text.is_missing(component) else component)
        for level, component in zip(levels, components)
    ]
    return sorted(range(len(keys)), key=keys.__getitem__)


def _row_dicts(sd: SiteData, code: str) -> list[dict]:
    """area_rows(sd, code) as plain dicts of every column (values as Series.tolist gives them), made
    once per area: the pillar tables filter and sort a handful of rows, cheaper in Python than pandas."""
    key = ("area_row_dicts", code)
    if key not in sd.cache:
        rows = area_rows(sd, code)
        columns = list(rows.columns)
        sd.cache[key] = [dict(zip(columns, cells)) for cells in zip(*(rows[c].tolist() for c in columns))]
    return sd.cache[key]


def _is(value, wanted: str) -> bool:
    """value == wanted as a pandas comparison of a text column gives it (False for a missing value)."""
    return isinstance(value, str) and value == wanted


PILLAR_COLUMNS = (
    "level",
    "component",
    "rank",
    "n_ranked",
    "score",
    "change_since_baseline",
    "england_score",
    "region_score",
    "neighbours_score",
    "status",
)


def rank_columns(sd: SiteData) -> pd.DataFrame:
    """area_code, score, rank, n_ranked, status, rank_p05, rank_p95, hot_cold for the latest year, and
    pillar A's as a_score, a_rank, a_n_ranked, a_status, a_rank_p05, a_rank_p95."""
    overall = level_rows(sd, "igplus")
    if overall.empty:
        return pd.DataFrame(columns=["area_code", "score", "rank", "n_ranked", "rank_p05", "rank_p95", "hot_cold"])
    unc = uncertainty(sd)[["area_code", "rank_p05", "rank_p95", "hot_cold"]]
    out = overall[["area_code", "score", "rank", "n_ranked", "status"]].merge(unc, on="area_code", how="left")
    pillar = level_rows(sd, "pillar")
    pillar = pillar[pillar["component"] == "A"][["area_code", "score", "rank", "n_ranked", "status"]]
    pillar = pillar.merge(
        uncertainty(sd, level="pillar", component="A")[["area_code", "rank_p05", "rank_p95"]],
        on="area_code",
        how="left",
    )
    return out.merge(pillar.add_prefix("a_").rename(columns={"a_area_code": "area_code"}), on="area_code", how="left")


def _type_plural(area_type) -> str:
    return {
        "lad": "local authorities",
        "region": "regions",
        "combined_authority": "combined authorities",
        "lep": "LEP areas",
    }.get(str(area_type), "areas")


def _type_singular(area_type) -> str:
    return {
        "lad": "local authority",
        "region": "region",
        "combined_authority": "combined authority",
        "lep": "LEP area",
    }.get(str(area_type), "area")


def _int(value) -> str:
    return "?" if text.is_missing(value) else f"{int(value):,}"


def _score(value) -> str:
    return "" if text.is_missing(value) else f"{value:.1f}"


def _signed(value) -> str:
    """'+2.3', '-0.4', and '0.0' for a change that rounds to nothing (never '-0.0')."""
    if text.is_missing(value):
        return ""
    shown = f"{value:+.1f}"
    return "0.0" if shown in ("+0.0", "-0.0") else shown


def _rank(rank, n) -> str:
    return "" if text.is_missing(rank) else f"{int(rank)} of {_int(n)}"
