"""The IG+ Monte Carlo (docs/methodology.md, "Uncertainty: the Monte Carlo") in numpy, computed in
blocks of draws so memory is bounded by the block, not by the number of draws. Pure Python, no
Dagster: write_rank_summary reads the inputs (sql/intermediate/igplus_mc_*.sql) and stores the summary
as intermediate.igplus_rank_summary; assets/igplus.py runs it as an asset.

Two runs: 'seeded' (random numbers keyed by monte_carlo.seed: the published percentiles) and
'reference' (keyed by the method version, never by the seed: the hot/cold labels). Every random
number is a 64-bit hash of (run key, what is drawn, draw, item), item being an area-year-component
or a weight's name, so a number never depends on row order, on the block size or on which other
areas are in the data. Ranks are summarised as a histogram per cell, added up block by block.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from assets.warehouse import Warehouse

from .rank_summary import SQL_INPUTS

BLOCK_CELLS = 1_000_000  # values x draws per block: ~8 MB per float array
METHODS = ("goalposts", "zscore", "rank")
_GOLDEN, _M1, _M2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
SUMMARY_COLUMNS = [
    "run",
    "area_code",
    "area_type",
    "year",
    "level",
    "component",
    "n_draws",
    "median_rank",
    "rank_p05",
    "rank_p95",
    "draws_best_fifth",
    "draws_worst_fifth",
]


def key64(text: str) -> np.uint64:
    """A 64-bit key for a name (blake2b), the same on every machine and Python."""
    return np.uint64(int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little"))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place: every input bit moves about half the output bits."""
    x ^= x >> np.uint64(30)
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


