"""The records assets under Dagster: marts, quarantine, last good data kept when a workbook is
rejected whole, and no contributor id, name or free text anywhere in the published warehouse."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import dagster as dg
import duckdb
import pandas as pd
import pytest

from assets.records import LANDING, records_assets, records_checks
from assets.resources import RecordsResource, WarehouseResource, with_fields
from assets.warehouse import Warehouse
from sources.records import pseudonymise

from ..unit.test_records_fixtures import FREE_TEXT, PEOPLE, TEST_KEY, edit_sheet, valid_rows, workbook

LAD_ROWS = [
    ("E06000018", "Nottingham", "lad"),
    ("E06000015", "Derby", "lad"),
    ("E06000016", "Leicester", "lad"),
    ("E07000138", "Lincoln", "lad"),
    ("E12000004", "East Midlands", "region"),
]


@dataclass(frozen=True)
class RecordsSetup:
    """The two resources the records branch asks for."""

    warehouse: WarehouseResource
    records: RecordsResource

    @classmethod
    def at(cls, home, records_dir=None, key: str | None = TEST_KEY.decode()) -> RecordsSetup:
        return cls(
            WarehouseResource(home=str(home)),
            RecordsResource(home=str(home), records_dir=str(records_dir) if records_dir else None, records_key=key),
        )

    def resources(self) -> dict:
        return {"warehouse": self.warehouse, "records": self.records}


def _setup(root) -> RecordsSetup:
    """A home at root/home with the areas landed, reading root/records."""
    (root / "records").mkdir()
    inclusion = RecordsSetup.at(root / "home", root / "records")
    with inclusion.warehouse.connect() as con:
        Warehouse.replace_table(
            con, "landing", "geography__areas", pd.DataFrame(LAD_ROWS, columns=["area_code", "area_name", "area_type"])
        )
    return inclusion


@pytest.fixture
def resource(tmp_path):
    return _setup(tmp_path)


@pytest.fixture(scope="module")
def good_load(tmp_path_factory):
    """One good load of records/org.xlsx (the template's valid rows) by the records branch, made once
    for the tests that then change the file: each gets a copy of the folder (`loaded`)."""
    root = tmp_path_factory.mktemp("good_load")
    inclusion = _setup(root)
    workbook(root / "records" / "org.xlsx")
    assert run(inclusion).success
    return root


@pytest.fixture
def loaded(good_load, tmp_path):
    """A private copy of good_load (home and records folder, modification times kept), the marts of
    that good load read from it, and the path of its org.xlsx."""
    shutil.copytree(good_load, tmp_path, dirs_exist_ok=True)
    inclusion = RecordsSetup.at(tmp_path / "home", tmp_path / "records")
    return (
        inclusion,
        query(inclusion, "SELECT * FROM marts.record_measures ORDER BY ALL"),
        tmp_path / "records" / "org.xlsx",
    )


def with_key(inclusion: RecordsSetup, key: str | None = TEST_KEY.decode()) -> RecordsSetup:
    """The resources with the records key Dagster would resolve from INCLUSION_RECORDS_KEY (dg.EnvVar)."""
    return RecordsSetup(inclusion.warehouse, with_fields(inclusion.records, records_key=key))


def run(inclusion: RecordsSetup):
    result = dg.materialize([*records_assets, *records_checks], resources=inclusion.resources(), raise_on_error=False)
    return result


def query(inclusion, sql):
    with inclusion.warehouse.connect() as con:
        return con.execute(sql).df()


def test_records_pipeline_end_to_end(tmp_path, resource):
    workbook(tmp_path / "records" / "org.xlsx")
    rows = valid_rows()
    rows["activities"][1]["ladder_step"] = 9
    workbook(
        tmp_path / "records" / "other.xlsx",
        {"place_surveys": [dict(valid_rows()["place_surveys"][0], survey_id="O-S1", local_authority_code="E06000099")]},
    )
    result = run(resource)
    assert result.success
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == {
        "records_rows_reconcile": True,
        "records_loaded": True,
        "records_no_private_columns_in_marts": True,
        "records_people_suppressed": True,
        "organisation_people_suppressed": True,
    }
    assert not resource.records.example_data
    measures = query(resource, "SELECT * FROM marts.record_measures")
    row = measures[(measures.area_code == "E06000018") & (measures.year == 2023) & (measures.measure == "participants")]
    assert row.value.iloc[0] == 12 and not measures.example_data.any()
    quarantine = query(resource, "SELECT * FROM landing.records_quarantine")
    assert list(quarantine.file) == ["other.xlsx"] and "unknown_code" in quarantine.kinds.iloc[0]
    assert "current geography" in quarantine.reasons.iloc[0]  # checked against landing.geography__areas
    summary = query(resource, "SELECT * FROM marts.record_quarantine_summary")
    # Published by pseudonymous file id and template table, never by the file's name (issue 11, item 8).
    assert summary[["table_name", "kind", "problems"]].values.tolist() == [["place_surveys", "unknown_code", 1]]
    assert summary.file_id.iloc[0] == quarantine.file_id.iloc[0] and "other" not in summary.file_id.iloc[0]


def test_rejected_workbook_keeps_previous_good_data(loaded):
    resource, before, path = loaded  # org.xlsx loaded well
    assert len(before) > 0
    path.write_bytes(b"this workbook was overwritten by mistake")
    result = run(resource)
    assert result.success
    problems = query(resource, "SELECT * FROM landing.records_problems")
    assert problems[["file", "kind"]].values.tolist() == [["org.xlsx", "unreadable"]]
    after = query(resource, "SELECT * FROM marts.record_measures ORDER BY ALL")
    pd.testing.assert_frame_equal(before, after)
    recon = query(resource, "SELECT * FROM landing.records_reconciliation")
    assert set(recon.status) == {"rejected", "kept_previous"} and recon.kept_previous.sum() > 0
    # Every check passes but records_loaded, which says (without failing the run) that a file was rejected.
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert [name for name, passed in checks.items() if not passed] == ["records_loaded"]
    status = query(resource, "SELECT status, reason FROM landing.source_status WHERE source_id = 'records'")
    assert status.status.iloc[0] == "stale" and "1 of 1 records files rejected" in status.reason.iloc[0]
    # a later good file replaces what was kept
    rows = valid_rows()
    rows["activities"] = rows["activities"][:1]
    rows["influence_log"] = rows["influence_log"][:1]
    workbook(path, rows)
    assert run(resource).success
    assert len(query(resource, "SELECT * FROM landing.records_activities")) == 1


def test_an_emptied_records_folder_keeps_the_last_good_records(loaded):
    """A records folder with no records files left (a network drive not mounted leaves its empty
    mount point) published no records at all with status ok. Now the last good records stay,
    marked stale with the reason; an empty template put there on purpose publishes none."""
    from sources.records.template import write_template_xlsx

    resource, before, path = loaded
    assert len(before) > 0
    path.unlink()
    (path.parent / "notes.md").write_text("not a records file")
    assert run(resource).success
    status = records_status(resource)
    assert status.status == "stale" and "holds no records files" in status.reason, status.reason
    pd.testing.assert_frame_equal(before, query(resource, "SELECT * FROM marts.record_measures ORDER BY ALL"))
    write_template_xlsx(path.parent / "empty.xlsx")
    assert run(resource).success
    assert records_status(resource).status == "ok"
    assert query(resource, "SELECT count(*) AS n FROM marts.record_measures").n.iloc[0] == 0


def records_status(inclusion):
    return query(inclusion, "SELECT status, reason FROM landing.source_status WHERE source_id = 'records'").iloc[0]


def test_without_a_key_only_the_records_fail(tmp_path, resource):
    """A missing key used to fail the run, so the public statistics were not published either (issue 11,
    item 10): now the records are marked unavailable, the records marts build empty, the run goes on."""
    workbook(tmp_path / "records" / "org.xlsx")
    resource = with_key(resource, None)
    result = run(resource)
    assert result.success
    status = records_status(resource)
    assert status.status == "unavailable" and "INCLUSION_RECORDS_KEY is not set" in status.reason
    assert query(resource, "SELECT count(*) AS n FROM marts.record_measures").n.iloc[0] == 0
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["records_loaded"] is False and checks["records_rows_reconcile"] is True


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaaaaaa", "0123456789abcdef", "short"])
def test_a_weak_key_keeps_the_last_good_records(loaded, weak):
    resource, before, path = loaded  # org.xlsx loaded well with a strong key
    assert len(before) > 0
    resource = with_key(resource, weak)
    rows = valid_rows()
    rows["activities"] = rows["activities"][:1]
    workbook(path, rows)  # a change that must not be loaded with a weak key
    result = run(resource)
    assert result.success
    status = records_status(resource)
    assert status.status == "stale" and ("too easy to guess" in status.reason or "shorter than" in status.reason)
    pd.testing.assert_frame_equal(before, query(resource, "SELECT * FROM marts.record_measures ORDER BY ALL"))


def test_a_new_records_key_lands_the_records_again_and_no_key_enters_dagster(tmp_path, resource):
    """Changing INCLUSION_RECORDS_KEY (a key thought seen by someone) re-pseudonymises the records at the
    next refresh, though no file changed: the landing's version holds a random generation label, new
    with each key, so the landing and what reads it are built again; the same key again is skipped.
    The secret never enters Dagster's records: not in a data version, a tag or any metadata, not even
    hashed (a hash of a guessable key could be tested offline)."""
    import hashlib

    workbook(tmp_path / "records" / "org.xlsx")
    instance = dg.DagsterInstance.ephemeral()
    other_key = "an-entirely-different-records-key-9f3Kq2"
    results, pseudonyms = [], []
    for setup in (resource, with_key(resource, other_key), with_key(resource, other_key)):
        results.append(dg.materialize(records_assets, resources=setup.resources(), instance=instance))
        landed = query(resource, "SELECT contributor_pseudonym FROM landing.records_contributors ORDER BY ALL")
        pseudonyms.append(list(landed["contributor_pseudonym"]))

    def landing_event(result):
        [event] = [m for m in result.get_asset_materialization_events() if m.asset_key == LANDING]
        return event.materialization

    versions = [landing_event(r).tags["dagster/data_version"] for r in results]
    unchanged = [landing_event(r).metadata["unchanged"].value for r in results]
    assert versions[0] != versions[1] == versions[2] and unchanged == [False, False, True]
    assert pseudonyms[0] and not set(pseudonyms[0]) & set(pseudonyms[1]) and pseudonyms[1] == pseudonyms[2]
    stored = " ".join(
        str(record.event_log_entry.dagster_event) + str(record.event_log_entry.message)
        for asset in records_assets
        for key in asset.keys
        for record in instance.fetch_materializations(key, limit=100).records
    )
    for key in (TEST_KEY.decode(), other_key):
        for form in (key, hashlib.sha256(key.encode()).hexdigest()[:16], hashlib.sha256(key.encode()).hexdigest()):
            assert form not in stored


def test_a_file_name_that_is_not_utf8_is_listed_as_text(tmp_path):
    """raw/records lists every file in landing.records_files: a name that is not UTF-8 could not be
    bound (a traceback that stopped the records); it is listed as text, and reported by the check."""
    from assets.records import _manifest

    odd = os.fsdecode(b"caf\xe9")
    (tmp_path / f"{odd}.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "ok.md").write_text("notes")
    assert [(r["path"], r["kind"]) for r in _manifest(tmp_path)] == [("caf\\xe9.xlsx", "workbook")]


def test_a_missing_records_folder_fails_only_the_records(tmp_path):
    inclusion = RecordsSetup.at(tmp_path / "home", tmp_path / "nowhere")
    result = run(inclusion)
    assert result.success
    status = records_status(inclusion)
    assert status.status == "unavailable" and "does not exist" in status.reason


def test_example_records_are_used_and_marked_when_no_directory(tmp_path):
    inclusion = RecordsSetup.at(tmp_path / "home", key=None)
    assert inclusion.records.example_data
    assert run(inclusion).success  # no geography landed: codes are checked by pattern only
    measures = query(inclusion, "SELECT * FROM marts.record_measures")
    assert len(measures) > 0 and measures.example_data.all()
    assert set(measures.area_code) == {"E06000018", "E06000015", "E06000016", "E07000138"}
    assert query(inclusion, "SELECT example_data FROM landing.records_status").example_data.all()


def test_example_records_are_written_again_when_their_code_changes(tmp_path):
    """A home made by an earlier version kept that version's example set for ever (written only when
    README.md was missing), whatever the example code became; now a changed writer rewrites it whole."""
    from assets.records import EXAMPLE_STAMP, records_root

    def files(root):  # names only: a workbook's bytes (and size) carry the time it was written
        return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}

    records = RecordsResource(home=str(tmp_path))
    root = records_root(records)
    written, version = files(root), (root / EXAMPLE_STAMP).read_text()
    assert any(p.suffix == ".xlsx" for p in written)
    (root / "example_from_an_older_version.xlsx").write_bytes(b"an old example workbook")
    (root / "example_nottingham.xlsx").write_bytes(b"an older example workbook")
    (root / EXAMPLE_STAMP).write_text("the code version of an older example writer")
    records_root(records)
    assert files(root) == written and (root / EXAMPLE_STAMP).read_text() == version
    assert (root / "example_nottingham.xlsx").read_bytes().startswith(b"PK")  # a workbook again
    (root / "example_nottingham.xlsx").write_bytes(b"kept while the code is the same")
    records_root(records)
    assert (root / "example_nottingham.xlsx").read_bytes() == b"kept while the code is the same"


def test_published_warehouse_has_no_personal_or_free_text(tmp_path, resource):
    path = workbook(tmp_path / "records" / "org.xlsx")

    def add_name_column(ws):
        ws.cell(1, ws.max_column + 1).value = "name"
        ws.cell(2, ws.max_column).value = "Jane Example-Person"

    edit_sheet(path, "contributors", add_name_column)
    assert run(resource).success
    published = resource.warehouse.warehouse
    published.publish()
    secrets = [
        *PEOPLE,
        *(p.lower() for p in PEOPLE),
        *(pseudonymise(p, TEST_KEY) for p in PEOPLE),
        "Jane Example-Person",
        FREE_TEXT,
        TEST_KEY.decode(),
    ]
    with duckdb.connect(str(published.published_path), read_only=True) as con:
        schemas = {r[0] for r in con.execute("SELECT DISTINCT table_schema FROM information_schema.tables").fetchall()}
        assert schemas == {"marts"}
        columns = con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()
        assert {t for t, _ in columns} >= {"record_measures", "record_quarantine_summary"}
        for table, column in columns:
            assert "contributor" not in column and column not in (
                "notes",
                "evidence",
                "recommendation",
                "description",
                "action_taken",
                "name",
            )
            values = con.execute(f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM marts."{table}"').fetchall()
            text = "\n".join(str(v[0]) for v in values)
            for secret in secrets:
                assert secret not in text, (table, column, secret)
