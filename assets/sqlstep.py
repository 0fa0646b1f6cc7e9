"""Assets that run one .sql file each, skipped when nothing they read has changed."""
import dagster as dg

from pipelines.resources import InclusionResource
from pipelines.warehouse import Warehouse, quote_ident, read_sql
from sources.catalogue import SOURCE_MODULES

from .sources import landing_key
from .state import inputs_fingerprint, last_built, mark_built

ALL_LANDING = [landing_key(s) for s in SOURCE_MODULES]


def STG(name: str) -> dg.AssetKey:  # noqa: N802 - reads like the schema name in deps lists
    return dg.AssetKey(["staging", name])


def MART(name: str) -> dg.AssetKey:  # noqa: N802
    return dg.AssetKey(["marts", name])


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
            rows = con.execute("SELECT count(*) FROM " + quote_ident(schema) + "." + quote_ident(name)).fetchone()[0]
            mark_built(con, step, fp)
        return dg.MaterializeResult(data_version=dg.DataVersion(fp),
                                    metadata={"rows": rows, "dagster/row_count": rows, "sql": dg.MetadataValue.md(
                                        "```sql\n" + read_sql(relpath) + "\n```")})
    return _sql


def _table_exists(con, schema: str, name: str) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = $s "
                       "AND table_name = $n", {"s": schema, "n": name}).fetchone()[0] > 0
