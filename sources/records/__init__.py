"""Programme co-production records: the data model, the template, strict ingestion and privacy.

Pure Python (no dagster). See docs/records.md. Main entry points:
  ingest(root, key=..., known_lad_codes=...) -> RecordsLoad
  write_template(out_dir) -> (xlsx_path, csv_dir)
  write_example_records(out_dir) -> out_dir
  records_key() / pseudonymise(identifier, key)
"""

from typing import TYPE_CHECKING, Any

from .ingest import RecordsLoad, ingest
from .model import CONTRIBUTOR_COLUMNS, FREE_TEXT_COLUMNS, PRIVATE_COLUMNS, TABLES, TABLES_BY_NAME
from .privacy import EXAMPLE_ONLY_KEY, KEY_ENV, RecordsKeyMissing, pseudonymise, records_key
from .problems import Problem
from .reading import file_states

if TYPE_CHECKING:
    from .example import EXAMPLE_LAD_CODES, write_example_records
    from .template import write_template, write_template_csvs, write_template_xlsx

# The template and the example records are imported when first asked for: `inclusion records
# check` needs neither (their modules, random and the framework texts are part of its start-up).
_LAZY = {
    "EXAMPLE_LAD_CODES": "example",
    "write_example_records": "example",
    "write_template": "template",
    "write_template_csvs": "template",
    "write_template_xlsx": "template",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "ingest",
    "RecordsLoad",
    "Problem",
    "TABLES",
    "TABLES_BY_NAME",
    "FREE_TEXT_COLUMNS",
    "CONTRIBUTOR_COLUMNS",
    "PRIVATE_COLUMNS",
    "records_key",
    "pseudonymise",
    "RecordsKeyMissing",
    "KEY_ENV",
    "EXAMPLE_ONLY_KEY",
    "write_template",
    "write_template_xlsx",
    "write_template_csvs",
    "write_example_records",
    "EXAMPLE_LAD_CODES",
    "file_states",
]
