"""Recognise SMC indicator files published for ITL2 areas (e.g. IN31 economic activity) and say why
they are not parsed.

Their ITL2 rows are not area rates: in IN31 each is a random effect from a mixed-effects model
(percentage-point deviation from the UK, CI often spanning 0) by where people lived as adolescents,
with a blank area_code, so they cannot sit beside LA values or be keyed without a name->ITL2 join.
"""

from __future__ import annotations

import csv

from ..archive import RawFile


def itl2_skip_note(raw: RawFile) -> str | None:
    """The skip note for an SMC '--full-dataset.csv' holding ITL2 rows, else None."""
    if not raw.original_name.lower().endswith("--full-dataset.csv"):
        return None
    try:
        with open(raw.path, encoding="utf-8-sig", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if r.get("area_type") == "ITL2"]
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    if not rows:
        return None
    notes = sorted({r.get("value_note") or "" for r in rows} - {""})
    periods = sorted({r.get("time_period") or "" for r in rows})
    return (
        f"skipped {raw.original_name}: ITL2-level '{rows[0].get('measure_title')}' "
        f"({len(rows)} ITL2 rows, {len({r['area_name'] for r in rows})} ITL2 areas, "
        f"period {', '.join(periods)}; {'; '.join(notes) or 'no value note'}): "
        "not LA values and area_code is blank, so not parsed"
    )
