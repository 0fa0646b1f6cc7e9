"""Unambiguous names for groupings, and the short names people search by.

The geography lookups name a combined authority after its place ("East Midlands", "North East"),
which reads as the region of the same name. Pages use the body's own name instead ("East Midlands
Combined County Authority") and call a LEP area a LEP ("North East LEP"). Well-known short names
(D2N2, SEMLEP, GFirst) are shown beside the LEP's name and found by the search box.
"""

from __future__ import annotations

# Combined county authorities (Levelling-up and Regeneration Act 2023) and other bodies whose legal
# name is not "<place> Combined Authority".
COMBINED_AUTHORITY_NAMES = {
    "E47000002": "South Yorkshire Mayoral Combined Authority",
    "E47000013": "East Midlands Combined County Authority",
    "E47000015": "Devon and Torbay Combined County Authority",
    "E47000017": "Greater Lincolnshire Combined County Authority",
    "E47000018": "Lancashire Combined County Authority",
}
# The short names the LEPs went by (codes of the 2021 LEP boundaries).
LEP_SHORT_NAMES = {
    "E37000001": "BCLEP",
    "E37000006": "CWLEP",
    "E37000011": "GFirst",
    "E37000012": "GBSLEP",
    "E37000016": "HotSW",
    "E37000021": "LLEP",
    "E37000032": "SSLEP",
    "E37000033": "SWLEP",
    "E37000035": "TVB LEP",
    "E37000036": "The Marches LEP",
    "E37000045": "D2N2",
    "E37000052": "New Anglia LEP",
    "E37000056": "SELEP",
    "E37000057": "SEMLEP",
    "E37000059": "GCGP",
}


def display_name(code: str, name: str, area_type: str) -> str:
    """The name pages show: 'East Midlands Combined County Authority', 'D2N2 LEP area' style names."""
    name = str(name)
    if area_type == "combined_authority":
        if code in COMBINED_AUTHORITY_NAMES:
            return COMBINED_AUTHORITY_NAMES[code]
        return name if "authority" in name.lower() else f"{name} Combined Authority"
    if area_type == "lep":
        base = name if name.upper().endswith("LEP") or "enterprise partnership" in name.lower() else f"{name} LEP"
        short = LEP_SHORT_NAMES.get(code)
        return f"{base} ({short})" if short and short.lower() not in base.lower() else base
    return name


def search_terms(code: str, name: str, area_type: str) -> list[str]:
    """Extra words that find an area: its short name (D2N2) and its place name as published."""
    terms = [str(name)]
    if area_type == "lep" and code in LEP_SHORT_NAMES:
        terms.append(LEP_SHORT_NAMES[code])
    return terms
