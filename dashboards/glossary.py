"""Plain-English meanings for every specialist word the pages use.

glossary_for(page_text) returns the entries whose term (or one of its spellings) appears on a page,
so each page explains exactly the jargon it uses. tests check that no term in JARGON is left unexplained.
"""

from __future__ import annotations

import re

# term -> (other spellings that count as a use of it, meaning)
TERMS: dict[str, tuple[tuple[str, ...], str]] = {
    "Local authority": (
        ("local authorities", "council"),
        "A district, borough, city or unitary council area. England has about 300.",
    ),
    "Combined authority": (
        ("combined authorities",),
        "A group of neighbouring councils that work together on transport, skills and growth, "
        "often with an elected mayor.",
    ),
    "Local Enterprise Partnership (LEP)": (
        ("LEP", "LEPs", "Local Enterprise Partnership"),
        "A partnership of councils and businesses that led local economic plans. LEP areas are shown as drawn in 2021.",
    ),
    "Region": (("regions",), "One of the nine English regions used for official statistics."),
    "Rate per 100,000 people": (
        ("per 100,000",),
        "How many people for every 100,000 people who live in the area. It lets big and small areas be compared.",
    ),
    "Median": (("median",), "The middle value: half are higher and half are lower."),
    "Real Living Wage": (
        ("Living Wage",),
        "The hourly pay the Living Wage Foundation says people need to get by. It is higher "
        "than the legal minimum wage.",
    ),
    "Low income": (
        ("low income",),
        "A family has low income when its income is below 60% of the middle (median) "
        "income. 'Relative' uses this year's middle income; 'absolute' uses the 2010/11 one.",
    ),
    "Composite index": (
        ("composite", "SMC", "Social Mobility Commission"),
        "A score that combines several measures into one. The Social Mobility "
        "Commission's scores are above 0 when an area does better than average.",
    ),
    "IG+": (
        ("Inclusive Growth +", "IG+ score"),
        "Our Inclusive Growth Plus score. It joins how well people do in a place (pillar A) with how "
        "far people are involved in decisions (pillar B). Higher is better.",
    ),
    "Pillar": (
        ("pillars", "pillar A", "pillar B"),
        "One of the two halves of IG+: A is outcomes for people in the place, B is how far "
        "local people are involved in decisions.",
    ),
    "Rank": (("ranked",), "The place in the list, where 1 is the best."),
    "Likely range": (
        ("rank interval", "uncertainty"),
        "The range the true figure very probably lies in. For ranks, 9 times in 10 our "
        "re-calculations put the area between these two places.",
    ),
    "Statistical neighbours": (
        ("neighbours",),
        "Areas that are most like this one in their people and economy, so fair to compare with.",
    ),
    "Best fifth": (
        ("worst fifth", "quintile"),
        "An area is in the best (or worst) fifth when it ranks among the top (or bottom) fifth of "
        "areas in at least 39 of every 40 simulations that vary the weights, the margins of error "
        "and the scoring method. A fifth of areas is called a quintile.",
    ),
    "Basis": (
        ("not published for", "county figure"),
        "Whose figure a value is. Some figures, such as the Social Mobility Commission's, are published "
        "for a county but not for the districts inside it; a district's page then shows the county's "
        "figure and says so. Such figures are not used to rank districts.",
    ),
    "Social Mobility Commission category": (
        ("Social Mobility Commission category", "Middling"),
        "The Commission places each area in one of seven groups from "
        "'least favourable' to 'most favourable', by how far its index is "
        "above or below the average area (half a standard deviation a step).",
    ),
    "Co-production": (
        ("co-produced", "co-design"),
        "People with lived experience and services plan and decide things together, as "
        "equals. Co-design is one step below: people help design, services decide.",
    ),
    "Ladder of participation": (
        ("ladder",),
        "Seven steps from 1 (people are told what to do) to 7 (full co-production). "
        "Steps 6 and 7 are co-design and co-production.",
    ),
    "Lived experience": (
        ("lived experience",),
        "People who have faced the issue themselves, such as homelessness or low pay.",
    ),
    "You said, we did": (("you said",), "Telling people what was done with their ideas: which were taken up and why."),
    "Framework": (
        ("East Midlands Inclusion Framework",),
        "The East Midlands Inclusion Framework: a set of promises organisations sign up to, with a "
        "checklist to rate themselves.",
    ),
    "Provisional": (("provisional",), "An early figure that the publisher may still change."),
    "Suppressed": (
        ("suppressed", "fewer than 5", "to protect small numbers"),
        "Held back to protect privacy: the number is very small, or a very small number could be worked out from it.",
    ),
    "Reading ease": (
        ("Flesch",),
        "A score from 0 to 100 for how easy text is to read, from the length of its sentences and "
        "words. 60 or more is plain English.",
    ),
    "Open Government Licence": (
        ("OGL",),
        "The free licence most UK public data uses: you may copy and reuse it if you say where it came from.",
    ),
    "Example data": (("made-up",), "Made-up figures used to test the site. Do not quote them."),
}

# Words that must never appear on a page without a glossary entry.
JARGON = (
    "IG+",
    "pillar",
    "quintile",
    "statistical neighbours",
    "co-production",
    "co-design",
    "ladder",
    "median",
    "per 100,000",
    "Living Wage",
    "composite",
    "LEP",
    "combined authority",
    "likely range",
    "lived experience",
    "provisional",
    "suppressed",
    "Flesch",
    "low income",
    "rank interval",
    "best fifth",
)


def _pattern(spellings) -> re.Pattern:
    alternatives = "|".join(re.escape(s) for s in spellings)
    return re.compile(rf"(?<![\w+])(?:{alternatives})(?![\w+])", re.IGNORECASE)


_MATCHERS = {term: _pattern((term.split(" (")[0],) + spellings) for term, (spellings, _) in TERMS.items()}


# Each term's spellings, case-folded. A match of a term's pattern starts where one of its spellings
# occurs in the case-folded page, so the (slow, case-insensitive, whole-word) search is skipped when
# none occurs, and starts at the first occurrence (when folding kept every character's position).
_FOLDED = {
    term: tuple(s.casefold() for s in (term.split(" (")[0],) + spellings) for term, (spellings, _) in TERMS.items()
}


def glossary_for(page_text: str) -> list[tuple[str, str]]:
    folded = page_text.casefold()
    same_positions = len(folded) == len(page_text)
    found = []
    for term, matcher in _MATCHERS.items():
        starts = [i for i in (folded.find(s) for s in _FOLDED[term]) if i >= 0]
        if starts and matcher.search(page_text, min(starts) if same_positions else 0):
            found.append((term, TERMS[term][1]))
    return found


def unexplained(page_text: str, glossary_terms: list[str]) -> list[str]:
    """JARGON words used on a page that no listed glossary entry covers (for tests)."""
    covered = [_MATCHERS[t] for t in glossary_terms]
    return [j for j in JARGON if _pattern((j,)).search(page_text) and not any(m.search(j) for m in covered)]
