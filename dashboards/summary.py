"""A short plain-English summary of an area, generated from its figures.

Sentences are short and use everyday words (the Flesch reading ease of each summary is kept in the
build summary, not shown to readers). Each figure says whose it is (a county's figure is named as
such), and a rank names the score it is a rank on and is given only among enough areas.
"""

from __future__ import annotations

from . import text, words
from .components import esc

KIND_WORDS = {
    "lad": "a local council area",
    "region": "one of the nine regions of England",
    "combined_authority": "a combined authority",
    "lep": "a Local Enterprise Partnership (LEP) area",
    "country": "the whole country",
}
RELATION = {"higher": "more than", "lower": "less than", "similar": "about the same as"}


def _vs_england(fact: dict) -> str:
    relation, _ = fact.get("vs_england") or ("", "")
    if not relation or text.is_missing(fact.get("england_value")):
        return ""
    return (
        f" That is {RELATION[relation]} in England as a whole ({text.with_unit(fact['england_value'], fact['unit'])})."
    )


def _indicator_sentence(fact: dict) -> str:
    iid, v, p = fact["indicator_id"], fact["value"], fact["period"]
    if text.is_missing(v):
        return ""
    shown = text.with_unit(v, fact["unit"])
    if fact.get("basis") == "inherited":
        return ""  # said once, with the county named, by _county_sentence
    if iid == "jobs_below_living_wage_pct":
        sentence = f"In {p}, {shown} of jobs here paid less than the real Living Wage."
    elif iid == "rough_sleeping_rate" and v == 0:  # not "0.0 in every 100,000 people"
        sentence = f"In {p}, no one was found sleeping rough here on the night of the count."
    elif iid == "rough_sleeping_rate":
        sentence = f"In {p}, {text.number(v, fact['unit'])} in every 100,000 people slept rough on one night."
    elif iid == "children_low_income_relative_pct":
        sentence = f"In {p}, {shown} of children lived in a family on low income."
    elif iid == "median_weekly_pay_resident":
        sentence = f"In {p}, half of the employees who live here earned less than {shown}."
    else:
        return ""
    if fact.get("provisional"):  # the publisher may still revise it: said where it is quoted
        sentence = sentence[:-1] + " (a provisional figure)."
    # A grouping's figure pooled from only some of its local authorities says so where it is quoted.
    partial = f" {fact['basis_note']}" if fact.get("pooled_from_some") and fact.get("basis_note") else ""
    return sentence + _vs_england(fact) + partial


def _change_sentence(facts: list[dict]) -> str:
    own = [f for f in facts if f.get("basis") != "inherited"]
    better = [f for f in own if f.get("verdict") == "better"]
    worse = [f for f in own if f.get("verdict") == "worse"]
    if not better and not worse:
        return ""
    return f"Since the previous figures, {len(better)} of the measures we track got better and {len(worse)} got worse."


def _social_mobility_sentence(facts: list[dict], name: str) -> str:
    smc = [f for f in facts if f["indicator_id"].startswith("smc_") and f.get("category")]
    if not smc:
        return ""
    f = next((x for x in smc if x["indicator_id"] == "smc_conditions_of_childhood"), smc[0])
    if f.get("basis") not in ("own", "published"):
        return ""
    return (
        f"On the Social Mobility Commission's {f['title'].split(' (')[0].strip().lower()} index "
        f"for {f['period']}, it is in the \u201c{f['category']}\u201d group."
    )


def _county_sentence(facts: list[dict], name: str) -> str:
    """'Its social mobility figures are Nottinghamshire's: they are not published for Mansfield.'"""
    inherited = [f for f in facts if f.get("basis") == "inherited" and not text.is_missing(f.get("value"))]
    if not inherited:
        return ""
    counties = sorted({str(f.get("basis_note", "")).split(" figure;")[0] for f in inherited} - {""})
    county = " and ".join(counties) or "its county"
    topics = sorted(
        {"social mobility" if f["indicator_id"].startswith("smc_") else f["title"].lower() for f in inherited}
    )
    return (
        f"Its {' and '.join(topics)} {words.plural(len(inherited), 'figure is', 'figures are')} "
        f"{county}\u2019s: {words.plural(len(inherited), 'it is', 'they are')} not published for {name}."
    )


