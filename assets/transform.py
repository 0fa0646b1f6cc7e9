"""SQL assets: staging (harmonisation) and marts, one .sql file each under sql/."""

import hashlib

import dagster as dg

from pipelines.resources import InclusionResource
from pipelines.warehouse import Warehouse
from sources.catalogue import indicators_frame, sources_frame

from .igplus import IGPLUS_MART_KEYS
from .records import RECORD_MART_KEYS
from .sources import landing_key
from .sqlstep import ALL_LANDING, MART, STG, sql_asset
from .state import last_built, mark_built

PIPELINE_VERSION = "0.1.0"
CATALOGUE = dg.AssetKey(["landing", "catalogue"])
GEOGRAPHY = landing_key("geography")


@dg.asset(key=CATALOGUE, group_name="landing", kinds={"python", "duckdb"},
          description="The indicator and source catalogues, from the source modules' declarations.")
def catalogue(inclusion: InclusionResource) -> dg.MaterializeResult:
    indicators, sources = indicators_frame(), sources_frame()
    fp = hashlib.sha256((indicators.to_csv() + sources.to_csv()).encode()).hexdigest()[:20]
    with inclusion.warehouse.connect() as con:
        if last_built(con, "landing.catalogue") == fp:
            return dg.MaterializeResult(data_version=dg.DataVersion(fp), metadata={"unchanged": True})
        Warehouse.replace_table(con, "landing", "indicator_catalogue", indicators)
        Warehouse.replace_table(con, "landing", "source_catalogue", sources)
        mark_built(con, "landing.catalogue", fp)
    return dg.MaterializeResult(data_version=dg.DataVersion(fp),
                                metadata={"indicators": len(indicators), "sources": len(sources)})


def _build_info_params(inclusion: InclusionResource) -> dict:
    from sources.archive import now_utc

    from .records import example_data_in_use
    return {"built_at": now_utc(), "target_vintage": inclusion.target_vintage or "newest",
            "example_data": "true" if example_data_in_use(inclusion) else "false",
            "pipeline_version": PIPELINE_VERSION}



transform_assets = [
    catalogue,
    sql_asset("staging", "code_map", [GEOGRAPHY], "LAD codes since 2011 mapped to the target vintage."),
    sql_asset("staging", "indicator_values", ALL_LANDING + [STG("code_map")],
              "Local-authority values harmonised to the target vintage, with the method used."),
    sql_asset("marts", "areas", [GEOGRAPHY], "Areas of the target vintage (LADs, regions, England, CAs, LEPs)."),
    sql_asset("marts", "area_changes", [GEOGRAPHY], "LAD code changes since 2011."),
    sql_asset("marts", "area_boundaries", [GEOGRAPHY], "Simplified LAD boundaries for maps (WGS84 GeoJSON)."),
    sql_asset("marts", "area_groupings", [GEOGRAPHY], "LAD to region, combined authority and LEP."),
    sql_asset("marts", "indicators", [CATALOGUE, STG("indicator_values")],
              "The indicator catalogue, with whether each indicator could be supplied."),
    sql_asset("staging", "upper_tier_map", [STG("code_map")],
              "Two-tier counties and their target-vintage districts."),
    sql_asset("staging", "inherited_values", [STG("indicator_values"), STG("upper_tier_map")],
              "County values passed down to their districts."),
    sql_asset("marts", "indicator_values", [STG("indicator_values"), STG("inherited_values"), GEOGRAPHY],
              "Local-authority values in the ONS tidy style on the target vintage."),
    sql_asset("marts", "unharmonised_values", [STG("indicator_values"), STG("upper_tier_map"), GEOGRAPHY],
              "Values whose area could not be placed on the target vintage."),
    sql_asset("marts", "aggregate_values", ALL_LANDING, "England and region rows as published."),
    sql_asset("marts", "sources", ALL_LANDING + [CATALOGUE], "Data freshness and licence per source."),
    sql_asset("marts", "raw_files", ALL_LANDING, "Provenance of every raw file, by sha256."),
    sql_asset("marts", "source_editions", ALL_LANDING,
              "Which edition supplies each period of each source, and which were superseded."),
]
MART_KEYS = [a.key for a in transform_assets if a.key.path[0] == "marts"] + RECORD_MART_KEYS + IGPLUS_MART_KEYS
transform_assets.append(sql_asset("marts", "build_info", list(MART_KEYS), "Facts about this build.",
                                  params=_build_info_params))
MART_KEYS.append(MART("build_info"))
