"""Pseudonymisation of contributor ids: keyed, stable, and the key never written anywhere."""

from __future__ import annotations

import pytest

from sources.records import EXAMPLE_ONLY_KEY, KEY_ENV, RecordsKeyMissing, ingest, pseudonymise, records_key

from .test_records_fixtures import PEOPLE, TEST_KEY, workbook


def test_same_id_and_key_give_the_same_pseudonym():
    assert pseudonymise("PERSON-001", TEST_KEY) == pseudonymise(" person-001 ", TEST_KEY)
    assert pseudonymise("PERSON-001", TEST_KEY) != pseudonymise("PERSON-002", TEST_KEY)


def test_a_different_key_gives_a_different_pseudonym():
    assert pseudonymise("PERSON-001", TEST_KEY) != pseudonymise("PERSON-001", b"another-key-0123456789")


def test_pseudonym_is_the_hmac_sha256_of_the_identifier():
    import hashlib
    import hmac

    expected = hmac.new(TEST_KEY, b"person-001", hashlib.sha256).hexdigest()[:32]
    assert pseudonymise("PERSON-001", TEST_KEY) == "c_" + expected


def test_key_comes_from_the_environment():
    assert records_key({KEY_ENV: "a-long-enough-secret-key"}) == b"a-long-enough-secret-key"
    assert records_key({KEY_ENV: "correct horse battery staple"}) == b"correct horse battery staple"


@pytest.mark.parametrize(
    "env, words",
    [
        ({}, "is not set"),
        ({KEY_ENV: "short"}, "shorter than"),
        ({KEY_ENV: EXAMPLE_ONLY_KEY.decode()}, "example-only"),
        ({KEY_ENV: "aaaaaaaaaaaaaaaa"}, "too easy to guess"),
        ({KEY_ENV: "abababababababababab"}, "too easy to guess"),
        ({KEY_ENV: "0123456789abcdef"}, "too easy to guess"),
        ({KEY_ENV: "Password12345678"}, "too easy to guess"),
    ],
)
def test_without_a_proper_key_loading_is_refused(env, words):
    with pytest.raises(RecordsKeyMissing) as info:
        records_key(env)
    assert words in str(info.value) and KEY_ENV in str(info.value)


def test_key_and_raw_ids_never_appear_in_any_output(tmp_path):
    workbook(tmp_path / "org.xlsx")
    result = ingest(tmp_path, key=TEST_KEY)
    frames = [
        *result.tables.values(),
        *result.links.values(),
        result.quarantine,
        result.reconciliation,
        result.problems_frame(),
    ]
    text = "".join(f.to_csv() for f in frames)
    assert TEST_KEY.decode() not in text
    assert not any(p in text for p in PEOPLE)
    pseudonyms = set(result.tables["contributors"]["contributor_pseudonym"])
    assert pseudonyms == {pseudonymise(p, TEST_KEY) for p in PEOPLE}
    again = ingest(tmp_path, key=TEST_KEY)
    assert set(again.tables["contributors"]["contributor_pseudonym"]) == pseudonyms


class _Recorded:
    """A connection that records each statement and any value bound with it."""

    def __init__(self, con):
        self.con, self.statements = con, []

    def execute(self, sql, parameters=None):
        self.statements.append((sql, parameters))
        return self.con.execute(sql, parameters)


@pytest.mark.parametrize("key", [TEST_KEY, bytes(range(256)) * 2])  # the second longer than a block (hashed)
def test_the_keys_pads_reach_duckdb_neither_bound_nor_in_sql_text(key, monkeypatch):
    """rec_key holds HMAC's pads of the key (hmac_pads), set up with no bound value (which would make
    DuckDB's client import pandas) and with no byte of the key or its pads in any statement; the
    file they are read from is closed. Where no memory file can be had, they are bound: same pads."""
    import os

    import duckdb

    from sources.records import engine

    pads = engine.hmac_pads(key)
    recorded = _Recorded(duckdb.connect())
    open_before = sorted(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    engine.key_table(recorded, key)
    assert recorded.con.execute("SELECT ipad, opad FROM rec_key").fetchone() == pads
    assert all(params is None for _, params in recorded.statements)
    secrets = [key, *pads]
    for sql, _ in recorded.statements:
        assert not any(s.hex() in sql.lower() or s.hex().upper() in sql for s in secrets)
        assert not any(s.decode("latin-1") in sql for s in secrets)
    if open_before is not None:
        assert sorted(os.listdir("/proc/self/fd")) == open_before
    monkeypatch.setattr(engine, "_memory_file", lambda data: None)
    fallback = duckdb.connect()
    engine.key_table(fallback, key)
    assert fallback.execute("SELECT ipad, opad FROM rec_key").fetchone() == pads
