"""Rules that look at several cells of one row, or at other tables (references)."""
from __future__ import annotations

from .model import AGREEMENT_SCALE
from .problems import Problem


def _later(row, earlier: str, later: str, what: str):
    a, b = row.get(earlier), row.get(later)
    if a is not None and b is not None and b < a:
        return later, f"{b} is before {earlier} {a}", f"{what} on or after {earlier}"
    return None


def end_not_before_start(row):
    return _later(row, "start_date", "end_date", "an end date")


def last_not_before_first(row):
    return _later(row, "first_involved", "last_involved", "a date")


def lived_not_above_participants(row):
    lived, everyone = row.get("participants_lived_experience"), row.get("participants")
    if lived is not None and everyone is not None and lived > everyone:
        return ("participants_lived_experience", f"{lived} is more than the {everyone} participants",
                "at most the number of participants")
    return None


def amount_only_if_paid(row):
    amount = row.get("payment_amount_gbp")
    if amount and row.get("payment") == "not_offered":
        return ("payment_amount_gbp", f"an amount of {amount:g} is given but payment is 'not_offered'",
                "an amount only when participants were paid or offered payment")
    return None


def policy_needs_policy(row):
    if row.get("policy_co_designed") and row.get("written_inclusion_policy") is False:
        return ("policy_co_designed", "says the policy was co-designed but there is no written inclusion policy",
                "yes only when written_inclusion_policy is yes")
    return None


def definition_date_needs_definition(row):
    if row.get("inclusion_defined_date") is not None and row.get("inclusion_defined") is False:
        return ("inclusion_defined_date", "a date is given but inclusion_defined is no",
                "a date only when inclusion_defined is yes")
    return None


def feedback_activity_or_programme(row):
    activity, programme = row.get("activity_id"), row.get("programme_id")
    if (activity is None) == (programme is None):
        found = "both an activity_id and a programme_id" if activity is not None else "neither an activity_id nor a programme_id"
        return ("activity_id", f"gives {found}",
                "exactly one of activity_id (feedback on one activity) or programme_id (on the whole programme)")
    return None


def feedback_has_answers(row):
    answers = [row.get(a) for a in AGREEMENT_SCALE]
    if all(a is not None for a in answers) and sum(answers) == 0:
        return ("strongly_disagree", "every answer count is 0", "at least one answer counted")
    return None


ROW_RULES = {f.__name__: f for f in (end_not_before_start, last_not_before_first, lived_not_above_participants,
                                      amount_only_if_paid, policy_needs_policy, definition_date_needs_definition,
                                      feedback_activity_or_programme, feedback_has_answers)}


def activity_area_served(row, context) -> tuple | None:
    served = context["programme_areas"].get(row.get("programme_id"))
    code = row.get("local_authority_code")
    if served is not None and code is not None and code not in served:
        return ("local_authority_code", f"'{code}' is not served by programme '{row['programme_id']}'",
                "one of the programme's local_authority_codes: " + ", ".join(sorted(served)))
    return None


def framework_point_known(row, context) -> tuple | None:
    point = (row.get("framework_id"), row.get("point_number"))
    if None not in point and point[0] in context["framework_ids"] and point not in context["framework_points"]:
        numbers = sorted(n for f, n in context["framework_points"] if f == point[0])
        return ("point_number", f"framework '{point[0]}' has no point {point[1]}",
                f"a point number from 1 to {max(numbers)}" if numbers else "a point listed on framework_points")
    return None


TABLE_RULES = {"activity_area_served": activity_area_served, "framework_point_known": framework_point_known}


def apply(rule_name: str, row: dict, context: dict | None, where: tuple) -> Problem | None:
    outcome = (ROW_RULES[rule_name](row) if rule_name in ROW_RULES
               else TABLE_RULES[rule_name](row, context) if context is not None else None)
    if outcome is None:
        return None
    column, message, allowed = outcome
    file, sheet, number = where
    return Problem(file, sheet, number, column, "inconsistent", message, allowed)
