"""Mixture shape for Opus SWE: w0 at p = 0 plus a Beta(α, β) part, fixed to pass@1 0.7094,
73/500 tasks at 0/16 and an assumed 16/16 share (Figure 6 suggests about 0.40 at pass@1 ≈ 0.70)."""
import model
from model import *
from run2 import make_f, calibrate
import run2

def mixture(w0, kappa, mu=0.7094):
    m = (mu) / (1 - w0)  # Beta-part mean
    return m * kappa, (1 - m) * kappa

def solve(top_share):
    def res(x):
        w0, lk = x
        a, b = mixture(w0, np.exp(lk))
        p0 = w0 + (1 - w0) * stats.betabinom.pmf(0, 16, a, b)
        p16 = (1 - w0) * stats.betabinom.pmf(16, 16, a, b)
        return [p0 - 73 / 500, p16 - top_share]
    return optimize.fsolve(res, [0.08, 0.0])

if __name__ == "__main__":
    base = model.beta_nodes
    for top in [0.30, 0.40]:
        w0, lk = solve(top); a, b = mixture(w0, np.exp(lk))
        def nodes(al, be, bins=400, w0=w0, a=a, b=b):
            p, w = base(a, b, bins)
            return np.concatenate([[0.0], p]), np.concatenate([[w0], (1 - w0) * w])
        model.beta_nodes = nodes; run2.beta_nodes = nodes
        for g in [0.0, 1.0]:
            b0, b1 = calibrate(g) if g else refinement_logistic()
            r = predict(0, 0, vote_from_pair(0.67), vote_from_pair(0.582), make_f(b0, b1, g))
            print(f"16/16 share {top}: w0 {w0:.3f} a {a:.3f} b {b:.3f} gamma {g}: selK {r['selk']:.4f} it1 {r['it1']:.4f} "
                  f"final {r['final']:.4f} d0 {500*(r['h1'][0]-r['h0'][0]):.1f} d16 {500*(r['h1'][-1]-r['h0'][-1]):.1f}")
