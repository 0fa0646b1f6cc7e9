"""One page per area: a local authority, region, combined authority or LEP."""

from __future__ import annotations

import html as html_lib
from dataclasses import dataclass

import pandas as pd

from . import area_records, coproduction, currency, figures, framework, igplus_view, summary, text, tiles, words
from .components import Column, about_sources, chart_figure, collapsible, data_table, esc, notice
from .data import BASIS_WORDS, SiteData
from .index_sections import area_href, search_box
from .pages import layout
from .readability import flesch_reading_ease

PREFIX = "../"
MAP_ID = "area-map"


@dataclass
class MapLayer:
    """What the area maps are coloured by: one value per LAD, chosen once for the whole site."""

    title: str
    values: dict[str, float]
    unit: str
    period: str
    polarity: str = "higher_is_better"
    england: float | None = None  # the colours diverge around England's value
    zmin: float | None = None  # one national colour range for every area page
    zmax: float | None = None

    def __post_init__(self):
        if self.zmin is None and self.values:
            self.zmin, self.zmax, _ = figures.colour_range(list(self.values.values()))


@dataclass
class AreaPage:
    code: str
    html: str
    charts: list[str]  # chart ids drawn by plotly on the page
    tables: pd.DataFrame  # indicator figures behind the page (for downloads)
    records: pd.DataFrame  # co-production totals (already privacy-protected)
    summary: str
    reading_ease: float


def map_layer(sd: SiteData) -> MapLayer | None:
    """IG+ when most districts have a real IG+ score; else pillar A (public statistics only); else the
    rough sleeping rate. Never a score from example records."""
    igplus = igplus_view.level_rows(sd, "igplus", "lad")
    if not sd.records_example and len(igplus) and igplus["score"].notna().mean() >= 0.5:
        return MapLayer(
            "IG+ score",
            dict(zip(igplus["area_code"], igplus["score"])),
            "score",
            str(igplus_view.latest_year(sd)),
            england=_england_score(sd, "igplus", "igplus"),
        )
    pillar = igplus_view.level_rows(sd, "pillar", "lad")
    pillar = pillar[pillar["component"] == "A"] if len(pillar) else pillar
    if len(pillar) and pillar["score"].notna().any():
        return MapLayer(
            "Pillar A score (inclusive growth outcomes)",
            dict(zip(pillar["area_code"], pillar["score"])),
            "score",
            str(igplus_view.latest_year(sd)),
            england=_england_score(sd, "pillar", "A"),
        )
    rates = sd.values[
        (sd.values["indicator_id"] == "rough_sleeping_rate")
        & sd.values["value"].notna()
        & sd.values["area_code"].isin(sd.members.get("E92000001", []))
    ]
    if rates.empty:
        return None
    period = rates.sort_values("period_end")["period"].iloc[-1]
    latest = rates[rates["period"] == period]
    england = sd.series("E92000001")
    england = england[(england["indicator_id"] == "rough_sleeping_rate") & (england["period"] == period)]
    return MapLayer(
        "Rough sleeping per 100,000 people",
        dict(zip(latest["area_code"], latest["value"])),
        "rate_per_100k",
        str(period),
        "lower_is_better",
        float(england["value"].iloc[0]) if len(england) and england["value"].notna().iloc[0] else None,
    )


def _england_score(sd: SiteData, level: str, component: str) -> float | None:
    rows = igplus_view.level_rows(sd, level)
    rows = rows[(rows["area_code"] == "E92000001") & (rows["component"] == component)] if len(rows) else rows
    return float(rows["score"].iloc[0]) if len(rows) and rows["score"].notna().iloc[0] else None


DOWNLOADS_SLOT = "<!--downloads-->"


