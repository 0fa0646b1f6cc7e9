"""The Inclusive Growth + index (docs/methodology.md): the versioned config file loaded into
landing.igplus_config_* tables, then SQL steps for values, scores, ranks, the Monte Carlo,
statistical neighbours, the sensitivity table and the Framework impact measures.

The config loader at the top is plain Python (no Dagster) so tests and analysts can use it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

if TYPE_CHECKING:
    import pandas as pd
import yaml

from assets.resources import IgplusResource, WarehouseResource
from assets.settings import DEFAULT_IGPLUS_CONFIG
from assets.warehouse import Warehouse

from .checks import build_sql_check
from .lineage import python_code_version
from .rank_summary import write_rank_summary
from .records import MIN_PEOPLE
from .records_reports import area_assets, area_checks
from .sqlstep import MART, sql_asset
from .versions import Prediction, Versioned, predicts

DEFAULT_CONFIG = DEFAULT_IGPLUS_CONFIG
POLARITIES = ("higher_is_better", "lower_is_better")
NORMALISATIONS = ("goalposts", "zscore", "rank")
PILLAR_SOURCES = ("public", "records")


class IgplusConfigError(ValueError):
    """The config file is not usable; the message names the file and the key."""


def load_config(path: Path) -> dict:
    """Read and validate one config file; returns the parsed mapping."""
    try:
        config = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise IgplusConfigError(f"{path}: cannot read the IG+ config: {exc}") from None

    def fail(key: str, problem: str):
        raise IgplusConfigError(f"{path}: {key}: {problem}")

    if not isinstance(config, dict):
        fail("(top)", "expected a mapping")
    for key in ("version", "years", "baseline_year", "pillars", "domains", "components", "monte_carlo"):
        if key not in config:
            fail(key, "missing")
    for name, pillar in config["pillars"].items():
        if pillar.get("source") not in PILLAR_SOURCES:
            fail(f"pillars.{name}.source", f"must be one of {PILLAR_SOURCES}")
    for name, domain in config["domains"].items():
        if domain.get("pillar") not in config["pillars"]:
            fail(f"domains.{name}.pillar", f"unknown pillar {domain.get('pillar')!r}")
    for key, item in [*config["pillars"].items(), *config["domains"].items(), *config["components"].items()]:
        if not isinstance(item.get("weight"), (int, float)) or item["weight"] < 0:
            fail(f"{key}.weight", "must be a number >= 0")
    for name, comp in config["components"].items():
        if comp.get("domain") not in config["domains"]:
            fail(f"components.{name}.domain", f"unknown domain {comp.get('domain')!r}")
        if not comp.get("candidates"):
            fail(f"components.{name}.candidates", "needs at least one series")
        for i, cand in enumerate(comp["candidates"]):
            where = f"components.{name}.candidates[{i}]"
            if cand.get("polarity") not in POLARITIES:
                fail(where + ".polarity", f"must be one of {POLARITIES}")
            if not float(cand["min"]) < float(cand["max"]):
                fail(where, "goalpost min must be below max")
    mc = config["monte_carlo"]
    probabilities = mc.get("normalisations", {"goalposts": 1.0})
    if set(probabilities) - set(NORMALISATIONS) or abs(sum(probabilities.values()) - 1) > 1e-9:
        fail("monte_carlo.normalisations", f"chances for {NORMALISATIONS} adding up to 1")
    if not 0 <= float(mc.get("weight_jitter", 0)) < 1:
        fail("monte_carlo.weight_jitter", "must be in [0, 1)")
    if int(mc.get("draws", 0)) < 1:
        fail("monte_carlo.draws", "must be at least 1")
    if not 0.5 < float(mc.get("label_share", 0.975)) <= 1:
        fail("monte_carlo.label_share", "must be above 0.5 and at most 1")
    return config


def config_tables(config: dict, config_set: str, path: Path) -> dict[str, pd.DataFrame]:
    """The config as flat tables (one row per pillar, domain, component candidate, normalisation)."""
    import pandas as pd

    availability, mc = config.get("availability", {}), config["monte_carlo"]
    neighbours = config.get("neighbours", {})
    years = config["years"]
    mc_years = mc.get("years") or list(range(int(years["first"]), int(years["last"]) + 1))
    settings = pd.DataFrame(
        [
            {
                "config_set": config_set,
                "version": str(config["version"]),
                "path": str(path),
                "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(),
                "first_year": int(years["first"]),
                "last_year": int(years["last"]),
                "baseline_year": int(config["baseline_year"]),
                "max_lag_years": int(config.get("alignment", {}).get("max_lag_years", 0)),
                "domain_min_coverage": float(availability.get("domain_min_coverage", 0.5)),
                "pillar_min_coverage": float(availability.get("pillar_min_coverage", 0.6)),
                "igplus_min_coverage": float(availability.get("igplus_min_coverage", 1.0)),
                "grouping_min_population_coverage": float(availability.get("grouping_min_population_coverage", 0.5)),
                "geometric_floor": float(config.get("geometric_floor", 1.0)),
                "mc_draws": int(mc["draws"]),
                "mc_seed": int(mc.get("seed", 0)),
                "mc_label_share": float(mc.get("label_share", 0.975)),
                "mc_weight_jitter": float(mc.get("weight_jitter", 0)),
                "mc_value_uncertainty": bool(mc.get("value_uncertainty", True)),
                "mc_years": [int(y) for y in mc_years],
                "neighbours_count": int(neighbours.get("count", 10)),
                "neighbours_year": int(neighbours.get("year", years["last"])),
            }
        ]
    )
    pillars = pd.DataFrame(
        [
            {
                "config_set": config_set,
                "pillar": k,
                "pillar_name": v.get("name", k),
                "source": v["source"],
                "weight": float(v["weight"]),
            }
            for k, v in config["pillars"].items()
        ]
    )
    domains = pd.DataFrame(
        [
            {"config_set": config_set, "domain": k, "pillar": v["pillar"], "weight": float(v["weight"])}
            for k, v in config["domains"].items()
        ]
    )
    components = pd.DataFrame(
        [
            {
                "config_set": config_set,
                "component": name,
                "domain": comp["domain"],
                "pillar": config["domains"][comp["domain"]]["pillar"],
                "weight": float(comp["weight"]),
                "candidate_order": i + 1,
                "indicator_id": cand["indicator_id"],
                "polarity": cand["polarity"],
                "goalpost_min": float(cand["min"]),
                "goalpost_max": float(cand["max"]),
            }
            for name, comp in config["components"].items()
            for i, cand in enumerate(comp["candidates"])
        ]
    )
    cumulative, rows = 0.0, []
    for method in NORMALISATIONS:
        chance = float(mc.get("normalisations", {"goalposts": 1.0}).get(method, 0.0))
        rows.append(
            {
                "config_set": config_set,
                "method": method,
                "probability": chance,
                "cum_low": cumulative,
                "cum_high": cumulative + chance,
            }
        )
        cumulative += chance
    return {
        "settings": settings,
        "pillars": pillars,
        "domains": domains,
        "components": components,
        "normalisations": pd.DataFrame(rows),
    }


# --- Dagster wiring ---------------------------------------------------------------------------

CONFIG_KEY = dg.AssetKey(["landing", "igplus_config"])
GEOGRAPHY = dg.AssetKey(["landing", "geography"])
CONFIG_TABLES = ("settings", "pillars", "domains", "components", "normalisations")


@dg.asset(
    key=CONFIG_KEY,
    group_name="landing",
    kinds={"python", "duckdb"},
    code_version=python_code_version("assets.igplus"),
    description="The IG+ config (the igplus resource: INCLUSION_IGPLUS_CONFIG, else config/igplus.v1.yaml) "
    "and the default config, as landing.igplus_config_* tables (config_set current/default).",
)
def igplus_config(context, warehouse: WarehouseResource, igplus: IgplusResource) -> dg.MaterializeResult:
    current_path = igplus.config_path
    try:
        sets = {
            "current": (current_path, load_config(current_path)),
            "default": (DEFAULT_CONFIG, load_config(DEFAULT_CONFIG)),
        }
    except IgplusConfigError as exc:
        raise dg.Failure(description=str(exc)) from None
    version = Versioned(context, _config_parameters({"igplus": igplus}))
    metadata = {
        "config": str(current_path),
        "version": str(sets["current"][1]["version"]),
        "same_as_default": current_path == DEFAULT_CONFIG,
    }
    with warehouse.connect() as con:
        if version.unchanged and all(
            Warehouse.table_exists(con, "landing", f"igplus_config_{n}") for n in CONFIG_TABLES
        ):
            return version.skipped(**metadata)
        import pandas as pd  # only to rebuild the tables

        tables = {
            name: pd.concat([config_tables(cfg, s, p)[name] for s, (p, cfg) in sets.items()], ignore_index=True)
            for name in CONFIG_TABLES
        }
        for name, frame in tables.items():
            Warehouse.replace_table(con, "landing", f"igplus_config_{name}", frame)
    return version.built(**metadata)


def _config_parameters(resources) -> dict:
    """The files' contents are the inputs: recorded by hash, so an edited config rebuilds the index."""
    paths = {"current": resources["igplus"].config_path, "default": DEFAULT_CONFIG}
    return {s: hashlib.sha256(Path(p).read_bytes()).hexdigest()[:16] for s, p in paths.items()}


