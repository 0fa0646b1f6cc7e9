"""Statistical disclosure control, checked: a blocking check that tries to work out a count of
people below the threshold from the published tables (docs/records.md, "Disclosure control").

It sits on marts.igplus_scores and runs after every other table its SQL reads (the check's deps
come from its SQL), so it sees them all; it blocks, and the publish reads igplus_scores, so a
failure stops the publish: the previous warehouse stays.
"""

from .checks import build_sql_check
from .records import MIN_PEOPLE
from .sqlstep import MART

disclosure_checks = [build_sql_check("disclosure_differencing", MART("igplus_scores"), {"min_people": MIN_PEOPLE})]
