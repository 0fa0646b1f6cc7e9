"""The last two steps: publish the marts for analysts, then build the dashboards from them."""

from pathlib import Path

import dagster as dg

from assets.resources import IgplusResource, PublishersResource, RecordsResource, WarehouseResource
from assets.warehouse import Warehouse

from .lineage import digest, python_code_version, sql_code_version
from .schema_docs import DOC
from .transform import MART_KEYS
from .versions import Prediction, Versioned, predicts

PUBLISHED = dg.AssetKey(["published_warehouse"])
PIPELINE_VERSION = "0.1.0"
PROJECT = Path(__file__).resolve().parents[1]
SITE_ASSETS = tuple(sorted((PROJECT / "dashboards").glob("*.[cj]s")))  # site.css, site.js


def _build_info(publishers: PublishersResource, records: RecordsResource) -> dict:
    from sources.archive import now_utc

    return {
        "built_at": now_utc(),
        "target_vintage": publishers.target_vintage or "newest",
        "example_data": "true" if records.example_data else "false",
        "pipeline_version": PIPELINE_VERSION,
    }


@dg.asset(
    key=PUBLISHED,
    deps=MART_KEYS,
    group_name="publish",
    kinds={"duckdb"},
    code_version=python_code_version("assets.warehouse", "assets.schema_docs")
    + sql_code_version("marts/build_info.sql"),
    description="build/warehouse.duckdb: the marts and marts.build_info (facts about this build), replaced "
    "atomically after blocking checks pass. Analysts open it read-only; a refresh never "
    "blocks on them.",
)
def published_warehouse(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    publishers: PublishersResource,
    records: RecordsResource,
) -> dg.MaterializeResult:
    facts = _build_info(publishers, records)
    version = Versioned(context, PUBLISH_PREDICTION.parameters({"publishers": publishers, "records": records}))
    published = warehouse.warehouse
    if version.unchanged and published.published_path.exists():
        return version.skipped()
    with warehouse.connect() as con:
        # Written here, just before the copy: built_at is when this warehouse was built.
        Warehouse.run(con, "marts/build_info.sql", facts)
    counts = published.publish()
    return version.built(
        path=dg.MetadataValue.path(str(published.published_path)), tables=dg.MetadataValue.json(counts)
    )


@dg.asset(
    deps=[PUBLISHED],
    group_name="publish",
    kinds={"plotly", "html"},
    code_version=python_code_version("dashboards", extra=SITE_ASSETS),
    description="Static, offline dashboards in build/site/, built from the published warehouse.",
)
def dashboard_site(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, igplus: IgplusResource
) -> dg.MaterializeResult:
    from dashboards.site import build_site

    site_dir = warehouse.layout.site_dir
    # The pages follow the reporting rules of the IG+ config: its content is recorded by hash.
    version = Versioned(context, SITE_PREDICTION.parameters({"igplus": igplus}))
    index = site_dir / "index.html"
    links = {
        "index": dg.MetadataValue.url(index.as_uri()),
        "serve": "inclusion serve  (then open http://127.0.0.1:8000/)",
    }
    if version.unchanged and index.exists():
        return version.skipped(**links)
    with warehouse.warehouse.published_marts() as marts:  # never the published file: analysts may hold it
        summary = build_site(marts, site_dir, igplus_config=igplus.config_path)
    return version.built(**links, summary=dg.MetadataValue.json(summary))


def _publish_parameters(resources) -> dict:
    """The build facts but the time, and docs/warehouse.md (the COMMENT ON text) by hash."""
    facts = _build_info(resources["publishers"], resources["records"])
    doc = digest(DOC.read_text()) if DOC.exists() else ""
    return {**{k: v for k, v in facts.items() if k != "built_at"}, "schema_doc": doc}


def _site_parameters(resources) -> dict:
    """The pages follow the reporting rules of the IG+ config: its content, by hash."""
    return {"igplus_config": digest(resources["igplus"].config_path.read_bytes())}


PUBLISH_PREDICTION = predicts(
    PUBLISHED,
    Prediction(_publish_parameters, lambda r: not r["warehouse"].warehouse.published_path.exists()),
)
SITE_PREDICTION = predicts(
    dashboard_site.key,
    Prediction(_site_parameters, lambda r: not (r["warehouse"].layout.site_dir / "index.html").exists()),
)
