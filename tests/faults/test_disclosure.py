"""Statistical disclosure control: no count of people below 5 can be worked out from what is
published, by differencing (a grouping minus its known parts, participants minus a subset) or by a
share times its base; and the blocking check finds such recoveries when they are possible."""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from assets.records import MIN_PEOPLE, write_landing
from assets.warehouse import Warehouse
from sources.records import ingest
from tests.fixtures.warehouses import build_area_marts, create_like, create_like_real_igplus, insert_by_name
from tests.unit.records_reports_build import run_steps, steps
from tests.unit.test_records_fixtures import LADS, TEST_KEY, valid_rows, workbook
from tests.unit.test_records_measures import STEPS as RECORD_STEPS

NOTTINGHAM, DERBY, LEICESTER, LINCOLN = "E06000018", "E06000015", "E06000016", "E07000138"
EAST_MIDLANDS, ENGLAND = "E12000004", "E92000001"
CHECK = "checks/disclosure_differencing.sql"
PAID = "records_paid_or_offered_pct"


def _areas(con) -> None:
    """marts.areas and area_groupings by the real SQL: the fixture districts in the East Midlands,
    the region and England."""
    em = {"region_code": EAST_MIDLANDS, "region_name": "East Midlands", "vintage": "2025"}
    areas = pd.DataFrame(
        [{"area_code": c, "area_name": c, "area_type": "lad", **em} for c in sorted(LADS)]
        + [
            {"area_code": EAST_MIDLANDS, "area_name": "East Midlands", "area_type": "region", **em},
            {"area_code": ENGLAND, "area_name": "England", "area_type": "country", "vintage": "2025"},
        ]
    )
    lad_region = pd.DataFrame(
        [{"lad_code": c, "region_code": EAST_MIDLANDS, "region_name": "East Midlands"} for c in sorted(LADS)]
    )
    build_area_marts(con, areas, lad_region)


def _activity(aid, lad, participants, lived, payment):
    return {
        "activity_id": aid,
        "programme_id": "T-P1",
        "activity_date": dt.date(2023, 6, 1),
        "local_authority_code": lad,
        "stage": "design",
        "method": "workshop",
        "ladder_step": 6,
        "participants": participants,
        "participants_lived_experience": lived,
        "hours": 2,
        "notice_days": 14,
        "payment": payment,
        "payment_amount_gbp": None,
        "notes": None,
    }


def hostile_rows() -> dict:
    """The reported leaks: Nottingham has 6 participants of whom 2 were paid (33.3%); Derby has 20
    participants of whom 17 have lived experience (so 3 have not)."""
    rows = valid_rows()
    rows["activities"] = [
        _activity("H-A1", NOTTINGHAM, 2, 2, "paid"),
        _activity("H-A2", NOTTINGHAM, 4, 3, "not_offered"),
        _activity("H-A3", DERBY, 10, 9, "paid"),
        _activity("H-A4", DERBY, 10, 8, "not_offered"),
    ]
    rows["influence_log"] = []
    return rows


def build(tmp_path, rows) -> Warehouse:
    """The records marts (district and organisation) and the records values of IG+ through the real
    SQL; marts.igplus_scores (the real mart's columns and types) holds the records rows
    igplus_values passes through (value, status)."""
    workbook(tmp_path / "records" / "org.xlsx", rows)
    load = ingest(tmp_path / "records", key=TEST_KEY, known_lad_codes=LADS)
    warehouse = Warehouse(tmp_path / "work.duckdb", tmp_path / "pub.duckdb")
    with warehouse.connect() as con:
        write_landing(con, load, "fp")
        _areas(con)
        run_steps(
            con,
            [s for s in RECORD_STEPS if s not in steps()]
            + ["intermediate/lad_rollup.sql", "intermediate/igplus_records_values.sql"],
        )
        create_like_real_igplus(con, ["igplus_scores"])
        con.execute(
            "INSERT INTO marts.igplus_scores BY NAME SELECT area_code, area_type, year, 'indicator' AS level, "
            "indicator_id, value, CASE WHEN value IS NOT NULL THEN 'ok' ELSE observation_status END AS status "
            "FROM intermediate.igplus_records_values"
        )
    return warehouse