def build_area_page(sd: SiteData, code: str, layer: MapLayer | None) -> AreaPage:
    """The page's HTML has DOWNLOADS_SLOT where site.py puts links once the files are written."""
    area = sd.area(code)
    name, area_type = area["area_name"], area.get("area_type")
    lads = sd.members.get(code, [])
    table = tiles.indicator_table(sd, code)
    tile_html, facts = tiles.tiles(sd, code, table)
    measures = coproduction.area_measures(_records_of(sd, lads), lads)
    cover = (
        area_records.members_with(sd, code, sd.records, "measure", int(measures["year"].max()), "records")
        if len(measures)
        else ""
    )
    copro_html, copro_charts, copro_facts = coproduction.section(measures, name, sd.records_example, PREFIX, cover)
    igplus_facts = igplus_view.area_facts(sd, code)
    copro_facts = dict(copro_facts, example=sd.records_example)
    words = summary.summary_text(area, len(lads), facts, igplus_facts, copro_facts)
    charts: dict[str, str] = {}
    map_html = _map_section(sd, code, area, lads, layer, charts)
    charts.update({k: "" for k in copro_charts})
    main = "".join(
        [
            _breadcrumbs(sd, area),
            f'<h1>{esc(name)}</h1><p class="kind">{esc(_kind(area_type))}, area code {esc(code)}</p>',
            _part_of(sd, code, area),
            search_box(PREFIX),
            summary.summary_html(words, _page_note(sd, frozenset(table["source_id"].dropna()))),
            map_html,
            igplus_view.area_section(sd, code, name),
            '<section aria-labelledby="tiles-title"><h2 id="tiles-title">How the area is doing</h2>'
            "<p>Each box shows the latest figure, how it has changed and how it compares. "
            "Open “Show the figures” for the numbers behind the small trend line.</p>"
            f"{_similar_areas(sd, code, name)}{tile_html}</section>",
            copro_html,
            _framework(sd, code, name),
            DOWNLOADS_SLOT,
            _about(sd, table, area_type, code),
        ]
    )
    page = layout(
        name,
        main,
        prefix=PREFIX,
        example_data=sd.example_data,
        charts=bool(charts),
        maps=MAP_ID in charts,
        built_at=sd.build_info.get("built_at", ""),
        current="",
    )
    return AreaPage(
        code, page, list(charts), table, coproduction.download_rows(measures, code), words, flesch_reading_ease(words)
    )


def _records_of(sd: SiteData, lads: list[str]) -> pd.DataFrame:
    """sd.records, or for one local authority only its own rows (split once per build, same order)."""
    if len(lads) != 1:
        return sd.records
    if "records_by_area" not in sd.cache:
        sd.cache["records_by_area"] = dict(tuple(sd.records.groupby("area_code", sort=False)))
    return sd.cache["records_by_area"].get(lads[0], sd.records.iloc[0:0])


def _framework(sd: SiteData, code: str, name: str) -> str:
    table = sd.table("framework_measures")
    own = framework.area_rows(table, sd.cache, code) if table is not None else None
    return framework.section(table, code, name, own)


def _kind(area_type) -> str:
    return {
        "lad": "Local authority",
        "region": "Region",
        "combined_authority": "Combined authority",
        "lep": "Local Enterprise Partnership (LEP) area",
    }.get(str(area_type), "Area")


def _breadcrumbs(sd: SiteData, area: dict) -> str:
    crumbs = [f'<li><a href="{PREFIX}index.html">Overview</a></li>']
    region = area.get("region_code")
    if area.get("area_type") != "region" and not text.is_missing(region) and region in sd.members:
        crumbs.append(f'<li><a href="{area_href(region, PREFIX)}">{esc(sd.name(region))}</a></li>')
    crumbs.append(f'<li aria-current="page">{esc(area["area_name"])}</li>')
    return f'<nav aria-label="Breadcrumb" class="breadcrumbs"><ol>{"".join(crumbs)}</ol></nav>'


def _groupings_of(sd: SiteData, code: str) -> list[str]:
    """The region, combined authority and LEP area(s) a local authority belongs to."""
    if "groupings_of" not in sd.cache:
        reverse: dict[str, list[str]] = {}
        for grouping, lads in sd.members.items():
            if lads != [grouping]:
                for lad in lads:
                    reverse.setdefault(lad, []).append(grouping)
        sd.cache["groupings_of"] = reverse
    return sd.cache["groupings_of"].get(code, [])


def _part_of(sd: SiteData, code: str, area: dict) -> str:
    """'Part of: the East Midlands (region), East Midlands Combined County Authority, ... (D2N2)', linked."""
    if area.get("area_type") != "lad":
        return ""
    order = {"region": 0, "combined_authority": 1, "lep": 2}
    kinds = dict(zip(sd.areas["area_code"], sd.areas["area_type"]))
    found = sorted(
        (g for g in _groupings_of(sd, code) if kinds.get(g) in order), key=lambda g: (order[kinds[g]], sd.name(g))
    )
    if not found:
        return ""
    links = "".join(
        f'<li>{esc(KIND_WORDS[kinds[g]])}: <a href="{area_href(g, PREFIX)}">{esc(sd.name(g))}</a></li>' for g in found
    )
    return f'<nav aria-label="Areas it is part of" class="part-of"><p>Part of</p><ul>{links}</ul></nav>'