predicts(CONFIG_KEY, Prediction(_config_parameters, writes=tuple(f"landing.igplus_config_{n}" for n in CONFIG_TABLES)))


igplus_assets = [
    igplus_config,
    sql_asset(
        "intermediate", "lad_rollup", "Every LAD with the areas it counts towards: itself, its groupings and England."
    ),
    sql_asset(
        "intermediate",
        "igplus_records_values",
        "Pillar B inputs per area and year from the co-production records (ratios, medians).",
        params={"min_people": MIN_PEOPLE},
    ),
    sql_asset(
        "intermediate",
        "igplus_values",
        "IG+ component values per config, area and year: year-aligned, fallbacks, aggregated.",
    ),
    sql_asset(
        "intermediate",
        "igplus_scores_all",
        "IG+ indicator, domain, pillar and index scores and ranks for the current and default config.",
    ),
    sql_asset(
        "marts", "statistical_neighbours", "Each area's nearest neighbours on the pillar A indicators (same area type)."
    ),
    sql_asset(
        "marts",
        "igplus_scores",
        "IG+ scores with rank, change since baseline, England/region/neighbour comparison, quintile.",
    ),
    sql_asset(
        "intermediate",
        "igplus_rank_summary",
        "Monte Carlo ranks (weights, confidence intervals, normalisation), two runs: 'seeded' "
        "(monte_carlo.seed) and 'reference' (keyed by the method version), summarised per area; "
        "numpy in blocks of draws (assets/montecarlo.py, called by assets/rank_summary.py).",
        compute=write_rank_summary,
    ),
    sql_asset(
        "marts",
        "igplus_uncertainty",
        "Median, 5th and 95th percentile rank from the seeded run; hot/cold/uncertain from the "
        "reference run, so a new seed cannot move a label.",
    ),
    sql_asset(
        "marts",
        "igplus_sensitivity",
        "Which areas moved, and by how much, under the current config versus the default.",
    ),
    sql_asset(
        "marts",
        "framework_measures",
        "East Midlands Inclusion Framework impact measures per organisation and area over time.",
        params={"min_people": MIN_PEOPLE},
    ),
]
igplus_assets += area_assets  # Place Standard and activity profile per area (assets/records_reports.py)
IGPLUS_MART_KEYS = [a.key for a in igplus_assets if a.key.path[0] == "marts"]

igplus_checks = [
    build_sql_check("igplus_ranks_ordered", MART("igplus_uncertainty")),
    build_sql_check("igplus_scores_in_range", MART("igplus_scores")),
    build_sql_check("igplus_no_score_without_records", MART("igplus_scores")),
    build_sql_check("igplus_inherited_not_scored", MART("igplus_scores")),
    build_sql_check("igplus_people_suppressed", MART("framework_measures"), {"min_people": MIN_PEOPLE}),
    *area_checks,
]
