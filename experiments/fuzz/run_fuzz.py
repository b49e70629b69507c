#!/usr/bin/env python3
"""Fuzzes every IsoPlan parser with libFuzzer and merges what it finds into the committed corpora.

Usage: run_fuzz.py [TARGET ...] [--max-seconds 600] [--plateau-seconds 180] [--jobs 2] [--no-build]
                   [--scaling | --replay]
See README.md; results go to notebooks-data/fuzz-results.md (and .json).
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(FUZZ))
BINARY = os.path.join(FUZZ, ".build", "debug", "parser-fuzz")
CORPUS = os.path.join(ROOT, "Tests", "ParserCorpusTests", "Corpus")
WORK = os.path.join(FUZZ, ".work")

INGEST = "Tests/IngestTests/Fixtures/"
SHARED = "Tests/IsoplanTestSupport/Fixtures/"
# The real sample files each target starts from (globs from the project root), besides seeds/<target>/.
FIXTURES = {
    "verl-log": [INGEST + "*.log", INGEST + "*verl*.jsonl", SHARED + "verl-*.log"],
    "verl-config": [INGEST + "*.log", SHARED + "verl-*.log"],
    "trl-trainer-state": [INGEST + "*trainer_state.json", SHARED + "*trainer_state.json"],
    "trl-config": [],
    "metric-csv": [INGEST + "*.csv", SHARED + "*.csv"],
    "manifest": [],
    "solve-rates": [INGEST + "*results.json", INGEST + "*report.json", SHARED + "tbench*.csv",
                    "Tests/AgenticTests/Fixtures/*report.json"],
    "mini-swe-agent-preds": [INGEST + "*preds.json", INGEST + "mini-swe-agent-*.json"],
    "mini-swe-agent-trajectory": [INGEST + "*.traj.json", "Tests/AgenticTests/Fixtures/**/*.traj.json"],
    "rollouts-jsonl": [],
    "tasks": [],
    "labels": [],
    "simulation-parameters": ["Sources/RLSim/Resources/parameters.json"],
    "tensorboard": [SHARED + "tensorboard/**/events.out.tfevents.*", INGEST + "tensorboard/**/*tfevents*"],
    "run-filter": [],
    "agent-command": [],
    "chat-completion": [],
    "judge-choice": [],
}

PROGRESS = re.compile(r"^#(\d+)\s+(\w+)\s+cov: (\d+) ft: (\d+) corp: (\d+)")


def seeds_directory(target):
    """A fresh folder with the target's hand-written seeds and sample files."""
    folder = os.path.join(WORK, target, "seeds")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    hand = os.path.join(FUZZ, "seeds", target)
    paths = glob.glob(os.path.join(hand, "*"))
    for pattern in FIXTURES[target]:
        paths += glob.glob(os.path.join(ROOT, pattern), recursive=True)
    for index, path in enumerate(sorted(set(paths))):
        if os.path.isfile(path):
            shutil.copy(path, os.path.join(folder, f"seed-{index}"))
    return folder


