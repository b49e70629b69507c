"""Exact Table 2 lookup instead of the logistic fit; mixture shape (run3) with its 16/16 share swept."""
import model
from model import *

from run3 import mixture, solve

OPUS = np.array([0.001, 0.334, 0.555, 0.854, 0.992])
base = model.beta_nodes
for top in [0.25, 0.30, 0.35, 0.40]:
    w0, lk = solve(top); a, b = mixture(w0, np.exp(lk))
    def nodes(al, be, bins=400, w0=w0, a=a, b=b):
        p, w = base(a, b, bins)
        return np.concatenate([[0.0], p]), np.concatenate([[w0], (1 - w0) * w])
    model.beta_nodes = nodes
    for name, tab in [("avg", TABLE2), ("opus", OPUS)]:
        r = predict(0, 0, vote_from_pair(0.67), vote_from_pair(0.582), lambda i, p: tab[i])
        print(f"top {top}: w0 {w0:.3f} a {a:.3f} b {b:.3f} {name}: selK {r['selk']:.4f} it1 {r['it1']:.4f} "
              f"final {r['final']:.4f} d0 {500*(r['h1'][0]-r['h0'][0]):.1f} d16 {500*(r['h1'][-1]-r['h0'][-1]):.1f} h0[1:4] {np.round(500*r['h0'][1:4],1)}")
