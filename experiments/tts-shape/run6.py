"""Two point masses (0 and 1) plus a Beta(α, β) middle: fixed to pass@1, the 0/16 count and a 16/16
share; the middle's concentration κ = α + β swept. Exact Table 2 (average of its two rows)."""
import sys
import model
from model import *

base = model.beta_nodes


def solve(mu, zero, top, kappa):
    def res(x):
        w0, w1, m = special.expit(x)
        wm = 1 - w0 - w1
        a, b = m * kappa, (1 - m) * kappa
        return [w0 + wm * stats.betabinom.pmf(0, 16, a, b) - zero,
                w1 + wm * stats.betabinom.pmf(16, 16, a, b) - top,
                w1 + wm * m - mu]
    x, info, ok, msg = optimize.fsolve(res, [-2.0, -1.0, 0.5], full_output=True)
    w0, w1, m = special.expit(x)
    return (w0, w1, m * kappa, (1 - m) * kappa) if ok == 1 and w0 + w1 < 1 and max(map(abs, res(x))) < 1e-7 else None


def use(w0, w1, a, b):
    def nodes(al, be, bins=400):
        p, w = base(a, b, bins)
        return np.concatenate([[0.0, 1.0], p]), np.concatenate([[w0, w1], (1 - w0 - w1) * w])
    model.beta_nodes = nodes


if __name__ == "__main__":
    tab = TABLE2
    for top in [0.30, 0.35, 0.40, 0.45]:
        for kappa in [0.5, 1.0, 2.0, 4.0, 8.0]:
            s = solve(0.7094, 73 / 500, top, kappa)
            if s is None:
                print(f"top {top} kappa {kappa}: infeasible"); continue
            use(*s)
            r = predict(0, 0, vote_from_pair(0.67), vote_from_pair(0.582), lambda i, p: tab[i])
            print(f"top {top} κ {kappa}: w0 {s[0]:.3f} w1 {s[1]:.3f} a {s[2]:.2f} b {s[3]:.2f} selK {r['selk']:.4f} it1 {r['it1']:.4f} "
                  f"final {r['final']:.4f} d0 {500*(r['h1'][0]-r['h0'][0]):.1f} d16 {500*(r['h1'][-1]-r['h0'][-1]):.1f} low {500*r['h0'][1:4].sum():.1f}")
