"""numpy reference of IsoPlan's RLSim model (docs/SIMULATOR.md), vectorised over seeds.

The same population laws, GRPO step, learning-rate rule, memorisation, noise and step-size damage
as `Sources/RLSim`, written independently from the equations; random streams differ, so the two
agree in distribution, not draw by draw. Used by `crosscheck.py` and as the benchmark peer
(`experiments/bench/run_bench.py --suite rlsim`).

    python3 rlsim_reference.py sweep PARAMS_JSON DIFFICULTY D V BUDGET SEEDS GRID   # GRID: "n:bp,n:bp,..."
prints one JSON object: {"seconds": ..., "runs": [{"n","bp","points": {metric: [[step, rollouts, mean_over_seeds, se], ...]}}]}
(with a trailing --summary: only the time and the mean best val_reward, for the benchmark).
"""
import json
import math
import sys
import time

import numpy as np

EASY_HIST = [(5, 1380), (6, 1270), (7, 1150), (8, 1120), (9, 1060)]
HARD_HIST = [(0, 4240), (1, 770)]


def base_rates(difficulty, size, rng):
    def hist(h):
        ks = np.array([k for k, _ in h]); w = np.array([w for _, w in h], float)
        return rng.choice(ks, size=size, p=w / w.sum())

    def posterior(a, b, k, m):
        return rng.beta(a + k, b + m - k)

    def avg128(lo, hi, count):
        first, last = math.ceil(lo * 128), math.floor(hi * 128)
        return posterior(0.6, 0.8, rng.integers(first, last + 1, size=count), 128)

    if difficulty == "easy":
        return posterior(0.6, 0.8, hist(EASY_HIST), 16)
    if difficulty == "hard":
        return posterior(0.25, 1.0, hist(HARD_HIST), 16)
    if difficulty == "extremely-hard":
        return posterior(0.25, 1.0, np.zeros(size), 128)
    u = rng.random(size)
    p = posterior(0.25, 1.0, np.zeros(size), 128)
    if difficulty == "hetero-dual":
        easy = u >= 0.5
        p[easy] = avg128(0.3, 0.6, easy.sum())
        return p
    if difficulty == "hetero-tri":
        easy = (u >= 0.5) & (u < 0.75); very = u >= 0.75
        p[easy] = avg128(0.3, 0.6, easy.sum()); p[very] = avg128(0.6, 0.9, very.sum())
        return p
    raise ValueError(difficulty)


def logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p) - np.log1p(-p)


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def eval_steps(rps, budget):
    steps = [0]
    for k in range(61):
        target = budget * 10 ** (4 * (k - 60) / 60)
        s = int(math.floor(target / rps * (1 + 1e-12)))
        if steps[-1] != s:
            steps.append(s)
    return steps


QUANTILES = [("train_pass@1_q10", 0.1), ("train_pass@1_q25", 0.25), ("train_pass@1_q50", 0.5),
             ("train_pass@1_q75", 0.75), ("train_pass@1_q90", 0.9)]


