"""The pages label social mobility values with the Commission's own categories: the bands in
dashboards/words.py give every published value its published label (all four composite indices)."""

from __future__ import annotations

import csv

import pytest

from dashboards.words import smc_category

pytestmark = pytest.mark.realdata


def test_every_published_value_gets_its_published_category(shared_data):
    files = sorted((shared_data / "social_mobility").glob("CI*--full-dataset.csv"))
    assert len(files) == 4
    checked = 0
    for path in files:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                if not row.get("value") or not row.get("secondary_split_value"):
                    continue
                assert smc_category(float(row["value"])).lower() == row["secondary_split_value"].strip().lower(), (
                    path.name,
                    row["area_name"],
                    row["time_period"],
                    row["value"],
                )
                checked += 1
    assert checked > 2000