@functools.cache
def real_records_marts() -> Path:
    """The fixture records through the real SQL (build), once per process: the work database whose
    record and organisation marts give the designed warehouses below their columns and types."""
    folder = Path(tempfile.mkdtemp(prefix="disclosure-real-"))
    atexit.register(shutil.rmtree, folder, True)
    return build(folder, valid_rows()).work_path


def _designed(con, **tables: pd.DataFrame) -> None:
    """What a warehouse published before disclosure control, designed row by row: each mart has the
    real one's columns and types (the IG+ SQL's, the records SQL's) and the rows go in by name, so a
    column the real mart lacks fails; marts.areas and area_groupings are _areas()'s."""
    _areas(con)
    create_like_real_igplus(con, ["igplus_scores"])
    create_like(con, real_records_marts(), ["record_measures", "organisation_reports", "organisation_measures"])
    # Where organisations work (the check's linked groups): none, unless a test adds rows.
    create_like(con, real_records_marts(), ["records_activities", "records_programmes"], schema="staging")
    for name, frame in tables.items():
        insert_by_name(con, name, frame)


def _reports(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["organisation_id", "year", "areas_served", "involvement_activities"])


def _org_measures(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["organisation_id", "year", "measure", "value"]).assign(breakdown=None)


def frame(warehouse: Warehouse, sql: str) -> pd.DataFrame:
    with warehouse.connect() as con:
        return con.execute(sql).df()


def recoveries(warehouse: Warehouse) -> pd.DataFrame:
    with warehouse.connect() as con:
        return Warehouse.frame(con, CHECK, {"min_people": MIN_PEOPLE})


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return build(tmp_path_factory.mktemp("hostile"), hostile_rows())


def _value(df, area, indicator_or_measure):
    col = "indicator_id" if "indicator_id" in df else "measure"
    [row] = df[(df.area_code == area) & (df[col] == indicator_or_measure) & (df.year == 2023)].itertuples()
    return row


def test_share_of_people_needs_five_inside_and_outside_it(hostile):
    values = frame(hostile, "SELECT * FROM intermediate.igplus_records_values")
    nottingham = _value(values, NOTTINGHAM, PAID)  # 2 of 6 paid: 6 x 33.3% = 2 people
    assert pd.isna(nottingham.value) and nottingham.observation_status == "suppressed"
    derby = _value(values, DERBY, PAID)  # 10 of 20 paid: both sides >= 5
    assert derby.value == pytest.approx(50.0)


def test_grouping_hides_a_value_any_member_hides(hostile):
    values = frame(hostile, "SELECT * FROM intermediate.igplus_records_values")
    for grouping in (EAST_MIDLANDS, ENGLAND):  # 12 of 26 paid, but minus Derby's 10 = Nottingham's 2
        row = _value(values, grouping, PAID)
        assert pd.isna(row.value) and row.observation_status == "suppressed"
    # A measure about activities, not people, is not held back.
    assert _value(values, EAST_MIDLANDS, "records_ladder_6_7_pct").value == pytest.approx(100.0)


def test_lived_experience_hidden_when_the_rest_are_fewer_than_five(hostile):
    measures = frame(hostile, "SELECT * FROM marts.record_measures")
    assert _value(measures, DERBY, "participants").value == 20
    lived = _value(measures, DERBY, "participants_lived_experience")  # 17: 20 - 17 = 3 people
    assert pd.isna(lived.value) and lived.observation_status == "suppressed"
    assert _value(measures, NOTTINGHAM, "participants").value == 6


def test_nothing_recoverable_from_the_pipeline_output(hostile):
    found = recoveries(hostile)
    assert found.empty, found.to_string()


def test_nothing_recoverable_from_the_fixture_records(tmp_path):
    found = recoveries(build(tmp_path, valid_rows()))
    assert found.empty, found.to_string()


