"""Per-source assets: raw/<source> (acquire and archive) and landing/<source> (parse and load).

A source that cannot be reached or parsed, or whose new release is empty or far smaller than its
last good one, keeps its last good rows, marked stale with the reason (assets/source_guard.py). A
source with no good rows at all is marked unavailable; the others still publish, and the CLI exits
non-zero naming it.
"""

from pathlib import Path

import dagster as dg

from assets.resources import PublishersResource, WarehouseResource
from sources import shrink
from sources.acquire import acquire
from sources.archive import now_utc
from sources.bad_files import parse_skipping_bad_files
from sources.catalogue import parse_source
from sources.errors import SourceError, SourceUnavailable
from sources.registry import SOURCE_IDS, package, package_name, source

from . import landing as ld
from .extras import derive_extra_tables, parse_options, recorded_inputs
from .lineage import python_code_version
from .source_guard import refuse_shrink
from .versions import PREDICTIONS, Prediction, Versioned, predicts

ASSETS = Path(__file__).resolve().parent


def parser_code_version(source_id: str) -> str:
    """The parser package, every project module it imports (sources/tidy.py, ...), the edition choice
    made after parse() (sources/editions.py) and the loader."""
    return python_code_version(
        package_name(source_id),
        "sources.bad_files",
        "sources.shrink",
        "sources.editions",
        "sources.catalogue",
        # (and this module: how the landing step calls the parser and records its outcome)
        extra=(ASSETS / "extras.py", ASSETS / "landing.py", ASSETS / "source_guard.py", ASSETS / "sources.py"),
    )


