from model import *
import sys
KAP = 0.32

def bucket_avgs(alpha, beta, a0, f, n=N, k=K):
    p, w = beta_nodes(alpha, beta, 200)
    S = survivors(n, k, pair_acc(a0)); j = np.arange(n + 1)
    num = np.zeros(k + 1); den = np.zeros(k + 1)
    for pm, wm in zip(p, w):
        di = stats.binom.pmf(j, n, pm) @ S
        for i in range(k + 1):
            num[i] += wm * di[i] * f(i, pm); den[i] += wm * di[i]
    return num / den

def make_f(b0, b1, g):
    return lambda i, p: special.expit(b0 + b1 * i / K + g * special.logit(np.clip(p, 1e-6, 1 - 1e-6)))

def calibrate(g, mu=0.7094, a0=vote_from_pair(0.67)):
    al, be = mu * KAP, (1 - mu) * KAP
    target = special.logit(TABLE2)
    def res(x):
        return special.logit(np.clip(bucket_avgs(al, be, a0, make_f(x[0], x[1], g)), 1e-9, 1 - 1e-9)) - target
    b0, b1 = refinement_logistic()
    sol = optimize.least_squares(res, [b0, b1])
    return sol.x

def random_k_it1(mu, f, kk=K):
    al, be = mu * KAP, (1 - mu) * KAP
    p, w = beta_nodes(al, be, 200); j = np.arange(N + 1); tot = 0; top = 0
    for pm, wm in zip(p, w):
        b0 = stats.binom.pmf(j, N, pm)
        for j0 in range(N + 1):
            if kk == 1:  # own summary
                fr = (j0 / N) * f(1, pm) if False else None
                fi = (j0 * f1(1, pm) + (N - j0) * f1(0, pm)) / N
                # distribution: Bin(j0, f1(1)) + Bin(N-j0, f1(0))
                d = np.convolve(stats.binom.pmf(np.arange(j0 + 1), j0, f1(1, pm)), stats.binom.pmf(np.arange(N - j0 + 1), N - j0, f1(0, pm)))
            else:
                fi = sum(stats.hypergeom.pmf(i, N, j0, kk) * f(i, pm) for i in range(kk + 1))
                d = stats.binom.pmf(j, N, fi)
            tot += wm * b0[j0] * (d @ j) / N; top += wm * b0[j0] * d[-1]
    return tot, top

for g in [float(x) for x in sys.argv[1:]]:
    b0, b1 = calibrate(g)
    f = make_f(b0, b1, g)
    f1 = lambda i, p: special.expit(b0 + b1 * i / 1 + g * special.logit(np.clip(p, 1e-6, 1 - 1e-6)))
    r = predict(0.7094 * KAP, 0.2906 * KAP, vote_from_pair(0.67), vote_from_pair(0.582), f)
    print(f"gamma {g}: b0 {b0:.3f} b1 {b1:.3f} buckets {np.round(bucket_avgs(0.7094*KAP,0.2906*KAP,vote_from_pair(0.67),f),4)}")
    print(f"  Opus SWE selK {r['selk']:.4f} it1 {r['it1']:.4f} final {r['final']:.4f} d0 {500*(r['h1'][0]-r['h0'][0]):.1f} d16 {500*(r['h1'][-1]-r['h0'][-1]):.1f} h0[16] {500*r['h0'][-1]:.1f}")
    for name, mu, A in [("Sonnet", 0.6987, 0.666), ("Gemini", 0.7269, 0.645)]:
        rs = predict(mu * KAP, (1 - mu) * KAP, vote_from_pair(A), vote_from_pair(A), f)
        rk, rtop = random_k_it1(mu, f)
        ok, otop = random_k_it1(mu, f, 1)
        print(f"  {name} T1: selectK it1 {rs['it1']:.4f}  randomK {rk:.4f} (16/16 {100*rtop:.1f})  single {ok:.4f} (16/16 {100*otop:.1f}) it0 16/16 {100*rs['h0'][-1]:.1f}")
