"""Assets that run one .sql file each (or one small Python step), skipped when nothing they read
has changed."""
import inspect
import sys

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
              params=None, compute=None) -> dg.AssetsDefinition:
    """An asset that runs sql/<schema>/<name>.sql, skipped when its inputs are unchanged.

    compute: a Python step (con -> rows) that builds the table instead of a .sql file; its
    module's source and the SQL files it names in SQL_INPUTS are part of the fingerprint."""
    relpath = f"{schema}/{name}.sql"
    code = _python_step_code(compute) if compute else read_sql(relpath)

    # Every SQL step waits for all sources to land: its fingerprint covers all of them.
    all_deps = list(dict.fromkeys([*deps, *ALL_LANDING]))

    @dg.asset(key=dg.AssetKey([schema, name]), deps=all_deps, group_name=schema,
              kinds={"duckdb", "python" if compute else "sql"},
              description=description)
    def _sql(context: dg.AssetExecutionContext, inclusion: InclusionResource) -> dg.MaterializeResult:
        bound = params(inclusion) if params else {}
        with inclusion.warehouse.connect() as con:
            upstream = [last_built(con, ".".join(d.path)) or "" for d in deps]
            fp = inputs_fingerprint(con, code, *upstream, inclusion.target_vintage or "",
                                    with_status=name == "sources")
            step = f"{schema}.{name}"
            if last_built(con, step) == fp and _table_exists(con, schema, name):
                return dg.MaterializeResult(data_version=dg.DataVersion(fp), metadata={"unchanged": True})
            if compute:
                rows = compute(con)
            else:
                Warehouse.run(con, relpath, bound)
                rows = con.execute("SELECT count(*) FROM " + quote_ident(schema) + "." + quote_ident(name)).fetchone()[0]
            mark_built(con, step, fp)
        shown = f"`{compute.__module__}.{compute.__name__}`" if compute else "```sql\n" + code + "\n```"
        return dg.MaterializeResult(data_version=dg.DataVersion(fp),
                                    metadata={"rows": rows, "dagster/row_count": rows,
                                              "sql": dg.MetadataValue.md(shown)})
    return _sql


def _python_step_code(compute) -> str:
    module = sys.modules[compute.__module__]
    return inspect.getsource(module) + "".join(read_sql(p) for p in getattr(module, "SQL_INPUTS", ()))


def _table_exists(con, schema: str, name: str) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = $s "
                       "AND table_name = $n", {"s": schema, "n": name}).fetchone()[0] > 0
