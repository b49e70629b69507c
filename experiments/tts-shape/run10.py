"""The own-rate refinement calibrated on the ablation, carried to Claude-4.5-Opus.

Stage 1 (Sonnet, the ablation only): shape w0·δ0 + (1 − w0)·Beta(a, b) and γ fitted to Table 1
(iteration 0 69.87; iteration 1 single 70.87, random-K 75.06) and Figure 6 (16/16: 40 single, 51
random-K). Select-K's iteration 1 is not a target: with δᵢ solved so that Table 2's buckets hold
under select-K it is fixed by the shape. Stage 2 (Opus): the same γ; the shape's Beta
concentration (or its 16/16 share) carried over, the rest fitted to pass@1 0.7094 and 73/500 at
0/16; then the iteration-1 histogram with Opus's judges (pair 0.670, 0.582)."""
import numpy as np
from scipy import stats, special, optimize
from model import survivors, beta_nodes, rtv_acc, TABLE2

N, K = 16, 4
j = np.arange(N + 1)
H = np.array([[stats.hypergeom.pmf(i, N, j0, K) for i in range(K + 1)] for j0 in range(N + 1)])


def population(w0, a, b, bins=150):
    p, w = beta_nodes(a, b, bins)
    return np.concatenate([[0.0], p]), np.concatenate([[w0], (1 - w0) * w])


def refinement(p, w, S, gamma):
    """f[node, i] with δᵢ solved so each select-K bucket averages Table 2."""
    B = stats.binom.pmf(j[None, :], N, p[:, None])
    mass = (B @ S) * w[:, None]
    lp = special.logit(np.clip(p, 1e-12, 1 - 1e-12))
    d = [optimize.brentq(lambda x: (mass[:, i] * special.expit(x + gamma * lp)).sum() / mass[:, i].sum() - TABLE2[i], -80, 80)
         for i in range(K + 1)]
    return B, special.expit(np.array(d)[None, :] + gamma * lp[:, None])


def histograms(B, f, w, ctx):
    """Iteration-1 histogram when each node's context distribution over i is B @ ctx (shared)."""
    di = B @ ctx                                          # node × i
    return np.einsum("n,ni,nij->j", w, di, stats.binom.pmf(j[None, None, :], N, f[:, :, None]))


def sonnet(params):
    w0, a, b, gamma = special.expit(params[0]), np.exp(params[1]), np.exp(params[2]), params[3]
    p, w = population(w0, a, b)
    S = survivors(N, K, 0.666)
    B, f = refinement(p, w, S, gamma)
    h0 = w @ B
    # single: rollout r refines from its own summary: Bin(j0, f(1/1)) + Bin(16 − j0, f(0/1))
    f0, f1 = f[:, 0], f[:, K]
    single = np.zeros(N + 1)
    for n_, (pn, wn) in enumerate(zip(p, w)):
        for j0 in range(N + 1):
            if B[n_, j0] * wn < 1e-12:
                continue
            single += wn * B[n_, j0] * np.convolve(stats.binom.pmf(np.arange(j0 + 1), j0, f1[n_]),
                                                   stats.binom.pmf(np.arange(N - j0 + 1), N - j0, f0[n_]))
    # random-K: every rollout its own context → per node, per j0 a success probability
    fr = np.einsum("nj,ji,ni->nj", np.ones_like(B), H, f)  # node × j0
    random = np.einsum("n,nj,njk->k", w, B, stats.binom.pmf(j[None, None, :], N, fr[:, :, None]))
    sel = histograms(B, f, w, S)
    return dict(h0=h0, single=single, random=random, select=sel)


def residuals(params):
    r = sonnet(params)
    m = lambda h: h @ j / N
    return np.array([(m(r["h0"]) - 0.6987) * 4, m(r["single"]) - 0.7087, m(r["random"]) - 0.7506,
                     r["single"][-1] - 0.40, r["random"][-1] - 0.51])


if __name__ == "__main__":
    best = min((optimize.least_squares(residuals, x0, bounds=([-8, -4, -4, 0], [3, 3, 3, 4]))
                for x0 in [[-3, -1, -1.5, 1], [-1, -0.5, -1, 2], [-4, 0, -1, 0.5]]), key=lambda s: s.cost)
    w0, a, b, gamma = special.expit(best.x[0]), np.exp(best.x[1]), np.exp(best.x[2]), best.x[3]
    r = sonnet(best.x)
    m = lambda h: 100 * (h @ j) / N
    print(f"Sonnet: w0 {w0:.3f} Beta({a:.3f}, {b:.3f}) γ {gamma:.2f}; it0 {m(r['h0']):.2f}, single {m(r['single']):.2f}, "
          f"random-K {m(r['random']):.2f}, select-K {m(r['select']):.2f} (not a target; ablation 78.06); "
          f"16/16 it0 {100*r['h0'][-1]:.1f}, single {100*r['single'][-1]:.1f}, random {100*r['random'][-1]:.1f}")

    for carry in ["concentration", "share"]:
        kappa, share = a + b, (r["h0"][-1])

        def shape(y):
            v0 = special.expit(y[0])
            if carry == "concentration":
                mb = special.expit(y[1]); return v0, mb * kappa, (1 - mb) * kappa
            return v0, np.exp(y[1]), np.exp(y[2])

        def res(y):
            p, w = population(*shape(y), bins=150)
            h = w @ stats.binom.pmf(j[None, :], N, p[:, None])
            out = [h @ j / N - 0.7094, h[0] - 73 / 500]
            return out + ([h[-1] - share] if carry == "share" else [])
        y0 = [-2.0, 1.0] if carry == "concentration" else [-2.0, 0.0, -1.0]
        y = optimize.least_squares(res, y0).x
        v0, aa, bb = shape(y)
        p, w = population(v0, aa, bb)
        S0 = survivors(N, K, 0.670)
        B, f = refinement(p, w, S0, gamma)
        h0 = w @ B
        h1 = histograms(B, f, w, S0)
        final = h1 @ rtv_acc(N, 0.582)
        print(f"Opus ({carry} carried): w0 {v0:.3f} Beta({aa:.3f}, {bb:.3f}), fit residuals {np.round(res(y), 4)}; "
              f"it0 16/16 {500*h0[-1]:.1f}; it1 {m(h1):.2f}, final {100*final:.2f}; "
              f"Δ 0/16 {500*(h1[0]-h0[0]):+.1f}, Δ 16/16 {500*(h1[-1]-h0[-1]):+.1f}  (reference +21, +141)")