KIND_WORDS = {"region": "Region", "combined_authority": "Combined authority", "lep": "LEP area"}


def _similar_areas(sd: SiteData, code: str, name: str) -> str:
    """The statistical neighbours, named and linked: the 'similar areas' the boxes compare with."""
    neighbours = [n for n in tiles.neighbours_of(sd, code) if n in sd.members]
    if not neighbours:
        return ""
    links = "".join(f'<li><a href="{area_href(n, PREFIX)}">{esc(sd.name(n))}</a></li>' for n in neighbours)
    # A district showing its county's social mobility figures was matched without them (methodology).
    found_from = (
        "pay, poverty and rough sleeping figures of their own; its social mobility figures are its county's, so "
        "they were not used"
        if igplus_view.inherited_county(sd, code)
        else "pay, poverty, rough sleeping and social mobility figures of their own"
    )
    return (
        f"<p>The {words.count(len(neighbours), 'area')} most like {esc(name)} (its statistical neighbours, found "
        f"from {found_from}), used as “similar areas” below:</p>"
        f'<ol class="columns similar">{links}</ol>'
    )


def _map_section(sd: SiteData, code: str, area: dict, lads: list[str], layer: MapLayer | None, charts: dict) -> str:
    is_lad = area.get("area_type") == "lad"
    shown = sd.members.get(area.get("region_code"), lads) if is_lad else lads
    head = (
        '<section aria-labelledby="map-title"><h2 id="map-title">'
        + ("Where it is in its region" if is_lad else "Its local authorities")
        + "</h2>"
    )
    parts = _region_map(sd, shown, layer)  # the same for every district of a region: made once
    if parts is None:
        return head + "<p>No local authorities are listed for this area.</p></section>"
    links = "".join(
        f'<li><a href="{area_href(c, PREFIX)}">{esc(n)}</a></li>'
        for c, n in zip(parts["codes"], parts["names"])
        if c != code or not is_lad
    )
    listing = (
        f"<p>{'Other local authorities in the region' if is_lad else 'Local authorities in this area'}:</p>"
        f'<ul class="columns">{links}</ul>'
    )
    if "spec" not in parts:
        return head + notice("No map can be drawn: area boundaries or figures are missing.") + listing + "</section>"
    assert layer is not None
    spec = figures.with_highlight(parts["spec"], code) if is_lad else parts["spec"]
    charts[MAP_ID] = ""
    described = (
        f"Map of {parts['mapped']} local authorities coloured by {_lower_first(layer.title)} in {layer.period}"
        + (f"; {area['area_name']} has a thick black outline." if is_lad else ".")
        + parts["described"]
    )
    return (
        head
        + chart_figure(
            MAP_ID, f"{layer.title}, {layer.period}", figures.chart_html(MAP_ID, spec, PREFIX), described, kind="map"
        )
        + collapsible("Show the figures behind the map as a table", parts["table"])
        + listing
        + "</section>"
    )


def _region_map(sd: SiteData, shown: list[str], layer: MapLayer | None) -> dict | None:
    """What a map of these local authorities shows, whichever of them a page is for: their codes and
    names by name, and when a map can be drawn its spec without a highlighted area, the end of its
    description and its table. None when no local authority is listed. Made once per set of areas."""
    key = ("region_map", tuple(shown), id(layer))
    if key in sd.cache:
        return sd.cache[key]
    rows = sd.areas[sd.areas["area_code"].isin(shown)][["area_code", "area_name"]].sort_values("area_name")
    if rows.empty:
        sd.cache[key] = None
        return None
    parts: dict = {"codes": rows["area_code"].tolist(), "names": rows["area_name"].tolist()}
    sd.cache[key] = parts
    if layer is None or not any(c in sd.boundaries for c in rows["area_code"]):
        return parts
    rows = rows.assign(value=rows["area_code"].map(layer.values))
    hover = [
        f"<b>{html_lib.escape(str(r.area_name))}</b><br>"
        + (text.with_unit(r.value, layer.unit) if not text.is_missing(r.value) else "No value")
        for r in rows.itertuples()
    ]
    mapped = rows[rows["area_code"].isin(sd.boundaries)]
    parts["spec"] = figures.choropleth(
        mapped,
        layer.title,
        hover=[h for h, c in zip(hover, rows["area_code"]) if c in sd.boundaries],
        zmin=layer.zmin,
        zmax=layer.zmax,
        polarity=layer.polarity,
        midpoint=layer.england,
    )
    known = mapped[mapped["value"].notna()]
    parts["mapped"] = len(mapped)
    parts["described"] = (
        (
            f" Values run from {text.with_unit(known['value'].min(), layer.unit)} to "
            f"{text.with_unit(known['value'].max(), layer.unit)}."
            if len(known)
            else ""
        )
        + _colour_words(layer)
        + (
            f" {len(mapped) - len(known)} {words.has_have(len(mapped) - len(known))} no value and "
            f"{'is' if len(mapped) - len(known) == 1 else 'are'} left white."
            if len(known) < len(mapped)
            else ""
        )
    )
    parts["table"] = data_table(
        "table-area-map",
        f"{layer.title} by local authority, {layer.period}",
        [Column("Local authority"), Column(layer.title, True)],
        [[r.area_name, text.with_unit(r.value, layer.unit)] for r in rows.itertuples()],
    )
    return parts


