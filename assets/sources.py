"""Per-source assets: raw/<source> (acquire and archive) and landing/<source> (parse and load).

A source that cannot be reached or parsed keeps its last good rows, marked stale with the reason,
so the other sources still refresh. A source with no good rows at all fails the run instead:
publishing without it would damage the published warehouse.
"""

import hashlib
from pathlib import Path

import dagster as dg

from pipelines.resources import InclusionResource
from pipelines.warehouse import Warehouse
from sources.acquire import acquire
from sources import catalogue, editions
from sources.archive import now_utc
from sources.catalogue import SOURCE_MODULES, load_source, parse_source
from sources.errors import SourceError, SourceUnavailable

from . import landing as ld
from .extras import derive_extra_tables, parse_options


def code_version(module) -> str:
    """Hash of the parser's own files: a parser change re-parses unchanged raw files."""
    origin = Path(module.__file__)
    files = sorted(origin.parent.glob("*.py")) if origin.name == "__init__.py" else [origin]
    digest = hashlib.sha256()
    shared = [Path(editions.__file__), Path(catalogue.__file__)]   # the edition choice after parse()
    for path in [*files, *shared, Path(__file__).with_name("extras.py")]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def raw_key(source_id: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", source_id])


def landing_key(source_id: str) -> dg.AssetKey:
    return dg.AssetKey(["landing", source_id])


def build_raw_asset(source_id: str) -> dg.AssetsDefinition:
    @dg.asset(key=raw_key(source_id), group_name="raw", kinds={"python"},
              description=f"Raw files of {source_id}, from the mirror or the publisher, archived by sha256.")
    def _raw(context: dg.AssetExecutionContext, inclusion: InclusionResource) -> dg.MaterializeResult:
        module = load_source(source_id)
        settings = inclusion.settings
        listed: list = []
        try:
            files, mode = acquire(source_id, archive=inclusion.archive, mirror=settings.mirror,
                                  http=inclusion.http(), discover=getattr(module, "discover", None),
                                  listed=listed)
        except SourceUnavailable as exc:
            with inclusion.warehouse.connect() as con:
                ld.ensure_landing(con)
                if listed:   # the listing was read, a download failed: the loaded release is behind
                    ld.replace_publisher_releases(con, source_id, listed, now_utc())
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
            ld.replace_publisher_releases(con, source_id, listed, now_utc() if mode == "live" else None)
            fp = ld.fingerprint([f.sha256 for f in files])
            ld.record_acquired(con, source_id, mode, fp)
        return dg.MaterializeResult(
            data_version=dg.DataVersion(fp),
            metadata={"mode": mode, "files": len(files),
                      "provenance": dg.MetadataValue.json([f.to_dict() for f in files])})
    return _raw


def build_landing_asset(source_id: str) -> dg.AssetsDefinition:
    @dg.asset(key=landing_key(source_id), deps=[raw_key(source_id)], group_name="landing",
              kinds={"python", "duckdb"},
              description=f"{source_id} parsed into tidy rows (landing.indicator_values and extras).")
    def _landing(context: dg.AssetExecutionContext, inclusion: InclusionResource) -> dg.MaterializeResult:
        module = load_source(source_id)
        with inclusion.warehouse.connect() as con:
            ld.ensure_landing(con)
            files = ld.raw_files(con, source_id)
            before = ld.status_of(con, source_id) or {}
        options = parse_options(source_id, inclusion.settings)
        fp = ld.fingerprint([f.sha256 for f in files], salt=code_version(module) + repr(sorted(options.items())))
        if before.get("parsed_fingerprint") == fp:
            with inclusion.warehouse.connect() as con:
                if before.get("status") == "acquired":  # stale only if this run's fetch failed
                    ld.record_attempt(con, source_id, "ok", parsed_fingerprint=fp)
            return dg.MaterializeResult(data_version=dg.DataVersion(fp),
                                        metadata={"unchanged": True, "status": before.get("status")})
        try:
            tables = parse_source(source_id, files, **options)
            failed = [r for r in tables.reconciliations if not r.passed]
            if failed:
                r = failed[0]
                raise SourceError(f"{r.check}: expected {r.expected:g}, found {r.actual:g}",
                                  file=r.file, source_id=source_id)
            extras = derive_extra_tables(source_id, tables, inclusion.http())
        except SourceError as exc:
            return _keep_last_good(context, inclusion, source_id, before, exc)
        with inclusion.warehouse.connect() as con:
            ld.replace_values(con, source_id, tables.values, tables.aggregates,
                              extras.pop("unavailable_indicators", None))
            for name, frame in extras.items():
                Warehouse.replace_table(con, "landing", f"{source_id}__{name}", frame)
            ld.replace_source_editions(con, source_id, tables.edition_choice)
            ld.record_attempt(con, source_id, "ok", releases=tables.releases, parsed_fingerprint=fp)
        for note in tables.notes:
            context.log.info(note)
        return dg.MaterializeResult(
            data_version=dg.DataVersion(fp),
            metadata={"rows": len(tables.values), "dagster/row_count": len(tables.values),
                      "aggregate_rows": len(tables.aggregates),
                      "releases": ", ".join(tables.releases),
                      "extra_tables": ", ".join(f"{k} ({len(v)})" for k, v in extras.items()),
                      "reconciliations": dg.MetadataValue.json(
                          [{"check": r.check, "expected": r.expected, "actual": r.actual}
                           for r in tables.reconciliations][:200]),
                      "notes": "\n".join(tables.notes)})
    return _landing


def _keep_last_good(context, inclusion, source_id, before, exc) -> dg.MaterializeResult:
    with inclusion.warehouse.connect() as con:
        has_rows = bool(before.get("last_success_at"))
        ld.record_attempt(con, source_id, "stale" if has_rows else "unavailable", reason=str(exc))
    if not has_rows:
        raise dg.Failure(description=str(exc)) from exc
    context.log.error(f"{exc}. Keeping the last good {source_id} data, marked stale.")
    return dg.MaterializeResult(data_version=dg.DataVersion(before.get("parsed_fingerprint") or "none"),
                                metadata={"status": "stale", "reason": str(exc)})


raw_assets = [build_raw_asset(s) for s in SOURCE_MODULES]
landing_assets = [build_landing_asset(s) for s in SOURCE_MODULES]
