"""A short plain-English summary of an area, generated from its figures, with its reading ease.

Sentences are short and use everyday words so the Flesch reading ease stays at 60 or more; the score
is computed on the text actually shown and printed under it.
"""
from __future__ import annotations

from . import readability, text
from .components import esc
from .igplus_view import _ordinal

KIND_WORDS = {"lad": "a local council area", "region": "one of the nine regions of England",
              "combined_authority": "a combined authority", "lep": "a Local Enterprise Partnership (LEP) area",
              "country": "the whole country"}
RELATION = {"higher": "more than", "lower": "less than", "similar": "about the same as"}


def _vs_england(fact: dict) -> str:
    relation, _ = fact.get("vs_england") or ("", "")
    if not relation or text.is_missing(fact.get("england_value")):
        return ""
    return (f" That is {RELATION[relation]} in England as a whole "
            f"({text.with_unit(fact['england_value'], fact['unit'])}).")


def _indicator_sentence(fact: dict) -> str:
    iid, v, p = fact["indicator_id"], fact["value"], fact["period"]
    if text.is_missing(v):
        return ""
    shown = text.with_unit(v, fact["unit"])
    if iid == "jobs_below_living_wage_pct":
        return f"In {p}, {shown} of jobs here paid less than the real Living Wage." + _vs_england(fact)
    if iid == "rough_sleeping_rate":
        return (f"In {p}, {text.number(v, fact['unit'])} in every 100,000 people slept rough on one night."
                + _vs_england(fact))
    if iid == "children_low_income_relative_pct":
        return f"In {p}, {shown} of children lived in a family on low income." + _vs_england(fact)
    if iid == "median_weekly_pay_resident":
        return f"Half of the workers who live here earn less than {shown}." + _vs_england(fact)
    return ""


def _change_sentence(facts: list[dict]) -> str:
    better = [f for f in facts if f.get("verdict") == "better"]
    worse = [f for f in facts if f.get("verdict") == "worse"]
    if not better and not worse:
        return ""
    return (f"Since the last figures, {len(better)} of the measures we track got better and "
            f"{len(worse)} got worse.")


def summary_text(area: dict, n_lads: int, facts: list[dict], igplus: dict, records: dict) -> str:
    name = area.get("area_name", area.get("area_code"))
    kind = KIND_WORDS.get(area.get("area_type"), "an area")
    region = area.get("region_name")
    where = f" in the {region}" if region and area.get("area_type") in ("lad", "combined_authority", "lep") \
        and not text.is_missing(region) else ""
    sentences = [f"{name} is {kind}{where}."]
    if area.get("area_type") != "lad" and n_lads > 1:
        sentences.append(f"It is made up of {n_lads} local council areas.")
    by_id = {f["indicator_id"]: f for f in facts}
    for iid in ("jobs_below_living_wage_pct", "children_low_income_relative_pct", "rough_sleeping_rate",
                "median_weekly_pay_resident"):
        if iid in by_id:
            sentence = _indicator_sentence(by_id[iid])
            if sentence:
                sentences.append(sentence)
    change = _change_sentence(facts)
    if change:
        sentences.append(change)
    if igplus and not text.is_missing(igplus.get("rank")):
        sentences.append(f"On our IG+ score it comes {_ordinal(igplus['rank'])} out of "
                         f"{int(igplus['n_ranked'])}.")
        if not text.is_missing(igplus.get("rank_p05")):
            low, high = _ordinal(igplus["rank_p05"]), _ordinal(igplus["rank_p95"])
            sentences.append(f"Its place stays {low} when we test how sure we are." if low == high else
                             f"We are not sure of the exact place. It is likely to be between {low} and {high}.")
    if records.get("activities"):
        sentences.append(f"In {records['year']}, local people took part in {records['activities']} "
                         f"activities. In {records['codesign']} of them, they helped to plan or decide.")
    else:
        sentences.append("We have no records yet of how local people are involved here.")
    return " ".join(sentences)


def summary_html(summary: str) -> str:
    score = readability.flesch_reading_ease(summary)
    met = "meets" if score >= readability.TARGET else "does not meet"
    return ('<section aria-labelledby="summary-title" class="summary"><h2 id="summary-title">Summary</h2>'
            f"<p>{esc(summary)}</p>"
            f'<p class="readability">Reading ease of this summary: <strong>{score:.0f}</strong> out of 100 '
            f"({esc(readability.describe(score))}; Flesch reading ease, which {met} our target of "
            f"{readability.TARGET:.0f} or more).</p></section>")
