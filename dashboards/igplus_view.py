"""The IG+ index on the pages (issue 5's marts.igplus_scores and marts.igplus_uncertainty).

Those tables may be missing from a warehouse built before the index existed: every function then
returns a clear "not yet available" note instead of a chart.
"""
from __future__ import annotations

import pandas as pd

from . import svg, text
from .components import Column, data_table, esc, notice
from .data import SiteData

NOT_YET = ("IG+ scores are not yet available: this build of the warehouse does not include the "
           "Inclusive Growth Plus tables.")
HOT_COLD_WORDS = {"hot": "a hot spot: sure to be in the best fifth of areas",
                  "cold": "a cold spot: sure to be in the worst fifth of areas",
                  "uncertain": "not clearly in the best or worst fifth once uncertainty is allowed for"}
STATUS_WORDS = {"no_records": "No co-production records yet, so no IG+ score (this is not a score of zero)",
                "insufficient_data": "Not enough data to give a score",
                "not_scored": "Not scored"}


def scores(sd: SiteData) -> pd.DataFrame | None:
    table = sd.table("igplus_scores")
    return None if table is None or table.empty else table


def latest_year(sd: SiteData):
    table = scores(sd)
    if table is None:
        return None
    scored = table[table["score"].notna()]
    return (scored if len(scored) else table)["year"].max()


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


def level_rows(sd: SiteData, level: str, area_type: str | None = None, year=None) -> pd.DataFrame:
    table = scores(sd)
    if table is None:
        return pd.DataFrame()
    year = latest_year(sd) if year is None else year
    rows = table[(table["level"] == level) & (table["year"] == year)]
    return rows if area_type is None else rows[rows["area_type"] == area_type]


def uncertainty(sd: SiteData, year=None) -> pd.DataFrame:
    table = sd.table("igplus_uncertainty")
    if table is None or table.empty:
        return pd.DataFrame(columns=["area_code", "median_rank", "rank_p05", "rank_p95", "hot_cold"])
    year = latest_year(sd) if year is None else year
    return table[table["year"] == year]


def area_facts(sd: SiteData, code: str) -> dict:
    """IG+ score, rank and interval for one area, or {} when not available."""
    overall = level_rows(sd, "igplus")
    if overall.empty:
        return {}
    row = overall[overall["area_code"] == code]
    if row.empty:
        return {}
    facts = row.iloc[0].to_dict()
    unc = uncertainty(sd)
    unc = unc[unc["area_code"] == code]
    if len(unc):
        facts.update({k: unc.iloc[0][k] for k in ("median_rank", "rank_p05", "rank_p95", "hot_cold")})
    return facts


def area_section(sd: SiteData, code: str, area_name: str) -> str:
    head = '<section aria-labelledby="igplus-title"><h2 id="igplus-title">Inclusive Growth Plus (IG+) score</h2>'
    if scores(sd) is None:
        return head + notice(NOT_YET) + "</section>"
    facts = area_facts(sd, code)
    if not facts:
        return head + notice(f"There is no IG+ row for {area_name} in this build.") + "</section>"
    year, parts = facts["year"], [head]
    if text.is_missing(facts.get("score")):
        parts.append(f"<p>{esc(status_words(facts.get('status')) or 'No IG+ score this year')}.</p>")
    else:
        parts.append(f'<p class="lead">In {esc(year)}, {esc(area_name)} scored '
                     f'<strong>{facts["score"]:.1f}</strong> out of 100 and ranked '
                     f'<strong>{_ordinal(facts.get("rank"))}</strong> of {_int(facts.get("n_ranked"))} '
                     f'{esc(_type_plural(facts.get("area_type")))}.</p>')
    if not text.is_missing(facts.get("rank_p05")):
        label = (f"Rank {_ordinal(facts.get('median_rank'))}, likely range {_ordinal(facts['rank_p05'])} to "
                 f"{_ordinal(facts['rank_p95'])} of {_int(facts.get('n_ranked'))}")
        parts.append(f"<p>Allowing for uncertainty, its rank is likely between {_ordinal(facts['rank_p05'])} "
                     f"and {_ordinal(facts['rank_p95'])}. It is "
                     f"{esc(HOT_COLD_WORDS.get(str(facts.get('hot_cold')), 'not classified'))}.</p>")
        parts.append(svg.rank_interval(facts["median_rank"], facts["rank_p05"], facts["rank_p95"],
                                       int(facts.get("n_ranked") or 0), label))
    parts.append(_pillar_table(sd, code, year))
    parts.append("</section>")
    return "".join(parts)


def _pillar_table(sd: SiteData, code: str, year) -> str:
    table = scores(sd)
    rows = table[(table["area_code"] == code) & (table["year"] == year) & table["level"].isin(["igplus", "pillar"])]
    if rows.empty:
        return ""
    rows = rows.assign(order=rows["level"].eq("igplus")).sort_values(["order", "component"])
    columns = [Column("Score"), Column("Score out of 100", True), Column("Rank", True),
               Column("Change since baseline", True), Column("England", True), Column("Region", True),
               Column("Similar areas", True), Column("Note")]
    body = [["IG+ overall" if r.level == "igplus" else pillar_label(r.component), _score(r.score),
             _rank(r.rank, r.n_ranked), _signed(r.change_since_baseline), _score(r.england_score),
             _score(r.region_score), _score(r.neighbours_score), status_words(r.status)]
            for r in rows.itertuples()]
    return data_table("table-igplus-pillars", f"IG+ and pillar scores, {year} (higher is better)", columns, body)


def rank_columns(sd: SiteData) -> pd.DataFrame:
    """area_code, score, rank, n_ranked, rank_p05, rank_p95, hot_cold for the latest year."""
    overall = level_rows(sd, "igplus")
    if overall.empty:
        return pd.DataFrame(columns=["area_code", "score", "rank", "n_ranked", "rank_p05", "rank_p95", "hot_cold"])
    unc = uncertainty(sd)[["area_code", "rank_p05", "rank_p95", "hot_cold"]]
    return overall[["area_code", "score", "rank", "n_ranked", "status"]].merge(unc, on="area_code", how="left")


def _type_plural(area_type) -> str:
    return {"lad": "local authorities", "region": "regions", "combined_authority": "combined authorities",
            "lep": "LEP areas"}.get(str(area_type), "areas")


def _ordinal(value) -> str:
    if text.is_missing(value):
        return "not ranked"
    n = int(round(float(value)))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _int(value) -> str:
    return "?" if text.is_missing(value) else f"{int(value):,}"


def _score(value) -> str:
    return "" if text.is_missing(value) else f"{value:.1f}"


def _signed(value) -> str:
    return "" if text.is_missing(value) else f"{value:+.1f}"


def _rank(rank, n) -> str:
    return "" if text.is_missing(rank) else f"{int(rank)} of {_int(n)}"
