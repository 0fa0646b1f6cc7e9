"""Every SQL check in sql/checks can fail. On a copy of the refreshed warehouse's private database
each check is run, then one realistic fault of the kind it guards against is made (in a transaction,
rolled back) and the check must return more violating rows than before. A check that cannot fail
is no check; a new check file without a fault here fails the test that lists them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from assets.checks import RECONCILED_COUNTS
from assets.warehouse import SQL_DIR, Warehouse
from sources.records.model import PRIVATE_COLUMNS
from sources.records.privacy import MIN_PEOPLE

pytestmark = [pytest.mark.slow, pytest.mark.realdata]

PARAMS = {"min_people": MIN_PEOPLE, "reconciled_indicators": RECONCILED_COUNTS, "private_columns": PRIVATE_COLUMNS}


def _one(table: str, where: str) -> str:
    """The first row of `table` that matches `where` (a fault in one row, as a bug would make)."""
    return f"rowid = (SELECT min(rowid) FROM {table} WHERE {where})"


# check name -> the statements of one fault it exists to catch
FAULTS: dict[str, list[str]] = {
    "completeness_for_vintage": [
        # a district's rows lost from an indicator and period that had every district
        """DELETE FROM marts.indicator_values WHERE (indicator_id, period, area_code) = (
             SELECT (v.indicator_id, v.period, min(v.area_code)) FROM marts.indicator_values AS v
             GROUP BY v.indicator_id, v.period
             HAVING count(DISTINCT v.area_code) = (SELECT count(*) FROM marts.areas WHERE area_type = 'lad')
             ORDER BY ALL LIMIT 1)""",
    ],
    "counts_reconcile_with_england": [
        # a district's count changed in harmonisation, so the districts no longer add up to England
        f"""UPDATE marts.indicator_values SET value = value + 7 WHERE {
            _one(
                "marts.indicator_values",
                f"value IS NOT NULL AND unit = 'count' AND indicator_id = '{RECONCILED_COUNTS[0]}'",
            )
        }""",
    ],
    "disclosure_differencing": [
        # people with lived experience published as two fewer than all participants
        """UPDATE marts.record_measures AS l SET value = p.value - 2, observation_status = NULL
           FROM marts.record_measures AS p
           WHERE l.measure = 'participants_lived_experience' AND p.measure = 'participants'
             AND p.area_code = l.area_code AND p.year = l.year AND p.value >= 7
             AND l.rowid = (SELECT min(x.rowid) FROM marts.record_measures AS x
                            JOIN marts.record_measures AS y ON y.area_code = x.area_code AND y.year = x.year
                            WHERE x.measure = 'participants_lived_experience' AND y.measure = 'participants'
                              AND y.value >= 7)""",
    ],
    "igplus_inherited_not_scored": [
        # a district scored on its county's value
        """UPDATE marts.indicator_values SET basis = 'inherited' WHERE rowid = (
             SELECT min(v.rowid) FROM marts.indicator_values AS v JOIN marts.igplus_scores AS s
               ON s.indicator_id = v.indicator_id AND s.area_code = v.area_code AND s.period = v.period
             WHERE s.level = 'indicator' AND s.area_type = 'lad' AND s.score IS NOT NULL)""",
    ],
    "igplus_no_score_without_records": [
        f"""UPDATE marts.igplus_scores SET score = 50 WHERE {_one("marts.igplus_scores", "status = 'no_records'")}""",
    ],
    "igplus_people_suppressed": [
        # (no framework measure counts people today: the fault is a measure that does, shown small)
        f"""UPDATE marts.framework_measures SET counts_people = true, value = 3, observation_status = NULL
            WHERE {_one("marts.framework_measures", "true")}""",
    ],
    "igplus_ranks_ordered": [
        f"""UPDATE marts.igplus_uncertainty SET rank_p05 = median_rank + 1
            WHERE {_one("marts.igplus_uncertainty", "median_rank < n_ranked")}""",
    ],
    "igplus_scores_in_range": [
        f"""UPDATE marts.igplus_scores SET score = 100.5 WHERE {_one("marts.igplus_scores", "status = 'ok'")}""",
    ],
    "indicator_values_area_known": [
        f"""UPDATE marts.indicator_values SET area_code = 'E07000999' WHERE {_one("marts.indicator_values", "true")}""",
    ],
    "indicator_values_basis_stated": [
        f"""UPDATE marts.indicator_values SET basis = NULL WHERE {_one("marts.indicator_values", "true")}""",
    ],
    "indicator_values_known_indicator": [
        f"""UPDATE marts.indicator_values SET indicator_id = 'not_in_the_catalogue'
            WHERE {_one("marts.indicator_values", "true")}""",
    ],
    "indicator_values_unique": [
        f"""INSERT INTO marts.indicator_values SELECT * FROM marts.indicator_values
            WHERE {_one("marts.indicator_values", "true")}""",
    ],
    "indicator_values_value_or_status": [
        f"""UPDATE marts.indicator_values SET value = NULL, observation_status = NULL
            WHERE {_one("marts.indicator_values", "value IS NOT NULL")}""",
    ],
    "organisation_people_suppressed": [
        f"""UPDATE marts.organisation_measures SET value = 2, observation_status = NULL
            WHERE {_one("marts.organisation_measures", "counts_people AND NOT too_few_participants")}""",
    ],
    "place_standard_people_suppressed": [
        f"""UPDATE marts.place_standard SET respondents = 3
            WHERE {_one("marts.place_standard", "respondents IS NOT NULL")}""",
    ],
    "records_loaded": [
        "UPDATE landing.source_status SET status = 'failed' WHERE source_id = 'records'",
    ],
    "records_no_private_columns_in_marts": [
        "ALTER TABLE marts.record_measures ADD COLUMN contributor_id VARCHAR",
    ],
    "records_people_suppressed": [
        f"""UPDATE marts.record_measures SET value = 4, observation_status = NULL
            WHERE {_one("marts.record_measures", "counts_people")}""",
    ],
    "records_rows_reconcile": [
        f"""DELETE FROM landing.records_activities WHERE {_one("landing.records_activities", "true")}""",
    ],
    "sources_release_titled": [
        f"""UPDATE marts.sources SET release_title = ' ' WHERE {_one("marts.sources", "status = 'ok'")}""",
    ],
}

CHECKS = sorted(p.stem for p in (SQL_DIR / "checks").glob("*.sql"))


def test_every_check_has_a_fault_to_catch():
    assert sorted(FAULTS) == CHECKS


@pytest.fixture(scope="module")
def private_db(refreshed_home, tmp_path_factory) -> duckdb.DuckDBPyConnection:
    copy = tmp_path_factory.mktemp("checks") / "refresh.duckdb"
    shutil.copyfile(Path(refreshed_home) / "work" / "refresh.duckdb", copy)
    con = duckdb.connect(str(copy))
    yield con
    con.close()


def _violations(con, name: str) -> int:
    relpath = f"checks/{name}.sql"
    wanted = set(re.findall(r"\$(\w+)", (SQL_DIR / relpath).read_text()))
    return len(Warehouse.frame(con, relpath, {k: v for k, v in PARAMS.items() if k in wanted}))


@pytest.mark.parametrize("name", CHECKS)
def test_the_check_catches_its_fault(private_db, name):
    con = private_db
    before = _violations(con, name)
    con.execute("BEGIN TRANSACTION")
    try:
        for statement in FAULTS[name]:
            con.execute(statement)
        after = _violations(con, name)
    finally:
        con.execute("ROLLBACK")
    assert after > before, f"{name}: {before} violations before the fault, {after} after"
    assert _violations(con, name) == before  # (rolled back: the next check sees the refreshed data)
