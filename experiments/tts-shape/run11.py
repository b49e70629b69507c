"""A judge worse on hard tasks, identified by the judge table's two rows.

Pair accuracy on a mixed pair of a task with rate p: a(p) = expit(u + v·logit p). The table's
value for an iteration is taken as the mixed-pair-weighted average of a(p) over that iteration's
first RTV round (8 random pairs of the 16): weight ∝ E[mixed pairs | p]. (u, v) are solved so that
iteration 0 (select-K over the iteration-0 population) gives 0.670 and iteration 1 (the final RTV
over the iteration-1 population) 0.582 — Claude-4.5-Opus on SWE. Shape and γ as run10 (carried
concentration; `python3 run11.py share` for the carried 16/16 share)."""
import numpy as np
from scipy import stats, special, optimize
from model import survivors, beta_nodes, rtv_acc, TABLE2
import run10 as r10

N, K = 16, 4
j = np.arange(N + 1)
GAMMA = 0.96
import sys
# run10's Opus shapes: the Beta part's concentration carried (default), or `share`: Sonnet's 16/16 share
w0, a, b = (0.144, 1.853, 0.384) if sys.argv[1:] == ["share"] else (0.138, 1.151, 0.248)
p, w = r10.population(w0, a, b, bins=60)
B = stats.binom.pmf(j[None, :], N, p[:, None])
lp = special.logit(np.clip(p, 1e-12, 1 - 1e-12))
mixed = j * (N - j) / (N - 1)           # expected mixed pairs among 8 random pairs, given j passing

cache = {}
def S_of(acc):
    key = round(float(acc), 4)
    if key not in cache:
        cache[key] = (survivors(N, K, key), rtv_acc(N, key))
    return cache[key]

def model(u, v):
    acc = special.expit(u + v * lp)
    S = [S_of(x)[0] for x in acc]
    R = [S_of(x)[1] for x in acc]
    # δᵢ: Table 2 buckets under select-K with this judge
    mass = np.array([B[n] @ S[n] for n in range(len(p))]) * w[:, None]
    d = [optimize.brentq(lambda x: (mass[:, i] * special.expit(x + GAMMA * lp)).sum() / mass[:, i].sum() - TABLE2[i], -80, 80)
         for i in range(K + 1)]
    f = special.expit(np.array(d)[None, :] + GAMMA * lp[:, None])
    h1n = np.array([(B[n] @ S[n]) @ stats.binom.pmf(j[None, :], N, f[n][:, None]) for n in range(len(p))])  # node × j1
    m0 = (w[:, None] * B * mixed).sum(1)       # mixed pairs per node, iteration 0
    m1 = (w[:, None] * h1n * mixed).sum(1)
    table = ((m0 * acc).sum() / m0.sum(), (m1 * acc).sum() / m1.sum())
    h0, h1 = w @ B, w @ h1n
    final = sum(w[n] * h1n[n] @ R[n] for n in range(len(p)))
    return table, h0, h1, final, acc

def res(x):
    t, *_ = model(*x)
    return [t[0] - 0.670, t[1] - 0.582]

x = optimize.least_squares(res, [1.0, 0.3], bounds=([-5, -3], [5, 3])).x
t, h0, h1, final, acc = model(*x)
print(f"a(p) = expit({x[0]:.3f} + {x[1]:.3f}·logit p): table {np.round(t, 4)}; a at p = 0.05, 0.2, 0.5, 0.8: "
      f"{np.round(special.expit(x[0] + x[1] * special.logit(np.array([0.05, 0.2, 0.5, 0.8]))), 3)}")
print(f"Opus: it0 16/16 {500*h0[-1]:.1f}; it1 {100*(h1@j)/N:.2f}, final {100*final:.2f}; "
      f"Δ 0/16 {500*(h1[0]-h0[0]):+.1f}, Δ 16/16 {500*(h1[-1]-h0[-1]):+.1f}  (reference +21, +141)")
t, h0, h1, final, acc = model(np.log(0.670 / 0.330), 0.0)
print(f"constant a = 0.670 (same run): table {np.round(t, 4)}; Δ 0/16 {500*(h1[0]-h0[0]):+.1f}, Δ 16/16 {500*(h1[-1]-h0[-1]):+.1f}")
