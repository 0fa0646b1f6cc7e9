"""Built-in frameworks and their points (short labels in our own words; see docs/records.md).

A region adds its own framework by adding rows to the Framework points sheet; these built-in
rows are filled into every template and are always known.
"""

from __future__ import annotations

FRAMEWORKS: dict[str, tuple[str, dict[int, str]]] = {
    "east_midlands_checklist": (
        "East Midlands Inclusion Checklist (One East Midlands, 2018)",
        {
            1: "Co-produce with people who are excluded",
            2: "Invest time, money and training; quantify and record it",
            3: "Written inclusion policy co-designed with service users",
            4: "Innovate and allow room for failure",
            5: "Build lessons learnt into new programmes",
            6: "Link inclusion to equality and diversity practice",
            7: "Accessible documents and meetings",
            8: "Integrated place-based approach",
            9: "Partners from every relevant sector, documented",
            10: "Inclusion embedded in commissioning and tendering",
            11: "Measure impact: community involvement and social mobility",
        },
    ),
    "oxfordshire_inclusive_employment": (
        "Partnering for inclusive employment, Oxfordshire: six principles",
        {
            1: "Person-centred, place-based adaptation of policy",
            2: "Invested commitment from every stakeholder",
            3: "Lived-experience leadership of review and action",
            4: "Stable lived-experience-led spaces and organisations",
            5: "Diversity within diversity",
            6: "Trauma awareness",
        },
    ),
    # Kirklees Council's framework text (see docs/records.md) says it gives three guiding principles
    # and five inclusive approaches; the page we hold does not word them one by one. Points 1-3 are
    # the three conditions it sets out to build (security, connection, belonging) and points 4-8 the
    # ways of working it describes, all in our words; a partnership can relabel them in its workbook.
    "kirklees_inclusive_communities": (
        "Kirklees Inclusive Communities Framework: principles and approaches",
        {
            1: "Principle: people feel safe and secure where they live",
            2: "Principle: people feel connected to neighbours and others",
            3: "Principle: people feel they belong and are treated fairly",
            4: "Approach: work alongside communities with partners on shared values",
            5: "Approach: place-based working, people shaping their place as citizens",
            6: "Approach: people are heard and can influence decisions",
            7: "Approach: build conditions for inclusion, not cohesion as a problem to fix",
            8: "Approach: use what people already told you; do not ask the same questions again",
        },
    ),
}


def builtin_points() -> list[dict]:
    return [
        {"framework_id": fid, "point_number": n, "label": label}
        for fid, (_, points) in FRAMEWORKS.items()
        for n, label in points.items()
    ]


def framework_title(framework_id: str) -> str:
    """The built-in title, or the id itself for a framework an organisation defined."""
    return FRAMEWORKS[framework_id][0] if framework_id in FRAMEWORKS else framework_id
