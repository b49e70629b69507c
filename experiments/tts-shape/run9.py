"""Does the task's own rate explain the ablation's random-K gain? Sonnet's run8 shape, Table 2
held as bucket averages under select-K (where it was measured), f(i, p) = expit(δᵢ + γ·logit p);
iteration-1 pass@1 of single, random-K and select-K for γ = 0, 1, 2 (ablation: 70.87, 75.06, 78.06)."""
import numpy as np
from scipy import stats, special, optimize
from model import survivors, pair_acc, beta_nodes, TABLE2

N, K = 16, 4
j = np.arange(N + 1)
p, w = beta_nodes(0.358, 0.154, 150)
B = stats.binom.pmf(j[None, :], N, p[:, None])          # node × j0
S = survivors(N, K, 0.666)                               # j0 × i
mass = (B @ S) * w[:, None]                              # node × i, select-K buckets
lp = special.logit(np.clip(p, 1e-12, 1 - 1e-12))
H = np.array([[stats.hypergeom.pmf(i, N, j0, K) for i in range(K + 1)] for j0 in range(N + 1)])
for gamma in [0.0, 0.5, 1.0, 2.0]:
    d = [optimize.brentq(lambda x: (mass[:, i] * special.expit(x + gamma * lp)).sum() / mass[:, i].sum() - TABLE2[i], -80, 80)
         for i in range(K + 1)]
    f = special.expit(np.array(d)[None, :] + gamma * lp[:, None])   # node × i
    sel = (w * ((B @ S) * f).sum(1)).sum()
    rnd = (w * ((B @ H) * f).sum(1)).sum()
    # single: own summary, K = 1 → f(0 of 1) = f(0 of 4), f(1 of 1) = f(4 of 4), per node
    sgl = (w * (p * f[:, K] + (1 - p) * f[:, 0])).sum()
    print(f"γ {gamma}: iteration 1 single {100*sgl:.2f} random-K {100*rnd:.2f} select-K {100*sel:.2f}   (iteration 0 {100*(w*p).sum():.2f})")
