"""Assets that run one .sql file each (or one small Python step). Their deps are the tables the SQL
reads (assets/lineage.py); their code version is the SQL text and its parameter names (and this
module's text: how they run); the work is
skipped when the code, the inputs' data versions and the bound parameter values are all unchanged
(assets/versions.py)."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dagster as dg

from assets.resources import WarehouseResource
from assets.warehouse import Warehouse, quote_ident, read_sql
from sources.registry import SOURCE_IDS

from .lineage import deps_from_sql, digest, python_code_version, sql_code_version
from .versions import Prediction, Versioned, predicts

# This module's own text is part of every SQL step's code version: it is how the statement runs and
# its table is written, so a change here builds the tables again.
WRAPPER = digest(Path(__file__).read_text())

# A parameter is a constant (part of the code version) or a function of nothing, evaluated each
# run and recorded (part of the data version): the current year, for example.
Param = Any | Callable[[], Any]


def STG(name: str) -> dg.AssetKey:  # noqa: N802 - reads like the schema name in deps lists
    return dg.AssetKey(["staging", name])


def MART(name: str) -> dg.AssetKey:  # noqa: N802
    return dg.AssetKey(["marts", name])


def sql_asset(
    schema: str, name: str, description: str, params: dict[str, Param] | None = None, compute=None
) -> dg.AssetsDefinition:
    """An asset that runs sql/<schema>/<name>.sql, with deps derived from the tables it reads.

    compute: a Python step (con -> rows) that builds the table instead of a .sql file; it reads
    through the SQL files its module names in SQL_INPUTS, which give its deps and code version."""
    relpath = f"{schema}/{name}.sql"
    params = params or {}
    constants = {k: v for k, v in params.items() if not callable(v)}
    names = tuple(f"{k}={v!r}" if k in constants else k for k, v in params.items())
    reads = tuple(getattr(sys.modules[compute.__module__], "SQL_INPUTS", ())) if compute else (relpath,)
    code_version = digest(
        WRAPPER,
        digest(python_code_version(compute.__module__), *(sql_code_version(p) for p in reads))
        if compute
        else sql_code_version(relpath, names),
    )
    deps = list(dict.fromkeys(k for p in reads for k in deps_from_sql(p, list(SOURCE_IDS))))
    # The parameters evaluated each run (callables) are recorded; the planner evaluates them too.
    prediction = predicts(
        dg.AssetKey([schema, name]),
        Prediction(lambda _resources: {k: v() for k, v in params.items() if callable(v)}, writes=(f"{schema}.{name}",)),
    )

    @dg.asset(
        key=dg.AssetKey([schema, name]),
        deps=deps,
        group_name=schema,
        kinds={"duckdb", "python" if compute else "sql"},
        code_version=code_version,
        description=description,
    )
    def _sql(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        recorded = prediction.parameters({})
        bound = {**constants, **recorded}
        version = Versioned(context, recorded)
        with warehouse.connect() as con:
            if version.unchanged and Warehouse.table_exists(con, schema, name):
                return version.skipped()
            if compute:
                rows = compute(con)
            else:
                Warehouse.run(con, relpath, bound)
                rows = con.execute("SELECT count(*) FROM " + quote_ident(schema) + "." + quote_ident(name)).fetchone()[
                    0
                ]
        shown = f"`{compute.__module__}.{compute.__name__}`" if compute else "```sql\n" + read_sql(relpath) + "\n```"
        return version.built(**{"rows": rows, "dagster/row_count": rows, "sql": dg.MetadataValue.md(shown)})

    return _sql
