"""Flesch reading ease, with a small syllable counter (no third-party package).

Reading ease = 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words).
60 or more is "plain English" (about age 13-15); the issue sets 60 as the target.
A figure such as 1,234 or 12.5 counts as one word of two syllables: read aloud it is longer than a
short word, but counting every spoken syllable would punish every sentence that gives a number.
"""

from __future__ import annotations

import re

TARGET = 60.0
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*|\d[\d,.]*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_NUMBER_SYLLABLES = 2


def syllables(word: str) -> int:
    word = word.lower().strip("'\u2019")
    if not word:
        return 0
    if word[0].isdigit():
        return _NUMBER_SYLLABLES
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", lambda m: m.group(0)[0], word)
    word = re.sub(r"^y", "", word)
    groups = re.findall(r"[aeiouy]+", word)
    return max(1, len(groups))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentence_count(text: str) -> int:
    # Decimal points and thousands separators are not sentence ends: they have no space after them.
    return max(1, len(_SENTENCE_END.findall(text.strip())))


def flesch_reading_ease(text: str) -> float:
    found = words(text)
    if not found:
        return 0.0
    n_syllables = sum(syllables(w) for w in found)
    return 206.835 - 1.015 * len(found) / sentence_count(text) - 84.6 * n_syllables / len(found)


def describe(score: float) -> str:
    if score >= 70:
        return "easy to read"
    if score >= TARGET:
        return "plain English"
    if score >= 50:
        return "fairly hard to read"
    return "hard to read"