def uniforms(stream: np.uint64, draws: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Uniform numbers in (0, 1), one per (draw, item): shape (len(draws), len(items))."""
    x = draws.astype(np.uint64)[:, None] * _GOLDEN + items[None, :]
    _mix(x)
    x ^= stream
    _mix(x)
    return ((x >> np.uint64(11)).astype(np.float64) + 0.5) / 9007199254740992.0


def group_ranks(x: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Competition ranks (1 = smallest, ties share the smaller rank) of each row of x within
    column groups that are contiguous and begin at `starts`."""
    ranks = np.empty(x.shape, dtype=np.int32)
    bounds = np.append(starts, x.shape[1])
    for first, last in zip(bounds[:-1], bounds[1:]):
        part = x[:, first:last]
        order = np.argsort(part, axis=1, kind="stable")
        ordered = np.take_along_axis(part, order, axis=1)
        new = np.ones(part.shape, dtype=bool)
        new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
        run_start = np.maximum.accumulate(np.where(new, np.arange(last - first, dtype=np.int32), 0), axis=1)
        np.put_along_axis(ranks[:, first:last], order, run_start + 1, axis=1)
    return ranks


def _runs_index(starts: np.ndarray, n: int) -> np.ndarray:
    """(runs, longest run) column numbers of each run of columns, padded with n (a zero column)."""
    sizes = np.diff(np.append(starts, n))
    step = np.arange(sizes.max(initial=0))
    return np.where(step[None, :] < sizes[:, None], starts[:, None] + step[None, :], n)


def _run_sums(x: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Sum of each run of columns: a gather and a short sum, far faster than np.add.reduceat over
    thousands of runs of two to five columns, and the same numbers (adding zeros changes nothing)."""
    padded = np.concatenate([x, np.zeros((len(x), 1))], axis=1)
    return padded[:, index].sum(axis=2)


def _segments(keys: pd.Series) -> np.ndarray:
    """Start positions of the runs of equal keys in an ordered column."""
    values = keys.to_numpy()
    return np.flatnonzero(np.r_[True, values[1:] != values[:-1]]) if len(values) else np.zeros(0, dtype=int)


class Plan:
    """The fixed structure of the simulation: values ordered by area, year, pillar, domain and
    component, so each domain, pillar and IG+ score is a contiguous run of the level below."""

    def __init__(self, values: pd.DataFrame, cells: pd.DataFrame, settings: dict):
        # Only values whose pillar is scored: a draw scores what the index scores.
        scored = cells.loc[cells["level"] == "pillar", ["area_code", "year", "component"]]
        v = values.merge(scored.rename(columns={"component": "pillar"}), on=["area_code", "year", "pillar"])
        v = v.sort_values(["area_code", "year", "pillar", "domain", "component"], kind="stable")
        v = v.reset_index(drop=True)
        self.settings = settings
        self.sign = np.where(v["polarity"] == "higher_is_better", 1.0, -1.0)
        self.x0 = self.sign * v["value"].to_numpy(float)
        self.low = np.where(self.sign > 0, v["goalpost_min"], -v["goalpost_max"]).astype(float)
        self.span = (v["goalpost_max"] - v["goalpost_min"]).to_numpy(float)
        sd = v["sd"].to_numpy(float) * (1.0 if settings["mc_value_uncertainty"] else 0.0)
        self.noisy = np.flatnonzero(sd > 0)
        self.noise_sd = (self.sign * sd)[self.noisy]
        self.value_items = np.array(
            [key64(f"{a}|{y}|{c}") for a, y, c in zip(v["area_code"], v["year"], v["component"])], dtype=np.uint64
        )[self.noisy]
        # Normalisation groups (area type, year, component), made contiguous by a column order.
        norm = v.groupby(["area_type", "year", "component"], sort=True).ngroup().to_numpy()
        self.norm_order = np.argsort(norm, kind="stable")
        self.norm_starts = np.flatnonzero(np.r_[True, np.diff(norm[self.norm_order]) != 0])
        self.norm_size = np.diff(np.append(self.norm_starts, len(v)))
        # Weights jittered per draw: one per component, domain and pillar name.
        names = (
            [("component", n) for n in sorted(v["component"].unique())]
            + [("domain", n) for n in sorted(v["domain"].unique())]
            + [("pillar", n) for n in sorted(v["pillar"].unique())]
        )
        self.weight_index = {name: i for i, name in enumerate(names)}
        self.weight_items = np.array([key64(f"{k}|{n}") for k, n in names], dtype=np.uint64)
        base = {
            (kind, name): weight
            for kind in ("component", "domain", "pillar")
            for name, weight in zip(v[kind], v[f"{kind}_weight"])
        }
        self.base_weight = np.array([base[name] for name in names], dtype=float)
        self.value_weight = np.array([self.weight_index[("component", c)] for c in v["component"]])
        # Domain cells (area, year, domain), pillar cells (area, year, pillar), IG+ cells (area, year).
        self.domain_starts = _segments(v["area_code"] + "|" + v["year"].astype(str) + "|" + v["domain"])
        d = v.iloc[self.domain_starts].reset_index(drop=True)
        self.domain_weight = np.array([self.weight_index[("domain", n)] for n in d["domain"]])
        self.pillar_starts = _segments(d["area_code"] + "|" + d["year"].astype(str) + "|" + d["pillar"])
        p = d.iloc[self.pillar_starts].reset_index(drop=True)[["area_code", "area_type", "year", "pillar"]]
        self.pillar_weight = np.array([self.weight_index[("pillar", n)] for n in p["pillar"]])
        pillar_cells = p.rename(columns={"pillar": "component"}).assign(level="pillar")
        igplus_keys = cells.loc[cells["level"] == "igplus", ["area_code", "year"]]
        self.igplus_members = np.flatnonzero(
            pd.MultiIndex.from_frame(p[["area_code", "year"]]).isin(pd.MultiIndex.from_frame(igplus_keys))
        )
        self.igplus_starts = _segments((p["area_code"] + "|" + p["year"].astype(str)).iloc[self.igplus_members])
        igplus_cells = p.iloc[self.igplus_members].iloc[self.igplus_starts][["area_code", "area_type", "year"]]
        igplus_cells = igplus_cells.assign(component="igplus", level="igplus")
        # Ranked cells: pillar and IG+ scores the index ranks, in groups (area type, year, level, component).
        out = pd.concat([pillar_cells, igplus_cells], ignore_index=True)
        out = out.merge(
            cells[["area_code", "year", "level", "component", "n_ranked"]],
            how="left",
            on=["area_code", "year", "level", "component"],
            validate="1:1",
        )
        self.ranked = out["n_ranked"].notna().to_numpy()
        out = out[self.ranked]
        groups = out.groupby(["area_type", "year", "level", "component"], sort=True).ngroup().to_numpy()
        self.rank_order = np.argsort(groups, kind="stable")
        self.rank_starts = np.flatnonzero(np.r_[True, np.diff(groups[self.rank_order]) != 0])
        self.cells = out.iloc[self.rank_order].reset_index(drop=True)
        self.n_ranked = self.cells["n_ranked"].to_numpy(int)
        self.n_values = len(v)
        self.domain_runs = _runs_index(self.domain_starts, len(v))
        self.pillar_runs = _runs_index(self.pillar_starts, len(d))
        self.igplus_runs = _runs_index(self.igplus_starts, len(self.igplus_members))


def _draw_plan(plan: Plan, run_key: str):
    """Per draw of one run: the normalisation (stratified: each method gets its exact share of the
    draws, in a random order) and every weight (Latin hypercube: each weight's factors cover its
    range in equal strata, in a random order)."""
    s, n = plan.settings, int(plan.settings["mc_draws"])
    draws = np.arange(1, n + 1)
    order = np.argsort(uniforms(key64(run_key + "|method"), draws, np.zeros(1, np.uint64))[:, 0], kind="stable")
    u = np.empty(n)
    u[order] = (np.arange(1, n + 1) - 0.5) / n
    bounds = np.cumsum([s["p_goalposts"], s["p_zscore"], s["p_rank"]])
    method = np.minimum(np.searchsorted(bounds, u, side="right"), len(METHODS) - 1)
    strata = np.argsort(uniforms(key64(run_key + "|stratum"), draws, plan.weight_items), axis=0, kind="stable")
    position = np.empty_like(strata)
    np.put_along_axis(position, strata, np.arange(n)[:, None], axis=0)
    u = (position + uniforms(key64(run_key + "|weight"), draws, plan.weight_items)) / n
    weights = plan.base_weight * (1 + float(s["mc_weight_jitter"]) * (2 * u - 1))
    return method, weights


def _normalise(plan: Plan, x: np.ndarray, method: int) -> np.ndarray:
    if method == 0:
        return 100 * np.clip((x - plan.low) / plan.span, 0, 1)
    grouped = x[:, plan.norm_order]
    if method == 1:
        # z-score across areas of the same type, mapped to 0-100 by the logistic approximation of the normal CDF.
        size = np.repeat(plan.norm_size, plan.norm_size)
        mean = np.repeat(np.add.reduceat(grouped, plan.norm_starts, axis=1), plan.norm_size, axis=1) / size
        sd = np.sqrt(
            np.repeat(np.add.reduceat((grouped - mean) ** 2, plan.norm_starts, axis=1), plan.norm_size, axis=1) / size
        )
        z = np.divide(grouped - mean, sd, out=np.zeros_like(grouped), where=sd > 0)
        score = 100 / (1 + np.exp(-1.702 * z))
    else:
        ranks = group_ranks(grouped, plan.norm_starts)
        denominator = np.repeat(np.maximum(plan.norm_size - 1, 1), plan.norm_size)
        score = 100 * (ranks - 1) / denominator
    out = np.empty_like(score)
    out[:, plan.norm_order] = score
    return out


def _weighted_geometric(scores: np.ndarray, weights: np.ndarray, runs: np.ndarray, floor: float) -> np.ndarray:
    logs = np.log(np.maximum(scores, floor))
    return np.exp(_run_sums(weights * logs, runs) / _run_sums(weights, runs))


def _block_ranks(plan: Plan, draws: np.ndarray, method: int, weights: np.ndarray, run_key: str) -> np.ndarray:
    """Ranks (1 = best) of every ranked cell in each draw of a block of draws that share one
    normalisation: shape (draws, cells)."""
    x = np.broadcast_to(plan.x0, (len(draws), plan.n_values)).copy()
    if len(plan.noisy):
        u1 = uniforms(key64(run_key + "|u1"), draws, plan.value_items)
        u2 = uniforms(key64(run_key + "|u2"), draws, plan.value_items)
        x[:, plan.noisy] += plan.noise_sd * np.sqrt(-2 * np.log(u1)) * np.cos(2 * np.pi * u2)
    scores = _normalise(plan, x, method)
    w = weights[:, plan.value_weight]
    domain = _run_sums(w * scores, plan.domain_runs) / _run_sums(w, plan.domain_runs)
    floor = float(plan.settings["geometric_floor"])
    pillar = _weighted_geometric(domain, weights[:, plan.domain_weight], plan.pillar_runs, floor)
    members = pillar[:, plan.igplus_members]
    igplus = _weighted_geometric(members, weights[:, plan.pillar_weight[plan.igplus_members]], plan.igplus_runs, floor)
    cells = np.concatenate([pillar, igplus], axis=1)[:, plan.ranked][:, plan.rank_order]
    return group_ranks(-np.round(cells, 9), plan.rank_starts)


def _quantile_disc(histogram: np.ndarray, q: float) -> np.ndarray:
    """DuckDB's quantile_disc from rank counts: the value at 0-based index max(1, n - floor(n - q n)) - 1."""
    n = histogram.sum(axis=1)
    index = np.maximum(1, n - np.floor(n - q * n)).astype(int) - 1
    return (histogram.cumsum(axis=1) > index[:, None]).argmax(axis=1)


def rank_summary(
    values: pd.DataFrame, cells: pd.DataFrame, settings: dict, block_cells: int = BLOCK_CELLS
) -> pd.DataFrame:
    """Both runs summarised per ranked cell (intermediate.igplus_rank_summary's columns)."""
    plan = Plan(values, cells, settings)
    n = int(settings["mc_draws"])
    if plan.n_values == 0:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    block = max(1, block_cells // max(plan.n_values, 1))
    max_rank = int(plan.n_ranked.max(initial=0)) + 1
    frames = []
    for run, run_key in (("seeded", str(int(settings["mc_seed"]))), ("reference", "reference|" + settings["version"])):
        methods, weights = _draw_plan(plan, run_key)
        histogram = np.zeros((len(plan.cells), max_rank), dtype=np.int64)
        for method in range(len(METHODS)):  # blocks of draws that share a normalisation
            same = np.flatnonzero(methods == method) + 1
            for first in range(0, len(same), block):
                draws = same[first : first + block]
                ranks = _block_ranks(plan, draws, method, weights[draws - 1], run_key)
                cell_index = np.broadcast_to(np.arange(len(plan.cells)), ranks.shape)
                histogram += np.bincount((cell_index * max_rank + ranks).ravel(), minlength=histogram.size).reshape(
                    histogram.shape
                )
        by_rank = np.arange(max_rank)
        best = by_rank[None, :] * 5 <= plan.n_ranked[:, None]
        worst = by_rank[None, :] * 5 > 4 * plan.n_ranked[:, None]
        frames.append(
            plan.cells[["area_code", "area_type", "year", "level", "component"]].assign(
                run=run,
                n_draws=np.int32(n),
                median_rank=_quantile_disc(histogram, 0.5).astype(np.int32),
                rank_p05=_quantile_disc(histogram, 0.05).astype(np.int32),
                rank_p95=_quantile_disc(histogram, 0.95).astype(np.int32),
                draws_best_fifth=(histogram * best).sum(axis=1).astype(np.int32),
                draws_worst_fifth=(histogram * worst).sum(axis=1).astype(np.int32),
            )
        )
    out = pd.concat(frames, ignore_index=True)[SUMMARY_COLUMNS]
    return out.sort_values(["run", "area_type", "area_code", "year", "level", "component"]).reset_index(drop=True)


def write_rank_summary(con, block_cells: int = BLOCK_CELLS) -> int:
    """Run both simulations on the work database and replace intermediate.igplus_rank_summary."""
    settings, values, cells = (Warehouse.frame(con, path) for path in SQL_INPUTS)
    summary = rank_summary(values, cells, settings.iloc[0].to_dict(), block_cells)
    return Warehouse.replace_table(con, "intermediate", "igplus_rank_summary", summary)
