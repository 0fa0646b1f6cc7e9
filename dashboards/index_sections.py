"""Index-page sections built from SiteData: IG+ maps and scatter, the list of areas, data freshness."""

from __future__ import annotations

import html as html_lib
import math

import pandas as pd

from . import currency, figures, igplus_view, text, words
from .components import Column, chart_figure, collapsible, data_table, esc, notice, table_wrap
from .data import AREA_TYPES, SiteData

TYPE_TITLES = {
    "region": "Regions",
    "combined_authority": "Combined authorities",
    "lep": "Local Enterprise Partnership (LEP) areas",
    "lad": "Local authorities",
}


def area_href(code: str, prefix: str = "") -> str:
    return f"{prefix}areas/{code}.html"


EXAMPLE_PAGE = "example.html"


def igplus_section(sd: SiteData) -> tuple[str, dict[str, dict]]:
    """The index's IG+ section. With example records, only pillar A (public statistics) is shown here;
    IG+ and pillar B go to the marked example page (example_section), never on the front page."""
    head = (
        '<section aria-labelledby="igplus-index-title"><h2 id="igplus-index-title">Inclusive Growth Plus '
        "(IG+) across England</h2><p>IG+ joins two pillars: pillar A is how people do in a place (pay, "
        "poverty, rough sleeping, social mobility); pillar B is how far local people are involved in "
        "decisions. Scores run from 0 to 100, and higher is better.</p>"
    )
    if igplus_view.scores(sd) is None:
        return head + notice(igplus_view.NOT_YET) + "</section>", {}
    pillars = sorted(igplus_view.level_rows(sd, "pillar", "lad")["component"].dropna().unique())
    if sd.records_example:
        head += notice(
            "The co-production records in this build are made-up examples, so this page shows only "
            "pillar A, which comes from public statistics. IG+ and pillar B scores from the "
            "example records are on a separate page marked as example data."
        )
        head += f'<p><a href="{EXAMPLE_PAGE}">See the example IG+ and pillar B scores (not real)</a></p>'
        layers = [("pillar", p, igplus_view.pillar_label(p)) for p in pillars if p == "A"]
        return _score_maps(sd, head, layers, scatter=False)
    layers = [("igplus", None, "IG+ score")] + [("pillar", p, igplus_view.pillar_label(p)) for p in pillars]
    return _score_maps(sd, head, layers, scatter=len(pillars) >= 2)


def example_section(sd: SiteData) -> tuple[str, dict[str, dict]]:
    """IG+ and pillar B from example records, for the example page only."""
    head = (
        '<section aria-labelledby="example-title"><h2 id="example-title">Example only: IG+ and pillar B '
        "from made-up records</h2>"
        + notice(
            "Every score on this page comes from made-up example co-production records, used to test "
            "the site. They say nothing about any real area. Do not quote them.",
            "warning",
        )
    )
    if igplus_view.scores(sd) is None:
        return head + notice(igplus_view.NOT_YET) + "</section>", {}
    pillars = sorted(igplus_view.level_rows(sd, "pillar", "lad")["component"].dropna().unique())
    layers = [("igplus", None, "Example IG+ score")] + [
        ("pillar", p, "Example " + igplus_view.pillar_label(p)) for p in pillars if p != "A"
    ]
    return _score_maps(sd, head, layers, scatter=len(pillars) >= 2, id_prefix="example-")


