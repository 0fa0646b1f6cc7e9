"""Read a workbook's sheets as plain row tuples, whatever the format (.xlsx, .ods, .xls)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from ..errors import SourceError
from .meta import SOURCE_ID

SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm", ".ods", ".xls"}


def normalise_sheet_name(name: str) -> str:
    """'Table_5_Rates' and 'Table 5  Rates' compare equal: the ODS editions use underscores."""
    return re.sub(r"\s+", " ", name.replace("_", " ")).strip().lower()


class Workbook:
    """Sheets of one file as lists of row tuples; row i of the list is spreadsheet row i + 1."""

    def __init__(self, path: str | Path, display_name: str | None = None):
        self.path = Path(path)
        self.name = display_name or self.path.name
        ext = Path(self.name).suffix.lower() or self.path.suffix.lower()
        try:
            if ext in (".xlsx", ".xlsm"):
                import openpyxl  # read_only streams rows: the real files load in well under a second

                self._xlsx = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
                self.sheet_names = list(self._xlsx.sheetnames)
            else:
                engine = {".ods": "calamine", ".xls": "xlrd"}.get(ext)
                if engine is None:
                    raise SourceError(f"not a spreadsheet extension ({ext})", file=self.name, source_id=SOURCE_ID)
                self._xlsx = None
                self._other = pd.ExcelFile(self.path, engine=engine)
                self.sheet_names = list(self._other.sheet_names)
        except SourceError:
            raise
        except Exception as exc:  # truncated zip, wrong format, etc.
            raise SourceError(
                f"cannot be opened as a spreadsheet ({type(exc).__name__}: {exc})", file=self.name, source_id=SOURCE_ID
            ) from exc

    def find_sheet(self, pattern: str) -> str | None:
        for name in self.sheet_names:
            if re.search(pattern, normalise_sheet_name(name)):
                return name
        return None

    def rows(self, sheet: str) -> list[tuple]:
        if self._xlsx is not None:
            return [tuple(r) for r in self._xlsx[sheet].iter_rows(values_only=True)]
        # dtype=object stops pandas turning the text header '2011' into 2011.0
        frame = self._other.parse(sheet, header=None, dtype=object)
        return [
            tuple(None if isinstance(v, float) and math.isnan(v) else v for v in row)
            for row in frame.itertuples(index=False, name=None)
        ]

    def close(self) -> None:
        if self._xlsx is not None:
            self._xlsx.close()
        else:
            self._other.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
