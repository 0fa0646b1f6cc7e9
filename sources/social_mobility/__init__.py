"""Social Mobility Commission: State of the Nation composite indices for 205 UK areas.

Files: CI1-CI4 '--full-dataset.csv' from the SMC data explorer, joined by name to GSS codes
through the explorer's 205-area map; optionally the 2017 Social Mobility Index workbook.
Values are z-scores (unit 'score': standardised scores around the UK average of 0, not an index
with a base of 100); the publisher's 7 categories go to extra['categories'].
"""

from .discover import DEFAULT_BASE_URL, discover
from .meta import INDICATORS, LICENCE, SOURCE, SOURCE_ID
from .parse import dataset_of, parse

__all__ = ["SOURCE", "SOURCE_ID", "LICENCE", "INDICATORS", "DEFAULT_BASE_URL", "discover", "parse", "dataset_of"]
