"""Indicator values for groupings (LEPs, combined authorities, regions, England).

A publisher's own figure for an area always wins. Otherwise a grouping's figure is worked out from
its local authorities: counts are summed (only when every member has a value, so a total is never
quietly short), and rates, percentages, pay and scores are averaged weighted by each authority's
population in the nearest year (shown on the page as an estimate). At least half of the members must
have a value.
"""
from __future__ import annotations

import math
import warnings

import pandas as pd

POPULATION = "population_all_ages"
KEEP = ["area_code", "indicator_id", "period", "period_start", "period_end", "value", "unit",
        "lower_ci", "upper_ci", "observation_status", "source_id", "release"]
BASIS_WORDS = {
    "own": "as published",
    "published": "as published",
    "summed": "added up from the former council areas it was made from",
    "recomputed": "worked out again from the former council areas it was made from",
    "inherited": "its county's figure, not published for the district itself",
    "sum": "worked out by adding up its local authorities",
    "weighted_mean": "estimated as the average of its local authorities, weighted by population",
}
BASIS_COLUMNS = ["basis", "basis_area_code", "basis_area_name"]


def area_values(lad_values: pd.DataFrame, published: pd.DataFrame, members: dict[str, list[str]],
                indicators: pd.DataFrame) -> pd.DataFrame:
    """KEEP columns plus basis (a BASIS_WORDS key), basis_area_code/name, members_used and members_total.

    A LAD's basis is marts.indicator_values.basis (own, summed, recomputed, inherited; 'own' for a
    warehouse built before that column); a grouping's is published, sum or weighted_mean.
    """
    lad = _with_basis(lad_values).assign(members_used=1, members_total=1)
    groups = pd.DataFrame([(g, lad_code) for g, lads in members.items() if lads != [g] for lad_code in lads],
                          columns=["grouping", "lad_code"])
    computed = _computed(lad, groups, indicators)
    pub = _frame(published)
    pub = pub[pub["area_code"].isin(groups["grouping"])].assign(basis="published", basis_area_code=pub["area_code"],
                                                                basis_area_name=None)
    sizes = groups.groupby("grouping").size()
    pub = pub.assign(members_used=pub["area_code"].map(sizes), members_total=pub["area_code"].map(sizes))
    keys = ["area_code", "indicator_id", "period"]
    if len(pub) and len(computed):
        clash = computed.set_index(keys).index.isin(pub.set_index(keys).index)
        computed = computed[~clash]
    with warnings.catch_warnings():  # all-null CI columns of computed rows: dtype from the others is right
        warnings.simplefilter("ignore", FutureWarning)
        out = pd.concat([df for df in (lad, pub, computed) if len(df)], ignore_index=True)
    return out.sort_values(["area_code", "indicator_id", "period_end", "period"]).reset_index(drop=True) \
        if len(out) else lad


def _with_basis(df: pd.DataFrame) -> pd.DataFrame:
    out = _frame(df)
    if "basis" in df:
        out = out.assign(basis=df["basis"].fillna("own").to_numpy(),
                         basis_area_code=df["basis_area_code"].to_numpy(),
                         basis_area_name=df["basis_area_name"].to_numpy())
    else:
        out = out.assign(basis="own", basis_area_code=out["area_code"], basis_area_name=None)
    return out


def _frame(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for col in KEEP:
        if col not in df:
            df[col] = None
    return df[KEEP]


def _computed(lad: pd.DataFrame, groups: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    if groups.empty or lad.empty:
        return pd.DataFrame(columns=KEEP + BASIS_COLUMNS + ["members_used", "members_total"])
    known = lad[lad["value"].notna()].copy()
    known["year"] = pd.to_datetime(known["period_start"]).dt.year
    known = known.merge(_population(known), on=["area_code", "year"], how="left")
    joined = groups.merge(known, left_on="lad_code", right_on="area_code")
    joined["wv"] = joined["value"] * joined["weight"]
    sizes = groups.groupby("grouping").size().rename("members_total")
    keys = ["grouping", "indicator_id", "period"]
    agg = joined.groupby(keys, sort=False).agg(
        period_start=("period_start", "min"), period_end=("period_end", "max"), unit=("unit", "first"),
        source_id=("source_id", "first"), release=("release", "first"), total=("value", "sum"),
        members_used=("value", "size"), wv=("wv", "sum"), w=("weight", "sum"),
        weighted=("weight", "count")).reset_index().join(sizes, on="grouping")
    units = dict(zip(indicators["indicator_id"], indicators["unit"]))
    is_count = agg["indicator_id"].map(units).fillna(agg["unit"]).eq("count")
    counts = agg[is_count & (agg["members_used"] == agg["members_total"])].assign(value=lambda d: d["total"],
                                                                                basis="sum")
    means = agg[~is_count & (agg["weighted"] >= (agg["members_total"] / 2).map(math.ceil)) & (agg["w"] > 0)]
    means = means.assign(value=means["wv"] / means["w"], basis="weighted_mean",
                         members_used=means["weighted"])
    out = pd.concat([counts, means], ignore_index=True).rename(columns={"grouping": "area_code"})
    for col in ("lower_ci", "upper_ci", "observation_status", "basis_area_name"):
        out[col] = None
    out["basis_area_code"] = out["area_code"]
    return out[KEEP + BASIS_COLUMNS + ["members_used", "members_total"]]


def _population(known: pd.DataFrame) -> pd.DataFrame:
    """Each LAD's population for every year needed, from the nearest year published."""
    pop = known.loc[known["indicator_id"] == POPULATION, ["area_code", "year", "value"]]
    if pop.empty:
        return known[["area_code", "year"]].drop_duplicates().assign(weight=1.0)  # plain mean
    years = sorted(pop["year"].unique())
    needed = known[["area_code", "year"]].drop_duplicates()
    needed["pop_year"] = needed["year"].clip(years[0], years[-1])
    needed["pop_year"] = needed["pop_year"].map(lambda y: min(years, key=lambda p: abs(p - y)))
    pop = pop.groupby(["area_code", "year"], as_index=False)["value"].max()
    return needed.merge(pop.rename(columns={"year": "pop_year", "value": "weight"}),
                        on=["area_code", "pop_year"], how="left")[["area_code", "year", "weight"]]
