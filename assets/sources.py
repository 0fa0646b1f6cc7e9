"""Per-source assets: raw/<source> (acquire and archive) and landing/<source> (parse and load).

A source that cannot be reached or parsed keeps its last good rows, marked stale with the reason,
so the other sources still refresh. A source with no good rows at all fails the run instead:
publishing without it would damage the published warehouse.
"""

from pathlib import Path

import dagster as dg

from pipelines.resources import InclusionResource
from pipelines.warehouse import Warehouse
from sources.acquire import acquire
from sources.catalogue import SOURCE_MODULES, load_source
from sources.errors import SourceError, SourceUnavailable

from . import landing as ld
from .extras import derive_extra_tables, parse_options
from .lineage import python_code_version
from .versions import Versioned

ASSETS = Path(__file__).resolve().parent


def parser_code_version(source_id: str) -> str:
    """The parser package, every project module it imports (sources/tidy.py, ...) and the loader."""
    return python_code_version(SOURCE_MODULES[source_id], extra=(ASSETS / "extras.py", ASSETS / "landing.py"))


def raw_key(source_id: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", source_id])


def landing_key(source_id: str) -> dg.AssetKey:
    return dg.AssetKey(["landing", source_id])


def build_raw_asset(source_id: str) -> dg.AssetsDefinition:
    @dg.asset(key=raw_key(source_id), group_name="raw", kinds={"python"},
              code_version=python_code_version(SOURCE_MODULES[source_id], "sources.acquire"),
              description=f"Raw files of {source_id}, from the mirror or the publisher, archived by sha256.")
    def _raw(context: dg.AssetExecutionContext, inclusion: InclusionResource) -> dg.MaterializeResult:
        module = load_source(source_id)
        settings = inclusion.settings
        try:
            files, mode = acquire(source_id, archive=inclusion.archive, mirror=settings.mirror,
                                  http=inclusion.http(), discover=getattr(module, "discover", None))
        except SourceUnavailable as exc:
            with inclusion.warehouse.connect() as con:
                ld.ensure_landing(con)
                previous = ld.raw_files(con, source_id)
                ld.record_attempt(con, source_id, "stale" if previous else "unavailable", reason=str(exc))
            if not previous:
                raise dg.Failure(description=str(exc)) from exc
            context.log.warning(f"{exc} Keeping the last good files (marked stale).")
            return dg.MaterializeResult(
                data_version=dg.DataVersion(ld.fingerprint([f.sha256 for f in previous])),
                metadata={"status": "stale", "reason": str(exc)})
        with inclusion.warehouse.connect() as con:
            ld.ensure_landing(con)
            ld.replace_raw_files(con, source_id, files)
            fp = ld.fingerprint([f.sha256 for f in files])
            ld.record_acquired(con, source_id, mode, fp)
        return dg.MaterializeResult(
            data_version=dg.DataVersion(fp),
            metadata={"mode": mode, "files": len(files),
                      "provenance": dg.MetadataValue.json([f.to_dict() for f in files])})
    return _raw


def build_landing_asset(source_id: str) -> dg.AssetsDefinition:
    @dg.asset(key=landing_key(source_id), deps=[raw_key(source_id)], group_name="landing",
              kinds={"python", "duckdb"}, code_version=parser_code_version(source_id),
              description=f"{source_id} parsed into tidy rows (landing.indicator_values and extras).")
    def _landing(context: dg.AssetExecutionContext, inclusion: InclusionResource) -> dg.MaterializeResult:
        module = load_source(source_id)
        with inclusion.warehouse.connect() as con:
            ld.ensure_landing(con)
            files = ld.raw_files(con, source_id)
            before = ld.status_of(con, source_id) or {}
        options = parse_options(source_id, inclusion.settings)
        # Same raw files (raw/<source>), same parser code, same options: the landed rows stand.
        version = Versioned(context, options)
        fp = version.data_version.value
        if version.unchanged and before.get("last_success_at"):
            with inclusion.warehouse.connect() as con:
                if before.get("status") == "acquired":  # stale only if this run's fetch failed
                    ld.record_attempt(con, source_id, "ok", parsed_fingerprint=fp)
            return version.skipped(status=str(before.get("status")))
        try:
            tables = module.parse(files, **options)
            failed = [r for r in tables.reconciliations if not r.passed]
            if failed:
                r = failed[0]
                raise SourceError(f"{r.check}: expected {r.expected:g}, found {r.actual:g}",
                                  file=r.file, source_id=source_id)
            extras = derive_extra_tables(source_id, tables, inclusion.http())
        except SourceError as exc:
            return _keep_last_good(context, inclusion, source_id, before, exc, version)
        with inclusion.warehouse.connect() as con:
            ld.replace_values(con, source_id, tables.values, tables.aggregates,
                              extras.pop("unavailable_indicators", None))
            for name, frame in extras.items():
                Warehouse.replace_table(con, "landing", f"{source_id}__{name}", frame)
            ld.record_attempt(con, source_id, "ok", releases=tables.releases, parsed_fingerprint=fp)
        for note in tables.notes:
            context.log.info(note)
        return version.built(**{
            "rows": len(tables.values), "aggregate_rows": len(tables.aggregates),
            "releases": ", ".join(tables.releases),
            "extra_tables": ", ".join(f"{k} ({len(v)})" for k, v in extras.items()),
            "reconciliations": dg.MetadataValue.json(
                [{"check": r.check, "expected": r.expected, "actual": r.actual}
                 for r in tables.reconciliations][:200]),
            "notes": "\n".join(tables.notes)})
    return _landing


def _keep_last_good(context, inclusion, source_id, before, exc, version) -> dg.MaterializeResult:
    with inclusion.warehouse.connect() as con:
        has_rows = bool(before.get("last_success_at"))
        ld.record_attempt(con, source_id, "stale" if has_rows else "unavailable", reason=str(exc))
    if not has_rows:
        raise dg.Failure(description=str(exc)) from exc
    context.log.error(f"{exc}. Keeping the last good {source_id} data, marked stale.")
    # The last good rows stand: report their data version, so nothing downstream rebuilds.
    return dg.MaterializeResult(data_version=dg.DataVersion(version.previous or "none"),
                                metadata={"status": "stale", "reason": str(exc), "unchanged": True})


raw_assets = [build_raw_asset(s) for s in SOURCE_MODULES]
landing_assets = [build_landing_asset(s) for s in SOURCE_MODULES]
