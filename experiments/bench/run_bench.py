#!/usr/bin/env python3
"""Side-by-side benchmarks of IsoPlan's NumericCore against numpy, in one run.

  (a) 2048x2048 dgemm GFLOP/s: isoplan (Debian OpenBLAS via CBLAS) vs numpy `@`
      (numpy's bundled scipy-openblas), at 1 and at 2 threads; each side's OpenBLAS config.
  (b) Binomial(2048, p) draws/s with the same array of 10^7 per-draw p, drawn once from
      U(0,1) and once from Beta(0.25, 1): isoplan's BTRD/inversion vs numpy Generator.binomial
      (PCG64; BTPE/inversion). One thread each.

The two sides run interleaved: 7 rounds, each starting both processes (alternating which goes
first) and timing one repetition after a warm-up, so a noisy neighbour on a shared machine hits
both sides alike. Every figure is the median over the 7 rounds. Prints a table and writes
experiments/bench/results/latest.json. Usage: python3 experiments/bench/run_bench.py [--quick]
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPEATS = 7


def build_swift():
    subprocess.run(["swift", "build", "-c", "release", "--package-path", HERE], check=True,
                   stdout=subprocess.DEVNULL)
    out = subprocess.run(["swift", "build", "-c", "release", "--package-path", HERE, "--show-bin-path"],
                         check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "isoplan-bench")


def run_json(cmd, threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def interleaved(ours_cmd, peer_cmd, threads, key):
    """Runs both sides REPEATS times, alternating which goes first; returns each side's last
    record with `key` and `median_s` replaced by medians over the rounds (and the rounds kept)."""
    runs = {"isoplan": [], "numpy": []}
    for round_index in range(REPEATS):
        order = [("isoplan", ours_cmd), ("numpy", peer_cmd)]
        if round_index % 2:
            order.reverse()
        for side, cmd in order:
            runs[side].append(run_json(cmd, threads))
    summary = []
    for side in ("isoplan", "numpy"):
        record = dict(runs[side][-1])
        record[key] = float(np.median([r[key] for r in runs[side]]))
        record["median_s"] = float(np.median([r["median_s"] for r in runs[side]]))
        record["rounds"] = [r[key] for r in runs[side]]
        summary.append(record)
    return summary


NUMPY_GEMM = r"""
import json, sys, time
import numpy as np
n, repeats = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(1)
a = np.asfortranarray(rng.random((n, n)) - 0.5); b = np.asfortranarray(rng.random((n, n)) - 0.5)
c = a @ b
times = []
for _ in range(repeats):
    t = time.perf_counter(); c = a @ b; times.append(time.perf_counter() - t)
med = float(np.median(times))
cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
info = {}
try:
    import threadpoolctl
    for lib in threadpoolctl.threadpool_info():
        if lib.get("internal_api") == "openblas":
            info = {"core": lib.get("architecture"), "threads": lib.get("num_threads"), "version": lib.get("version")}
except ImportError:
    pass
print(json.dumps({"bench": "gemm", "side": "numpy", "size": n, "median_s": med, "gflops": 2 * n**3 / med / 1e9,
                  "openblas": cfg.get("openblas configuration", cfg.get("version")), **info}))
"""

NUMPY_BINOMIAL = r"""
import json, sys, time
import numpy as np
trials, path, repeats, seed = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
p = np.fromfile(path, dtype="<f8")
rng = np.random.default_rng(seed)
out = rng.binomial(trials, p)
times = []
for _ in range(repeats):
    t = time.perf_counter(); out = rng.binomial(trials, p); times.append(time.perf_counter() - t)
med = float(np.median(times))
print(json.dumps({"bench": "binomial", "side": "numpy", "draws": int(p.size), "median_s": med,
                  "draws_per_s": p.size / med, "mean_draw": float(out.mean()), "mean_expected": float(p.mean() * trials)}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args()
    size = 512 if args.quick else 2048
    draws = 10**5 if args.quick else 10**7

    binary = build_swift()
    results = {"machine": {"platform": platform.platform(), "processor": platform.processor(),
                           "cpus": os.cpu_count(), "python": sys.version.split()[0], "numpy": np.__version__,
                           "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE")},
               "repeats": REPEATS, "gemm": [], "binomial": []}

    for threads in (1, 2):
        ours, peer = interleaved([binary, "gemm", str(size), "1"],
                                 [sys.executable, "-c", NUMPY_GEMM, str(size), "1"], threads, "gflops")
        results["gemm"].append({"threads": threads, "isoplan": ours, "numpy": peer,
                                "ratio": ours["gflops"] / peer["gflops"]})

    with tempfile.TemporaryDirectory() as tmp:
        rng = np.random.default_rng(20261125)
        for name, p in (("U(0,1)", rng.random(draws)), ("Beta(0.25,1)", rng.beta(0.25, 1.0, draws))):
            path = os.path.join(tmp, "p.f8")
            p.astype("<f8").tofile(path)
            ours, peer = interleaved([binary, "binomial", "2048", path, "1", "7"],
                                     [sys.executable, "-c", NUMPY_BINOMIAL, "2048", path, "1", "7"], 1,
                                     "draws_per_s")
            results["binomial"].append({"p": name, "isoplan": ours, "numpy": peer,
                                        "ratio": ours["draws_per_s"] / peer["draws_per_s"]})

    print(f"gemm {size}x{size} (median of {REPEATS} interleaved rounds):")
    print(f"  {'threads':>7}  {'isoplan GFLOP/s':>15}  {'numpy GFLOP/s':>13}  {'ratio':>6}")
    for r in results["gemm"]:
        print(f"  {r['threads']:>7}  {r['isoplan']['gflops']:>15.1f}  {r['numpy']['gflops']:>13.1f}  {r['ratio']:>6.2f}")
    print(f"  isoplan OpenBLAS: {results['gemm'][0]['isoplan']['openblas']} (core {results['gemm'][0]['isoplan']['core']})")
    print(f"  numpy   OpenBLAS: {results['gemm'][0]['numpy']['openblas']} (core {results['gemm'][0]['numpy'].get('core')})")
    print(f"binomial(2048, p), {draws:.0e} draws with per-draw p (median of {REPEATS} interleaved rounds, 1 thread):")
    print(f"  {'p':>12}  {'isoplan Mdraws/s':>16}  {'numpy Mdraws/s':>14}  {'ratio':>6}  mean check (isoplan / numpy / expected)")
    for r in results["binomial"]:
        print(f"  {r['p']:>12}  {r['isoplan']['draws_per_s'] / 1e6:>16.1f}  {r['numpy']['draws_per_s'] / 1e6:>14.1f}  "
              f"{r['ratio']:>6.2f}  {r['isoplan']['mean_draw']:.3f} / {r['numpy']['mean_draw']:.3f} / "
              f"{r['isoplan']['mean_expected']:.3f}")

    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "latest.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
