"""The last two steps: publish the marts for analysts, then build the dashboards from them."""

import hashlib
from pathlib import Path

import dagster as dg

from pipelines.resources import InclusionResource

from .state import inputs_fingerprint, last_built, mark_built
from .transform import MART_KEYS

PUBLISHED = dg.AssetKey(["published_warehouse"])
DASHBOARDS_DIR = Path(__file__).resolve().parents[1] / "dashboards"


@dg.asset(key=PUBLISHED, deps=MART_KEYS, group_name="publish", kinds={"duckdb"},
          description="build/warehouse.duckdb: the marts, replaced atomically after blocking checks pass. "
                      "Analysts open it read-only; a refresh never blocks on them.")
def published_warehouse(inclusion: InclusionResource) -> dg.MaterializeResult:
    warehouse = inclusion.warehouse
    with warehouse.connect() as con:
        fp = inputs_fingerprint(con, "published", *[last_built(con, ".".join(k.path)) or "" for k in MART_KEYS],
                                _schema_doc())   # the COMMENT ON text comes from docs/warehouse.md
        unchanged = last_built(con, "published") == fp and warehouse.published_path.exists()
    if unchanged:
        return dg.MaterializeResult(data_version=dg.DataVersion(fp), metadata={"unchanged": True})
    counts = warehouse.publish()
    with warehouse.connect() as con:
        mark_built(con, "published", fp)
    return dg.MaterializeResult(
        data_version=dg.DataVersion(fp),
        metadata={"path": dg.MetadataValue.path(str(warehouse.published_path)),
                  "tables": dg.MetadataValue.json(counts)})


def _schema_doc() -> str:
    from pipelines.schema_docs import DOC
    return DOC.read_text() if DOC.exists() else ""


def _dashboards_code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(DASHBOARDS_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".css", ".html", ".js"}:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dg.asset(deps=[PUBLISHED], group_name="publish", kinds={"plotly", "html"},
          description="Static, offline dashboards in build/site/, built from the published warehouse.")
def dashboard_site(inclusion: InclusionResource) -> dg.MaterializeResult:
    from dashboards.site import build_site

    settings = inclusion.settings
    with inclusion.warehouse.connect() as con:
        fp = inputs_fingerprint(con, "site", last_built(con, "published") or "", _dashboards_code_version())
        unchanged = last_built(con, "site") == fp and (settings.site_dir / "index.html").exists()
    index = settings.site_dir / "index.html"
    links = {"index": dg.MetadataValue.url(index.as_uri()),
             "serve": "inclusion serve  (then open http://127.0.0.1:8000/)"}
    if unchanged:
        return dg.MaterializeResult(data_version=dg.DataVersion(fp), metadata={"unchanged": True, **links})
    with inclusion.warehouse.published_marts() as marts:  # never the published file: analysts may hold it
        summary = build_site(marts, settings.site_dir)
    with inclusion.warehouse.connect() as con:
        mark_built(con, "site", fp)
    return dg.MaterializeResult(data_version=dg.DataVersion(fp),
                                metadata={**links, "summary": dg.MetadataValue.json(summary)})
