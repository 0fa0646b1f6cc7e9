"""What a board member must never read on a page, as checks over a page's visible text.

Used by the unit tests (every generated page of the fixture site) and the browser tests (the real
site, as Chromium renders it). Each check returns the offending snippets; an empty list passes.
"""

from __future__ import annotations

import re

from dashboards.words import ordinal

ORDINAL = re.compile(r"\b(\d[\d,]*)(st|nd|rd|th)\b")
RANK_AMONG_FEW = re.compile(r"\d(?:st|nd|rd|th) (?:out )?of [1-4]\b(?![,.]?\d)|\bout of [1-4]\b(?![,.]?\d)")
SETTING_NAME = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]{2,}\b")
EDITION_CODE = re.compile(r"\bCI\d \d\.\d\b")
OPERATOR_TEXT = re.compile(r"Traceback|Exception|Errno|\bHTTP \d{3}\b|\.py\b|stale_reason|reason: ")
FORBIDDEN_PHRASES = (
    "in the London",
    "1 were ",
    "1 have ",
    "Up to date",
    "Reading ease",
    "Flesch",
    "hot spot",
    "cold spot",
    "Hot spot",
    "Cold spot",
    "comes 1st out of",
)


def bad_ordinals(text: str) -> list[str]:
    return [m.group(0) for m in ORDINAL.finditer(text) if ordinal(int(m.group(1).replace(",", ""))) != m.group(0)]


def ranks_among_fewer_than_five(text: str) -> list[str]:
    return [text[max(0, m.start() - 40) : m.end() + 10] for m in RANK_AMONG_FEW.finditer(text)]


def operator_text(text: str) -> list[str]:
    found = [m.group(0) for m in SETTING_NAME.finditer(text)]
    found += [m.group(0) for m in EDITION_CODE.finditer(text)]
    found += [m.group(0) for m in OPERATOR_TEXT.finditer(text)]
    return found


def forbidden_phrases(text: str) -> list[str]:
    return [p for p in FORBIDDEN_PHRASES if p in text]


def igplus_claims(text: str) -> list[str]:
    """Sentences that give an IG+ rank or score ('On the IG+ score ... ranked 12th')."""
    return re.findall(r"On the IG\+ score[^.]*\.", text)


def board_problems(text: str, *, methodology: bool = False) -> dict[str, list[str]]:
    """Every problem found in one page's visible text. The methodology page documents the method (it
    names settings, data values such as 'hot', and the bad examples it guards against): only its
    ordinals are checked."""
    problems = {"bad ordinals": bad_ordinals(text)}
    if not methodology:
        problems.update(
            {
                "rank among fewer than 5": ranks_among_fewer_than_five(text),
                "forbidden phrase": forbidden_phrases(text),
                "operator text": operator_text(text),
            }
        )
    return {k: v for k, v in problems.items() if v}
