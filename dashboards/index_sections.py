"""Index-page sections built from SiteData: IG+ maps and scatter, the list of areas, data freshness."""
from __future__ import annotations

import html as html_lib

import pandas as pd

from . import figures, igplus_view, text
from .components import Column, chart_figure, collapsible, data_table, esc, notice
from .data import AREA_TYPES, SiteData

TYPE_TITLES = {"region": "Regions", "combined_authority": "Combined authorities",
               "lep": "Local Enterprise Partnership (LEP) areas", "lad": "Local authorities"}


def area_href(code: str, prefix: str = "") -> str:
    return f"{prefix}areas/{code}.html"


def igplus_section(sd: SiteData) -> tuple[str, dict[str, dict]]:
    head = ('<section aria-labelledby="igplus-index-title"><h2 id="igplus-index-title">Inclusive Growth Plus '
            "(IG+) across England</h2><p>IG+ joins two pillars: pillar A is how people do in a place (pay, "
            "poverty, rough sleeping, social mobility); pillar B is how far local people are involved in "
            "decisions. Scores run from 0 to 100, and higher is better.</p>")
    if igplus_view.scores(sd) is None:
        return head + notice(igplus_view.NOT_YET) + "</section>", {}
    year = igplus_view.latest_year(sd)
    names = sd.areas[["area_code", "area_name"]]
    parts, specs = [head], {}
    pillars = sorted(igplus_view.level_rows(sd, "pillar", "lad")["component"].dropna().unique())
    layers = [("igplus", None, "IG+ score")] + [("pillar", p, igplus_view.pillar_label(p)) for p in pillars]
    for i, (level, component, title) in enumerate(layers):
        rows = igplus_view.level_rows(sd, level, "lad")
        if component is not None:
            rows = rows[rows["component"] == component]
        rows = names[names["area_code"].isin(sd.members.get("E92000001", []))].merge(
            rows[["area_code", "score", "rank", "status"]], on="area_code", how="left")
        rows = rows.rename(columns={"score": "value"})
        chart_id = "igplus-map" if i == 0 else f"igplus-map-{i}"
        spec = figures.choropleth(rows, "Score", zmin=0, zmax=100, hover=[
            f"<b>{html_lib.escape(str(r.area_name))}</b><br>"
            + (f"Score {r.value:.1f}, rank {int(r.rank)}" if not text.is_missing(r.value) and not text.is_missing(r.rank)
               else (igplus_view.status_words(r.status) or "No score")) for r in rows.itertuples()])
        specs[chart_id] = spec
        parts.append(chart_figure(chart_id, f"{title} by local authority, {year}",
                                  figures.chart_html(chart_id, spec), _describe_scores(rows, title, year),
                                  kind="map"))
        table = data_table(f"table-{chart_id}", f"{title} by local authority, {year}, best first",
                           [Column("Local authority"), Column("Score", True), Column("Rank", True), Column("Note")],
                           [[r.area_name, "" if text.is_missing(r.value) else f"{r.value:.1f}",
                             "" if text.is_missing(r.rank) else int(r.rank), igplus_view.status_words(r.status)]
                            for r in rows.sort_values(["value", "area_name"], ascending=[False, True],
                                                      na_position="last").itertuples()])
        parts.append(collapsible("Show the figures behind the map as a table", table))
    if len(pillars) >= 2:
        parts.append(_scatter(sd, pillars[:2], year, specs))
    parts.append("</section>")
    return "".join(parts), specs


def _describe_scores(rows: pd.DataFrame, title: str, year) -> str:
    title = title.removesuffix(" score")
    known = rows[rows["value"].notna()]
    missing = len(rows) - len(known)
    if known.empty:
        return f"No local authority has a score for {title} in {year}."
    best = known.loc[known["value"].idxmax()]
    worst = known.loc[known["value"].idxmin()]
    out = (f"In {year}, {len(known):,} local authorities have a score for {title}. The highest is {best['area_name']} "
           f"({best['value']:.1f}) and the lowest is {worst['area_name']} ({worst['value']:.1f}).")
    if missing:
        out += f" {missing:,} have no score and are left white."
    return out


def _scatter(sd: SiteData, pillars: list, year, specs: dict) -> str:
    rows = igplus_view.level_rows(sd, "pillar", "lad")
    wide = rows.pivot_table(index="area_code", columns="component", values="score").reset_index()
    if not set(pillars) <= set(wide.columns):
        return ""
    wide = wide.dropna(subset=list(pillars)).merge(sd.areas[["area_code", "area_name"]], on="area_code")
    unc = igplus_view.uncertainty(sd)[["area_code", "hot_cold"]]   # the IG+ label, needing both pillars
    wide = wide.merge(unc, on="area_code", how="left")
    groups = {"hot": "Hot spot", "cold": "Cold spot", "uncertain": "Uncertain"}
    wide["group"] = wide["hot_cold"].map(groups).fillna("Not classified")
    x_title, y_title = igplus_view.pillar_label(pillars[0]), igplus_view.pillar_label(pillars[1])
    if wide.empty:
        return notice(f"No local authority has both pillar scores in {year}, so the pillar chart is not drawn.")
    spec = figures.scatter(wide.rename(columns={pillars[0]: "x", pillars[1]: "y", "area_name": "label"}),
                           x_title, y_title)
    specs["igplus-scatter"] = spec
    corr = wide[pillars[0]].corr(wide[pillars[1]]) if len(wide) > 2 else float("nan")
    description = (f"{len(wide):,} local authorities have both pillar scores in {year}. Each dot is one area; "
                   f"its shape shows whether it is a hot spot, a cold spot or uncertain.")
    if not text.is_missing(corr):
        description += (f" The two pillars {'tend to go together' if corr > 0.3 else 'do not go together closely'}"
                        f" (correlation {corr:.2f}).")
    table = data_table("table-igplus-scatter", f"Pillar scores by local authority, {year}",
                       [Column("Local authority"), Column(x_title, True), Column(y_title, True), Column("Group")],
                       [[r[0], f"{r[1]:.1f}", f"{r[2]:.1f}", r[3]]
                        for r in wide[["area_name", pillars[0], pillars[1], "group"]].itertuples(index=False)])
    return (chart_figure("igplus-scatter", f"{x_title} against {y_title}, {year}",
                         figures.chart_html("igplus-scatter", spec), description, kind="scatter")
            + collapsible("Show the figures behind the chart as a table", table))