def test_the_check_finds_each_kind_of_recovery(tmp_path):
    """What was published before disclosure control: each leak is found, with its evidence."""
    warehouse = Warehouse(tmp_path / "leaky.duckdb", tmp_path / "leaky_pub.duckdb")
    measures = pd.DataFrame(
        [
            (NOTTINGHAM, 2023, "participants", 6.0),
            (NOTTINGHAM, 2023, "participants_lived_experience", 5.0),
            (DERBY, 2023, "participants", 20.0),
            (DERBY, 2023, "participants_lived_experience", 17.0),
            (LEICESTER, 2023, "participants", 3.0),
        ],
        columns=["area_code", "year", "measure", "value"],
    ).assign(counts_people=True, observation_status=None)
    measures.loc[measures.area_code == LEICESTER, ["value", "observation_status"]] = [None, "suppressed"]
    scores = pd.DataFrame(
        [
            (NOTTINGHAM, "lad", 100 * 2 / 6, "ok"),
            (DERBY, "lad", 50.0, "ok"),
            (LEICESTER, "lad", None, "suppressed"),
            (EAST_MIDLANDS, "region", 100 * 12 / 26, "ok"),
        ],
        columns=["area_code", "area_type", "value", "status"],
    ).assign(year=2023, level="indicator", indicator_id=PAID)
    with warehouse.connect() as con:
        _designed(con, record_measures=measures, igplus_scores=scores)
    found = recoveries(warehouse)
    attacks = {(r.attack, r.area_code, None if pd.isna(r.recovered) else int(r.recovered)) for r in found.itertuples()}
    assert ("share x participants", NOTTINGHAM, 2) in attacks  # 6 x 33.3% = 2 paid
    assert ("participants minus participants with lived experience", NOTTINGHAM, 1) in attacks
    assert ("participants minus participants with lived experience", DERBY, 3) in attacks
    assert ("grouping shows what a member hides", EAST_MIDLANDS, None) in attacks  # Leicester hidden
    assert set(found.columns) == {"attack", "area_code", "year", "measure", "recovered", "evidence"}
    assert found.evidence.str.len().gt(0).all()


def test_grouping_minus_known_members_is_found(tmp_path):
    """A region whose other members are all known gives back the one hidden member's count."""
    warehouse = Warehouse(tmp_path / "diff.duckdb", tmp_path / "diff_pub.duckdb")
    measures = pd.DataFrame(
        [(NOTTINGHAM, 2023, "participants", 6.0), (DERBY, 2023, "participants", 20.0)],
        columns=["area_code", "year", "measure", "value"],
    ).assign(counts_people=True, observation_status=None)
    scores = pd.DataFrame(
        [
            (NOTTINGHAM, "lad", None, "suppressed"),
            (DERBY, "lad", 50.0, "ok"),
            (EAST_MIDLANDS, "region", 100 * 12 / 26, "ok"),
        ],
        columns=["area_code", "area_type", "value", "status"],
    ).assign(year=2023, level="indicator", indicator_id=PAID)
    with warehouse.connect() as con:
        _designed(con, record_measures=measures, igplus_scores=scores)
    found = recoveries(warehouse)
    row = found[found.attack == "grouping minus its known members"].iloc[0]
    assert (row.area_code, int(row.recovered)) == (EAST_MIDLANDS, 2)
    assert NOTTINGHAM in row.evidence


def test_site_grouping_totals_never_give_back_a_hidden_district(hostile):
    """The area pages and their CSV downloads sum districts for a grouping: a total is withheld when
    any member's count is, so total minus the others never gives a hidden count."""
    from dashboards.coproduction import area_measures, download_rows

    records = frame(hostile, "SELECT * FROM marts.record_measures")
    group = download_rows(area_measures(records, [NOTTINGHAM, DERBY]), EAST_MIDLANDS)
    row = lambda m: group[(group.year == 2023) & (group.measure == m)].iloc[0]  # noqa: E731
    assert row("participants").value == 26  # both districts publish theirs
    lived = row("participants_lived_experience")  # Derby's is hidden (20 - 17 = 3)
    assert pd.isna(lived.value) and lived.note
    # 22 people: hidden to protect Derby's 3 without lived experience, so the note claims no size
    assert "fewer than" not in lived.note, lived.note