def _score_maps(
    sd: SiteData, head: str, layers: list, *, scatter: bool, id_prefix: str = ""
) -> tuple[str, dict[str, dict]]:
    year = igplus_view.latest_year(sd)
    names = sd.areas[["area_code", "area_name"]]
    parts, specs = [head], {}
    periods = igplus_view.input_periods(sd) if any(level == "igplus" or c == "A" for level, c, _ in layers) else ""
    if periods:
        parts.append(f"<p>{esc(periods)}</p>")
    for i, (level, component, title) in enumerate(layers):
        rows = igplus_view.level_rows(sd, level, "lad")
        if component is not None:
            rows = rows[rows["component"] == component]
        rows = names[names["area_code"].isin(sd.members.get("E92000001", []))].merge(
            rows[["area_code", "score", "rank", "n_ranked", "status"]], on="area_code", how="left"
        )
        rows = rows.rename(columns={"score": "value"})
        pillar_a = (level, component) == ("pillar", "A")
        chart_id = f"{id_prefix}igplus-map" + ("" if i == 0 else f"-{i}")
        spec = figures.choropleth(
            rows,
            "Score (0 to 100)",
            zmin=0,
            zmax=100,
            hover=[
                f"<b>{html_lib.escape(str(r.area_name))}</b><br>"
                + (
                    f"Score {r.value:.1f}"
                    + (
                        f", {words.ordinal(r.rank)} of {int(r.n_ranked):,}"
                        if igplus_view.reporting_rules(sd).rank_shown(r.rank, r.n_ranked)
                        else ""
                    )
                    if not text.is_missing(r.value)
                    else igplus_view.unranked_words(sd, r.area_code, r.value, r.status, pillar_a=pillar_a)
                )
                for r in rows.itertuples()
            ],
        )
        specs[chart_id] = spec
        parts.append(
            chart_figure(
                chart_id,
                f"{title} by local authority, {year}",
                figures.chart_html(chart_id, spec),
                _describe_scores(rows, title, year, _county_only(sd) if pillar_a else set()),
                kind="map",
            )
        )
        table = data_table(
            f"table-{chart_id}",
            f"{title} by local authority, {year}, best first",
            [Column("Local authority"), Column("Score", True), Column("Rank", True), Column("Note")],
            [
                [
                    r.area_name,
                    "" if text.is_missing(r.value) else f"{r.value:.1f}",
                    _rank_cell(sd, r.rank, r.n_ranked),
                    igplus_view.status_words(r.status)
                    if not text.is_missing(r.value)
                    else igplus_view.unranked_words(sd, r.area_code, r.value, r.status, pillar_a=pillar_a),
                ]
                for r in rows.sort_values(
                    ["value", "area_name"], ascending=[False, True], na_position="last"
                ).itertuples()
            ],
        )
        parts.append(collapsible("Show the figures behind the map as a table", table))
    if scatter:
        pillars = sorted(igplus_view.level_rows(sd, "pillar", "lad")["component"].dropna().unique())
        parts.append(_scatter(sd, pillars[:2], year, specs, f"{id_prefix}igplus-scatter"))
    parts.append("</section>")
    return "".join(parts), specs


def _rank_cell(sd: SiteData, rank, n_ranked, unranked: str = "") -> str:
    """A rank as shown; unranked: the words for an area without a rank ('' where a Note column says why)."""
    if text.is_missing(rank):
        return unranked
    if not igplus_view.reporting_rules(sd).rank_shown(rank, n_ranked):
        return "Not ranked (too few areas)"
    return f"{words.ordinal(rank)} of {int(n_ranked):,}"


def correlation_words(x: pd.Series, y: pd.Series, min_points: int) -> str:
    """Pearson's r with its 95% confidence interval (Fisher's z), or why none is given."""
    pairs = pd.concat([x, y], axis=1).dropna()
    n = len(pairs)
    if n < max(min_points, 4):
        return f"With only {words.count(n, 'area')} to compare, no correlation is given: it would mean very little."
    r = float(pairs.iloc[:, 0].corr(pairs.iloc[:, 1]))
    if math.isnan(r):
        return "No correlation can be given: one of the scores does not vary."
    z, se = math.atanh(max(min(r, 0.999999), -0.999999)), 1 / math.sqrt(n - 3)
    low, high = math.tanh(z - 1.96 * se), math.tanh(z + 1.96 * se)
    together = (
        "tend to go together"
        if low > 0
        else "tend to go in opposite directions"
        if high < 0
        else "may or may not go together: the likely range includes no link at all"
    )
    return f"Across {n:,} areas the two pillars {together} (correlation {r:.2f}, likely range {low:.2f} to {high:.2f})."