def fuzz(target, max_seconds, plateau_seconds):
    """Fuzzes one target; returns its row of the results table."""
    base = os.path.join(WORK, target)
    corpus = os.path.join(base, "corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    for old in glob.glob(os.path.join(base, "crash-*")) + glob.glob(os.path.join(base, "timeout-*")) + \
            glob.glob(os.path.join(base, "oom-*")):
        os.remove(old)
    os.makedirs(corpus)
    committed = os.path.join(CORPUS, target)
    os.makedirs(committed, exist_ok=True)
    seeds = seeds_directory(target)
    # No Swift backtracer on a trap: libFuzzer reports it, and the backtracer holds the pipe open.
    env = dict(os.environ, ISOPLAN_FUZZ_TARGET=target, OPENBLAS_NUM_THREADS="1", SWIFT_BACKTRACE="enable=no")
    command = [BINARY, corpus, committed, seeds, f"-max_total_time={max_seconds}", "-timeout=10",
               "-rss_limit_mb=2048", "-max_len=65536", "-detect_leaks=0", "-print_final_stats=1",
               f"-artifact_prefix={base}/"]
    started = time.time()
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                               errors="replace")
    state = {"cov": 0, "ft": 0, "grown": started, "stopped": None}
    log_lines = []

    def watch():
        while process.poll() is None:
            time.sleep(2)
            if time.time() - state["grown"] > plateau_seconds and process.poll() is None:
                state["stopped"] = "plateau"
                process.send_signal(signal.SIGINT)
                return

    threading.Thread(target=watch, daemon=True).start()
    for line in process.stderr:
        log_lines.append(line)
        match = PROGRESS.match(line)
        if match:
            cov, ft = int(match.group(3)), int(match.group(4))
            if cov > state["cov"]:
                state["grown"] = time.time()
            state["cov"], state["ft"] = max(state["cov"], cov), max(state["ft"], ft)
    process.wait()
    seconds = time.time() - started
    with open(os.path.join(base, "fuzz.log"), "w") as log:
        log.writelines(log_lines)
    stats = {key: int(value) for key, value in re.findall(r"stat::(\w+):\s+(\d+)", "".join(log_lines))}
    artifacts = sorted(glob.glob(os.path.join(base, "crash-*")) + glob.glob(os.path.join(base, "timeout-*"))
                       + glob.glob(os.path.join(base, "oom-*")))
    reason = "finding" if artifacts else (state["stopped"] or "time")
    if not artifacts:
        merge(target, env, [committed, corpus, seeds])
    return {
        "target": target, "seconds": round(seconds), "executions": stats.get("number_of_executed_units", 0),
        "exec_per_second": stats.get("average_exec_per_sec", 0), "coverage": state["cov"],
        "slowest_unit_seconds": stats.get("slowest_unit_time_sec", 0),
        "features": state["ft"], "corpus": len(os.listdir(committed)), "stop": reason,
        "findings": [os.path.relpath(path, ROOT) for path in artifacts],
        "finding_text": finding_text(log_lines) if artifacts else "",
    }


def finding_text(lines):
    """The first lines that say what went wrong."""
    keep = [line.rstrip() for line in lines if "Fatal error" in line or "ERROR:" in line or "SUMMARY" in line
            or "violation" in line or "refusal" in line]
    return " | ".join(keep[:4])