def _programme(pid, lead, lads):
    return {
        "programme_id": pid,
        "programme_name": f"Programme {pid}",
        "lead_organisation_id": lead,
        "partner_organisation_ids": [],
        "local_authority_codes": lads,
        "target_groups": [],
        "budget_gbp": 1000,
        "start_date": dt.date(2023, 1, 1),
        "end_date": dt.date(2023, 12, 31),
        "description": None,
    }


def two_organisations_in_one_district() -> dict:
    """2023: Nottingham's 12 participants are 3 with one organisation and 9 with another, each working
    in Nottingham alone: Nottingham minus the second gives the first's 3.
    2024: T-SPAN works in Nottingham (3 participants) and Derby (10), T-OTHER in Derby alone (8):
    T-SPAN's 13 plus T-OTHER's 8 minus Derby's 18 gives Nottingham's 3. Leicester's T-LEIC is linked
    to neither."""
    rows = valid_rows()
    rows["organisations"] += [
        {"organisation_id": o, "organisation_name": o, "sector": "community", "local_authority_code": lad}
        for o, lad in (("T-SMALL", NOTTINGHAM), ("T-SPAN", NOTTINGHAM), ("T-OTHER", DERBY), ("T-LEIC", LEICESTER))
    ]
    rows["programmes"] = [_programme("P-SMALL", "T-SMALL", [NOTTINGHAM]), _programme("P-BIG", "T-ORG", [NOTTINGHAM])]
    small, big = _activity("S-A1", NOTTINGHAM, 3, 2, "not_offered"), _activity("B-A1", NOTTINGHAM, 9, 2, "paid")
    small["programme_id"], big["programme_id"] = "P-SMALL", "P-BIG"
    rows["activities"] = [small, big]
    for pid, lead, lads in (
        ("P-SPAN", "T-SPAN", [NOTTINGHAM, DERBY]),
        ("P-DERBY", "T-OTHER", [DERBY]),
        ("P-LEIC", "T-LEIC", [LEICESTER]),
    ):
        rows["programmes"].append(
            dict(_programme(pid, lead, lads), start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31))
        )
    for aid, programme, lad, people in (
        ("N-A1", "P-SPAN", NOTTINGHAM, 3),
        ("D-A1", "P-SPAN", DERBY, 10),
        ("D-A2", "P-DERBY", DERBY, 8),
        ("L-A1", "P-LEIC", LEICESTER, 12),
    ):
        lived = 6 if lad == LEICESTER else 1  # Leicester: 6 with lived experience and 6 without
        activity = _activity(aid, lad, people, lived, "not_offered")
        rows["activities"].append(dict(activity, programme_id=programme, activity_date=dt.date(2024, 6, 1)))
    rows["influence_log"] = []
    return rows


@pytest.fixture(scope="module")
def organisations_built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("organisations"), two_organisations_in_one_district())


def test_district_hides_what_one_of_its_organisations_hides(organisations_built):
    measures = frame(organisations_built, "SELECT * FROM marts.record_measures")
    row = _value(measures, NOTTINGHAM, "participants")
    assert pd.isna(row.value) and row.observation_status == "suppressed"
    organisations = frame(
        organisations_built, "SELECT * FROM marts.organisation_measures WHERE measure = 'participants' AND year = 2023"
    )
    assert organisations.set_index("organisation_id")["value"].get("T-ORG") == 9  # the bigger one is shown
    found = recoveries(organisations_built)
    assert found.empty, found.to_string()


