"""Small grammar helpers used by every page: ordinals, plurals, place names and basis notes.

One tested helper for each rule, so no page writes "3th", "1 were" or "in the London" by hand.
Everything returns plain text; callers escape it when it goes into HTML.
"""

from __future__ import annotations

import math

COMPASS = ("North", "South", "East", "West")
# The Social Mobility Commission places each area's composite index (a z-score) in one of seven
# categories in half-standard-deviation steps (group_number 1 to 7 in its files; checked against
# the published labels in tests/realdata).
SMC_CATEGORIES = (
    (-1.5, "Least favourable"),
    (-1.0, "Unfavourable"),
    (-0.5, "Lower middling"),
    (0.5, "Middling"),
    (1.0, "Upper middling"),
    (1.5, "Favourable"),
)
SMC_TOP = "Most favourable"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("<NA>", "nan")


def ordinal(value) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd, 101st, 111th, 112th; '' when missing."""
    if _missing(value):
        return ""
    n = int(round(float(value)))
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def plural(n, one: str, many: str | None = None) -> str:
    """The noun for n things: plural(1, 'area') 'area', plural(2, 'authority', 'authorities')."""
    return one if n == 1 else (many if many is not None else one + "s")


def count(n, one: str, many: str | None = None) -> str:
    """'1 area', '2,345 areas'."""
    return f"{int(n):,} {plural(int(n), one, many)}"


def was_were(n) -> str:
    return "was" if n == 1 else "were"


def has_have(n) -> str:
    return "has" if n == 1 else "have"


def the_place(name: str) -> str:
    """'the East Midlands', 'the North East' but 'London', 'Yorkshire and The Humber'."""
    name = str(name)
    return f"the {name}" if name.split(" ")[0] in COMPASS and not name.startswith("the ") else name


def in_place(name: str) -> str:
    """'in London', 'in the East Midlands'."""
    return f"in {the_place(name)}"


def rank_range(low, high) -> str:
    """'3rd to 19th', or 'always 8th' when every simulation gives the same place ('' when missing)."""
    if _missing(low) or _missing(high):
        return ""
    return f"always {ordinal(low)}" if ordinal(low) == ordinal(high) else f"{ordinal(low)} to {ordinal(high)}"


def rank_phrase(rank, n_ranked, of_what: str) -> str:
    """'12th of 296 local authorities'."""
    return f"{ordinal(rank)} of {int(n_ranked):,} {of_what}"


def smc_category(z) -> str:
    """The Social Mobility Commission's own category for a composite index value ('' when missing)."""
    if _missing(z):
        return ""
    z = float(z)
    for upper, label in SMC_CATEGORIES:
        if z < upper or (upper < 0 and z == upper):
            return label
    return SMC_TOP


def basis_note(
    basis,
    basis_area_name,
    area_name,
    area_is_lad: bool = True,
    used=None,
    total=None,
    population_share=None,
    has_value: bool = True,
) -> str:
    """Whose figure a value is, in a short plain sentence ('' for an area's own published figure).

    basis is marts.indicator_values.basis (own, summed, recomputed, inherited) or, for groupings,
    one of the pooled bases of marts.area_values (sum, weighted_mean). used and total: how many of
    the grouping's local authorities a pooled figure comes from (marts.area_values' coverage_areas
    and total_areas), and population_share their share of its people; a figure pooled from only
    some of them says so. has_value: False for a missing value, which a merged area's note must not
    say was added up.
    """
    if _missing(basis) or basis in ("own", "published"):
        return ""
    if basis == "inherited":
        county = basis_area_name if not _missing(basis_area_name) else "county"
        return f"{county} figure; not published for {area_name}."
    if basis in ("summed", "recomputed") and not has_value:  # a former area's figure is missing
        return f"Not worked out: not every former council area that now makes up {area_name} has a figure."
    if basis == "summed":
        return f"Added up from the former council areas that now make up {area_name}."
    if basis == "recomputed":
        return f"Worked out again from the former council areas that now make up {area_name}."
    if basis == "sum":
        if not _missing(used) and not _missing(total) and int(used) < int(total):
            # marts.area_values adds up a count only when every member has one
            some = "none" if int(used) == 0 else f"only {int(used):,}"
            verb = "has" if int(used) <= 1 else "have"
            return (
                f"Not added up: {some} of its {count(int(total), 'local authority', 'local authorities')} "
                f"{verb} a figure, so a total would be short."
            )
        return "Worked out by adding up its local authorities."
    if basis == "weighted_mean":
        part = partial_coverage(used, total, population_share)
        if part:
            return f"Estimated as the population-weighted average of {part}."
        return "Estimated as the average of its local authorities, weighted by population."
    if basis == "recomputed_share":
        return "Worked out from all its local authorities' counts added up, as a share of the total they are out of."
    return ""


def partial_coverage(used, total, population_share=None) -> str:
    """'only 12 of its 17 local authorities (home to 78% of its people): the other 5 have no figure',
    or '' when every one of them has a figure (or the counts are unknown)."""
    if _missing(used) or _missing(total) or int(total) <= 0 or int(used) >= int(total):
        return ""
    used, total = int(used), int(total)
    home = "" if _missing(population_share) else f" (home to {100 * float(population_share):.0f}% of its people)"
    rest = total - used
    others = "the other one has" if rest == 1 else f"the other {rest:,} have"
    return f"only {used:,} of its {count(total, 'local authority', 'local authorities')}{home}: {others} no figure"


# How England's figure for an indicator was got (marts.area_values' England rows, which
# marts.england_values repeats): said beside every comparison with England.
ENGLAND_METHOD = {
    "published": "England's figure is the publisher's own.",
    "sum": "England's figure adds up the counts of all its local authorities (the publisher gives none).",
    "recomputed_share": "England's figure is worked out from all its local authorities: their counts added up, "
    "as a share of the total those counts are out of (the publisher gives none).",
    "weighted_mean": "England's figure is an estimate: the average of its local authorities, weighted by "
    "population (the publisher gives none).",
    "not_available": "There is no England figure: the publisher gives none and it cannot be worked out from "
    "the local authorities.",
}


def england_method(basis) -> str:
    """One sentence on how England's figure was got ('' when unknown)."""
    return "" if _missing(basis) else ENGLAND_METHOD.get(str(basis), "")
