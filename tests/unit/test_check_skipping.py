"""Asset checks are skipped like assets: same code, parameters and input data versions -> the last
evaluation's outcome is repeated without running the check again (assets/versions.py)."""

import dagster as dg

from assets.versions import CHECK_VERSION, check_outcome

NUMBERS = dg.AssetKey("numbers")


def _definitions(state: dict) -> list:
    @dg.asset(key=NUMBERS)
    def numbers() -> dg.MaterializeResult:
        return dg.MaterializeResult(data_version=dg.DataVersion(str(state["value"])))

    @dg.asset_check(asset=NUMBERS, name="not_negative")
    def not_negative(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        def run() -> dg.AssetCheckResult:
            state["runs"] += 1
            return dg.AssetCheckResult(passed=state["value"] >= 0, metadata={"value": state["value"]})

        return check_outcome(context, state["code"], [NUMBERS], run, {"floor": 0})

    return [numbers, not_negative]


def _evaluate(instance: dg.DagsterInstance, state: dict) -> dg.AssetCheckEvaluation:
    result = dg.materialize(_definitions(state), instance=instance)
    (evaluation,) = result.get_asset_check_evaluations()
    return evaluation


def test_a_check_on_unchanged_data_repeats_its_last_outcome_without_running():
    instance = dg.DagsterInstance.ephemeral()
    state = {"value": 3, "runs": 0, "code": "v1"}
    first = _evaluate(instance, state)
    assert first.passed and state["runs"] == 1 and first.metadata["unchanged"].value is False

    again = _evaluate(instance, state)
    assert again.passed and state["runs"] == 1, "same data, same code: not run again"
    assert again.metadata["unchanged"].value is True
    assert again.metadata["value"].value == 3 and again.metadata[CHECK_VERSION] == first.metadata[CHECK_VERSION]


def test_new_data_or_new_check_code_runs_the_check_again_and_a_failure_is_repeated_as_a_failure():
    instance = dg.DagsterInstance.ephemeral()
    state = {"value": 3, "runs": 0, "code": "v1"}
    _evaluate(instance, state)

    state["value"] = -1  # new data version upstream
    failed = _evaluate(instance, state)
    assert not failed.passed and state["runs"] == 2

    repeated = _evaluate(instance, state)
    assert not repeated.passed and state["runs"] == 2, "a failure on the same data stays a failure"
    assert repeated.metadata["unchanged"].value is True

    state["code"] = "v2"  # the check itself changed
    rerun = _evaluate(instance, state)
    assert not rerun.passed and state["runs"] == 3
