"""A plain vectorised numpy version of the IG+ Monte Carlo: every draw of a run in one array, no
blocks, percentiles by sorting each cell's ranks. It is the yardstick for assets/montecarlo.py
(`make bench`: time and peak memory side by side) and a second implementation whose results the
engine must equal exactly (tests/unit/test_igplus_montecarlo.py). Same method and random numbers:
docs/methodology.md, "Random numbers and speed". Written for clarity, not for memory.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

MASK = (1 << 64) - 1


def _key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def _finalise(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _uniform(stream: str, draws: np.ndarray, items: list[int]) -> np.ndarray:
    """U(0, 1) per (draw, item) = splitmix64(splitmix64(draw * golden + item) ^ key(stream))."""
    x = draws.astype(np.uint64)[:, None] * np.uint64(0x9E3779B97F4A7C15) + np.array(items, dtype=np.uint64)[None, :]
    x = _finalise(_finalise(x) ^ np.uint64(_key(stream)))
    return ((x >> np.uint64(11)).astype(np.float64) + 0.5) / 2.0**53


def _min_ranks(x: np.ndarray) -> np.ndarray:
    """Ascending competition ranks along the last axis (ties take the smallest)."""
    order = np.argsort(x, axis=-1, kind="stable")
    ordered = np.take_along_axis(x, order, axis=-1)
    starts = np.ones(x.shape, dtype=bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    first = np.maximum.accumulate(np.where(starts, np.arange(x.shape[-1]), 0), axis=-1) + 1
    ranks = np.empty(x.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, first, axis=-1)
    return ranks


def _runs(keys: list) -> np.ndarray:
    return np.array([i for i, k in enumerate(keys) if i == 0 or k != keys[i - 1]], dtype=int)


def simulate(values: pd.DataFrame, cells: pd.DataFrame, settings: dict) -> pd.DataFrame:
    pillars = cells[cells.level == "pillar"]
    scored = set(zip(pillars.area_code, pillars.year, pillars.component))
    v = values[[k in scored for k in zip(values.area_code, values.year, values.pillar)]]
    v = v.sort_values(["area_code", "year", "pillar", "domain", "component"]).reset_index(drop=True)
    sign = np.where(v.polarity == "higher_is_better", 1.0, -1.0)
    low = np.where(sign > 0, v.goalpost_min, -v.goalpost_max)
    span = (v.goalpost_max - v.goalpost_min).to_numpy()
    sd = v.sd.to_numpy() * sign * (1.0 if settings["mc_value_uncertainty"] else 0.0)
    value_items = [_key(f"{a}|{y}|{c}") for a, y, c in zip(v.area_code, v.year, v.component)]
    norm_order = np.concatenate(list(v.groupby(["area_type", "year", "component"]).indices.values()))
    norm_size = np.array([len(g) for g in v.groupby(["area_type", "year", "component"]).indices.values()])
    norm_starts = np.r_[0, np.cumsum(norm_size)[:-1]]
    names = sorted(
        {("component", c) for c in v.component} | {("domain", d) for d in v.domain} | {("pillar", p) for p in v.pillar},
        key=lambda n: (("component", "domain", "pillar").index(n[0]), n[1]),
    )
    base = {
        **{("component", c): w for c, w in zip(v.component, v.component_weight)},
        **{("domain", d): w for d, w in zip(v.domain, v.domain_weight)},
        **{("pillar", p): w for p, w in zip(v.pillar, v.pillar_weight)},
    }
    column = {n: i for i, n in enumerate(names)}
    d_keys = list(zip(v.area_code, v.year, v.pillar, v.domain))
    d_starts = _runs(d_keys)
    d_rows = [d_keys[i] for i in d_starts]
    p_starts = _runs([k[:3] for k in d_rows])
    p_rows = [d_rows[i][:3] for i in p_starts]
    igplus_keys = set(zip(cells[cells.level == "igplus"].area_code, cells[cells.level == "igplus"].year))
    members = [i for i, k in enumerate(p_rows) if k[:2] in igplus_keys]
    i_starts = _runs([p_rows[i][:2] for i in members])
    area_type = dict(zip(v.area_code, v.area_type))
    n_ranked = {(r.area_code, r.year, r.level, r.component): r.n_ranked for r in cells.itertuples()}
    out_keys = [(a, y, "pillar", p) for a, y, p in p_rows] + [
        (p_rows[members[i]][0], p_rows[members[i]][1], "igplus", "igplus") for i in i_starts
    ]
    n, floor = int(settings["mc_draws"]), float(settings["geometric_floor"])
    draws = np.arange(1, n + 1)
    rows = []
    for run, key in (("seeded", str(int(settings["mc_seed"]))), ("reference", "reference|" + settings["version"])):
        # Methods, stratified; weights, Latin hypercube.
        u = np.empty(n)
        u[np.argsort(_uniform(key + "|method", draws, [0])[:, 0], kind="stable")] = (draws - 0.5) / n
        method = np.minimum(
            np.searchsorted(
                np.cumsum([settings["p_goalposts"], settings["p_zscore"], settings["p_rank"]]), u, side="right"
            ),
            2,
        )
        items = [_key(f"{k}|{name}") for k, name in names]
        stratum = np.argsort(np.argsort(_uniform(key + "|stratum", draws, items), axis=0, kind="stable"), axis=0)
        w = np.array([base[nm] for nm in names]) * (
            1 + settings["mc_weight_jitter"] * (2 * (stratum + _uniform(key + "|weight", draws, items)) / n - 1)
        )
        # Values, perturbed, then normalised.
        x = np.tile(sign * v.value.to_numpy(), (n, 1))
        noisy = np.flatnonzero(sd != 0)
        if len(noisy):
            items_noisy = [value_items[i] for i in noisy]
            z = np.sqrt(-2 * np.log(_uniform(key + "|u1", draws, items_noisy))) * np.cos(
                2 * np.pi * _uniform(key + "|u2", draws, items_noisy)
            )
            x[:, noisy] += sd[noisy] * z
        score = 100 * np.clip((x - low) / span, 0, 1)
        # z-scores and percent ranks within each normalisation group (columns made contiguous).
        zs, rk = np.flatnonzero(method == 1), np.flatnonzero(method == 2)
        part = x[zs][:, norm_order]
        mean = np.repeat(np.add.reduceat(part, norm_starts, axis=1) / norm_size, norm_size, axis=1)
        spread = np.sqrt(
            np.repeat(np.add.reduceat((part - mean) ** 2, norm_starts, axis=1) / norm_size, norm_size, axis=1)
        )
        zscore = np.divide(part - mean, spread, out=np.zeros_like(part), where=spread > 0)
        score[np.ix_(zs, norm_order)] = 100 / (1 + np.exp(-1.702 * zscore))
        part = x[rk][:, norm_order]
        for first, size in zip(norm_starts, norm_size):
            part[:, first : first + size] = 100 * (_min_ranks(part[:, first : first + size]) - 1) / max(size - 1, 1)
        score[np.ix_(rk, norm_order)] = part
        wc = w[:, [column[("component", c)] for c in v.component]]
        domain = np.add.reduceat(wc * score, d_starts, axis=1) / np.add.reduceat(wc, d_starts, axis=1)
        wd = w[:, [column[("domain", k[3])] for k in d_rows]]
        pillar = np.exp(
            np.add.reduceat(wd * np.log(np.maximum(domain, floor)), p_starts, axis=1)
            / np.add.reduceat(wd, p_starts, axis=1)
        )
        wp = w[:, [column[("pillar", p_rows[i][2])] for i in members]]
        igplus = (
            np.exp(
                np.add.reduceat(wp * np.log(np.maximum(pillar[:, members], floor)), i_starts, axis=1)
                / np.add.reduceat(wp, i_starts, axis=1)
            )
            if members
            else np.zeros((n, 0))
        )
        allcells = np.concatenate([pillar, igplus], axis=1)
        keep = [i for i, k in enumerate(out_keys) if k in n_ranked]
        groups: dict[tuple, list[int]] = {}
        for i in keep:  # ranked among areas of the same type, year, level and component
            groups.setdefault((area_type[out_keys[i][0]],) + out_keys[i][1:], []).append(i)
        ranks = np.zeros((n, len(out_keys)), dtype=np.int64)
        for cols in groups.values():
            ranks[:, cols] = _min_ranks(-np.round(allcells[:, cols], 9))
        ordered = np.sort(ranks[:, keep], axis=0)
        total = np.array([n_ranked[out_keys[i]] for i in keep])
        disc = {q: ordered[max(1, n - int(np.floor(n - q * n))) - 1] for q in (0.5, 0.05, 0.95)}
        best = (5 * ranks[:, keep] <= total).sum(axis=0)
        worst = (5 * ranks[:, keep] > 4 * total).sum(axis=0)
        for j, i in enumerate(keep):
            k = out_keys[i]
            rows.append(
                {
                    "run": run,
                    "area_code": k[0],
                    "area_type": area_type[k[0]],
                    "year": k[1],
                    "level": k[2],
                    "component": k[3],
                    "n_draws": n,
                    "median_rank": disc[0.5][j],
                    "rank_p05": disc[0.05][j],
                    "rank_p95": disc[0.95][j],
                    "draws_best_fifth": best[j],
                    "draws_worst_fifth": worst[j],
                }
            )
    out = pd.DataFrame(rows)
    return out.sort_values(["run", "area_type", "area_code", "year", "level", "component"]).reset_index(drop=True)
