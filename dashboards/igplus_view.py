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
HOT_COLD_WORDS = {"hot": "a hot spot: in the best fifth of areas in at least 39 of every 40 simulations",
                  "cold": "a cold spot: in the worst fifth of areas in at least 39 of every 40 simulations",
                  "uncertain": "not clearly in the best or worst fifth once uncertainty is allowed for"}
STATUS_WORDS = {"no_records": "No co-production records yet, so no IG+ score (this is not a score of zero)",
                "insufficient_data": "Not enough data to give a score",
                "not_scored": "Not scored"}


def scores(sd: SiteData) -> pd.DataFrame | None:
    table = sd.table("igplus_scores")
    return None if table is None or table.empty else table


COVERAGE = 0.9   # the year shown: the latest in which at least this share of the best year's areas is scored


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
    return sd.cache["area_rows"].get(code, pd.DataFrame(columns=scores(sd).columns))


def uncertainty(sd: SiteData, year=None, level: str = "igplus", component: str | None = None) -> pd.DataFrame:
    """Rank intervals for one level (and pillar component); tables without a level column are IG+ only."""
    key = ("uncertainty", year, level, component)
    if key not in sd.cache:
        sd.cache[key] = _uncertainty(sd, year, level, component)
    return sd.cache[key]


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


def area_facts(sd: SiteData, code: str) -> dict:
    """IG+ score, rank and interval for one area, or {} when not available."""
    if scores(sd) is None:
        return {}
    mine = area_rows(sd, code)
    row = mine[mine["level"] == "igplus"]
    if row.empty:
        return {}
    facts = row.iloc[0].to_dict()
    facts["headline"] = "IG+"
    unc = uncertainty(sd)
    if text.is_missing(facts.get("score")):   # no IG+ (e.g. no records): headline pillar A instead
        pillar = mine[(mine["level"] == "pillar") & (mine["component"] == "A") & mine["score"].notna()]
        if len(pillar):
            facts = dict(pillar.iloc[0].to_dict(), headline="Pillar A", igplus_status=facts.get("status"))
            unc = uncertainty(sd, level="pillar", component="A")
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
    if facts["headline"] != "IG+":
        parts.append(f"<p>{esc(status_words(facts.get('igplus_status')) or 'No IG+ score this year')}. "
                     "Its pillar A score (how people do in the place) is shown instead.</p>")
    if text.is_missing(facts.get("score")):
        parts.append(f"<p>{esc(status_words(facts.get('status')) or 'No IG+ score this year')}.</p>")
    else:
        parts.append(f'<p class="lead">On {esc("IG+" if facts["headline"] == "IG+" else "pillar A")} in '
                     f'{esc(year)}, {esc(area_name)} scored '
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
    rows = area_rows(sd, code)
    if rows.empty:
        return ""
    rows = rows.assign(order=rows["level"].eq("igplus")).sort_values(["order", "component"])
    columns = [Column("Score"), Column("Score out of 100", True), Column("Rank", True),
               Column("Likely range of rank", True), Column("Change since baseline", True),
               Column("England", True), Column("Region", True), Column("Similar areas", True), Column("Note")]
    body = []
    for r in rows.itertuples():
        unc = uncertainty(sd, year, r.level, None if r.level == "igplus" else r.component)
        unc = unc[unc["area_code"] == code]
        span = "" if unc.empty else f"{int(unc.iloc[0]['rank_p05'])} to {int(unc.iloc[0]['rank_p95'])}"
        body.append(["IG+ overall" if r.level == "igplus" else pillar_label(r.component), _score(r.score),
                     _rank(r.rank, r.n_ranked), span, _signed(r.change_since_baseline), _score(r.england_score),
                     _score(r.region_score), _score(r.neighbours_score), status_words(r.status)])
    return data_table("table-igplus-pillars", f"IG+ and pillar scores, {year} (higher is better)", columns, body)


def rank_columns(sd: SiteData) -> pd.DataFrame:
    """area_code, score, rank, n_ranked, rank_p05, rank_p95, hot_cold for the latest year."""
    overall = level_rows(sd, "igplus")
    if overall.empty:
        return pd.DataFrame(columns=["area_code", "score", "rank", "n_ranked", "rank_p05", "rank_p95", "hot_cold"])
    unc = uncertainty(sd)[["area_code", "rank_p05", "rank_p95", "hot_cold"]]
    out = overall[["area_code", "score", "rank", "n_ranked", "status"]].merge(unc, on="area_code", how="left")
    pillar = level_rows(sd, "pillar")
    pillar = pillar[pillar["component"] == "A"][["area_code", "score", "rank", "n_ranked"]]
    pillar = pillar.merge(uncertainty(sd, level="pillar", component="A")[["area_code", "rank_p05", "rank_p95"]],
                          on="area_code", how="left")
    return out.merge(pillar.add_prefix("a_").rename(columns={"a_area_code": "area_code"}), on="area_code", how="left")


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
