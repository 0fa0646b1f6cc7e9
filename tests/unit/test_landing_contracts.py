"""Every landing table a source writes has a contract (sources/tidy.py TableContract, declared in the
source's meta.py): its DDL is made from it, and the one GX suite checks the rest of it. Each
expectation the suite makes is shown failing on bad data."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from assets import landing as ld
from assets.checks import landing_batches
from assets.quality import validate_tables
from assets.sources import refuse_undeclared
from assets.suites import suite_for
from sources.errors import SourceError
from sources.registry import registered, source
from sources.tidy import TIDY_TABLE, TableContract, column

EXTRA = [(s.source_id, name, contract) for s in registered() for name, contract in s.extra_tables.items()]
SAMPLE = {"DOUBLE": 1.0, "BIGINT": 1, "BOOLEAN": True, "DATE": pd.Timestamp("2022-04-01").date()}


def good_rows(contract: TableContract) -> pd.DataFrame:
    """Two rows meeting the contract, differing in every key column."""
    rows = []
    for i in range(2):
        row = {}
        for c in contract.columns:
            if c.allowed:
                row[c.name] = c.allowed[0]
            elif c.pattern:
                row[c.name] = f"E0600000{i + 1}"
            elif c.sql_type == "VARCHAR":
                row[c.name] = f"x{i}"
            else:
                row[c.name] = SAMPLE[c.sql_type] if c.name not in contract.key else i + 1
        rows.append(row)
    return pd.DataFrame(rows)


def broken(rows: pd.DataFrame, expectation: str, kwargs: dict) -> pd.DataFrame:
    """The rows made to break one expectation."""
    bad = rows.copy()
    if expectation == "ExpectColumnValuesToBeInSet":
        bad.loc[0, kwargs["column"]] = "not-in-the-contract"
    elif expectation == "ExpectColumnValuesToMatchRegex":
        bad.loc[0, kwargs["column"]] = "XYZ"
    elif expectation == "ExpectColumnValuesToNotBeNull" and "row_condition" not in kwargs:
        bad[kwargs["column"]] = bad[kwargs["column"]].astype(object)
        bad.loc[0, kwargs["column"]] = None
    elif expectation in ("ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique"):
        bad = pd.concat([rows.iloc[[0]], rows.iloc[[0]]], ignore_index=True)
    else:
        return None
    return bad


@pytest.mark.parametrize("source_id,name,contract", EXTRA, ids=[f"{s}__{n}" for s, n, _ in EXTRA])
def test_each_expectation_of_an_extra_table_fails_on_bad_data(source_id, name, contract):
    suite = suite_for(contract)
    rows = good_rows(contract)
    assert validate_tables({name: (rows, suite)}).success
    tried = 0
    for expectation, kwargs in suite:
        bad = broken(rows, expectation, kwargs)
        if bad is None:  # the tidy rules, shown failing in tests/unit/test_quality.py
            continue
        outcome = validate_tables({name: (bad, [(expectation, kwargs)])})
        assert not outcome.success, (expectation, kwargs)
        tried += 1
    assert tried >= 1  # every extra table's contract has at least a key, a pattern or a vocabulary


def test_the_records_style_not_null_is_expected_only_where_no_ddl_enforces_it():
    contract = TableContract((column("code", required=True), column("note")))
    assert suite_for(contract) == []
    assert suite_for(contract, ddl_enforced=False) == [("ExpectColumnValuesToNotBeNull", {"column": "code"})]
    bad = pd.DataFrame({"code": ["a", None], "note": ["x", "y"]})
    assert not validate_tables({"t": (bad, suite_for(contract, ddl_enforced=False))}).success


def test_an_extra_table_lands_in_its_contracts_columns_and_types():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA landing")
    frame = pd.DataFrame(
        {
            "indicator_id": ["population_all_ages"],
            "area_code": ["E07000001"],
            "period": ["2021"],
            "source_id": ["population"],
        }
    )
    frame["observation_status"] = None  # all null: DuckDB alone would guess INTEGER
    ld.replace_contract_table(con, "population__former_area_values", TIDY_TABLE, frame)
    types = con.execute(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = 'population__former_area_values' ORDER BY ordinal_position"
    ).fetchall()
    assert types == [(c.name, c.sql_type, "NO" if c.required else "YES") for c in TIDY_TABLE.columns]
    with pytest.raises(duckdb.ConversionException):
        ld.replace_contract_table(con, "population__former_area_values", TIDY_TABLE, frame.assign(value=["lots"]))
    with pytest.raises(duckdb.ConstraintException):
        ld.replace_contract_table(con, "population__former_area_values", TIDY_TABLE, frame.assign(period=[None]))
    with pytest.raises(ValueError, match="not in its contract"):
        ld.replace_contract_table(con, "population__former_area_values", TIDY_TABLE, frame.assign(extra=[1]))
    # A refused frame leaves the last good rows in place.
    assert con.execute("SELECT count(*) FROM landing.population__former_area_values").fetchone()[0] == 1


def test_a_table_or_column_no_contract_declares_is_refused_as_a_source_error():
    described = source("rough_sleeping")
    good = good_rows(described.extra_tables["areas"])
    refuse_undeclared(described, {"areas": good})
    with pytest.raises(SourceError, match="no contract"):
        refuse_undeclared(described, {"areas": good, "lookups": good})
    with pytest.raises(SourceError, match="not in its contract"):
        refuse_undeclared(described, {"areas": good.assign(ward_code="E05000001")})


def test_the_check_validates_every_landed_table_of_the_source_by_its_contract():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA landing")
    ld.ensure_landing(con)
    described = source("social_mobility")
    for name, contract in described.extra_tables.items():
        ld.replace_contract_table(con, f"social_mobility__{name}", contract, good_rows(contract))
    batches = landing_batches(con, "social_mobility")
    assert set(batches) == {"tidy_rows", *(f"social_mobility__{n}" for n in described.extra_tables)}
    assert validate_tables(batches).success
    categories = good_rows(described.extra_tables["categories"])
    ld.replace_contract_table(
        con, "social_mobility__categories", described.extra_tables["categories"], categories.assign(area_code="XYZ")
    )
    failures = validate_tables(landing_batches(con, "social_mobility")).failures
    assert [f["column"] for f in failures] == ["social_mobility__categories.area_code"]


@pytest.fixture(scope="module")
def landed_records(tmp_path_factory):
    """The fictional example records, checked and landed by the real records engine."""
    from assets.records import write_landing
    from sources.records import EXAMPLE_ONLY_KEY, ingest, write_example_records

    root = write_example_records(tmp_path_factory.mktemp("records") / "example")
    con = duckdb.connect()
    con.execute("CREATE SCHEMA landing")
    load = ingest(root, key=EXAMPLE_ONLY_KEY, example_data=True, con=con)
    write_landing(con, load, "fp")
    return con


def test_the_landed_records_meet_the_contracts_made_from_the_records_model(landed_records):
    from assets.checks import records_batches
    from assets.suites import records_contracts

    batches = records_batches(landed_records)
    # Every records table but records_files, which raw/records writes (not run here).
    assert {name.removesuffix(":columns") for name in batches} == set(records_contracts()) - {"records_files"}
    outcome = validate_tables(batches)
    assert outcome.success, outcome.failures


def test_a_records_column_of_another_type_or_a_repeated_key_fails(landed_records):
    from assets.checks import records_batches

    con = landed_records.cursor()
    con.execute("CREATE TABLE landing.records_activities_kept AS SELECT * FROM landing.records_activities")
    try:
        con.execute("INSERT INTO landing.records_activities SELECT * FROM landing.records_activities LIMIT 1")
        con.execute("ALTER TABLE landing.records_place_surveys ALTER respondents TYPE DOUBLE")
        con.execute("ALTER TABLE landing.records_status ADD COLUMN note VARCHAR")
        con.execute(
            "CREATE TABLE landing.records_files AS SELECT * FROM (VALUES ('a.xlsx', 'workbook', 1::BIGINT, 'f'), "
            "('a.xlsx', 'workbook', 1, 'f')) AS t(path, kind, bytes, sha256)"
        )
        failed = {f["column"] for f in validate_tables(records_batches(con)).failures}
        assert failed == {
            "records_activities.activity_id",
            "records_place_surveys:columns.name_and_type",
            "records_status:columns.name_and_type",
            "records_files.path",
        }
    finally:
        con.execute("DROP TABLE landing.records_files")
        con.execute("ALTER TABLE landing.records_status DROP COLUMN note")
        con.execute("ALTER TABLE landing.records_place_surveys ALTER respondents TYPE BIGINT")
        con.execute("DROP TABLE landing.records_activities")
        con.execute("ALTER TABLE landing.records_activities_kept RENAME TO records_activities")