def areas_section(sd: SiteData) -> str:
    ranks = igplus_view.rank_columns(sd)
    with_ranks = not ranks.empty
    parts = ['<section aria-labelledby="areas"><h2 id="areas">Area pages</h2><p>Each area has its own page '
             "with its figures, how it compares, and how local people are involved.</p>"]
    if not with_ranks:
        parts.append(notice(igplus_view.NOT_YET + " The lists below show the areas without ranks."))
    for area_type in AREA_TYPES:
        areas = sd.areas[sd.areas["area_type"] == area_type][["area_code", "area_name"]]
        if areas.empty:
            continue
        rows = areas.merge(ranks, on="area_code", how="left") if with_ranks else areas
        if with_ranks:
            rows = rows.sort_values(["rank", "a_rank", "area_name"], na_position="last")
        parts.append(f"<h3>{esc(TYPE_TITLES[area_type])} ({len(rows):,})</h3>")
        parts.append(_area_table(area_type, rows, with_ranks))
    parts.append("</section>")
    return "".join(parts)


def _area_table(area_type: str, rows: pd.DataFrame, with_ranks: bool) -> str:
    head = '<th scope="col">Area</th><th scope="col">Code</th>'
    if with_ranks:
        head += ('<th scope="col" class="num">IG+ rank</th><th scope="col" class="num">Likely range</th>'
                 '<th scope="col">Hot or cold spot</th><th scope="col" class="num">Pillar A rank</th>'
                 '<th scope="col" class="num">Pillar A likely range</th>')
    body = []
    for r in rows.itertuples():
        cells = (f'<th scope="row"><a href="{esc(area_href(r.area_code))}">{esc(r.area_name)}</a></th>'
                 f"<td>{esc(r.area_code)}</td>")
        if with_ranks:
            rank = "" if text.is_missing(r.rank) else f"{int(r.rank)} of {int(r.n_ranked)}"
            span = "" if text.is_missing(r.rank_p05) else f"{int(r.rank_p05)} to {int(r.rank_p95)}"
            spot = {"hot": "Hot spot", "cold": "Cold spot", "uncertain": "Uncertain"}.get(r.hot_cold, "") \
                if not text.is_missing(r.hot_cold) else igplus_view.status_words(r.status)
            cells += f'<td class="num">{esc(rank)}</td><td class="num">{esc(span)}</td><td>{esc(spot)}</td>'
            a_rank = "" if text.is_missing(r.a_rank) else f"{int(r.a_rank)} of {int(r.a_n_ranked)}"
            a_span = "" if text.is_missing(r.a_rank_p05) else f"{int(r.a_rank_p05)} to {int(r.a_rank_p95)}"
            cells += f'<td class="num">{esc(a_rank)}</td><td class="num">{esc(a_span)}</td>'
        body.append(f"<tr>{cells}</tr>")
    caption = f"{TYPE_TITLES[area_type]}" + (", by IG+ rank then pillar A rank (1 is best)" if with_ranks
                                              else ", A to Z")
    table_id = f"table-areas-{area_type}"
    return (f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{table_id}-caption">'
            f'<table id="{table_id}"><caption id="{table_id}-caption">{esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def freshness_section(sd: SiteData) -> str:
    if sd.sources.empty:
        return ""
    body = []
    for s in sd.sources.itertuples():
        status = str(getattr(s, "status", "") or "")
        words = {"ok": "Up to date", "stale": "Out of date", "failed": "Failed"}.get(status.lower(), status)
        reason = getattr(s, "stale_reason", None)
        body.append([getattr(s, "title", None) or s.source_id, _releases(getattr(s, "releases", None)),
                     _date(getattr(s, "retrieved_at", None)),
                     words + ("" if text.is_missing(reason) or not reason else f": {reason}")])
    table = data_table("table-freshness", "Data freshness by source",
                       [Column("Source"), Column("Editions used"), Column("Retrieved"), Column("Status")], body)
    return ('<section aria-labelledby="freshness-title"><h2 id="freshness-title">How up to date the data is'
            f"</h2>{table}</section>")


def _releases(value) -> str:
    """marts.sources.releases: the editions loaded, '; '-separated (VARCHAR), or null."""
    return "" if text.is_missing(value) else str(value)


def _date(value) -> str:
    return "" if text.is_missing(value) else str(value)[:16].replace("T", " ")
