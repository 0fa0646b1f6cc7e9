"""Programme co-production records: raw/records (the files) -> landing/records (checked rows and
quarantine) -> staging and marts (counts per local authority and year, people counts < 5 hidden).

A workbook rejected as a whole keeps its previous good rows. Free text and contributor ids never
reach marts; only marts are published.
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import tempfile
from pathlib import Path

import dagster as dg

from assets.resources import RecordsResource, WarehouseResource
from assets.warehouse import Warehouse
from sources.records import (
    EXAMPLE_ONLY_KEY,
    KEY_ENV,
    PRIVATE_COLUMNS,
    RecordsKeyMissing,
    RecordsLoad,
    ingest,
    records_key,
    write_example_records,
)
from sources.records.ingest import memory_capped
from sources.records.landing import land, table_exists
from sources.records.privacy import MIN_PEOPLE, key_check
from sources.records.reading import printable, records_sources

from . import landing as ld
from .checks import build_sql_check
from .lineage import python_code_version
from .records_reports import report_assets, report_checks
from .sqlstep import sql_asset
from .suites import RECORDS_BOOKKEEPING
from .versions import Prediction, Versioned, predicts

RAW = dg.AssetKey(["raw", "records"])
LANDING = dg.AssetKey(["landing", "records"])
GEOGRAPHY = dg.AssetKey(["landing", "geography"])
MEASURES = dg.AssetKey(["marts", "record_measures"])


class RecordsUnavailable(Exception):
    pass


# The code version of the example records' writer, kept beside them (a hidden file, never read as records).
EXAMPLE_STAMP = ".example_version"


def records_root(records: RecordsResource) -> Path:
    if records.records_path is None:
        root = records.example_dir
        # Written again, from scratch, whenever the code that writes them changes: a home made by an
        # earlier version would otherwise keep that version's example set for ever.
        version = python_code_version("sources.records.example")
        stamp = root / EXAMPLE_STAMP
        if not (root / "README.md").exists() or not stamp.is_file() or stamp.read_text() != version:
            shutil.rmtree(root, ignore_errors=True)
            write_example_records(root)
            stamp.write_text(version)
        return root
    if not records.records_path.exists():
        raise RecordsUnavailable(
            f"INCLUSION_RECORDS points at {records.records_path}, which does not exist. Create "
            "it (or unset INCLUSION_RECORDS to use the fictional example records)."
        )
    return records.records_path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest(root: Path) -> list[dict]:
    """One row per records file: path, kind, bytes, sha256 (landing.records_files' contract)."""
    rows = []
    for kind, path in records_sources(root):
        files = sorted(p for p in path.glob("*.csv") if not p.is_symlink()) if kind == "csv_folder" else [path]
        for f in files:
            # A link is fingerprinted by where it points, never followed (it may lead out of the folder).
            link = kind == "link"
            rows.append(
                {
                    # (a name that is not UTF-8 as \\xe9: it is reported, not read, and must not stop the rest)
                    "path": printable(f.relative_to(root).as_posix() if root.is_dir() else f.name),
                    "kind": kind,
                    "bytes": f.lstat().st_size,
                    "sha256": hashlib.sha256(str(f.readlink()).encode()).hexdigest() if link else _sha256(f),
                }
            )
    return rows


def _replace_records_files(con, manifest: list[dict]) -> None:
    """landing.records_files replaced by the manifest in one transaction, in its contract's columns;
    the rows go in as prepared statements, so a refresh with nothing new needs no pandas."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(ld.contract_ddl("records_files", RECORDS_BOOKKEEPING["records_files"].columns))
        for row in manifest:
            Warehouse.run_prepared(con, "landing/insert_records_file.sql", row)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


@dg.asset(
    key=RAW,
    group_name="raw",
    kinds={"python"},
    code_version=python_code_version("sources.records.reading", extra=(Path(__file__).resolve(),)),
    description="The records files (INCLUSION_RECORDS, or the fictional example set when unset), "
    "fingerprinted. The files themselves are not archived: they may hold personal data.",
)
def raw_records(context, warehouse: WarehouseResource, records: RecordsResource) -> dg.MaterializeResult:
    try:
        root = records_root(records)
    except RecordsUnavailable as exc:  # landing_records reports it; the public statistics go on
        context.log.error(str(exc))
        return dg.MaterializeResult(metadata={"status": "unavailable", "reason": str(exc)})
    manifest = _manifest(root)
    fp = ld.fingerprint([row["path"] + ":" + row["sha256"] for row in manifest])
    with warehouse.connect() as con:
        _replace_records_files(con, manifest)
    return dg.MaterializeResult(
        data_version=dg.DataVersion(fp),
        metadata={"files": len(manifest), "example_data": records.example_data, "records_dir": str(root)},
    )


def _known_lad_codes(con, context) -> set[str] | None:
    if not table_exists(con, "landing", "geography__areas"):
        context.log.warning(
            "landing.geography__areas is absent: local authority codes are checked against the GSS pattern only"
        )
        return None
    codes = set(Warehouse.frame(con, "landing/records_geography_lads.sql")["area_code"])
    return codes or None


def write_landing(
    con,
    load: RecordsLoad,
    fingerprint: str,
    keep_previous: bool = False,
    *,
    status: str = "ok",
    reason: str | None = None,
) -> list[str]:
    """Replace the landing.records_* tables with this load (sources/records/landing.py, one
    transaction), then record the records source's attempt. With keep_previous, the last good rows of
    each file rejected whole are kept (same mode only). Returns notes (counts only, no file names)."""
    notes = land(con, load, fingerprint, keep_previous)
    ld.ensure_landing(con)
    # Recorded like a source so the publish step sees that the records changed.
    if status == "ok" and load.rejected_files:
        status = "stale"  # some records are last run's, kept for files rejected whole this time
        reason = (
            f"{len(load.rejected_files)} of {len(load.files)} records files rejected whole (their last good "
            "rows kept); run `inclusion records check` on the records folder"
        )
    ld.record_attempt(
        con, "records", status, reason=reason, parsed_fingerprint=fingerprint if status != "unavailable" else None
    )
    return notes


@dg.asset(
    key=LANDING,
    deps=[RAW, GEOGRAPHY],
    group_name="landing",
    kinds={"python", "duckdb"},
    # (this module too: _land_records and write_landing are the step)
    code_version=python_code_version("sources.records", "assets.landing", extra=(Path(__file__).resolve(),)),
    description="Checked co-production records: landing.records_<table> (valid rows, pseudonymised, no "
    "free text), landing.records_quarantine, records_problems and records_reconciliation.",
)
def landing_records(context, warehouse: WarehouseResource, records: RecordsResource) -> dg.MaterializeResult:
    """Records problems fail only the records: a missing or weak key, a missing folder or a fault in
    the checker keeps the last good records (or lands none, first time), marks the records source
    stale or unavailable with the reason, and lets the public statistics publish."""
    example = records.example_data
    try:
        root = records_root(records)
        key = _key_of(records)
    except (RecordsUnavailable, RecordsKeyMissing) as exc:
        return _records_not_loaded(context, warehouse, str(exc), example)
    if not example and not records_sources(root) and _had_records_files(warehouse):
        # A network drive not mounted leaves its mount point empty: never read as "no records".
        return _records_not_loaded(
            context,
            warehouse,
            "the records folder (INCLUSION_RECORDS) holds no records files now, though the last good load "
            "had some (is a network drive not mounted?). If they were removed on purpose, put an empty "
            "template there (inclusion records template DIR) and refresh again",
            example,
        )
    try:
        return _land_records(context, warehouse, root, key, example)
    except Exception as exc:  # noqa: BLE001 - the records branch must never stop the public statistics
        return _records_not_loaded(
            context,
            warehouse,
            f"the records could not be checked ({type(exc).__name__}); "
            "run `inclusion records check` on the records folder",
            example,
        )


def _had_records_files(warehouse: WarehouseResource) -> bool:
    """Whether the records last landed came from at least one records file."""
    with warehouse.connect() as con:
        if not table_exists(con, "landing", "records_status"):
            return False
        row = con.execute("SELECT files, example_data FROM landing.records_status").fetchone()
    return bool(row and row[0] and not row[1])


def _key_of(records: RecordsResource) -> bytes:
    # The secret comes from the resource alone (dg.EnvVar): never read from the environment here.
    return EXAMPLE_ONLY_KEY if records.example_data else records_key({KEY_ENV: records.records_key or ""})


def _key_generation(con, key: bytes) -> str | None:
    """The generation of the landed pseudonyms if they were made under `key`, else None. A random
    label, never derived from the key, that is part of the landing's version: a new key (one thought
    seen by someone, say) makes a new generation, so the next refresh lands every row again under it
    and rebuilds what reads them, though no records file changed. Read without a bound value, so a
    refresh with nothing new needs no pandas."""
    if not table_exists(con, "landing", "records_key_generation"):
        return None
    check = key_check(key)
    rows = con.execute("SELECT key_check, generation FROM landing.records_key_generation").fetchall()
    return next((generation for stored, generation in rows if stored == check), None)


def _landing_parameters(example: bool, generation: str | None) -> dict:
    return {"example_data": example, "key_generation": generation}


def _predicted_parameters(resources) -> dict:
    with resources["warehouse"].connect() as con:
        generation = _key_generation(con, _key_of(resources["records"]))
    return _landing_parameters(resources["records"].example_data, generation)


def _landing_must_run(resources) -> bool:
    """Records that did not load last time are tried again with the same files, and records landed
    under another key (or a key that cannot be used now) are landed again."""
    try:
        key = _key_of(resources["records"])
    except RecordsKeyMissing:
        return True  # the step says why and keeps the last good records
    with resources["warehouse"].connect() as con:
        ld.ensure_landing(con)
        status = (ld.status_of(con, "records") or {}).get("status")
        landed = table_exists(con, "landing", "records_status")
        return status != "ok" or not landed or _key_generation(con, key) is None


predicts(LANDING, Prediction(_predicted_parameters, _landing_must_run))


def _records_not_loaded(context, warehouse: WarehouseResource, reason: str, example: bool) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        ld.ensure_landing(con)
        if table_exists(con, "landing", "records_status"):
            status = "stale"
            ld.record_attempt(con, "records", status, reason=reason)
        else:  # first build: empty records tables, so the records marts build empty and nothing waits
            status = "unavailable"
            with tempfile.TemporaryDirectory(prefix="inclusion-no-records-") as empty:
                load = ingest(Path(empty), key=secrets.token_bytes(32), example_data=example, con=con)
                write_landing(con, load, "unavailable", status=status, reason=reason)
    kept = "the last good records are kept" if status == "stale" else "no records are published"
    context.log.error(f"Records not loaded: {reason} ({kept}; the public statistics are not affected).")
    return dg.MaterializeResult(metadata={"status": status, "reason": reason})


def _land_records(context, warehouse: WarehouseResource, root: Path, key: bytes, example: bool) -> dg.MaterializeResult:
    # Same files (raw/records), same LAD codes (landing/geography), same code: nothing to re-check,
    # unless the last attempt did not load (then the same files are tried again), or the key changed.
    with warehouse.connect() as con:
        ld.ensure_landing(con)
        landed = _key_generation(con, key)
        generation = landed or secrets.token_hex(8)  # (a new key: a new generation of pseudonyms)
        version = Versioned(context, _landing_parameters(example, generation))
        fp = version.data_version.value
        known = _known_lad_codes(con, context)
        before = ld.status_of(con, "records") or {}
        if (
            version.unchanged
            and landed
            and before.get("status") == "ok"
            and table_exists(con, "landing", "records_status")
        ):
            return version.skipped()
        # A national collection lands within 1 GB whatever the warehouse's limit (LANDING_MEMORY).
        with memory_capped(con, configured=warehouse.duckdb_memory):
            load = ingest(root, key=key, known_lad_codes=known, example_data=example, con=con)
            check = key_check(key)
            del key
            notes = write_landing(con, load, fp, keep_previous=True)
            if landed is None:  # landed under this key now: its generation, for the next refresh
                con.execute(
                    "CREATE OR REPLACE TABLE landing.records_key_generation (key_check VARCHAR, generation VARCHAR)"
                )
                con.execute("INSERT INTO landing.records_key_generation VALUES (?, ?)", [check, generation])
            totals, kinds = load.totals(), load.problem_kinds()
        kept = con.execute("SELECT coalesce(sum(kept_previous), 0) FROM landing.records_reconciliation").fetchone()[0]
    # Counts only: file names, sheet names and cell text may be personal and Dagster keeps its logs.
    if kinds:
        context.log.warning(
            f"{sum(kinds.values())} problems in the records (run `inclusion records check` on the "
            "records folder for each one): " + ", ".join(f"{k} {n}" for k, n in kinds.items())
        )
    return version.built(
        **{
            "example_data": example,
            "files": len(load.files),
            "rejected_files": len(load.rejected_files),
            "rows_read": totals["read"],
            "rows_loaded": totals["loaded"],
            "rows_quarantined": totals["quarantined"],
            "rows_kept_from_previous": int(kept),
            "problems": sum(kinds.values()),
            "notes": "\n".join(notes),
            "problems_by_kind": dg.MetadataValue.json(kinds),
        }
    )


# One typed staging model per landed records table: the only place its columns are cast and renamed
# (local_authority_code -> area_code). Downstream SQL reads these, never the landed rows themselves.
# Free text is never loaded; names and the raw ';' lists are not carried; contributors stay pseudonyms.
TYPED_STAGING = {
    "records_organisations": "Organisations, typed: sector and the local authority each is based in.",
    "records_programmes": "Programmes, typed: lead organisation, budget, start and end dates.",
    "records_programme_areas": "The local authorities each programme serves, one row per programme and area.",
    "records_programme_partners": "The partner organisations of each programme, one row per programme and partner.",
    "records_activities": "Loaded involvement activities, typed, with their year.",
    "records_influence_log": "Recommendations, typed: activity, decision and dates (no text).",
    "records_contributors": "Contributors, typed: pseudonym, organisation, involvement dates (private).",
    "records_framework_register": "Framework register, typed: commitments per organisation and date, with the year.",
    "records_self_assessments": "Self-assessment ratings per organisation, date and framework point, typed.",
    "records_place_surveys": "Place Standard survey results, typed, with the year.",
}


def _as_of_year() -> int:
    """The year open-ended programmes run to: bound and recorded, so the new year rebuilds them."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/London")).year


