"""Built-in frameworks and their points (short labels in our own words; see docs/records.md).

A region adds its own framework by adding rows to the Framework points sheet; these built-in
rows are filled into every template and are always known.
"""
from __future__ import annotations

FRAMEWORKS: dict[str, tuple[str, dict[int, str]]] = {
    "east_midlands_checklist": ("East Midlands Inclusion Checklist (One East Midlands, 2018)", {
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
    }),
    "oxfordshire_inclusive_employment": ("Partnering for inclusive employment, Oxfordshire: six principles", {
        1: "Person-centred, place-based adaptation of policy",
        2: "Invested commitment from every stakeholder",
        3: "Lived-experience leadership of review and action",
        4: "Stable lived-experience-led spaces and organisations",
        5: "Diversity within diversity",
        6: "Trauma awareness",
    }),
    # The public page names three guiding principles without wording we could confirm; an
    # organisation using them can relabel these rows in its workbook.
    "kirklees_inclusive_communities": ("Kirklees Inclusive Communities Framework: guiding principles", {
        1: "Guiding principle 1 (label to confirm locally)",
        2: "Guiding principle 2 (label to confirm locally)",
        3: "Guiding principle 3 (label to confirm locally)",
    }),
}


def builtin_points() -> list[dict]:
    return [{"framework_id": fid, "point_number": n, "label": label}
            for fid, (_, points) in FRAMEWORKS.items() for n, label in points.items()]
