"""Plain-English wording: number formats, unit phrases, status words and chart descriptions.

Everything here returns plain text; pages.py escapes it when it goes into HTML.
"""

from __future__ import annotations

import math
import re

import pandas as pd

UNIT_PHRASES = {
    "rate_per_100k": "per 100,000 people",
    "percent": "per cent",
    "count": "people",
    "gbp": "pounds a week",
    "gbp_per_hour": "pounds an hour",
    "score": "score",
}

# Observation statuses are always shown as words (sources.tidy.OBSERVATION_STATUSES vocabulary).
STATUS_WORDS = {
    "suppressed": "Suppressed to protect confidentiality",
    "unreliable": "Unreliable estimate",
    "not_available": "Not available",
    "not_applicable": "Not applicable",
    "provisional": "Provisional",
    "estimated": "Estimate",
}


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


# Where a publisher's key gives a status another reason (sources/*: the marker each maps), the reason
# a board reads: ASHE's x withholds an estimate whose coefficient of variation is above 20%
# (sources/living_wage_ashe/quality.py), on quality grounds, not to protect confidentiality.
SOURCE_STATUS_WORDS = {
    ("living_wage_ashe", "suppressed"): "Not published by the ONS: its survey estimate here is too unreliable",
}


def status_words(status, source_id=None) -> str:
    if is_missing(status) or status == "":
        return ""
    if (source_id, str(status)) in SOURCE_STATUS_WORDS:
        return SOURCE_STATUS_WORDS[(source_id, str(status))]
    return STATUS_WORDS.get(str(status), str(status).replace("_", " ").capitalize())


def unit_phrase(unit: str) -> str:
    return UNIT_PHRASES.get(unit, unit.replace("_", " "))


def number(value, unit: str) -> str:
    """1,768 for counts; 12.3 for rates and percentages; 'no value' when missing."""
    if is_missing(value):
        return "no value"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "gbp":
        return f"\u00a3{value:,.0f}"
    if unit == "gbp_per_hour":
        return f"\u00a3{value:,.2f}"
    if unit == "score":
        return f"{value:,.2f}"
    if unit == "percent":
        return f"{value:,.1f}%"
    return f"{value:,.1f}"


def interval(lower, upper, unit: str) -> str:
    if is_missing(lower) or is_missing(upper):
        return ""
    return f"{number(lower, unit)} to {number(upper, unit)}"


def describe_trend(points: pd.DataFrame, subject: str = "Rough sleeping in England") -> str:
    """One sentence: start, peak and latest, e.g. 'rose from 1,768 in 2010 to a peak of ...'."""
    points = points[points["value"].notna()].reset_index(drop=True)
    if points.empty:
        return f"No figures are available for {subject.lower()}."
    fmt = lambda i: f"{number(points.loc[i, 'value'], 'count')} in {points.loc[i, 'period']}"  # noqa: E731
    first, last, peak = 0, len(points) - 1, int(points["value"].idxmax())
    if first == last:
        return f"{subject} was {fmt(last)}."
    if peak not in (first, last):
        return f"{subject} rose from {fmt(first)} to a peak of {fmt(peak)} and was {fmt(last)}."
    if peak == last and points.loc[last, "value"] > points.loc[first, "value"]:
        return f"{subject} rose from {fmt(first)} to {fmt(last)}, the highest in the series."
    if points.loc[last, "value"] < points.loc[first, "value"]:
        return f"{subject} fell from {fmt(first)} to {fmt(last)}."
    return f"{subject} was {fmt(first)} and {fmt(last)}."


def describe_rates(values: pd.DataFrame, period: str, unit: str) -> str:
    """Range and median of a map's values, naming the lowest and highest authorities."""
    known = values[values["value"].notna()]
    missing = len(values) - len(known)
    if known.empty:
        return f"No local authority has a published rate for {period}."
    phrase = unit_phrase(unit)
    low, high = known["value"].min(), known["value"].max()
    text = (
        f"In {period}, rough sleeping rates across {len(known):,} local authorities ranged from "
        f"{number(low, unit)} {phrase} in {_who(known, low)} to {number(high, unit)} in "
        f"{_who(known, high)}. The middle (median) authority had {number(known['value'].median(), unit)}."
    )
    if missing:
        text += f" {missing:,} {_plural(missing, 'authority', 'authorities')} had no published value."
    return text


def _who(known: pd.DataFrame, value: float) -> str:
    names = known.loc[known["value"] == value, "area_name"].tolist()
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{len(names):,} authorities"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def with_unit(value, unit: str) -> str:
    """A value as a reader would say it: '12.3%', '4.1 per 100,000 people', '£612 a week', '1,234'."""
    shown = number(value, unit)
    if is_missing(value) or unit in ("percent", "count", "score", "gbp_per_hour"):
        return shown
    if unit == "gbp":
        return f"{shown} a week"
    return f"{shown} {unit_phrase(unit)}"


def change_words(latest: float, previous: float, polarity: str, unit: str) -> tuple[str, str]:
    """('up'|'down'|'same', 'better'|'worse'|'') comparing latest with previous."""
    if is_missing(latest) or is_missing(previous):
        return "", ""
    if about_same(latest, previous, unit):
        return "same", ""
    direction = "up" if latest > previous else "down"
    return direction, judgement(direction == "up", polarity)


def about_same(a: float, b: float, unit: str) -> bool:
    if unit == "score":
        return abs(a - b) < 0.05
    return abs(a - b) <= 0.01 * max(abs(a), abs(b), 1e-9)


def judgement(higher: bool, polarity: str) -> str:
    if polarity == "higher_is_better":
        return "better" if higher else "worse"
    if polarity == "lower_is_better":
        return "worse" if higher else "better"
    return ""


def compare(value, lower, upper, reference, polarity: str, unit: str) -> tuple[str, str]:
    """('higher'|'lower'|'similar', 'better'|'worse'|'') comparing an area with a reference.

    When the area's likely range (confidence interval) includes the reference, the honest answer is
    'similar'. Counts are not compared: a bigger place simply has more people.
    """
    if unit == "count" or is_missing(value) or is_missing(reference):
        return "", ""
    if about_same(value, reference, unit) or (
        not is_missing(lower) and not is_missing(upper) and lower <= reference <= upper
    ):
        return "similar", ""
    higher = value > reference
    return ("higher" if higher else "lower"), judgement(higher, polarity)


def comparison_sentence(relation: str, verdict: str, label: str, reference_text: str) -> str:
    lead = {"higher": "Higher than", "lower": "Lower than", "similar": "Similar to"}[relation]
    tail = f", which is {verdict}" if verdict else ""
    return f"{lead} {label} ({reference_text}){tail}."


def plain_reason(reason) -> str:
    """Why a measure is missing, for boards: never a setting's name or an error message (those stay
    in the build metadata and the methodology page)."""
    if is_missing(reason) or not str(reason).strip():
        return "not available in this build"
    reason = str(reason)
    if re.search(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]{2,}\b", reason) or "Traceback" in reason or "Error" in reason:
        return "not available in this build: the publisher's service needs access we do not have yet"
    return reason