records_assets = [
    raw_records,
    landing_records,
    *(sql_asset("staging", name, description) for name, description in TYPED_STAGING.items()),
    sql_asset(
        "staging",
        "records_programme_years",
        "Programmes by local authority served and year running.",
        params={"as_of_year": _as_of_year},
    ),
    sql_asset(
        "staging",
        "records_contributor_years",
        "Pseudonymous contributors active per year and local authority (private).",
    ),
    sql_asset(
        "staging", "records_influence", "Recommendations with their activity's local authority and year (no text)."
    ),
    sql_asset(
        "staging",
        "records_people_linked",
        "Organisations and districts linked by activities per year, and whether any of them hides its "
        "participants: then all hide them (secondary suppression; private).",
        params={"min_people": MIN_PEOPLE},
    ),
    sql_asset(
        "marts",
        "record_measures",
        f"Record measures per local authority and year: counts only, people counts below "
        f"{MIN_PEOPLE} suppressed; example_data marks the fictional example set.",
        params={"min_people": MIN_PEOPLE},
    ),
    sql_asset(
        "marts",
        "record_quarantine_summary",
        "Problems per records file, sheet, column and kind: counts only, no cell contents.",
    ),
]
records_assets += report_assets  # Inclusion Reports per organisation (assets/records_reports.py)
RECORD_MART_KEYS = [a.key for a in records_assets if a.key.path[0] == "marts"]


records_checks = [
    # One check per invariant: rows read = loaded + quarantined, and the landed rows match, per sheet.
    build_sql_check("records_rows_reconcile", LANDING),
    # Not blocking: records problems fail only the records branch, never the public statistics.
    build_sql_check("records_loaded", LANDING, blocking=False),
    build_sql_check("records_no_private_columns_in_marts", MEASURES, {"private_columns": PRIVATE_COLUMNS}),
    build_sql_check("records_people_suppressed", MEASURES, {"min_people": MIN_PEOPLE}),
    *report_checks,
]
