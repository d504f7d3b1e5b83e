#!/usr/bin/env python3
"""The tables study's scikit-learn peers: kNN, MICE and a missForest-style imputer.

Reads a JSON job file written by src/studies/tables/peers.ts and writes one JSON result file:

  python3 bench/peers/sklearn_impute.py --jobs JOBS.json --out RESULT.json

JOBS.json: {"settings": {"knn_k", "mice_iter", "forest_trees", "forest_iter"},
            "jobs": [{"id", "seed", "columns": [{"type": "real"|"binary"|"categorical", "levels": k}],
                      "values": [[number or null, ...], ...]}]}
Binary and categorical cells hold the level's index. The result holds, per job and method, the
completed table in the same form (levels as indices) and the seconds it took.

Encoding (the same for all three methods): real columns standardised by their observed mean and
sd; a binary column as one 0/1 column; a categorical column with k levels as k - 1 indicator
columns of levels 1..k-1 (level 0 is all zeros), a missing cell making all k - 1 missing. Full
one-hot columns sum to 1, so each is an exact linear function of its siblings, which are missing
in the same rows: MICE then regresses a column on its own mean-filled siblings and never leaves
the mode (measured on wine: the same errors as mode imputation); dropping one level breaks that.
After imputing, a binary cell is 1 when its imputed value is >= 0.5 and a categorical cell takes
the largest of (1 - sum of its indicators, indicator 1, ..., indicator k-1). Methods:
  knn    KNNImputer(n_neighbors=knn_k) on the encoded table (nan-Euclidean distances)
  mice   IterativeImputer(BayesianRidge(), max_iter=mice_iter, random_state=seed)
  forest IterativeImputer(RandomForestRegressor(n_estimators=forest_trees, random_state=seed),
         max_iter=forest_iter, random_state=seed): missForest's iteration with sklearn's
         regressor forest on every encoded column (missForest proper uses classification
         forests for categorical columns)
Observed cells are copied from the input, never taken from an imputer's output.

Without numpy or scikit-learn it writes {"available": false, "reason": ...} and exits 0, so the
study completes and says why these peers are missing.
"""
import argparse
import json
import platform
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description="scikit-learn imputation peers of the tvae tables study")
    p.add_argument("--jobs", required=True, help="job file (JSON)")
    p.add_argument("--out", required=True, help="result file (JSON), written once at the end")
    return p.parse_args()


def encode(np, columns, values):
    """Masked table -> encoded float matrix with NaN holes, plus the column groups to decode."""
    x = np.array([[np.nan if v is None else float(v) for v in row] for row in values], dtype=float)
    parts, groups = [], []
    for j, c in enumerate(columns):
        col = x[:, j]
        start = sum(p.shape[1] for p in parts)
        if c["type"] == "real":
            obs = col[~np.isnan(col)]
            mu, sd = float(obs.mean()), float(obs.std()) or 1.0
            parts.append(((col - mu) / sd)[:, None])
            groups.append(("real", start, 1, mu, sd))
        elif c["type"] == "binary":
            parts.append(col[:, None].copy())
            groups.append(("binary", start, 1, 0.0, 1.0))
        else:
            k = int(c["levels"])
            dummies = np.zeros((len(col), k))
            miss = np.isnan(col)
            dummies[~miss, col[~miss].astype(int)] = 1.0
            dummies[miss, :] = np.nan
            parts.append(dummies[:, 1:])
            groups.append(("categorical", start, k - 1, 0.0, 1.0))
    return x, np.hstack(parts), groups


def decode(np, x, filled, groups):
    out = x.copy()
    for j, (kind, start, width, mu, sd) in enumerate(groups):
        block = filled[:, start:start + width]
        if kind == "real":
            guess = block[:, 0] * sd + mu
        elif kind == "binary":
            guess = (block[:, 0] >= 0.5).astype(float)
        else:
            level0 = 1.0 - block.sum(axis=1, keepdims=True)
            guess = np.hstack([level0, block]).argmax(axis=1).astype(float)
        miss = np.isnan(x[:, j])
        out[miss, j] = guess[miss]
    return out


def main():
    args = parse_args()
    base = {"peer": "sklearn", "python": platform.python_version()}
    try:
        import numpy as np
        import sklearn
        from sklearn.experimental import enable_iterative_imputer  # noqa: F401 (registers IterativeImputer)
        from sklearn.impute import IterativeImputer, KNNImputer
        from sklearn.linear_model import BayesianRidge
        from sklearn.ensemble import RandomForestRegressor
    except ImportError as e:
        result = {**base, "available": False, "reason": f"scikit-learn not installed ({e})"}
    else:
        with open(args.jobs) as f:
            spec = json.load(f)
        s = spec["settings"]
        methods = {
            "knn": lambda seed: KNNImputer(n_neighbors=s["knn_k"]),
            "mice": lambda seed: IterativeImputer(estimator=BayesianRidge(), max_iter=s["mice_iter"], random_state=seed),
            "forest": lambda seed: IterativeImputer(
                estimator=RandomForestRegressor(n_estimators=s["forest_trees"], random_state=seed, n_jobs=1),
                max_iter=s["forest_iter"], random_state=seed),
        }
        results = []
        for job in spec["jobs"]:
            x, enc, groups = encode(np, job["columns"], job["values"])
            entry = {"id": job["id"], "seconds": {}}
            for name, make in methods.items():
                t0 = time.perf_counter()
                import warnings
                with warnings.catch_warnings():
                    # IterativeImputer warns when it stops at max_iter before its tolerance: expected here
                    warnings.simplefilter("ignore")
                    filled = make(job["seed"]).fit_transform(enc)
                out = decode(np, x, filled, groups)
                entry[name] = [[float(v) for v in row] for row in out]
                entry["seconds"][name] = time.perf_counter() - t0
            print(f"sklearn peers: {job['id']} done ({', '.join(f'{k} {v:.1f} s' for k, v in entry['seconds'].items())})", file=sys.stderr, flush=True)
            results.append(entry)
        result = {**base, "available": True, "sklearn": sklearn.__version__, "settings": s, "results": results}
    with open(args.out, "w") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
