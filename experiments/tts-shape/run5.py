"""Logit-normal population p = expit(m + s·Z) fitted to pass@1 and the 0/16 count; exact Table 2."""
import model
from model import *

OPUS = np.array([0.001, 0.334, 0.555, 0.854, 0.992])
zs, wz = np.polynomial.hermite_e.hermegauss(200)
wz = wz / wz.sum()

def stats_ln(m, s):
    p = special.expit(m + s * zs)
    return (wz * p).sum(), (wz * (1 - p) ** 16).sum(), (wz * p ** 16).sum()

def fit(mu, zero):
    def res(x):
        mean, p0, _ = stats_ln(x[0], np.exp(x[1]))
        return [mean - mu, np.log(p0) - np.log(zero)]
    return optimize.fsolve(res, [1.5, 1.0])

m, ls = fit(0.7094, 73 / 500); s = np.exp(ls)
print("m", m, "s", s, "S0", 500 * stats_ln(m, s)[2])
model.beta_nodes = lambda al, be, bins=400: (special.expit(m + s * zs), wz)
for name, tab in [("avg", TABLE2), ("opus", OPUS)]:
    for a in [0.67, 0.75, 0.83]:
        r = predict(0, 0, vote_from_pair(a), vote_from_pair(a * 0.582 / 0.67), lambda i, p: tab[i])
        print(f"{name} pair {a}: selK {r['selk']:.4f} it1 {r['it1']:.4f} final {r['final']:.4f} d0 {500*(r['h1'][0]-r['h0'][0]):.1f} "
              f"d16 {500*(r['h1'][-1]-r['h0'][-1]):.1f} h0 {np.round(500*r['h0'],1)}")
