"""Skip derived steps whose inputs have not changed since they were last built."""
from __future__ import annotations

import hashlib

from pipelines.warehouse import Warehouse
from sources.archive import now_utc


def inputs_fingerprint(con, *parts: str, with_status: bool = False) -> str:
    """Fingerprint of every source's landed rows plus the given parts (SQL text, settings).

    with_status adds each source's refresh outcome, for steps that publish freshness.
    """
    Warehouse.run(con, "staging/landing_create_source_status.sql")
    if with_status:
        from .landing import ensure_landing
        ensure_landing(con)
    rows = Warehouse.frame(con, "staging/inputs_state.sql").astype(str).values.tolist()
    if with_status:
        rows += Warehouse.frame(con, "staging/status_state.sql").astype(str).values.tolist()
    text = repr(rows) + "|" + "|".join(parts)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def last_built(con, step: str) -> str | None:
    Warehouse.run(con, "staging/build_state_create.sql")
    row = Warehouse.run(con, "staging/build_state_get.sql", {"step": step}).fetchone()
    return row[0] if row else None


def mark_built(con, step: str, fingerprint: str) -> None:
    Warehouse.run(con, "staging/build_state_create.sql")
    Warehouse.run(con, "staging/build_state_set.sql",
                  {"step": step, "fingerprint": fingerprint, "built_at": now_utc()})