def _colour_words(layer: MapLayer) -> str:
    """How to read the colours: the same national scale on every page, centred on England."""
    worse = "orange" if layer.england is not None else "dark blue"
    out = (
        f" The colours use one scale for all of England, from {text.with_unit(layer.zmin, layer.unit)} to "
        f"{text.with_unit(layer.zmax, layer.unit)} (areas beyond it take the end colours)"
    )
    if layer.england is not None and layer.zmin < layer.england < layer.zmax:
        better = "purple"
        out += (
            f", centred on England ({text.with_unit(layer.england, layer.unit)}): {better} areas do better "
            f"than England and {worse} areas worse"
        )
    return out + "."


def _lower_first(title: str) -> str:
    """'rough sleeping ...' but 'IG+ score' and 'Pillar A' keep their capitals."""
    first = title.split(" ")[0]
    return title if first.isupper() or first.endswith("+") or first == "Pillar" else title[:1].lower() + title[1:]


def downloads_html(downloads: dict[str, str]) -> str:
    if not downloads:
        return ""
    items = "".join(
        f'<li>{esc(label)}: <a href="{PREFIX}{esc(path)}" download>{esc(path.rsplit(".", 1)[-1].upper())}</a></li>'
        for label, path in downloads.items()
    )
    return (
        '<section aria-labelledby="downloads-title"><h2 id="downloads-title">Download the figures</h2>'
        f"<ul>{items}</ul></section>"
    )


def _about(sd: SiteData, table: pd.DataFrame, area_type, code: str) -> str:
    used = set(table["source_id"].dropna()) | {"geography"}
    if len(sd.records):
        used.add("records")
    parts = []
    other = sorted({b for b in table["basis"].dropna().unique() if b not in ("own", "published")})
    if other:
        parts.append(
            notice(
                "Some figures for this area are not published for it directly. They are "
                + "; ".join(BASIS_WORDS.get(b, b) for b in other)
                + ", as marked on each box."
            )
        )
    if sd.records_example:
        parts.append(
            notice(
                "The co-production records in this build are example data, made up for testing. Do not quote them.",
                "warning",
            )
        )
    if len(sd.unavailable):
        parts.append(_unavailable_html(sd))
    if "periods_by_area" not in sd.cache:  # every area's periods in one pass over the values
        sd.cache["periods_by_area"] = currency.periods_by_area(sd.values)
    periods = sd.cache["periods_by_area"].get(code, {})
    key = ("about", frozenset(used), tuple(sorted((s, p) for s, p in periods.items() if s in used)))
    if key not in sd.cache:  # the same sources and periods give the same section (many districts share it)
        sd.cache[key] = about_sources(
            sd.sources[sd.sources["source_id"].isin(used)].reset_index(drop=True), sd.build_info, periods=periods
        )
    return sd.cache[key].replace("</h2>", "</h2>" + "".join(parts), 1)


def _page_note(sd: SiteData, source_ids: frozenset) -> str:
    key = ("page_note", source_ids)
    if key not in sd.cache:
        sd.cache[key] = currency.page_note(sd.sources[sd.sources["source_id"].isin(source_ids)])
    return sd.cache[key]


def _unavailable_html(sd: SiteData) -> str:
    """The same list on every page: made once per build."""
    if "unavailable_html" not in sd.cache:
        items = "".join(
            f"<li>{esc(title)}: {esc(text.plain_reason(reason))}</li>"
            for title, reason in zip(sd.unavailable["title"], sd.unavailable["unavailable_reason"])
        )
        sd.cache["unavailable_html"] = collapsible("Measures we would like to show but cannot yet", f"<ul>{items}</ul>")
    return sd.cache["unavailable_html"]
