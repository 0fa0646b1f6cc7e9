"""CSV and Parquet downloads: one frame to a pair of files, or one table of every area cut per area.

A table with rows for every area (AreaTable) is formatted once, as CSV text and as an Arrow table,
and each area's files are cut from those: a slice of lines and an Arrow slice, instead of a pandas
CSV writer and an Arrow conversion per area page. The CSV bytes are those a per-area frame gives
(pandas formats every cell on its own); the Parquet files of one table share one schema, so every
area's file has the same column types.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import rules, sitefiles

FORMULA_STARTS = ("=", "+", "-", "@")
SMALL_COLUMN = 5_000  # cells: below this a Python loop beats an Arrow conversion


def write_frame(df: pd.DataFrame, out: sitefiles.SiteWriter, csv_path: str) -> None:
    """CSV and Parquet side by side (the .parquet next to the .csv)."""
    write_csv(df, out, csv_path)
    out.write_bytes(
        csv_path[:-4] + ".parquet", parquet_bytes(pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False))
    )


def parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def write_csv(df: pd.DataFrame, out: sitefiles.SiteWriter, path: str) -> None:
    out.write_text(path, csv_text(df))


def csv_text(df: pd.DataFrame, arrow: pa.Table | None = None) -> str:
    """df as CSV; arrow: df already converted (pa.Table.from_pandas), whose text columns are then
    searched for formula-like cells instead of converting each large column again."""
    # A leading = + - @ makes spreadsheets run a cell as a formula; quote such text cells.
    safe = df
    for col in df.columns[df.dtypes == "object"]:
        if len(df) <= SMALL_COLUMN and not any(
            isinstance(v, str) and v.startswith(FORMULA_STARTS) for v in df[col].to_numpy()
        ):
            continue  # a small column with nothing risky (most of them): no mask needed
        if arrow is not None and len(df) > SMALL_COLUMN:
            risky = _formula_like_arrow(arrow.column(str(col)), df.index)
        else:
            risky = formula_like(df[col])
        if risky.any():
            safe = safe.copy() if safe is df else safe
            safe[col] = df[col].where(~risky, "'" + df[col].astype(str))
    return safe.to_csv(index=False)


def formula_like(column: pd.Series) -> pd.Series:
    """Text cells that begin with = + - or @. A small column is tested cell by cell in Python (an
    Arrow conversion costs more than that); a large one in Arrow (a Python test per cell cost seconds)."""
    if len(column) <= SMALL_COLUMN:
        return pd.Series(
            [isinstance(v, str) and v.startswith(FORMULA_STARTS) for v in column.to_numpy()],
            index=column.index,
            dtype=bool,
        )
    try:
        text = pa.array(column, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # text mixed with numbers or other objects
        return column.map(lambda v: isinstance(v, str) and v[:1] in FORMULA_STARTS)
    first = pc.utf8_slice_codeunits(text, 0, 1)
    risky = pc.fill_null(pc.is_in(first, value_set=pa.array(FORMULA_STARTS)), False)
    return pd.Series(risky.to_numpy(zero_copy_only=False), index=column.index)


def _formula_like_arrow(column: pa.ChunkedArray, index: pd.Index) -> pd.Series:
    """formula_like of a column already in Arrow: a column Arrow did not type as text has no text cell."""
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return pd.Series(False, index=index)
    first = pc.utf8_slice_codeunits(column, 0, 1)
    risky = pc.fill_null(pc.is_in(first, value_set=pa.array(FORMULA_STARTS)), False)
    return pd.Series(risky.to_numpy(zero_copy_only=False), index=index)


class AreaTable:
    """Rows of every area, formatted once; `write` cuts one area's CSV and Parquet files from them.

    Within an area the rows keep the frame's order. shown: the reporting rules whose small ranks are
    blanked in the files (as Rules.without_small_ranks does to a per-area frame), or None.
    """

    def __init__(self, frame: pd.DataFrame, shown: rules.Rules | None = None, area_column: str = "area_code"):
        positions = frame.groupby(area_column, sort=False).indices
        order = np.concatenate(list(positions.values())) if positions else np.array([], dtype=np.intp)
        frame = frame.take(order).reset_index(drop=True)
        self.spans: dict[str, tuple[int, int]] = {}
        start = 0
        for code, rows in positions.items():
            self.spans[code] = (start, len(rows))
            start += len(rows)
        blanked = shown.without_small_ranks(frame) if shown is not None else frame
        self._arrow = pa.Table.from_pandas(blanked, preserve_index=False)
        lines = csv_text(blanked, self._arrow).split("\n")
        # header, one line per row, and the empty string after the last newline: a cell holding a line
        # break would add lines, and then each area's CSV is written from its own frame instead.
        self._lines = lines if len(lines) == len(frame) + 2 else None
        self._frame = blanked

    def __contains__(self, code: str) -> bool:
        return code in self.spans

    def write(self, code: str, out: sitefiles.SiteWriter, csv_path: str) -> bool:
        """Write the area's two files; False (nothing written) when it has no rows."""
        if code not in self.spans:
            return False
        start, n = self.spans[code]
        if self._lines is not None:
            out.write_text(csv_path, "\n".join([self._lines[0], *self._lines[1 + start : 1 + start + n], ""]))
        else:
            write_csv(self._frame.iloc[start : start + n], out, csv_path)
        out.write_bytes(csv_path[:-4] + ".parquet", parquet_bytes(self._arrow.slice(start, n)))
        return True
