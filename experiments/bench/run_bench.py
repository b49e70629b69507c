#!/usr/bin/env python3
"""Side-by-side benchmarks of IsoPlan's NumericCore against numpy, in one run.

  (a) 2048x2048 dgemm GFLOP/s: isoplan (Debian OpenBLAS via CBLAS) vs numpy `@`
      (numpy's bundled scipy-openblas), at 1 and at 2 threads; each side's OpenBLAS config.
  (b) Binomial(2048, p) draws/s with the same array of 10^7 per-draw p, drawn once from
      U(0,1) and once from Beta(0.25, 1): isoplan's batch call (BTRD/inversion) vs numpy Generator.binomial
      (PCG64; BTPE/inversion). One thread each.

The two sides run interleaved: 7 rounds, each starting both processes (alternating which goes
first) and timing one repetition after a warm-up, so a noisy neighbour on a shared machine hits
both sides alike. Every figure is the median over the 7 rounds. Prints a table and writes
experiments/bench/results/latest.json (foundation) and results/fitting.json.

  (c) Chinchilla Approach 3 on Epoch AI's 240 points, the 4,500-start Huber grid: our multi-start
      Levenberg-Marquardt on 2 threads vs scipy L-BFGS-B with the analytic gradient over
      multiprocessing.Pool(2) (and, once, with finite differences).
  (d) 1,000 bootstrap fits of the ScaleRL sigmoid on 50 points, same data, resample indices and
      bounds on both sides: ours on 2 threads and on 1 vs a scipy curve_fit loop.

  (e) The isocompute-q1-easy sweep of the RL simulator (39 configurations, D = 6,000, V = 300,
      3 seeds, C_max = 1e7): isoplan's RLSim on 2 threads vs the numpy reference
      (experiments/reference/rlsim_reference.py, vectorised over seeds); 3 interleaved rounds.

Usage: python3 experiments/bench/run_bench.py [--quick] [--suite foundation|fitting|rlsim|all]
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
except ImportError:  # no threadpoolctl: ask the OpenBLAS numpy loaded for its core
    import ctypes
    for path in sorted({line.split()[-1] for line in open("/proc/self/maps") if "openblas" in line}):
        lib = ctypes.CDLL(path)
        for symbol in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename"):
            if hasattr(lib, symbol):
                getattr(lib, symbol).restype = ctypes.c_char_p
                info = {"core": getattr(lib, symbol)().decode()}
                break
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
    parser.add_argument("--suite", choices=["foundation", "fitting", "rlsim", "all"], default="all")
    args = parser.parse_args()
    binary = build_swift()
    describe_machine(binary)
    ratios = {}
    if args.suite in ("foundation", "all"):
        results = foundation(binary, args.quick)
        ratios["gemm, 1 and 2 threads"] = [r["ratio"] for r in results["gemm"]]
        ratios["binomial, both p distributions"] = [r["ratio"] for r in results["binomial"]]
    if args.suite in ("fitting", "all"):
        results = fitting(binary, args.quick)
        ratios["Chinchilla vs scipy analytic"] = [results["chinchilla"]["ratio_analytic"]]
        ratios["bootstrap, 2 threads"] = [results["scalerl"]["ratio_2_threads"]]
    if args.suite in ("rlsim", "all"):
        ratios["RLSim vs numpy"] = [rlsim(binary, args.quick)["ratio"]]
    print_goals(ratios, args.quick)


# Issue 20's goals: the least ratio each benchmark must reach on every CPU.
GOALS = {"gemm, 1 and 2 threads": 0.9, "binomial, both p distributions": 2.0, "Chinchilla vs scipy analytic": 100.0,
         "bootstrap, 2 threads": 100.0, "RLSim vs numpy": 20.0}


def print_goals(ratios, quick):
    """One line per benchmark run: its ratios against its goal, met or not (on this CPU)."""
    cpu = MACHINE["cpu"]
    print(f"Goals on this CPU ({cpu['model_name']}, {cpu.get('microarchitecture') or 'family ' + str(cpu.get('family'))})"
          + (" — --quick sizes, not the goals' sizes:" if quick else ":"))
    for name, values in ratios.items():
        met = all(v >= GOALS[name] for v in values)
        shown = " / ".join(f"{v:.2f}" for v in values)
        print(f"  {name:<32} {shown:>13}   goal ≥ {GOALS[name]:g}   {'met' if met else 'NOT met'}")


def rlsim(binary, quick):
    """The q1-easy sweep, both sides interleaved; isoplan on 2 threads, numpy single-process."""
    grid = ",".join(f"{1 << e}:{bp}" for bp in (32, 64, 128, 256, 512, 1024) for e in range(3, 12) if bp * (1 << e) <= 65536)
    budget = "1e6" if quick else "1e7"
    args = ["easy", "6000", "300", budget, "3", grid]
    reference = os.path.join(os.path.dirname(HERE), "reference", "rlsim_reference.py")
    params = os.path.join(os.path.dirname(os.path.dirname(HERE)), "Sources", "RLSim", "Resources", "parameters.json")
    rounds = 1 if quick else 3
    runs = {"isoplan": [], "numpy": []}
    for r in range(rounds):
        order = [("isoplan", [binary, "rlsim-sweep"] + args),
                 ("numpy", [sys.executable, reference, "sweep", params] + args + ["--summary"])]
        if r % 2:
            order.reverse()
        for side, cmd in order:
            runs[side].append(run_json(cmd, 1))
    ours = float(np.median([x["median_s"] for x in runs["isoplan"]]))
    peer = float(np.median([x["median_s"] for x in runs["numpy"]]))
    results = {"machine": machine(), "rounds": rounds, "grid": grid, "budget": budget, "isoplan_s": [x["median_s"] for x in runs["isoplan"]],
               "numpy_s": [x["median_s"] for x in runs["numpy"]], "median_isoplan_s": ours, "median_numpy_s": peer,
               "ratio": peer / ours, "mean_best_val": {"isoplan": runs["isoplan"][-1]["mean_best_val"],
                                                       "numpy": runs["numpy"][-1]["mean_best_val"]}}
    print(f"rlsim isocompute-q1-easy sweep (39 configs x 3 seeds, C_max {budget}; median of {rounds} interleaved rounds):")
    print(f"  isoplan {ours:.2f} s (2 threads)   numpy {peer:.2f} s   ratio {peer / ours:.1f}x   "
          f"mean best val {results['mean_best_val']['isoplan']:.4f} / {results['mean_best_val']['numpy']:.4f}")
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "rlsim.json"), "w") as f:
        json.dump(results, f, indent=1)
    return results


def fitting(binary, quick):
    peers = os.path.join(HERE, "peers", "fit_peers.py")
    rounds = 2 if quick else REPEATS
    with tempfile.TemporaryDirectory() as data:
        subprocess.run([sys.executable, peers, "prepare", data], check=True, stdout=subprocess.DEVNULL)
        results = {"machine": machine(), "rounds": rounds}

        def alternate(ours_cmds, peer_cmd, key="median_s"):
            runs = {name: [] for name in list(ours_cmds) + ["scipy"]}
            for r in range(rounds):
                order = list(ours_cmds.items()) + [("scipy", peer_cmd)]
                if r % 2:
                    order.reverse()
                for name, cmd in order:
                    runs[name].append(run_json(cmd, 1))
            summary = {}
            for name, records in runs.items():
                record = dict(records[-1])
                record["rounds"] = [x[key] for x in records]
                record[key] = float(np.median(record["rounds"]))
                summary[name] = record
            return summary

        chin = alternate({"isoplan-2": [binary, "chinchilla", data, "2", "1"],
                          "isoplan-2-full": [binary, "chinchilla", data, "2", "1", "best", "off"]},
                         [sys.executable, peers, "chinchilla", data, "--repeats", "1", "--processes", "2"])
        fd = run_json([sys.executable, peers, "chinchilla", data, "--variant", "finite-difference", "--repeats", "1",
                       "--processes", "2"], 1) if not quick else None
        results["chinchilla"] = {"isoplan": chin["isoplan-2"], "isoplan_full_search": chin["isoplan-2-full"],
                                 "scipy_analytic": chin["scipy"], "scipy_fd": fd,
                                 "ratio_analytic": chin["scipy"]["median_s"] / chin["isoplan-2"]["median_s"],
                                 "ratio_full_search": chin["scipy"]["median_s"] / chin["isoplan-2-full"]["median_s"],
                                 "ratio_fd": fd["median_s"] / chin["isoplan-2"]["median_s"] if fd else None}
        boot = alternate({"isoplan-2": [binary, "scalerl-bootstrap", data, "2", "1"],
                          "isoplan-1": [binary, "scalerl-bootstrap", data, "1", "1"]},
                         [sys.executable, peers, "scalerl", data, "--repeats", "1"])
        ours_medians, peer_medians = boot["isoplan-2"]["medians"], boot["scipy"]["medians"]
        results["scalerl"] = {"isoplan_2": boot["isoplan-2"], "isoplan_1": boot["isoplan-1"], "scipy": boot["scipy"],
                              "ratio_2_threads": boot["scipy"]["median_s"] / boot["isoplan-2"]["median_s"],
                              "ratio_1_thread": boot["scipy"]["median_s"] / boot["isoplan-1"]["median_s"],
                              "median_relative_difference": [abs(a - b) / abs(b) for a, b in zip(ours_medians, peer_medians)]}

    c = results["chinchilla"]
    print(f"Chinchilla 4,500-start Huber fit (median of {rounds} interleaved rounds, 2 threads / 2 processes):")
    print(f"  isoplan LM {c['isoplan']['median_s']:.3f} s (screening {c['isoplan']['screening']}, exp/log"
          f" {c['isoplan']['vector_math']})   scipy L-BFGS-B analytic {c['scipy_analytic']['median_s']:.2f} s"
          f"   ratio {c['ratio_analytic']:.1f}x")
    print(f"  isoplan LM, every start explored (screening off) {c['isoplan_full_search']['median_s']:.3f} s"
          f"   ratio {c['ratio_full_search']:.1f}x")
    if c["scipy_fd"]:
        print(f"  scipy L-BFGS-B finite differences {c['scipy_fd']['median_s']:.1f} s (one run)   ratio {c['ratio_fd']:.1f}x")
    for side in ("isoplan", "isoplan_full_search", "scipy_analytic"):
        b = c[side]["best"]
        print(f"  {side:>19}: A={b['A']:.2f} B={b['B']:.2f} E={b['E']:.5f} alpha={b['alpha']:.5f} beta={b['beta']:.5f}"
              f" objective={b['objective']:.6e}")
    b = results["scalerl"]
    print(f"ScaleRL sigmoid, 1,000 bootstrap fits on 50 points (median of {rounds} interleaved rounds):")
    print(f"  isoplan 2 threads {b['isoplan_2']['median_s'] * 1e3:.1f} ms, 1 thread {b['isoplan_1']['median_s'] * 1e3:.1f} ms;"
          f" scipy curve_fit loop {b['scipy']['median_s']:.2f} s")
    print(f"  ratio {b['ratio_2_threads']:.0f}x (2 threads), {b['ratio_1_thread']:.0f}x (1 thread); parameter medians"
          f" differ by at most {max(b['median_relative_difference']):.1e} relative")
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "fitting.json"), "w") as f:
        json.dump(results, f, indent=1)
    return results


# AMD (family, first model, last model) -> microarchitecture, from AMD's published CPUID tables.
AMD_CORES = [(23, 0x00, 0x2F, "Zen 1/Zen+"), (23, 0x30, 0x7F, "Zen 2"), (25, 0x00, 0x0F, "Zen 3"),
             (25, 0x10, 0x1F, "Zen 4"), (25, 0x20, 0x5F, "Zen 3"), (25, 0x60, 0xAF, "Zen 4"),
             (26, 0x00, 0xFF, "Zen 5")]


def cpu():
    """The CPU as /proc/cpuinfo names it: model name, vendor, family, model, stepping and, for AMD,
    the microarchitecture those imply."""
    fields = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if not line.strip():
                    break
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
    except OSError:
        return {"model_name": platform.processor() or "unknown"}
    info = {"model_name": fields.get("model name", "unknown"), "vendor": fields.get("vendor_id"),
            "family": int(fields.get("cpu family", -1)), "model": int(fields.get("model", -1)),
            "stepping": int(fields.get("stepping", -1)), "avx512": "avx512f" in fields.get("flags", "").split()}
    if info["vendor"] == "AuthenticAMD":
        info["microarchitecture"] = next((name for family, low, high, name in AMD_CORES
                                          if family == info["family"] and low <= info["model"] <= high), None)
    return info


MACHINE = {}


def describe_machine(binary):
    """Fills MACHINE once (CPU, both sides' OpenBLAS cores) and prints it as the run's header."""
    ours = run_json([binary, "blas"], 1)
    theirs = run_json([sys.executable, "-c", NUMPY_GEMM, "64", "1"], 1)
    MACHINE.update({"platform": platform.platform(), "cpus": os.cpu_count(), "python": sys.version.split()[0],
                    "numpy": np.__version__, "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
                    "cpu": cpu(), "isoplan_openblas": {"config": ours["openblas"], "core": ours["core"]},
                    "numpy_openblas": {"config": theirs["openblas"], "core": theirs.get("core")}})
    c = MACHINE["cpu"]
    arch = f", {c['microarchitecture']}" if c.get("microarchitecture") else ""
    print(f"CPU: {c['model_name']} (family {c.get('family')} model {c.get('model')} stepping {c.get('stepping')}{arch};"
          f" {'AVX-512' if c.get('avx512') else 'no AVX-512'}), {MACHINE['cpus']} CPUs, {MACHINE['platform']}")
    print(f"OpenBLAS core: isoplan {ours['core']} ({ours['openblas']}); numpy {theirs.get('core')}"
          f" ({theirs['openblas']})")


def machine():
    return dict(MACHINE)


def foundation(binary, quick):
    size = 512 if quick else 2048
    draws = 10**5 if quick else 10**7
    results = {"machine": machine(), "repeats": REPEATS, "gemm": [], "binomial": []}

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
    return results


if __name__ == "__main__":
    main()
