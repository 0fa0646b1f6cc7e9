"""Per-area downloads cut from one table of every area (dashboards/downloads.py AreaTable) are the
files a per-area frame gives: the same CSV bytes, the same Parquet values, small ranks blanked."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from dashboards import downloads, rules, sitefiles


def frame(note: str = "plain") -> pd.DataFrame:
    """Rows of three areas interleaved (as a mart orders them), with text, floats, nullable ints,
    a formula-like cell, an area whose rank intervals are all missing and one rank among too few."""
    return pd.DataFrame(
        {
            "area_code": ["E1", "E2", "E1", "E3", "E2", "E1"],
            "year": [2023, 2023, 2024, 2024, 2024, 2022],
            "label": ["a", "=cmd", None, "c, with comma", note, "f"],
            "score": [1.5, 0.1, float("nan"), 1e-5, 2.0, 3.25],
            "rank": pd.array([1, 2, None, 4, 5, 6], dtype="Int32"),
            "n_ranked": pd.array([10, 10, 10, 3, 10, 10], dtype="Int32"),
            "rank_p05": [1.0, None, 2.0, 7.0, None, 4.0],
        }
    )


def per_area(table: pd.DataFrame, code: str, shown: rules.Rules) -> pd.DataFrame:
    return shown.without_small_ranks(table[table["area_code"] == code])


@pytest.mark.parametrize("note", ["plain", "two\nlines"])
def test_each_area_gets_the_files_its_own_rows_give(tmp_path, note):
    table, shown = frame(note), rules.Rules()
    cut = downloads.AreaTable(table, shown)
    writer = sitefiles.SiteWriter(tmp_path, None)
    for code in ("E1", "E2", "E3"):
        assert cut.write(code, writer, f"{code}.csv")
        own = per_area(table, code, shown)
        assert (tmp_path / f"{code}.csv").read_text() == downloads.csv_text(own)
        back = pq.read_table(tmp_path / f"{code}.parquet").to_pandas()
        assert len(back) == len(own)
        for column in own.columns:
            assert (
                back[column].astype(object).where(back[column].notna(), None).tolist()
                == own[column].astype(object).where(own[column].notna(), None).tolist()
            ), column
    assert not cut.write("E9", writer, "E9.csv") and not (tmp_path / "E9.csv").exists()
    assert "'=cmd" in (tmp_path / "E2.csv").read_text()  # the formula guard still applies
    assert pq.read_table(tmp_path / "E3.parquet").column("rank").to_pylist() == [None]  # among 3 ranked areas: blanked


def test_every_area_file_has_the_same_column_types(tmp_path):
    """E2 has no rank interval at all: its column is typed like everyone else's, not as nulls."""
    cut = downloads.AreaTable(frame(), rules.Rules())
    writer = sitefiles.SiteWriter(tmp_path, None)
    schemas = set()
    for code in ("E1", "E2", "E3"):
        cut.write(code, writer, f"{code}.csv")
        schemas.add(pq.read_schema(tmp_path / f"{code}.parquet").remove_metadata())
    assert len(schemas) == 1


def test_a_large_table_already_in_arrow_is_guarded_like_any_other():
    """Above SMALL_COLUMN rows the formula search reads the Arrow table: the same cells are quoted."""
    import pyarrow as pa

    n = downloads.SMALL_COLUMN + 7
    table = pd.DataFrame(
        {
            "text": ["ok", "=A1", None, "+44", "-", "@x", "fine"] * (n // 7),
            "numbers_as_objects": pd.Series([1, None, 3, 4, 5, 6, 7] * (n // 7), dtype=object),
            "value": [0.5] * (7 * (n // 7)),
        }
    )
    text = downloads.csv_text(table, pa.Table.from_pandas(table, preserve_index=False))
    assert text == downloads.csv_text(table)
    assert text.count("'=A1") == n // 7 and text.count("'+44") == n // 7 and "'ok" not in text
