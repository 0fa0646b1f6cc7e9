"""Statistical disclosure control, checked: a blocking check that tries to work out a count of
people below the threshold from the published tables (docs/records.md, "Disclosure control").

It sits on marts.build_info, the last mart built, so it sees every published table and a failure
stops the publish: the previous warehouse stays.
"""
from .checks import build_sql_check
from .records import MIN_PEOPLE
from .sqlstep import MART

disclosure_checks = [build_sql_check("disclosure_differencing", MART("build_info"), {"min_people": MIN_PEOPLE})]
