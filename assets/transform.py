"""SQL assets: staging (harmonisation) and marts, one .sql file each under sql/."""

import hashlib

import dagster as dg

from pipelines.resources import InclusionResource
from pipelines.warehouse import Warehouse, read_sql
from sources.catalogue import SOURCE_MODULES, indicators_frame, sources_frame

from .sources import landing_key
from .state import inputs_fingerprint, last_built, mark_built

PIPELINE_VERSION = "0.1.0"
ALL_LANDING = [landing_key(s) for s in SOURCE_MODULES]
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


def sql_asset(schema: str, name: str, deps: list[dg.AssetKey], description: str,
              params=None) -> dg.AssetsDefinition:
    """An asset that runs sql/<schema>/<name>.sql, skipped when its inputs are unchanged."""
    relpath = f"{schema}/{name}.sql"

    # Every SQL step waits for all sources to land: its fingerprint covers all of them.
    all_deps = list(dict.fromkeys([*deps, *ALL_LANDING]))

    @dg.asset(key=dg.AssetKey([schema, name]), deps=all_deps, group_name=schema, kinds={"duckdb", "sql"},
              description=description)
    def _sql(context: dg.AssetExecutionContext, inclusion: InclusionResource) -> dg.MaterializeResult:
        bound = params(inclusion) if params else {}
        with inclusion.warehouse.connect() as con:
            upstream = [last_built(con, ".".join(d.path)) or "" for d in deps]
            fp = inputs_fingerprint(con, read_sql(relpath), *upstream, inclusion.target_vintage or "",
                                    with_status=name == "sources")
            step = f"{schema}.{name}"
            if last_built(con, step) == fp and _table_exists(con, schema, name):
                return dg.MaterializeResult(data_version=dg.DataVersion(fp), metadata={"unchanged": True})
            Warehouse.run(con, relpath, bound)
            rows = con.execute("SELECT count(*) FROM " + schema + "." + name).fetchone()[0]
            mark_built(con, step, fp)
        return dg.MaterializeResult(data_version=dg.DataVersion(fp),
                                    metadata={"rows": rows, "sql": dg.MetadataValue.md(
                                        "```sql\n" + read_sql(relpath) + "\n```")})
    return _sql


def _table_exists(con, schema: str, name: str) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = $s "
                       "AND table_name = $n", {"s": schema, "n": name}).fetchone()[0] > 0


def _build_info_params(inclusion: InclusionResource) -> dict:
    from sources.archive import now_utc
    return {"built_at": now_utc(), "target_vintage": inclusion.target_vintage or "newest",
            "example_data": "false", "pipeline_version": PIPELINE_VERSION}


STG = lambda n: dg.AssetKey(["staging", n])  # noqa: E731
MART = lambda n: dg.AssetKey(["marts", n])  # noqa: E731

transform_assets = [
    catalogue,
    sql_asset("staging", "code_map", [GEOGRAPHY], "LAD codes since 2011 mapped to the target vintage."),
    sql_asset("staging", "indicator_values", ALL_LANDING + [STG("code_map")],
              "Local-authority values harmonised to the target vintage, with the method used."),
    sql_asset("marts", "areas", [GEOGRAPHY], "Areas of the target vintage (LADs, regions, England, CAs, LEPs)."),
    sql_asset("marts", "area_changes", [GEOGRAPHY], "LAD code changes since 2011."),
    sql_asset("marts", "area_boundaries", [GEOGRAPHY], "Simplified LAD boundaries for maps (WGS84 GeoJSON)."),
    sql_asset("marts", "area_groupings", [GEOGRAPHY], "LAD to region, combined authority and LEP."),
    sql_asset("marts", "indicators", [CATALOGUE], "The indicator catalogue."),
    sql_asset("marts", "indicator_values", [STG("indicator_values"), GEOGRAPHY],
              "Local-authority values in the ONS tidy style on the target vintage."),
    sql_asset("marts", "unharmonised_values", [STG("indicator_values"), GEOGRAPHY],
              "Values whose area could not be placed on the target vintage."),
    sql_asset("marts", "aggregate_values", ALL_LANDING, "England and region rows as published."),
    sql_asset("marts", "sources", ALL_LANDING + [CATALOGUE], "Data freshness and licence per source."),
    sql_asset("marts", "raw_files", ALL_LANDING, "Provenance of every raw file, by sha256."),
]
MART_KEYS = [a.key for a in transform_assets if a.key.path[0] == "marts"]
transform_assets.append(sql_asset("marts", "build_info", list(MART_KEYS), "Facts about this build.",
                                  params=_build_info_params))
MART_KEYS.append(MART("build_info"))
