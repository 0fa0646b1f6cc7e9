"""The Great Expectations 1.x adapter and the landing suite."""

import pandas as pd

from assets.quality import check_result, validate
from assets.suites import landing_values_suite


def _rows(**overrides):
    base = {
        "indicator_id": ["rough_sleeping_count"] * 2,
        "area_code": ["E06000001", "E06000002"],
        "period": ["2022", "2022"],
        "release": ["autumn 2022"] * 2,
        "value": [3.0, 0.0],
        "unit": ["count", "count"],
        "observation_status": [None, None],
    }
    base.update(overrides)
    return pd.DataFrame(base)


def test_good_rows_pass():
    outcome = validate(_rows(), "t", landing_values_suite({"count"}))
    assert outcome.success and outcome.rows_checked == 2
    assert check_result(outcome).passed


def test_each_problem_is_reported_with_examples():
    bad = _rows(area_code=["E06000001", "XYZ"], value=[-1.0, 2.0])
    outcome = validate(bad, "t", landing_values_suite({"count"}))
    assert not outcome.success
    failed = {(f["expectation"], f["column"]) for f in outcome.failures}
    assert ("expect_column_values_to_match_regex", "area_code") in failed
    assert ("expect_column_values_to_be_between", "value") in failed
    result = check_result(outcome)
    assert not result.passed and "XYZ" in result.description


def test_duplicates_and_percent_range():
    dup = _rows(area_code=["E06000001", "E06000001"], unit=["percent", "percent"], value=[50.0, 101.0])
    outcome = validate(dup, "t", landing_values_suite({"percent"}))
    failed = {f["expectation"] for f in outcome.failures}
    assert "expect_compound_columns_to_be_unique" in failed
    assert "expect_column_values_to_be_between" in failed


def test_negative_scores_are_allowed_for_non_counts():
    scores = _rows(unit=["score", "score"], value=[-2.1, 1.3])
    assert validate(scores, "t", landing_values_suite({"score"})).success
