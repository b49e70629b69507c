from model import *
b0, b1 = refinement_logistic()
fold = lambda i, p: special.expit(b0 + b1 * i / K)
for kappa_swe in [0.32, 0.41]:
  for mapping in ["pair", "vote"]:
    print("kappa_swe", kappa_swe, "mapping", mapping)
    for m, (s0, t0, sj0, sj1, tj0, tj1) in CELLS.items():
        for bench, mu, j0, j1, kap in [("SWE", s0, sj0, sj1, kappa_swe), ("TB", t0, tj0, tj1, 0.41)]:
            conv = (lambda A: vote_from_pair(A)) if mapping == "pair" else (lambda A: A)
            a0, a1 = conv(j0), conv(j1)
            old = predict(mu * kap, (1 - mu) * kap, a0, a0, fold)
            new = predict(mu * kap, (1 - mu) * kap, a0, a1, fold)
            print(f"{m:18s} {bench} it0 {mu:.3f} selK {old['selk']:.3f} it1 {old['it1']:.3f} final_old {old['final']:.3f} final_judge1 {new['final']:.3f}  d0 {(new['h1'][0]-new['h0'][0])*(500 if bench=='SWE' else 88):.1f} dN {(new['h1'][-1]-new['h0'][-1])*(500 if bench=='SWE' else 88):.1f}")