def merge(target, env, directories):
    """Replaces the committed corpus by the smallest set of inputs with the same coverage, keeping
    the inputs of past findings (`regression-…`) under their names."""
    merged = os.path.join(WORK, target, "merged")
    shutil.rmtree(merged, ignore_errors=True)
    os.makedirs(merged)
    subprocess.run([BINARY, "-merge=1", "-max_len=65536", "-timeout=10", "-detect_leaks=0", merged] + directories,
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    committed = os.path.join(CORPUS, target)
    for regression in glob.glob(os.path.join(committed, "regression-*")):
        shutil.copy(regression, merged)
    shutil.rmtree(committed)
    shutil.move(merged, committed)


def scaling(targets, sizes=(1 << 20, 8 << 20)):
    """Times each target on its largest sample grown to each size (the first line kept once, the
    rest repeated, so line formats stay valid) and returns rows; a ratio far above the size ratio
    is a super-linear parser."""
    rows = []
    for target in targets:
        seeds = [p for p in glob.glob(os.path.join(seeds_directory(target), "*")) if os.path.getsize(p) > 0]
        if not seeds:
            continue
        sample = open(max(seeds, key=os.path.getsize), "rb").read()
        head, _, body = sample.partition(b"\n")
        body = body or head
        env = dict(os.environ, ISOPLAN_FUZZ_TARGET=target, SWIFT_BACKTRACE="enable=no")
        times = []
        for size in sizes:
            path = os.path.join(WORK, target, f"scaled-{size}")
            with open(path, "wb") as out:
                out.write(head + b"\n" + body * max(1, (size - len(head)) // len(body)))
            started = time.time()
            result = subprocess.run([BINARY, "-timeout=600", "-rss_limit_mb=8192", "-detect_leaks=0", path],
                                    env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.time() - started if result.returncode == 0 else float("nan"))
            os.remove(path)
        rows.append({"target": target, "seconds": [round(t, 2) for t in times],
                     "ratio": round(times[-1] / times[0], 1) if times[0] > 0 else None})
        print(f"{target}: {times[0]:.2f} s at 1 MB, {times[-1]:.2f} s at 8 MB", flush=True)
    return rows


def slowest_committed_input(target):
    """Runs every committed input of a target once (ASan build) and returns the slowest's whole seconds
    (libFuzzer's resolution). Leak checks are off here as in fuzzing (see README.md)."""
    env = dict(os.environ, ISOPLAN_FUZZ_TARGET=target, OPENBLAS_NUM_THREADS="1", SWIFT_BACKTRACE="enable=no",
               ASAN_OPTIONS="detect_leaks=0")
    result = subprocess.run([BINARY, "-runs=0", "-max_len=65536", "-timeout=10", "-detect_leaks=0",
                             "-print_final_stats=1", os.path.join(CORPUS, target)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, errors="replace")
    if result.returncode != 0:
        sys.exit(f"{target}: a committed input fails:\n{finding_text(result.stderr.splitlines())}")
    found = re.search(r"stat::slowest_unit_time_sec:\s+(\d+)", result.stderr)
    return int(found.group(1)) if found else 0


def replay(targets):
    """Fills the slowest-input column of the recorded results by replaying the committed corpora."""
    results = os.path.join(ROOT, "notebooks-data", "fuzz-results.json")
    with open(results) as recorded:
        document = json.load(recorded)
    for row in document["rows"]:
        if row["target"] in targets:
            row["slowest_unit_seconds"] = slowest_committed_input(row["target"])
            print(f"{row['target']}: slowest committed input {row['slowest_unit_seconds']} s", flush=True)
    return document


def write_results(document, heading):
    """Writes the results as JSON and as the Markdown table docs/RELIABILITY.md quotes."""
    results = os.path.join(ROOT, "notebooks-data", "fuzz-results")
    with open(results + ".json", "w") as out:
        json.dump(document, out, indent=1)
    with open(results + ".md", "w") as out:
        out.write(f"{heading}\n\n{table(document['rows'])}\n")
    print(table(document["rows"]))


def slowest(row):
    """The slowest-input cell: whole seconds, "< 1" for 0, "—" when not replayed."""
    seconds = row.get("slowest_unit_seconds")
    return "—" if seconds is None else ("< 1" if seconds == 0 else str(seconds))


def table(rows):
    lines = ["| target | seconds | executions | exec/s | edges covered | features | slowest input s | corpus files | stopped at | findings |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for row in rows:
        found = "; ".join(row["findings"]) or "none"
        lines.append(f"| `{row['target']}` | {row['seconds']} | {row['executions']:,} | {row['exec_per_second']:,} | "
                     f"{row['coverage']:,} | {row['features']:,} | {slowest(row)} | {row['corpus']} | {row['stop']} | {found} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", help="targets to fuzz (default: all)")
    parser.add_argument("--max-seconds", type=int, default=600)
    parser.add_argument("--plateau-seconds", type=int, default=180)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--scaling", action="store_true", help="only time each target at 1 MB and 8 MB")
    parser.add_argument("--replay", action="store_true",
                        help="only replay the committed corpora and record each target's slowest input")
    args = parser.parse_args()
    targets = args.targets or list(FIXTURES)
    unknown = [t for t in targets if t not in FIXTURES]
    if unknown:
        sys.exit(f"unknown targets: {', '.join(unknown)} (known: {', '.join(FIXTURES)})")
    if not args.no_build:
        # SwiftPM caches a path dependency's file list in build.db: a source file added to the
        # root package would be missed.
        if os.path.exists(os.path.join(FUZZ, ".build", "build.db")):
            os.remove(os.path.join(FUZZ, ".build", "build.db"))
        subprocess.run(["swift", "build", "--sanitize", "fuzzer", "--sanitize", "address"], cwd=FUZZ, check=True)
    os.makedirs(WORK, exist_ok=True)
    if args.scaling:
        rows = scaling(targets)
        with open(os.path.join(ROOT, "notebooks-data", "fuzz-scaling.json"), "w") as out:
            json.dump(rows, out, indent=1)
        return 0
    if args.replay:
        document = replay(targets)
        with open(os.path.join(ROOT, "notebooks-data", "fuzz-results.md")) as recorded:
            heading = recorded.readline().rstrip()
        write_results(document, heading)
        return 0
    rows = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(fuzz, t, args.max_seconds, args.plateau_seconds): t for t in targets}
        for future in concurrent.futures.as_completed(futures):
            row = future.result()
            rows.append(row)
            print(f"{row['target']}: {row['stop']} after {row['seconds']} s, {row['executions']:,} executions, "
                  f"{row['coverage']} edges, {row['corpus']} corpus files {row['finding_text']}", flush=True)
    rows.sort(key=lambda r: targets.index(r["target"]))
    write_results({"date": time.strftime("%Y-%m-%d"), "rows": rows},
                  f"Fuzzing on {time.strftime('%Y-%m-%d')} ({os.cpu_count()} cores, {args.jobs} jobs): "
                  f"max {args.max_seconds} s, plateau {args.plateau_seconds} s")
    return 1 if any(row["findings"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