def _county_only(sd: SiteData) -> set[str]:
    """Districts whose social mobility figures are their county's (not used to score them)."""
    values = sd.values
    if "basis" not in values:
        return set()
    return set(
        values.loc[values["indicator_id"].str.startswith("smc_") & (values["basis"] == "inherited"), "area_code"]
    )


def _describe_scores(rows: pd.DataFrame, title: str, year, county_only: set[str] = frozenset()) -> str:
    title = title.removesuffix(" score")
    known = rows[rows["value"].notna()]
    missing = len(rows) - len(known)
    if known.empty:
        return f"No local authority has a score for {title} in {year}."
    best = known.loc[known["value"].idxmax()]
    worst = known.loc[known["value"].idxmin()]
    out = (
        f"In {year}, {words.count(len(known), 'local authority', 'local authorities')} "
        f"{words.has_have(len(known))} a score for {title}. The highest is {best['area_name']} "
        f"({best['value']:.1f}) and the lowest is {worst['area_name']} ({worst['value']:.1f})."
    )
    if missing:
        out += f" {missing:,} {words.has_have(missing)} no score and {'is' if missing == 1 else 'are'} left white."
        county = len(set(rows.loc[rows["value"].isna(), "area_code"]) & county_only)
        no_records = int((rows.loc[rows["value"].isna(), "status"] == "no_records").sum()) if "status" in rows else 0
        if no_records:  # pillar B and IG+: no records is the reason, not a county's figures
            out += (
                f" Of these, {no_records:,} {words.has_have(no_records)} no co-production records yet "
                "(this is not a score of zero)."
            )
        if county:
            out += (
                f" Of these, {county:,} {'is a district' if county == 1 else 'are districts'} whose social "
                "mobility figures are published only for their county; those county figures are not used to "
                "score districts (see the methodology)."
            )
    return out


def _scatter(sd: SiteData, pillars: list, year, specs: dict, chart_id: str = "igplus-scatter") -> str:
    rows = igplus_view.level_rows(sd, "pillar", "lad")
    wide = rows.pivot_table(index="area_code", columns="component", values="score").reset_index()
    if not set(pillars) <= set(wide.columns):
        return ""
    wide = wide.dropna(subset=list(pillars)).merge(sd.areas[["area_code", "area_name"]], on="area_code")
    unc = igplus_view.uncertainty(sd)[["area_code", "hot_cold"]]  # the IG+ label, needing both pillars
    wide = wide.merge(unc, on="area_code", how="left")
    wide["group"] = wide["hot_cold"].map(igplus_view.FIFTH_LABELS).fillna("Not classified")
    x_title, y_title = igplus_view.pillar_label(pillars[0]), igplus_view.pillar_label(pillars[1])
    if wide.empty:
        return notice(f"No local authority has both pillar scores in {year}, so the pillar chart is not drawn.")
    spec = figures.scatter(
        wide.rename(columns={pillars[0]: "x", pillars[1]: "y", "area_name": "label"}), x_title, y_title
    )
    specs[chart_id] = spec
    description = (
        f"{words.count(len(wide), 'local authority', 'local authorities')} "
        f"{words.has_have(len(wide))} both pillar scores in {year}. Each dot is one area; its shape "
        "shows whether it is in the best fifth, the worst fifth or neither. "
        + correlation_words(wide[pillars[0]], wide[pillars[1]], igplus_view.reporting_rules(sd).min_correlation_points)
    )
    table = data_table(
        f"table-{chart_id}",
        f"Pillar scores by local authority, {year}",
        [Column("Local authority"), Column(x_title, True), Column(y_title, True), Column("Group")],
        [
            [r[0], f"{r[1]:.1f}", f"{r[2]:.1f}", r[3]]
            for r in wide[["area_name", pillars[0], pillars[1], "group"]].itertuples(index=False)
        ],
    )
    return chart_figure(
        chart_id,
        f"{x_title} against {y_title}, {year}",
        figures.chart_html(chart_id, spec),
        description,
        kind="scatter",
    ) + collapsible("Show the figures behind the chart as a table", table)


