"""The Great Expectations 1.x adapter and the landing suite."""

import pandas as pd

from assets.quality import check_result, validate
from assets.suites import tidy_contract_suite


def _rows(**overrides):
    base = {
        "indicator_id": ["rough_sleeping_count"] * 2,
        "area_code": ["E06000001", "E06000002"],
        "period": ["2022", "2022"],
        "release": ["autumn 2022"] * 2,
        "landing_table": ["indicator_values"] * 2,
        "period_start": pd.to_datetime(["2022-10-01"] * 2),
        "period_end": pd.to_datetime(["2022-10-31"] * 2),
        "lower_ci": [None, None],
        "upper_ci": [None, None],
        "value": [3.0, 0.0],
        "unit": ["count", "count"],
        "observation_status": [None, None],
    }
    base.update(overrides)
    return pd.DataFrame(base)


def test_good_rows_pass():
    outcome = validate(_rows(), "t", tidy_contract_suite())
    assert outcome.success and outcome.rows_checked == 2
    assert check_result(outcome).passed


def test_each_problem_is_reported_with_examples():
    bad = _rows(area_code=["E06000001", "XYZ"], value=[-1.0, 2.0])
    outcome = validate(bad, "t", tidy_contract_suite())
    assert not outcome.success
    failed = {(f["expectation"], f["column"]) for f in outcome.failures}
    assert ("expect_column_values_to_match_regex", "area_code") in failed
    assert ("expect_column_values_to_be_between", "value") in failed
    result = check_result(outcome)
    assert not result.passed and "XYZ" in result.description


def test_duplicates_and_percent_range():
    dup = _rows(area_code=["E06000001", "E06000001"], unit=["percent", "percent"], value=[50.0, 101.0])
    outcome = validate(dup, "t", tidy_contract_suite())
    failed = {f["expectation"] for f in outcome.failures}
    assert "expect_compound_columns_to_be_unique" in failed
    assert "expect_column_values_to_be_between" in failed


def test_negative_scores_are_allowed_for_non_counts():
    scores = _rows(unit=["score", "score"], value=[-2.1, 1.3])
    assert validate(scores, "t", tidy_contract_suite()).success


def test_the_contract_beyond_what_the_ddl_enforces():
    """Units and statuses from the contract's vocabularies, a status wherever a value is missing, a
    value inside its interval and a period that ends after it starts."""
    bad = _rows(
        unit=["count", "furlongs"],
        value=[None, 2.0],
        lower_ci=[None, 2.5],
        upper_ci=[None, 3.0],
        period_end=pd.to_datetime(["2022-09-30", "2022-10-31"]),
    )
    failed = {(f["expectation"], f["column"]) for f in validate(bad, "t", tidy_contract_suite()).failures}
    assert failed == {
        ("expect_column_values_to_be_in_set", "unit"),
        ("expect_column_values_to_not_be_null", "observation_status"),
        ("expect_column_pair_values_a_to_be_greater_than_b", "value,lower_ci"),
        ("expect_column_pair_values_a_to_be_greater_than_b", "period_end,period_start"),
    }


def test_the_same_key_may_appear_once_in_each_landing_table():
    both = _rows(area_code=["E92000001", "E92000001"], landing_table=["indicator_values", "aggregate_values"])
    assert validate(both, "t", tidy_contract_suite()).success


def test_the_suite_expects_nothing_the_ddl_already_enforces():
    from sources.tidy import TIDY_CONTRACT

    required = {c.name for c in TIDY_CONTRACT if c.required}
    unconditional_not_null = {
        kwargs["column"]
        for name, kwargs in tidy_contract_suite()
        if name == "ExpectColumnValuesToNotBeNull" and "row_condition" not in kwargs
    }
    assert not unconditional_not_null & required
