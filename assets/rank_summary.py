"""The Monte Carlo step as the intermediate.igplus_rank_summary asset calls it (assets/igplus.py):
numpy and the simulation (assets/montecarlo.py) are imported when the step runs, not when the
definitions load, so a refresh with nothing new never imports them."""

from __future__ import annotations

# The SQL the simulation reads: the asset's inputs and part of its code version (assets/sqlstep.py).
SQL_INPUTS = (
    "intermediate/igplus_mc_settings.sql",
    "intermediate/igplus_mc_values.sql",
    "intermediate/igplus_mc_cells.sql",
)


def write_rank_summary(con) -> int:
    """Run both simulations on the work database and replace intermediate.igplus_rank_summary."""
    from .montecarlo import write_rank_summary as simulate

    return simulate(con)
