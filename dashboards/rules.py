"""When a rank or a pooled figure means something: the reporting rules of config/igplus.v1.yaml.

A rank among very few areas ("1st out of 2") says nothing, and a grouping's figure pooled from the
co-production records of a sliver of its districts is not that grouping's figure. The thresholds
live in the IG+ config file (section `reporting`); the site is given the file the index was built
with (build_site(igplus_config=...)), never reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_CONFIG = Path(__file__).resolve().parents[1] / "config" / "igplus.v1.yaml"
FLOOR_RANKED_AREAS = 5
# Columns that place an area in an order; blanked in downloads where too few areas are ranked.
RANK_COLUMNS = ("rank", "quintile", "median_rank", "rank_p05", "rank_p95")


@dataclass(frozen=True)
class Rules:
    min_ranked_areas: int = 5
    grouping_min_records_coverage: float = 0.5
    min_correlation_points: int = 10

    def rank_shown(self, rank, n_ranked) -> bool:
        """A rank is shown only among at least min_ranked_areas areas."""
        try:
            return rank == rank and rank is not None and int(n_ranked) >= self.min_ranked_areas
        except (TypeError, ValueError):
            return False

    def without_small_ranks(self, frame):
        """A copy of a table for download with every rank among too few areas blanked out.

        The site's CSV and Parquet files follow the same rule as its pages; the warehouse keeps
        rank and n_ranked side by side for analysts.
        """
        if "n_ranked" not in frame.columns:
            return frame
        small = ~(frame["n_ranked"].astype("Float64") >= self.min_ranked_areas).fillna(False)
        columns = [c for c in RANK_COLUMNS if c in frame.columns]
        if not small.any() or not columns:
            return frame
        frame = frame.copy()
        for column in columns:
            frame[column] = frame[column].astype(object).where(~small.to_numpy(), None)
        return frame

    def coverage_enough(self, share) -> bool:
        try:
            return float(share) >= self.grouping_min_records_coverage
        except (TypeError, ValueError):
            return False


def load(path: Path | None = None) -> Rules:
    """The `reporting` section of the IG+ config at `path` (default config/igplus.v1.yaml; defaults
    when the section is absent); at least 5 ranked areas."""
    path = path or DEFAULT_CONFIG
    try:
        config = yaml.safe_load(Path(path).read_text()) or {}
    except (OSError, yaml.YAMLError):
        config = {}
    section = config.get("reporting") or {}
    rules = Rules(
        min_ranked_areas=int(section.get("min_ranked_areas", 5)),
        grouping_min_records_coverage=float(section.get("grouping_min_records_coverage", 0.5)),
        min_correlation_points=int(section.get("min_correlation_points", 10)),
    )
    if rules.min_ranked_areas < FLOOR_RANKED_AREAS:
        raise ValueError(f"{path}: reporting.min_ranked_areas: must be at least {FLOOR_RANKED_AREAS}")
    if not 0 < rules.grouping_min_records_coverage <= 1:
        raise ValueError(f"{path}: reporting.grouping_min_records_coverage: must be above 0 and at most 1")
    return rules
