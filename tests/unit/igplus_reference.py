"""An independent pandas/numpy implementation of the IG+ method (docs/methodology.md), read straight
from the YAML config, to check the SQL against. Kept deliberately plain: loops over dicts, no SQL."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import yaml


def read_config(path) -> dict:
    with open(path) as handle:
        return yaml.safe_load(handle)


def chosen_candidates(config: dict, series_with_values: set[str]) -> dict[str, dict]:
    """component -> the first candidate series that has any value (else the first)."""
    out = {}
    for name, comp in config["components"].items():
        usable = [c for c in comp["candidates"] if c["indicator_id"] in series_with_values]
        out[name] = (usable or comp["candidates"])[0]
    return out


def aligned_lad_values(indicator_values: pd.DataFrame, config: dict) -> pd.DataFrame:
    """LAD x year x public component: the value of the period the method picks for that year."""
    public_pillars = {k for k, v in config["pillars"].items() if v["source"] == "public"}
    series = set(indicator_values.loc[indicator_values["value"].notna(), "indicator_id"])
    chosen = chosen_candidates(config, series)
    lag = config["alignment"]["max_lag_years"]
    rows = []
    for name, cand in chosen.items():
        if config["domains"][config["components"][name]["domain"]]["pillar"] not in public_pillars:
            continue
        frame = indicator_values[indicator_values["indicator_id"] == cand["indicator_id"]]
        periods = frame.groupby("period").agg(start=("period_start", "min"), end=("period_end", "max"))
        for year in range(config["years"]["first"], config["years"]["last"] + 1):
            ok = periods[(periods["start"].dt.year <= year) & (periods["end"].dt.year >= year - lag)]
            if ok.empty:
                continue
            period = (
                ok.assign(sy=ok["start"].dt.year, ey=ok["end"].dt.year)
                .reset_index()
                .sort_values(["sy", "ey", "period"])
                .iloc[-1]["period"]
            )
            for r in frame[frame["period"] == period].itertuples():
                rows.append({"area_code": r.area_code, "year": year, "component": name, "value": r.value})
    return pd.DataFrame(rows)


def goalpost_score(value: float, cand: dict) -> float:
    lo, hi = float(cand["min"]), float(cand["max"])
    share = (value - lo) / (hi - lo) if cand["polarity"] == "higher_is_better" else (hi - value) / (hi - lo)
    return 100.0 * min(max(share, 0.0), 1.0)


def area_scores(
    values: dict[str, float], config: dict, chosen: dict[str, dict], has_records: bool
) -> dict[tuple[str, str], float | None]:
    """One area-year: {component: raw value or None} -> {(level, component): score or None}."""
    avail = config["availability"]
    floor = config["geometric_floor"]
    out: dict[tuple[str, str], float | None] = {}
    for name, value in values.items():
        out[("indicator", name)] = None if value is None else goalpost_score(value, chosen[name])
    domain_scores = {}
    for dname in config["domains"]:
        members = [(n, c["weight"]) for n, c in config["components"].items() if c["domain"] == dname]
        have = [(out[("indicator", n)], w) for n, w in members if out.get(("indicator", n)) is not None]
        total = sum(w for _, w in members)
        coverage = sum(w for _, w in have) / total if total else 0.0
        score = (
            sum(s * w for s, w in have) / sum(w for _, w in have)
            if have and coverage >= avail["domain_min_coverage"]
            else None
        )
        domain_scores[dname] = score
        out[("domain", dname)] = score
    pillar_scores = {}
    for pname, pil in config["pillars"].items():
        members = [(domain_scores[d], v["weight"]) for d, v in config["domains"].items() if v["pillar"] == pname]
        have = [(s, w) for s, w in members if s is not None]
        total = sum(w for _, w in members)
        coverage = sum(w for _, w in have) / total if total else 0.0
        score = None
        if have and coverage >= avail["pillar_min_coverage"] and (pil["source"] != "records" or has_records):
            score = math.exp(sum(w * math.log(max(s, floor)) for s, w in have) / sum(w for _, w in have))
        pillar_scores[pname] = score
        out[("pillar", pname)] = score
    members = [(pillar_scores[p], v["weight"]) for p, v in config["pillars"].items()]
    have = [(s, w) for s, w in members if s is not None]
    coverage = sum(w for _, w in have) / sum(w for _, w in members)
    out[("igplus", "igplus")] = (
        math.exp(sum(w * math.log(max(s, floor)) for s, w in have) / sum(w for _, w in have))
        if have and coverage >= avail["igplus_min_coverage"] and has_records
        else None
    )
    return out


def scores_from_table(indicator_rows: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Recompute every level from the published indicator rows' raw values (one row per area-year-component)."""
    series = set(indicator_rows.loc[indicator_rows["value"].notna(), "indicator_id"])
    chosen = chosen_candidates(config, series)
    records_pillars = {k for k, v in config["pillars"].items() if v["source"] == "records"}
    rows = []
    for (area, year), group in indicator_rows.groupby(["area_code", "year"]):
        values = {r.component: (None if pd.isna(r.value) else float(r.value)) for r in group.itertuples()}
        records = group[group["pillar"].isin(records_pillars)]
        has_records = bool((records["status"] != "no_records").any())
        for (level, component), score in area_scores(values, config, chosen, has_records).items():
            rows.append({"area_code": area, "year": year, "level": level, "component": component, "ref": score})
    return pd.DataFrame(rows)


def competition_ranks(scores: pd.Series) -> pd.Series:
    """1 = best; ties share the smaller rank (SQL rank())."""
    return scores.rank(method="min", ascending=False)


__all__ = ["read_config", "aligned_lad_values", "scores_from_table", "competition_ranks", "np"]
