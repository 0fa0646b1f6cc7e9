"""SQL assets: staging (harmonisation) and marts, one .sql file each under sql/, plus the two small
Python assets they read: the catalogue and the sources' refresh status."""

import csv
import io

import dagster as dg

from assets.resources import WarehouseResource
from assets.warehouse import Warehouse, read_sql
from sources.catalogue import indicators_frame, sources_frame
from sources.registry import SOURCE_IDS

from . import landing as ld
from .igplus import IGPLUS_MART_KEYS
from .lineage import digest, python_code_version
from .records import RECORD_MART_KEYS
from .sources import landing_key, raw_key
from .sqlstep import sql_asset
from .versions import Prediction, Versioned, predicts

CATALOGUE = dg.AssetKey(["landing", "catalogue"])
SOURCE_STATUS = dg.AssetKey(["landing", "source_status"])


@dg.asset(
    key=CATALOGUE,
    group_name="landing",
    kinds={"python", "duckdb"},
    code_version=python_code_version("sources.catalogue", *(f"sources.{s}.meta" for s in SOURCE_IDS)),
    description="The indicator and source catalogues, from the source modules' declarations.",
)
def catalogue(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    version = Versioned(context)
    with warehouse.connect() as con:
        if (
            version.unchanged
            and Warehouse.table_exists(con, "landing", "indicator_catalogue")
            and Warehouse.table_exists(con, "landing", "source_catalogue")
        ):
            return version.skipped()
        indicators, sources = indicators_frame(), sources_frame()
        Warehouse.replace_table(con, "landing", "indicator_catalogue", indicators)
        Warehouse.replace_table(con, "landing", "source_catalogue", sources)
    return version.built(indicators=len(indicators), sources=len(sources))


@dg.asset(
    key=SOURCE_STATUS,
    group_name="landing",
    kinds={"duckdb"},
    deps=[*(raw_key(s) for s in SOURCE_IDS), *(landing_key(s) for s in SOURCE_IDS)],
    code_version=python_code_version("assets.landing"),
    description="Each source's refresh outcome (ok, stale with the reason, unavailable), as the raw "
    "and landing steps recorded it in landing.source_status.",
)
def source_status(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    version = Versioned(context, STATUS_PREDICTION.parameters({"warehouse": warehouse}))
    if version.unchanged:
        return version.skipped()
    import pandas as pd  # only for the table shown in the materialization

    names, rows = _status_tables(warehouse)[0]
    return version.built(status=dg.MetadataValue.md(pd.DataFrame(rows, columns=names).to_markdown(index=False)))


def _status_tables(warehouse: WarehouseResource) -> list[tuple[list[str], list[tuple]]]:
    """The sources' outcomes and the publishers' listings, as column names and rows (no DataFrame:
    the planner reads them on every refresh, and a refresh with nothing new needs no pandas)."""
    tables = []
    with warehouse.connect() as con:
        ld.ensure_landing(con)
        for relpath in ("landing/status_state.sql", "landing/publisher_releases_state.sql"):
            cursor = con.execute(read_sql(relpath))
            tables.append(([d[0] for d in cursor.description], cursor.fetchall()))
    return tables


def _csv(names: list[str], rows: list[tuple]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue()


def _status_parameters(resources) -> dict:
    """The outcome (not the attempt times) and what the publishers list: what the freshness marts show."""
    status, releases = _status_tables(resources["warehouse"])
    return {"status": digest(_csv(*status)), "releases": digest(_csv(*releases))}


STATUS_PREDICTION = predicts(SOURCE_STATUS, Prediction(_status_parameters))
predicts(
    CATALOGUE, Prediction(lambda _resources: {}, writes=("landing.indicator_catalogue", "landing.source_catalogue"))
)


transform_assets = [
    catalogue,
    source_status,
    sql_asset("staging", "code_map", "LAD codes since 2011 mapped to the target vintage."),
    sql_asset(
        "staging", "indicator_values", "Local-authority values harmonised to the target vintage, with the method used."
    ),
    sql_asset("marts", "areas", "Areas of the target vintage (LADs, regions, England, CAs, LEPs)."),
    sql_asset("marts", "area_changes", "LAD code changes since 2011."),
    sql_asset("marts", "area_boundaries", "Simplified LAD boundaries for maps (WGS84 GeoJSON)."),
    sql_asset("marts", "area_groupings", "LAD to region, combined authority and LEP."),
    sql_asset("marts", "indicators", "The indicator catalogue, with whether each indicator could be supplied."),
    sql_asset("staging", "upper_tier_map", "Two-tier counties and their target-vintage districts."),
    sql_asset("staging", "inherited_values", "County values passed down to their districts."),
    sql_asset("marts", "indicator_values", "Local-authority values in the ONS tidy style on the target vintage."),
    sql_asset("marts", "unharmonised_values", "Values whose area could not be placed on the target vintage."),
    sql_asset("marts", "aggregate_values", "England and region rows as published."),
    sql_asset(
        "marts",
        "england_values",
        "England for every indicator and period (marts.area_values' England rows): published, summed, "
        "recomputed, population-weighted or stated as not available.",
    ),
    sql_asset(
        "marts",
        "area_values",
        "Every indicator for local authorities and every grouping (region, combined authority, LEP, "
        "ITL2, LSIP, England) by one rule, with the aggregation method and coverage: what the pages "
        "show and the IG+ index uses.",
    ),
    sql_asset("marts", "sources", "Data freshness and licence per source."),
    sql_asset("marts", "raw_files", "Provenance of every raw file, by sha256."),
    sql_asset(
        "marts", "source_editions", "Which edition supplies each period of each source, and which were superseded."
    ),
]
MART_KEYS = [a.key for a in transform_assets if a.key.path[0] == "marts"] + RECORD_MART_KEYS + IGPLUS_MART_KEYS