def raw_key(source_id: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", source_id])


def landing_key(source_id: str) -> dg.AssetKey:
    return dg.AssetKey(["landing", source_id])


def build_raw_asset(source_id: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_key(source_id),
        group_name="raw",
        kinds={"python"},
        code_version=python_code_version(
            package_name(source_id) + ".discover", "sources.acquire", extra=(ASSETS / "sources.py",)
        ),
        description=f"Raw files of {source_id}, from the mirror or the publisher, archived by sha256.",
    )
    def _raw(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, publishers: PublishersResource
    ) -> dg.MaterializeResult:
        listed: list = []
        try:
            files, mode = acquire(
                source_id,
                archive=publishers.archive,
                mirror=publishers.mirror_path,
                http=publishers.http(),
                discover=package(source_id).discover,
                listed=listed,
            )
        except SourceUnavailable as exc:
            with warehouse.connect() as con:
                ld.ensure_landing(con)
                if listed:  # the listing was read, a download failed: the loaded release is behind
                    ld.replace_publisher_releases(con, source_id, listed, now_utc())
                previous = ld.raw_files(con, source_id)
                ld.record_attempt(con, source_id, "stale" if previous else "unavailable", reason=str(exc))
            if not previous:
                context.log.error(f"{exc} No earlier files: {source_id} is unavailable; the others go on.")
                return dg.MaterializeResult(
                    data_version=dg.DataVersion("unavailable"), metadata={"status": "unavailable", "reason": str(exc)}
                )
            context.log.warning(f"{exc} Keeping the last good files (marked stale).")
            return dg.MaterializeResult(
                data_version=dg.DataVersion(ld.fingerprint([f.sha256 for f in previous])),
                metadata={"status": "stale", "reason": str(exc)},
            )
        with warehouse.connect() as con:
            ld.ensure_landing(con)
            ld.replace_raw_files(con, source_id, files)
            ld.replace_publisher_releases(con, source_id, listed, now_utc() if mode == "live" else None)
            fp = ld.fingerprint([f.sha256 for f in files])
            ld.record_acquired(con, source_id, mode, fp)
        return dg.MaterializeResult(
            data_version=dg.DataVersion(fp),
            metadata={
                "mode": mode,
                "files": len(files),
                "provenance": dg.MetadataValue.json([f.to_dict() for f in files]),
            },
        )

    return _raw


def _landing_parameters(source_id: str, resources) -> dict:
    """The parse options from the deployment's settings, and whether the source's API key is set."""
    described, publishers = source(source_id), resources["publishers"]
    api_key = getattr(publishers, described.api_key) if described.api_key else None
    return {**parse_options(described, publishers), **recorded_inputs(described, api_key)}


def _landing_must_run(source_id: str, resources) -> bool:
    """A source re-fetched after a stale run ('acquired') is marked ok by its landing step, and one
    that never landed is tried again, whatever the versions say."""
    with resources["warehouse"].connect() as con:
        ld.ensure_landing(con)
        before = ld.status_of(con, source_id) or {}
    return before.get("status") == "acquired" or not before.get("last_success_at")


def landing_prediction(source_id: str) -> Prediction:
    return PREDICTIONS.get(landing_key(source_id)) or predicts(
        landing_key(source_id),
        Prediction(
            lambda resources: _landing_parameters(source_id, resources),
            lambda resources: _landing_must_run(source_id, resources),
        ),
    )


def build_landing_asset(source_id: str) -> dg.AssetsDefinition:
    landing_prediction(source_id)

    @dg.asset(
        key=landing_key(source_id),
        deps=[raw_key(source_id)],
        group_name="landing",
        kinds={"python", "duckdb"},
        code_version=parser_code_version(source_id),
        description=f"{source_id} parsed into tidy rows (landing.indicator_values and extras).",
    )
    def _landing(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, publishers: PublishersResource
    ) -> dg.MaterializeResult:
        module = package(source_id)
        with warehouse.connect() as con:
            ld.ensure_landing(con)
            files = ld.raw_files(con, source_id)
            before = ld.status_of(con, source_id) or {}
        described = source(source_id)
        options = parse_options(described, publishers)
        if before.get("status") == "unavailable" and not files:  # this run's fetch failed, nothing earlier
            return dg.MaterializeResult(
                data_version=dg.DataVersion("unavailable"),
                metadata={"status": "unavailable", "reason": str(before.get("reason"))},
            )
        # Same raw files (raw/<source>), same parser code, same options: the landed rows stand.
        api_key = getattr(publishers, described.api_key) if described.api_key else None
        version = Versioned(context, landing_prediction(source_id).parameters({"publishers": publishers}))
        fp = version.data_version.value
        if version.unchanged and before.get("last_success_at"):
            with warehouse.connect() as con:
                if before.get("status") == "acquired":  # stale only if this run's fetch failed
                    ld.record_attempt(con, source_id, "ok", parsed_fingerprint=fp)
                    ld.remember_landed_files(con, source_id)
            return version.skipped(status=str(before.get("status")))
        accepted = shrink.accepted(publishers.work_dir, publishers.accept_shrink)
        try:
            tables, skipped = parse_skipping_bad_files(
                module, files, lambda chosen: _parse_reconciled(source_id, chosen, options)
            )
            extras = derive_extra_tables(described, tables, publishers.http(), api_key)
            refuse_undeclared(described, extras)
            with warehouse.connect() as con:
                accepted_notes = refuse_shrink(
                    con,
                    source_id,
                    tables,
                    extras,
                    accepted=accepted,
                    min_share=publishers.shrink_min_share,
                    files=len(files),
                )
        except SourceError as exc:
            return _keep_last_good(context, warehouse, source_id, before, exc, version)
        with warehouse.connect() as con:
            ld.replace_values(
                con, source_id, tables.values, tables.aggregates, extras.pop("unavailable_indicators", None)
            )
            for name, frame in extras.items():
                ld.replace_contract_table(con, f"{source_id}__{name}", described.extra_tables[name], frame)
            ld.replace_source_editions(con, source_id, tables.edition_choice)
            ld.remember_landed_files(con, source_id)
            ld.record_attempt(
                con,
                source_id,
                "ok",
                releases=tables.releases,
                parsed_fingerprint=fp,
                reason="; ".join(skipped + accepted_notes) or None,
            )
        if accepted_notes:
            shrink.consume(publishers.work_dir, source_id)
        for note in skipped + accepted_notes:
            context.log.warning(note)
        tables.notes.extend(accepted_notes)
        for note in tables.notes:
            context.log.info(note)
        return version.built(
            **{
                "rows": len(tables.values),
                "dagster/row_count": len(tables.values),
                "aggregate_rows": len(tables.aggregates),
                "releases": ", ".join(tables.releases),
                "extra_tables": ", ".join(f"{k} ({len(v)})" for k, v in extras.items()),
                "reconciliations": dg.MetadataValue.json(
                    [{"check": r.check, "expected": r.expected, "actual": r.actual} for r in tables.reconciliations][
                        :200
                    ]
                ),
                "notes": "\n".join(tables.notes),
            }
        )

    return _landing


def refuse_undeclared(described, extras: dict) -> None:
    """An extra table, or a column of one, that the source's contracts (meta.py) do not declare is a
    parser fault: refused before anything is replaced, so the last good rows stand."""
    for name, frame in extras.items():
        if name == "unavailable_indicators":  # a shared landing table with its own DDL (sql/landing/)
            continue
        contract = described.extra_tables.get(name)
        if contract is None:
            raise SourceError(
                f"extra table {name!r} has no contract in sources/{described.source_id}/meta.py EXTRA_TABLES",
                source_id=described.source_id,
            )
        unknown = ld.undeclared_columns(contract, frame)
        if unknown:
            raise SourceError(
                f"extra table {name!r}: columns {unknown} are not in its contract", source_id=described.source_id
            )


def _parse_reconciled(source_id: str, files, options):
    try:
        tables = parse_source(source_id, files, **options)  # the module's parse(), one edition per period
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - a parser fault fails its own source, never the others
        first = str(exc).splitlines()[0][:300] if str(exc) else ""
        raise SourceError(
            f"the parser stopped on these files ({type(exc).__name__}: {first}); "
            "the last good data is kept, please report this with the files",
            source_id=source_id,
        ) from exc
    failed = [r for r in tables.reconciliations if not r.passed]
    if failed:
        r = failed[0]
        raise SourceError(f"{r.check}: expected {r.expected:g}, found {r.actual:g}", file=r.file, source_id=source_id)
    return tables


def _keep_last_good(context, warehouse: WarehouseResource, source_id, before, exc, version) -> dg.MaterializeResult:
    """The source failed: its last good rows (and their raw files) stay, marked stale; with none it
    is unavailable. Either way the other sources go on to publish."""
    has_rows = bool(before.get("last_success_at"))
    status = "stale" if has_rows else "unavailable"
    with warehouse.connect() as con:
        ld.restore_landed_files(con, source_id)
        ld.record_attempt(con, source_id, status, reason=str(exc))
    if has_rows:
        context.log.error(f"{exc}. Keeping the last good {source_id} data, marked stale.")
    else:
        context.log.error(f"{exc}. {source_id} has no earlier good data: it is unavailable; the others go on.")
    # The last good rows stand: report their data version, so nothing downstream rebuilds.
    return dg.MaterializeResult(
        data_version=dg.DataVersion(version.previous or status), metadata={"status": status, "reason": str(exc)}
    )


raw_assets = [build_raw_asset(s) for s in SOURCE_IDS]
landing_assets = [build_landing_asset(s) for s in SOURCE_IDS]
