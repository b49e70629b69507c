#!/usr/bin/env python3
"""Engine ray vs local on the same machine: one sweep, three rounds each, interleaved.

Run inside a loopback Ray cluster, from the project root:

    swift build -c release --product isoplan
    bash Tests/Ray/cluster.sh python3 experiments/ray-overhead/run_overhead.py [--budget 1.5e9] [--seeds 3]

Prints the medians, the overhead ratio (ray / local wall time) and the measured overhead per shard
in core-seconds: (T_ray - T_local) x cores / shards, where T_local is the in-process sweep using
every core. With that number a user predicts the wall time on N nodes of c cores:
T_N ~ (T_local x cores + shards x overhead) / (N x c). Results go to docs/PERFORMANCE.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def sweep(binary, db, budget, seeds, validation, engine):
    arguments = [binary, "simulate", "sweep", "--db", db, "--preset", "isocompute-q1-easy",
                 "--seeds", str(seeds), "--budget", budget, "--validation-problems", str(validation),
                 "--json"] + engine
    start = time.perf_counter()
    done = subprocess.run(arguments, capture_output=True, text=True,
                          env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"sweep failed ({' '.join(engine) or 'local'}): {done.stderr.strip()}")
    result = json.loads(done.stdout)
    return elapsed, len(result["runs"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--budget", default="1.5e9")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/isoplan"))
    options = parser.parse_args()
    address = os.environ.get("ISOPLAN_TEST_RAY_ADDRESS")
    if not address:
        sys.exit("run under Tests/Ray/cluster.sh (it starts the loopback cluster)")
    cores = os.cpu_count()
    times = {"local": [], "ray": []}
    shards = 0
    with tempfile.TemporaryDirectory() as scratch:
        for round_index in range(options.rounds):
            for engine in ("local", "ray"):
                db = os.path.join(scratch, f"{engine}-{round_index}.sqlite")
                flags = [] if engine == "local" else ["--engine", "ray", "--ray-address", address]
                # A new request per round (300, 301, 302 validation problems: the same work within
                # 1%) so no ray round re-attaches to an earlier round's job and reads its results.
                validation = 300 + round_index
                elapsed, runs = sweep(options.binary, db, options.budget, options.seeds, validation, flags)
                shards = runs
                times[engine].append(elapsed)
                print(f"round {round_index + 1} {engine:5s} {elapsed:7.2f} s  ({runs} runs)", flush=True)
    local, ray = statistics.median(times["local"]), statistics.median(times["ray"])
    overhead = (ray - local) * cores / shards
    print(json.dumps({
        "cores": cores, "shards": shards, "budget": options.budget, "seeds": options.seeds,
        "local_seconds": times["local"], "ray_seconds": times["ray"],
        "median_local": round(local, 2), "median_ray": round(ray, 2),
        "ratio_ray_over_local": round(ray / local, 3),
        "overhead_core_seconds_per_shard": round(overhead, 3),
    }, indent=1))


if __name__ == "__main__":
    main()
