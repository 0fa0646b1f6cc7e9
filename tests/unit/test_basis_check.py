"""The asset check on marts.indicator_values.basis: zero rows pass, each kind of bad row is caught."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

CHECK = (Path(__file__).resolve().parents[2] / "sql" / "checks" / "indicator_values_basis_stated.sql").read_text()
GOOD = [
    ("x", "E07000174", "2022", "inherited", "E10000024", "Nottinghamshire"),
    ("x", "E06000018", "2022", "own", "E06000018", "Nottingham"),
    ("x", "E06000065", "2022", "summed", "E06000065", "North Yorkshire"),
]


def violations(rows) -> list:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.execute(
        "CREATE TABLE marts.indicator_values (indicator_id VARCHAR, area_code VARCHAR, period VARCHAR, "
        "basis VARCHAR, basis_area_code VARCHAR, basis_area_name VARCHAR)"
    )
    con.executemany("INSERT INTO marts.indicator_values VALUES (?, ?, ?, ?, ?, ?)", rows)
    return con.execute(CHECK).fetchall()


def test_good_rows_pass():
    assert violations(GOOD) == []


@pytest.mark.parametrize(
    "bad",
    [
        ("x", "E07000175", "2022", None, "E07000175", "Newark"),  # no basis
        ("x", "E07000175", "2022", "county", "E07000175", "Newark"),  # unknown basis
        ("x", "E07000175", "2022", "inherited", "E07000175", "Newark"),  # inherited from itself
        ("x", "E07000175", "2022", "inherited", "E10000024", None),  # county not named
        ("x", "E07000175", "2022", "own", "E10000024", "Nottinghamshire"),
    ],
)  # own but another area's
def test_each_bad_row_is_caught(bad):
    assert len(violations(GOOD + [bad])) == 1