def areas_section(sd: SiteData) -> str:
    ranks = igplus_view.rank_columns(sd)
    with_ranks = not ranks.empty
    show_igplus = with_ranks and not sd.records_example
    parts = [
        '<section aria-labelledby="areas"><h2 id="areas">Area pages</h2><p>Each area has its own page '
        "with its figures, how it compares, and how local people are involved. Type a name, a code or "
        "a short name such as D2N2 in the search box at the top of the page to go straight to it.</p>"
    ]
    if not with_ranks:
        parts.append(notice(igplus_view.NOT_YET + " The lists below show the areas without ranks."))
    elif not show_igplus:
        parts.append(
            "<p>Ranks are on the pillar A score (how people do in the place, from public statistics). "
            "IG+ ranks are not shown: the co-production records in this build are made-up examples.</p>"
        )
    for area_type in AREA_TYPES:
        areas = sd.areas[sd.areas["area_type"] == area_type][["area_code", "area_name"]]
        if areas.empty:
            continue
        rows = areas.merge(ranks, on="area_code", how="left") if with_ranks else areas
        if with_ranks:
            if show_igplus:  # a grouping's IG+ counts only when its records cover enough of it
                reasons = [
                    igplus_view.igplus_reason(
                        sd, r.area_code, {"score": r.score, "status": r.status, "year": igplus_view.latest_year(sd)}
                    )
                    for r in rows.itertuples()
                ]
                real = [not reason for reason in reasons]
                rows = rows.assign(
                    rank=rows["rank"].where(real),
                    hot_cold=rows["hot_cold"].where(real),
                    igplus_note=[  # why a blanked rank is blank: the status's words, else the reason
                        "" if ok else igplus_view.status_words(r.status) or f"Not ranked: {reason}"
                        for ok, reason, r in zip(real, reasons, rows.itertuples())
                    ],
                )
            order = ["rank", "a_rank", "area_name"] if show_igplus else ["a_rank", "area_name"]
            rows = rows.sort_values(order, na_position="last")
        parts.append(f"<h3>{esc(TYPE_TITLES[area_type])} ({len(rows):,})</h3>")
        parts.append(_area_table(sd, area_type, rows, with_ranks, show_igplus))
    parts.append("</section>")
    return "".join(parts)


KIND_LABELS = {
    "region": "region",
    "combined_authority": "combined authority",
    "lep": "LEP area",
    "lad": "local authority",
}


def search_index_js(sd: SiteData) -> str:
    """assets/search.js: every area with a page, as [code, name, kind, other words] for the search box."""
    import json

    from . import names

    areas = sd.areas[sd.areas["area_type"].isin(AREA_TYPES)]
    rows = [
        [
            r.area_code,
            r.area_name,
            KIND_LABELS.get(r.area_type, "area"),
            " ".join(names.search_terms(r.area_code, getattr(r, "published_name", r.area_name), r.area_type)),
        ]
        for r in areas.itertuples()
    ]
    return "window.SiteAreas=" + json.dumps(rows, separators=(",", ":"), ensure_ascii=False) + ";\n"


def search_box(prefix: str = "") -> str:
    """An offline search by name, code or short name: site.js fills the results from assets/search.js.
    Not a <form>: nothing is ever sent anywhere. Without scripts, the hint links to the lists of areas."""
    return (
        f'<div class="area-search" role="search" data-prefix="{prefix}">'
        '<label for="area-search-input">Find an area by name or code</label>'
        '<input id="area-search-input" type="search" autocomplete="off" spellcheck="false" '
        'aria-describedby="area-search-hint" aria-controls="area-search-results">'
        f'<p id="area-search-hint" class="hint">For example Mansfield, E07000174, Nottingham or D2N2. '
        f'Or see the <a href="{prefix}index.html#areas">lists of all areas</a>.</p>'
        '<ul id="area-search-results" class="search-results" aria-live="polite"></ul></div>'
    )


def _span(low, high) -> str:
    return words.rank_range(low, high)


