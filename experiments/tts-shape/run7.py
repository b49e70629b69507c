"""Own rate in refinement, f(i, p) = expit(δ_i + γ·logit p) with δ_i solved so that every bucket's
average over the population equals Table 2 exactly; shapes of run6 (two point masses + Beta)."""
import model
from model import *
from run6 import solve, use

N_, K_ = 16, 4


def buckets(p, w, a0):
    S = survivors(N_, K_, pair_acc(a0)); j = np.arange(N_ + 1)
    return np.array([stats.binom.pmf(j, N_, pm) @ S for pm in p]) * w[:, None]  # node × i mass


def calibrated_f(p, w, a0, gamma, table):
    mass = buckets(p, w, a0)
    lp = special.logit(np.clip(p, 1e-12, 1 - 1e-12))
    deltas = []
    for i in range(K_ + 1):
        m = mass[:, i]
        g = lambda d: (m * special.expit(d + gamma * lp)).sum() / m.sum() - table[i]
        deltas.append(optimize.brentq(g, -60, 60))
    return lambda i, pm: special.expit(deltas[i] + gamma * special.logit(np.clip(pm, 1e-12, 1 - 1e-12)))


for top, kappa in [(0.40, 2.0), (0.40, 4.0), (0.35, 4.0), (0.45, 1.0), (0.45, 2.0)]:
    s = solve(0.7094, 73 / 500, top, kappa); use(*s)
    p, w = model.beta_nodes(0, 0)
    for gamma in [0.5, 1.0, 2.0]:
        f = calibrated_f(p, w, vote_from_pair(0.67), gamma, TABLE2)
        r = predict(0, 0, vote_from_pair(0.67), vote_from_pair(0.582), f)
        print(f"top {top} κ {kappa} γ {gamma}: selK {r['selk']:.4f} it1 {r['it1']:.4f} final {r['final']:.4f} "
              f"d0 {500*(r['h1'][0]-r['h0'][0]):.1f} d16 {500*(r['h1'][-1]-r['h0'][-1]):.1f}", flush=True)
