"""Cross-check of the Swift simulator against the numpy reference (issue 4).

For each difficulty and configuration, both sides simulate SEEDS seeds; for every metric and
evaluation point the seed means must agree within 4·sqrt(SE₁² + SE₂²). Prints a summary table
(markdown) and exits 1 on any failure.

    python3 experiments/reference/crosscheck.py [--seeds 24]
"""
import argparse
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PARAMS = os.path.join(ROOT, "Sources", "RLSim", "Resources", "parameters.json")
CASES = [("easy", 1000, 300, 3e5, "8:32,64:32,16:128"), ("hard", 1000, 300, 3e5, "8:32,64:32,16:128"),
         ("easy", 2000, 300, 3e6, "8:32,128:32,2048:32"), ("hard", 2000, 300, 3e6, "16:32,256:64")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=24)
    args = parser.parse_args()
    checks_dir = os.path.join(ROOT, "experiments", "rlsim")
    subprocess.run(["swift", "build", "-c", "release"], cwd=checks_dir, check=True, stdout=subprocess.DEVNULL)
    tool = os.path.join(checks_dir, ".build", "release", "rlsim-checks")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    failures = 0
    print("| difficulty | config | metrics × points | max |Δ|/σ | failures |")
    print("|---|---|---|---|---|")
    for difficulty, D, V, budget, grid in CASES:
        common = [difficulty, str(D), str(V), repr(budget), str(args.seeds), grid]
        swift = json.loads(subprocess.run([tool, "dump"] + common + [PARAMS], capture_output=True, text=True, env=env, check=True).stdout)
        numpy = json.loads(subprocess.run([sys.executable, os.path.join(HERE, "rlsim_reference.py"), "sweep", PARAMS] + common,
                                          capture_output=True, text=True, env=env, check=True).stdout)
        for a, b in zip(swift["runs"], numpy["runs"]):
            assert (a["n"], a["bp"]) == (b["n"], b["bp"])
            compared, worst, bad = 0, 0.0, []
            for metric, series in a["points"].items():
                other = b["points"].get(metric)
                if other is None:
                    continue
                for (s1, c1, m1, e1), (s2, c2, m2, e2) in zip(series, other):
                    assert s1 == s2, (metric, s1, s2)
                    sigma = math.sqrt(e1 * e1 + e2 * e2)
                    z = abs(m1 - m2) / sigma if sigma > 0 else (0.0 if abs(m1 - m2) < 1e-12 else math.inf)
                    compared += 1
                    worst = max(worst, z)
                    if z > 4:
                        bad.append(f"{metric}@{s1}: {m1:.4f} vs {m2:.4f} (z {z:.1f})")
            failures += len(bad)
            print(f"| {difficulty} | n={a['n']} B_p={a['bp']} | {compared} | {worst:.2f} | {len(bad)} {'; '.join(bad[:3])} |")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