def test_an_organisation_in_two_districts_never_gives_back_the_hidden_one(organisations_built):
    """2024 (two_organisations_in_one_district): T-SPAN is hidden too, as two hidden figures give
    only their difference; Derby, T-OTHER and Leicester show theirs."""
    people = frame(
        organisations_built,
        "SELECT area_code AS who, measure, value, observation_status FROM marts.record_measures WHERE year = 2024 "
        "UNION ALL SELECT organisation_id, measure, value, observation_status FROM marts.organisation_measures "
        "WHERE year = 2024 AND measure IN ('participants', 'participants_lived_experience')",
    )
    participants = people[people.measure == "participants"].set_index("who")
    hidden = set(participants.index[participants.value.isna()])
    assert hidden == {NOTTINGHAM, "T-SPAN"}, participants.to_string()
    assert (participants.observation_status[list(hidden)] == "suppressed").all()
    shown = participants.value.dropna().to_dict()
    assert {k: shown[k] for k in (DERBY, "T-OTHER", LEICESTER, "T-LEIC")} == {
        DERBY: 18,
        "T-OTHER": 8,
        LEICESTER: 12,
        "T-LEIC": 12,
    }
    lived = people[people.measure == "participants_lived_experience"].set_index("who").value
    assert (lived[LEICESTER], lived["T-LEIC"]) == (6, 6)  # 6 with lived experience and 6 without
    found = recoveries(organisations_built)
    assert found.empty, found.to_string()


def test_one_hidden_among_linked_organisations_and_districts_is_found(organisations_built, tmp_path):
    """What the marts published before: T-SPAN's 13 and T-OTHER's 8 beside Derby's 18 give back
    Nottingham's hidden 3 (2024)."""
    work = tmp_path / "work.duckdb"
    shutil.copy(organisations_built.work_path, work)
    warehouse = Warehouse(work, tmp_path / "pub.duckdb")
    with warehouse.connect() as con:
        con.execute(
            "UPDATE marts.organisation_measures SET value = 13, observation_status = NULL "
            "WHERE organisation_id = 'T-SPAN' AND year = 2024 AND measure = 'participants'"
        )
    found = recoveries(warehouse)
    assert [(r.attack, r.area_code, r.year, r.measure, int(r.recovered)) for r in found.itertuples()] == [
        ("one hidden among linked organisations and districts", NOTTINGHAM, 2024, "participants", 3)
    ]
    assert "T-SPAN" in found.evidence.iloc[0]


def test_district_minus_its_organisations_is_found(tmp_path):
    """What was published before: Nottingham 12, one organisation 9, the other hidden: 3 recovered."""
    warehouse = Warehouse(tmp_path / "orgs.duckdb", tmp_path / "orgs_pub.duckdb")
    measures = pd.DataFrame(
        [(NOTTINGHAM, 2023, "participants", 12.0)], columns=["area_code", "year", "measure", "value"]
    ).assign(counts_people=True, observation_status=None)
    with warehouse.connect() as con:
        _designed(
            con,
            record_measures=measures,
            organisation_reports=_reports([("T-SMALL", 2023, NOTTINGHAM, 1), ("T-ORG", 2023, NOTTINGHAM, 1)]),
            organisation_measures=_org_measures(
                [("T-SMALL", 2023, "participants", None), ("T-ORG", 2023, "participants", 9.0)]
            ),
        )
    found = recoveries(warehouse)
    row = found[found.attack == "district minus its organisations"].iloc[0]
    assert (row.area_code, int(row.recovered)) == (NOTTINGHAM, 3) and "T-SMALL" in row.evidence


def test_grouping_share_of_feedback_while_a_member_hides_it_is_found(tmp_path):
    """Participants' ratings are shares of people too: a region may not show one a district hides."""
    warehouse = Warehouse(tmp_path / "fb.duckdb", tmp_path / "fb_pub.duckdb")
    scores = pd.DataFrame(
        [(NOTTINGHAM, "lad", None, "suppressed"), (DERBY, "lad", 60.0, "ok"), (EAST_MIDLANDS, "region", 55.0, "ok")],
        columns=["area_code", "area_type", "value", "status"],
    ).assign(year=2023, level="indicator", indicator_id="records_feedback_listened_to_pct")
    with warehouse.connect() as con:
        _designed(con, igplus_scores=scores)
    found = recoveries(warehouse)
    assert set(found.attack) == {"grouping shows what a member hides"}
    assert set(found.area_code) == {EAST_MIDLANDS}
