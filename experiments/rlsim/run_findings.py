"""Runs the simulator's findings checks (issue 4) with the committed parameter file and with one
ablation per mechanism, 3 seeds each at C_max = 1e7, and writes notebooks-data/rlsim-findings.md.

    python3 experiments/rlsim/run_findings.py [--seeds 3]
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PARAMS = os.path.join(ROOT, "Sources", "RLSim", "Resources", "parameters.json")

ABLATIONS = [
    ("no interference (σ_r = 0)", {"interference": 0}),
    ("no memorisation (c_τ² = σ_mem = 0)", {"coherentMemorisation": 0, "exposureMemorisation": 0}),
    ("no exposure memorisation (σ_mem = 0)", {"exposureMemorisation": 0}),
    ("no gradient noise (σ_th = 0)", {"gradientNoise": 0}),
    ("no curvature (κ = 0)", {"curvature": 0}),
    ("constant learning rate (e = 0)", {"learningRateExponent": 0}),
    ("mean-centred advantages (no std normalisation)", {"standardiseAdvantages": False}),
    ("no step-size damage (λ_e = 0)", {"stepDamage": 0}),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release"], cwd=HERE, check=True, stdout=subprocess.DEVNULL)
    tool = os.path.join(HERE, ".build", "release", "rlsim-checks")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    base = json.load(open(PARAMS))
    sections = []
    start = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        for label, change in [("main (the committed parameter file)", {})] + ABLATIONS:
            path = os.path.join(tmp, "p.json")
            json.dump({**base, **change}, open(path, "w"))
            out = subprocess.run([tool, "findings", path, str(args.seeds), label], capture_output=True, text=True,
                                 env=env, check=True).stdout
            sections.append(out)
            print(out, flush=True)
    footer = f"\n{len(sections)} variants × {args.seeds} seeds in {time.time() - start:.0f} s.\n"
    with open(os.path.join(ROOT, "notebooks-data", "rlsim-findings.md"), "w") as f:
        f.write("# RLSim findings checks and ablations (written by experiments/rlsim/run_findings.py)\n\n")
        f.write("\n".join(sections) + footer)
    print(footer)


if __name__ == "__main__":
    main()
