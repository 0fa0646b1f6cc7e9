"""MHCLG 'Rough sleeping snapshot in England' tables: LA counts and rates per 100,000, autumn 2010 on.

parse_workbook(path) -> Edition    one edition, reconciled against its England/region rows
parse(files) -> SourceTables       each year from the newest edition restating it
discover(http, base_url=...)       every edition's tables file via the GOV.UK Content API
"""

from .combine import parse
from .discover import BASE_URL, discover
from .edition import Edition, parse_workbook
from .meta import INDICATORS, LICENCE, SOURCE_ID

__all__ = ["SOURCE_ID", "LICENCE", "INDICATORS", "BASE_URL", "Edition", "parse_workbook", "parse", "discover"]