def _rank_sentences(igplus: dict, area_type, n_lads_words: str) -> list[str]:
    if not igplus or igplus.get("headline") in (None, "none") or text.is_missing(igplus.get("score")):
        reason = igplus.get("igplus_reason") if igplus else ""
        return [f"It has no IG+ score because {reason}."] if reason else []
    out = []
    if igplus["headline"] != "IG+":
        out.append(f"It has no IG+ score because {igplus.get('igplus_reason')}.")
    measure = igplus["measure"]
    if igplus.get("rank_shown"):
        out.append(
            f"On the {measure}, it ranks {words.ordinal(igplus['rank'])} of "
            f"{int(igplus['n_ranked']):,} {n_lads_words} in {igplus['year']}."
        )
        if not text.is_missing(igplus.get("rank_p05")):
            low, high = words.ordinal(igplus["rank_p05"]), words.ordinal(igplus["rank_p95"])
            out.append(
                f"Its place stays {low} when we test how sure we are."
                if low == high
                else f"We are not sure of the exact place. It is likely to be between {low} and {high}."
            )
    else:
        out.append(
            f"On the {measure}, it scores {igplus['score']:.1f} out of 100 in {igplus['year']}. "
            f"Too few {n_lads_words} have a score to rank it."
        )
    return out


def summary_text(area: dict, n_lads: int, facts: list[dict], igplus: dict, records: dict) -> str:
    name = area.get("area_name", area.get("area_code"))
    kind = KIND_WORDS.get(area.get("area_type"), "an area")
    region = area.get("region_name")
    where = (
        f" {words.in_place(region)}"
        if area.get("area_type") in ("lad", "combined_authority", "lep") and not text.is_missing(region) and region
        else ""
    )
    sentences = [f"{name} is {kind}{where}."]
    if area.get("area_type") != "lad" and n_lads > 1:
        sentences.append(f"It is made up of {n_lads:,} local council areas.")
    by_id = {f["indicator_id"]: f for f in facts}
    for iid in (
        "jobs_below_living_wage_pct",
        "children_low_income_relative_pct",
        "rough_sleeping_rate",
        "median_weekly_pay_resident",
    ):
        if iid in by_id:
            sentence = _indicator_sentence(by_id[iid])
            if sentence:
                sentences.append(sentence)
    for extra in (_social_mobility_sentence(facts, name), _county_sentence(facts, name), _change_sentence(facts)):
        if extra:
            sentences.append(extra)
    plural_type = {
        "lad": "local authorities",
        "region": "regions",
        "combined_authority": "combined authorities",
        "lep": "LEP areas",
    }.get(area.get("area_type"), "areas")
    sentences += _rank_sentences(igplus, area.get("area_type"), plural_type)
    if records.get("example"):
        sentences.append(
            "The co-production records in this build are made-up examples, so they are not summarised here."
        )
    elif records.get("activities"):
        n = records["activities"]
        sentences.append(
            f"In {records['year']}, local people took part in {words.count(n, 'activity', 'activities')}. "
            f"In {records['codesign']:,} of them, they helped to plan or decide."
        )
    else:
        sentences.append("We have no records yet of how local people are involved here.")
    return " ".join(sentences)


def summary_html(summary: str, currency_note: str = "") -> str:
    note = f'<p class="currency">{esc(currency_note)}</p>' if currency_note else ""
    return (
        '<section aria-labelledby="summary-title" class="summary"><h2 id="summary-title">Summary</h2>'
        f"<p>{esc(summary)}</p>{note}</section>"
    )