def simulate(params, difficulty, D, V, budget, seeds, n, bp, seed0=0):
    """One configuration over `seeds` seeds at once. Returns {metric: array (evals, seeds)}, steps."""
    S, d = seeds, params["featureDimension"]
    rng = np.random.default_rng([seed0, n, bp])
    a_train = np.stack([logit(base_rates(difficulty, D, rng)) for _ in range(S)])
    a_val = np.stack([logit(base_rates(difficulty, V, rng)) for _ in range(S)])
    scale = params["interference"] / math.sqrt(d)
    phi_train = scale * rng.standard_normal((S, D, d)); phi_train[:, :, 0] += params["sharedStrength"]
    phi_val = scale * rng.standard_normal((S, V, d)); phi_val[:, :, 0] += params["sharedStrength"]
    kappa = params["curvature"]
    eta = params["baseLearningRate"] * (bp * n / params["referenceBatch"]) ** params["learningRateExponent"]
    theta = np.zeros((S, d)); tau = np.zeros((S, D)); h = np.zeros(S)
    order = np.stack([rng.permutation(D) for _ in range(S)]); cursor = 0
    rows = np.arange(S)[:, None]
    steps_total = int(budget // (bp * n))
    evals = eval_steps(bp * n, budget)
    out = {}
    groups = 0; zero = np.zeros(S); one = np.zeros(S); reward = np.zeros(S)
    std_norm = params["standardiseAdvantages"]; filt = params["filterZeroVariance"]
    own_coef = params["coherentMemorisation"] + params["exposureMemorisation"] / math.sqrt(n)
    step = 0
    for target in evals:
        while step < target:
            if cursor + bp <= D:
                idx = order[:, cursor:cursor + bp]; cursor += bp
            else:
                head = order[:, cursor:]
                order = np.stack([rng.permutation(D) for _ in range(S)])
                cursor = bp - head.shape[1]
                idx = np.concatenate([head, order[:, :cursor]], axis=1)
            phi = phi_train[rows, idx]                        # (S, bp, d)
            shift = -kappa * np.einsum("sd,sd->s", theta, theta) - h
            z = a_train[rows, idx] + np.einsum("sbd,sd->sb", phi, theta) + tau[rows, idx] + shift[:, None]
            k = rng.binomial(n, sigmoid(z))
            reward += k.sum(axis=1); groups += bp
            zero_mask = k == 0; one_mask = k == n
            zero += zero_mask.sum(axis=1); one += one_mask.sum(axis=1)
            mu = k / n
            g = np.sqrt(mu * (1 - mu)) if std_norm else mu * (1 - mu)
            informative = (~zero_mask & ~one_mask).sum(axis=1)
            denom = np.maximum(informative, 1) if filt else np.full(S, bp)
            sc = eta / denom
            grad = np.einsum("sb,sbd->sd", g, phi) - 2 * kappa * g.sum(axis=1)[:, None] * theta
            own = (sc * own_coef)[:, None] * g
            np.add.at(tau, (np.repeat(np.arange(S), bp), idx.ravel()), own.ravel())
            excess = np.maximum(own - params["stepThreshold"], 0)
            h += params["stepDamage"] * (excess ** 2).sum(axis=1)
            noise = params["gradientNoise"] / denom * np.sqrt(informative / n)
            theta += sc[:, None] * grad + (eta * noise)[:, None] * rng.standard_normal((S, d))
            step += 1
        # Evaluation.
        shift = -kappa * np.einsum("sd,sd->s", theta, theta) - h
        pv = sigmoid(a_val + np.einsum("svd,sd->sv", phi_val, theta) + shift[:, None])
        pt = sigmoid(a_train + np.einsum("sid,sd->si", phi_train, theta) + tau + shift[:, None])
        rec = {
            "val_reward": pv.mean(axis=1),
            "val_avg@4": rng.binomial(4, pv).mean(axis=1) / 4,
            "val_best@4": (1 - (1 - pv) ** 4).mean(axis=1),
            "val_worst@4": (pv ** 4).mean(axis=1),
            "train_reward": reward / (groups * n) if groups else pt.mean(axis=1),
            "train_pass@1": pt.mean(axis=1),
        }
        if groups:
            rec["frac_all_zero"] = zero / groups
            rec["frac_all_one"] = one / groups
            rec["frac_zero_std"] = (zero + one) / groups
        for name, q in QUANTILES:
            rec[name] = np.quantile(pt, q, axis=1)
        for key, value in rec.items():
            out.setdefault(key, []).append((step, step * bp * n, value))
        groups = 0; zero = np.zeros(S); one = np.zeros(S); reward = np.zeros(S)
    return out


def main():
    if sys.argv[1] != "sweep":
        raise SystemExit(__doc__)
    params = json.load(open(sys.argv[2]))
    difficulty, D, V, budget, seeds = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
    grid = [tuple(int(x) for x in item.split(":")) for item in sys.argv[8].split(",")]
    start = time.perf_counter()
    runs = []
    for n, bp in grid:
        out = simulate(params, difficulty, D, V, budget, seeds, n, bp)
        points = {}
        for metric, series in out.items():
            points[metric] = [[s, c, float(np.mean(v)), float(np.std(v, ddof=1) / math.sqrt(len(v))) if len(v) > 1 else 0.0]
                              for s, c, v in series]
        runs.append({"n": n, "bp": bp, "points": points})
    seconds = time.perf_counter() - start
    if "--summary" in sys.argv:
        best = [max(p[2] for p in r["points"]["val_reward"]) for r in runs]
        print(json.dumps({"bench": "rlsim", "side": "numpy", "median_s": seconds, "runs": len(runs) * seeds,
                          "mean_best_val": sum(best) / len(best)}))
    else:
        print(json.dumps({"seconds": seconds, "runs": runs}))


if __name__ == "__main__":
    main()