def _area_table(sd: SiteData, area_type: str, rows: pd.DataFrame, with_ranks: bool, show_igplus: bool) -> str:
    head = '<th scope="col">Area</th><th scope="col">Code</th>'
    if show_igplus:
        head += (
            '<th scope="col" class="num">IG+ rank</th><th scope="col" class="num">Likely range</th>'
            '<th scope="col">Best or worst fifth</th>'
        )
    if with_ranks:
        head += '<th scope="col" class="num">Pillar A rank</th><th scope="col" class="num">Pillar A likely range</th>'
    body = []
    for r in rows.itertuples():
        cells = (
            f'<th scope="row"><a href="{esc(area_href(r.area_code))}">{esc(r.area_name)}</a></th>'
            f"<td>{esc(r.area_code)}</td>"
        )
        if show_igplus:
            shown = igplus_view.reporting_rules(sd).rank_shown(r.rank, r.n_ranked)
            rank = _rank_cell(
                sd, r.rank, r.n_ranked, r.igplus_note or igplus_view.unranked_words(sd, r.area_code, r.score, r.status)
            )
            span = _span(r.rank_p05, r.rank_p95) if shown else ""
            spot = igplus_view.FIFTH_LABELS.get(r.hot_cold, "") if shown and not text.is_missing(r.hot_cold) else ""
            cells += f'<td class="num">{esc(rank)}</td><td class="num">{esc(span)}</td><td>{esc(spot)}</td>'
        if with_ranks:
            a_shown = igplus_view.reporting_rules(sd).rank_shown(r.a_rank, r.a_n_ranked)
            a_rank = _rank_cell(
                sd,
                r.a_rank,
                r.a_n_ranked,
                igplus_view.unranked_words(sd, r.area_code, r.a_score, r.a_status, pillar_a=True),
            )
            a_span = _span(r.a_rank_p05, r.a_rank_p95) if a_shown else ""
            cells += f'<td class="num">{esc(a_rank)}</td><td class="num">{esc(a_span)}</td>'
        body.append(f"<tr>{cells}</tr>")
    caption = f"{TYPE_TITLES[area_type]}" + (
        ", by IG+ rank then pillar A rank (1st is best)"
        if show_igplus
        else ", by pillar A rank (1st is best)"
        if with_ranks
        else ", A to Z"
    )
    table_id = f"table-areas-{area_type}"
    n_columns = 2 + (3 if show_igplus else 0) + (2 if with_ranks else 0)
    wide = ' class="wide"' if n_columns >= 4 else ""
    return (
        table_wrap(table_id, n_columns) + f'<table id="{table_id}"{wide}>'
        f'<caption id="{table_id}-caption">{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def freshness_section(sd: SiteData) -> str:
    """Each source: the period of its figures, the release loaded and whether it is known to be the
    newest; failed updates in plain words (never the operator's error text)."""
    if sd.sources.empty:
        return ""
    body, earlier = [], []
    periods = currency.periods_by_source(sd.values)
    for row in sd.sources.to_dict("records"):
        title = row.get("title") or row["source_id"]
        note = currency.update_words(row)
        if note:
            earlier.append(f"{title}: {note}")
        body.append(
            [title, periods.get(row["source_id"], ""), currency.release_words(row), currency.currency_words(row), note]
        )
    table = data_table(
        "table-freshness",
        "How current each source is",
        [
            Column("Source"),
            Column("Figures for"),
            Column("Release used"),
            Column("Is it the newest release?"),
            Column("Note"),
        ],
        body,
    )
    warning = "".join(notice(line, "warning") for line in earlier)
    return (
        '<section aria-labelledby="freshness-title"><h2 id="freshness-title">How up to date the data is'
        f"</h2>{warning}<p>Each source says which period its figures are for, which release of the "
        "publisher's we used, and whether we have checked that no newer release exists.</p>"
        f"{table}</section>"
    )


def _releases(value) -> str:
    """marts.sources.releases: the editions loaded, '; '-separated (VARCHAR), or null."""
    return "" if text.is_missing(value) else str(value)


def _date(value) -> str:
    return "" if text.is_missing(value) else str(value)[:16].replace("T", " ")
