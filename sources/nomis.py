"""Nomis (ONS's labour-market and population API) conventions shared by every source that reads it.

OBS_STATUS codes, as Nomis documents them, in our observation_status words (None: a normal value).
"""

from __future__ import annotations

NOMIS_STATUS = {
    "A": None,
    "B": None,  # break in series: the value itself is normal
    "E": "estimated",
    "F": "estimated",
    "I": "estimated",
    "P": "provisional",
    "Q": "unreliable",
    "X": "not_available",
    "M": "not_available",
    "-": "not_available",
    "!": "suppressed",
    "*": "suppressed",
    "C": "suppressed",
    "Z": "not_applicable",
}
# Statuses that come with no value at all.
VALUELESS = {"not_available", "suppressed", "not_applicable"}


class UnknownNomisStatus(ValueError):
    pass


def nomis_status(code: str) -> str | None:
    """Our word for a Nomis OBS_STATUS code (blank counts as 'A'); UnknownNomisStatus otherwise."""
    key = code.strip() or "A"
    if key not in NOMIS_STATUS:
        raise UnknownNomisStatus(f"unknown Nomis OBS_STATUS {key!r}")
    return NOMIS_STATUS[key]
