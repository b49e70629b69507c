"""Prototype of the refined population's shape (issue 18, items 1-2).

Exact model over a discretised solve-rate distribution: per node p, iteration-0 count
j0 ~ Bin(N, p); select-K survivors i | j0 (exact pairwise RTV, judge of iteration 0);
refined rollouts share the context: j1 ~ Bin(N, f(i, p)); final RTV (judge of iteration 1).
"""
import numpy as np
from scipy import stats, special, optimize
from functools import lru_cache

N, K, V = 16, 4, 8
TABLE2 = np.array([0.0035, 0.3515, 0.4695, 0.862, 0.995])


def pair_acc(a, v=V):
    x = np.arange(v + 1)
    pm = stats.binom.pmf(x, v, a)
    return pm[x > v / 2].sum() + 0.5 * pm[x == v / 2].sum()


def vote_from_pair(A, v=V):
    return optimize.brentq(lambda a: pair_acc(a, v) - A, 1e-9, 1 - 1e-9)


def round_matrix(m, acc):
    """G = 2, m even: row i passing -> distribution of passing winners (m/2 groups)."""
    g = m // 2
    M = np.zeros((m + 1, g + 1))
    for i in range(m + 1):
        # number of mixed pairs x: both-pass pairs b, i = 2b + x; random pairing
        # P(b, x): count pairings. Use sequential hypergeometric like Swift.
        states = {i: np.array([1.0])}
        rem = m
        for _ in range(g):
            new = {}
            for left, w in states.items():
                for h in range(max(0, 2 - (rem - left)), min(2, left) + 1):
                    ph = stats.hypergeom.pmf(h, rem, left, 2)
                    a = 0.0 if h == 0 else (1.0 if h == 2 else acc)
                    row = new.get(left - h, np.zeros(g + 1))
                    row = row.copy()
                    for ww, pw in enumerate(w):
                        if pw > 0:
                            row[ww + 1] += pw * ph * a
                            row[ww] += pw * ph * (1 - a)
                    new[left - h] = row
            states = new
            rem -= 2
        for _, w in states.items():
            M[i, :len(w)] += w
    return M


def survivors(n, k, acc):
    P = np.eye(n + 1)
    m = n
    while m > k:
        P = P @ round_matrix(m, acc)
        m //= 2
    return P  # (n+1) x (k+1)


def rtv_acc(n, acc):
    return survivors(n, 1, acc)[:, 1]


def beta_nodes(alpha, beta, bins=400):
    z = np.linspace(-16, 16, bins + 1)
    edges = np.concatenate([[0.0], special.expit(z[1:-1]), [1.0]])
    cdf = special.betainc(alpha, beta, edges)
    cdf1 = special.betainc(alpha + 1, beta, edges)
    w = np.diff(cdf)
    mean = alpha / (alpha + beta) * np.diff(cdf1)
    p = np.where(w > 0, mean / np.maximum(w, 1e-300), 0.5 * (edges[1:] + edges[:-1]))
    keep = w > 0
    return p[keep], w[keep]


def refinement_logistic(table=TABLE2):
    k = len(table) - 1
    x = np.arange(k + 1) / k
    y = special.logit(np.clip(table, 1e-6, 1 - 1e-6))
    b1, b0 = np.polyfit(x, y, 1)
    return b0, b1


def predict(alpha, beta, a0, a1, f, n=N, k=K):
    """f(i, p) -> prob; a0, a1 vote accuracies. Returns dict."""
    p, w = beta_nodes(alpha, beta)
    pa0, pa1 = pair_acc(a0), pair_acc(a1)
    S = survivors(n, k, pa0)  # j0 -> i
    acc1 = rtv_acc(n, pa1)
    j = np.arange(n + 1)
    h0 = np.zeros(n + 1); h1 = np.zeros(n + 1)
    selk = 0.0; final = 0.0
    for pm, wm in zip(p, w):
        b0 = stats.binom.pmf(j, n, pm)
        h0 += wm * b0
        di = b0 @ S  # distribution of i
        selk += wm * (di @ np.arange(k + 1)) / k
        for i in range(k + 1):
            if di[i] <= 0:
                continue
            fi = f(i, pm)
            b1 = stats.binom.pmf(j, n, fi)
            h1 += wm * di[i] * b1
    final = h1 @ acc1
    return dict(selk=selk, it0=h0 @ j / n, it1=h1 @ j / n, final=final, h0=h0, h1=h1)


CELLS = {  # model: (swe it0, tb it0, swe judge0, swe judge1, tb judge0, tb judge1)
    "Claude-4.5-Opus": (0.7094, 0.4695, 0.670, 0.582, 0.779, 0.772),
    "Gemini-3.1-Pro": (0.7225, 0.5249, 0.645, 0.483, 0.807, 0.767),
    "Claude-4.5-Sonnet": (0.6741, 0.4062, 0.666, 0.609, 0.817, 0.780),
    "Gemini-3-Flash": (0.7079, 0.3793, 0.613, 0.621, 0.823, 0.758),
}
