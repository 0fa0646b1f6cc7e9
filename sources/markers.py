"""Publisher shorthand in value cells -> observation_status (the value itself is NULL). One map for
every source, so the same marker means the same thing whichever publisher used it.

The bracketed symbols are the Government Statistical Service's ("Symbols in tables": [c]
confidential, [x] not available, [z] not applicable, [u] low reliability, [low] rounds to nil);
the bare forms (c, x, z, .., :, -) are the older shorthand the same publishers still use in back
series. A publisher whose own key adds a marker (the SMC's NA) or gives one another meaning (ASHE:
x = CV above 20%) passes it as `overrides`, next to the key it quotes.
"""

from __future__ import annotations

GSS_MARKERS = {
    "[c]": "suppressed",
    "c": "suppressed",
    "[low]": "suppressed",  # nil or negligible after disclosure control: a value is withheld
    "[x]": "not_available",
    "x": "not_available",
    "..": "not_available",
    ":": "not_available",
    "-": "not_available",  # nil or negligible: not said to be exactly 0, so no number is made up
    "[z]": "not_applicable",
    "z": "not_applicable",
    "[n]": "not_applicable",
    "[u]": "unreliable",
}


def marker_status(text: str, overrides: dict[str, str] | None = None) -> str | None:
    """The observation_status a marker stands for (case and surrounding spaces ignored), or None
    when the text is not a marker."""
    key = text.strip().lower()
    if overrides and key in overrides:
        return overrides[key]
    return GSS_MARKERS.get(key)


def known_markers(overrides: dict[str, str] | None = None) -> list[str]:
    """The markers accepted, for error messages."""
    return sorted({*GSS_MARKERS, *(overrides or {})})
