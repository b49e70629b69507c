#!/usr/bin/env python3
"""Executor load: an RTV of 10,000+ judge calls at concurrency 64 against an instant loopback server.

Usage: run_load.py [--tasks 1000] [--concurrency 64] [--faults 0.05] [--binary PATH] [--out FILE]
       run_load.py --urlsession REQUESTS

Runs `isoplan tts rtv` twice (no faults, then --faults of the requests failing with 429, 500, a
malformed body or a dropped connection) over generated rollouts
(8 per task, G = 2, V = 4). While it runs, samples the process's resident memory (VmRSS, VmHWM)
and the calls committed to its store, and records both when 1k, 5k, 10k, 20k and 30k judge calls are
committed, and the slope of anonymous memory over calls. Prints a Markdown table (and writes it
to --out).

`--urlsession N` measures Foundation's URLSession alone over N requests in the same way
(urlsession_growth.swift; notebooks-data/urlsession-growth.json).
"""
import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVER = os.path.join(ROOT, "Tests", "Scripts", "scripted_openai_server.py")
MILESTONES = (1_000, 5_000, 10_000, 20_000, 30_000)


def write_rollouts(path, tasks, rollouts, seed=7):
    """Generated rollouts: a transcript of about 3 kB and a small patch each."""
    rng = random.Random(seed)
    with open(path, "w") as out:
        for t in range(tasks):
            for r in range(rollouts):
                steps = "\n".join(f"step {s}: ran pytest -k case_{rng.randint(0, 99)}; {rng.choice(['ok', 'FAILED'])}"
                                  for s in range(60))
                out.write(json.dumps({
                    "task_id": f"load-task-{t:04d}", "rollout_id": f"r{r}",
                    "transcript": f"Task: make test_{t} pass.\n{steps}",
                    "final_patch": f"diff --git a/m{t}.py b/m{t}.py\n+fix = {r}\n",
                }) + "\n")


def status(pid):
    """Resident memory of `pid` in MB: VmRSS, VmHWM and VmRSS's anonymous part (heap and stacks,
    not mapped files such as the store's WAL index); None when it has exited."""
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return tuple(int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM", "RssAnon"))
    except (OSError, KeyError, ValueError):
        return None


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")


def judge_calls(db):
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            rows = connection.execute("SELECT purpose, COUNT(*) FROM llmCall GROUP BY purpose").fetchall()
    except sqlite3.Error:
        return {}
    return dict(rows)


def start_server(work, faults):
    """The scripted loopback server (instant answers; `faults` of the requests failing): (process, port)."""
    labels = os.path.join(work, "labels.json")
    with open(labels, "w") as f:
        f.write("{}")
    server_args = ["python3", SERVER, "--port", "0", "--seed", "5", "--labels", labels, "--judge-accuracy", "0.7",
                   "--max-seconds", "7200", "--max-requests", "10000000"]
    if faults:
        server_args += ["--fault-rate", str(faults), "--fault-kinds", "429,500,malformed,drop", "--retry-after", "0.2"]
    server = subprocess.Popen(server_args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return server, int(server.stdout.readline().split()[1])


def urlsession_growth(requests):
    """Compiles and runs urlsession_growth.swift (URLSession alone, 64 requests in flight) against
    the server; returns its anonymous memory per 5,000 requests and the least-squares slope."""
    with tempfile.TemporaryDirectory(prefix="isoplan-urlsession-") as work:
        binary = os.path.join(work, "urlsession-growth")
        subprocess.run(["swiftc", "-O", os.path.join(os.path.dirname(__file__), "urlsession_growth.swift"),
                        "-o", binary], check=True)
        server, port = start_server(work, 0.0)
        try:
            output = subprocess.run([binary, str(port), str(requests)], check=True, stdout=subprocess.PIPE,
                                    text=True).stdout
        finally:
            server.stdin.close()
            server.wait()
    points = [tuple(int(v) for v in line.split()) for line in output.splitlines()]
    return {"requests": requests, "anon_mb": {n: round(kb / 1024, 1) for n, kb in points},
            "anon_bytes_per_request": slope([(n, kb * 1024) for n, kb in points])}


def run(binary, tasks, concurrency, faults, work):
    rollouts = os.path.join(work, "rollouts.jsonl")
    write_rollouts(rollouts, tasks, 8)
    server, port = start_server(work, faults)
    db = os.path.join(work, "load.sqlite")
    command = [binary, "tts", "rtv", "--rollouts-file", rollouts, "--endpoint", f"http://127.0.0.1:{port}/v1",
               "--model", "load", "--concurrency", str(concurrency), "--tasks-at-once", str(concurrency),
               "-G", "2", "-V", "4", "--max-attempts", "8", "--db", db, "--label", "load",
               "--predictions", os.path.join(work, "predictions.jsonl"),
               "--decisions", os.path.join(work, "decisions.jsonl"), "--json"]
    started = time.time()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    memory = {}
    peak = (0, 0)
    timeline = []
    while process.poll() is None:
        time.sleep(0.25)
        sample = status(process.pid)
        if sample is None:
            break
        peak = (max(peak[0], sample[0]), max(peak[1], sample[1]))
        judges = sum(n for purpose, n in judge_calls(db).items() if purpose != "summary")
        timeline.append((round(time.time() - started, 2), judges, round(sample[0], 1), round(sample[2], 1)))
        for milestone in MILESTONES:
            if judges >= milestone and milestone not in memory:
                memory[milestone] = {"rss_mb": round(sample[0], 1), "hwm_mb": round(sample[1], 1),
                                     "anon_mb": round(sample[2], 1), "seconds": round(time.time() - started, 1)}
        try:
            isoplan_cpu = cpu_seconds(process.pid)
        except OSError:
            pass
    exit_code, usage = None, None
    if process.returncode is None:
        _, wait_status, usage = os.wait4(process.pid, 0)
        exit_code = os.waitstatus_to_exitcode(wait_status)
        process.returncode = exit_code
    exit_code = process.returncode
    wall = time.time() - started
    stderr = process.stderr.read()
    server_cpu = cpu_seconds(server.pid)
    server.stdin.close()
    server.wait()
    calls = judge_calls(db)
    total = sum(calls.values())
    judges = total - calls.get("summary", 0)
    size = os.path.getsize(db) + sum(os.path.getsize(db + s) for s in ("-wal", "-shm") if os.path.exists(db + s))
    return {
        "faults": faults, "tasks": tasks, "concurrency": concurrency, "exit": exit_code,
        "error": stderr.strip().splitlines()[-1] if exit_code else "",
        "calls": total, "judge_calls": judges, "by_purpose": calls, "wall_seconds": round(wall, 1),
        "calls_per_second": round(total / wall, 1),
        "isoplan_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1) if usage else round(isoplan_cpu, 1),
        "server_cpu_seconds": round(server_cpu, 1),
        # The process's own high-water mark (VmHWM, reset at exec), sampled: wait4's ru_maxrss can
        # count the forked copy of this Python process before the exec.
        "peak_rss_mb": round(peak[1], 1), "memory": memory,
        "store_bytes_per_call": round(size / max(total, 1)),
        "anon_bytes_per_call": anonymous_growth_per_call(timeline, judges / max(total, 1)),
        "timeline": timeline,
    }


def anonymous_growth_per_call(timeline, judge_share):
    """The slope of anonymous memory over calls (bytes per call), from 1k judge calls until the
    last call is committed (the samples after it are the outputs being written)."""
    last = max((judges for _, judges, _, _ in timeline), default=0)
    return slope([(judges / judge_share, anon * 1024 * 1024)
                  for _, judges, _, anon in timeline if 1_000 <= judges < last])


def slope(points):
    """The least-squares slope of y over x, rounded; None with fewer than three points."""
    if len(points) < 3:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return round(sum((x - mean_x) * (y - mean_y) for x, y in points) / spread) if spread else None


def rss_ratio(row):
    """Resident memory at 10k judge calls over that at 1k (the issue's goal: within 10%)."""
    first, tenth = (row["memory"].get(m, {}).get("rss_mb") for m in (1_000, 10_000))
    return f"{tenth / first:.3f}" if first and tenth else "–"


def table(rows):
    lines = ["| faults | tasks | calls (judge) | wall s | calls/s | isoplan CPU s | server CPU s | RSS at 1k / 5k / 10k / 20k / 30k judge calls (MB) | of which anonymous (MB) | RSS 10k / 1k (goal ≤ 1.10) | anonymous growth B/call | peak RSS MB | store bytes/call |",
             "|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|"]
    for r in rows:
        rss, anon = (" / ".join(str(r["memory"].get(m, {}).get(key, "–")) for m in MILESTONES)
                     for key in ("rss_mb", "anon_mb"))
        lines.append(f"| {r['faults']:.0%} | {r['tasks']} | {r['calls']:,} ({r['judge_calls']:,}) | {r['wall_seconds']} | "
                     f"{r['calls_per_second']} | {r['isoplan_cpu_seconds']} | {r['server_cpu_seconds']} | {rss} | {anon} | "
                     f"{rss_ratio(r)} | {r['anon_bytes_per_call']} | "
                     f"{r['peak_rss_mb']} | {r['store_bytes_per_call']:,} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--faults", type=float, default=0.05)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "isoplan"))
    parser.add_argument("--out", default=os.path.join(ROOT, "notebooks-data", "executor-load.md"))
    parser.add_argument("--urlsession", type=int, metavar="REQUESTS",
                        help="only measure URLSession's own memory growth over REQUESTS requests")
    args = parser.parse_args()
    if args.urlsession:
        result = urlsession_growth(args.urlsession)
        with open(os.path.join(ROOT, "notebooks-data", "urlsession-growth.json"), "w") as out:
            json.dump(result, out, indent=1)
        print(json.dumps(result))
        return 0
    rows = []
    for faults in (0.0, args.faults):
        with tempfile.TemporaryDirectory(prefix="isoplan-load-") as work:
            row = run(args.binary, args.tasks, args.concurrency, faults, work)
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "timeline"}), flush=True)
    text = (f"Executor load, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, `{os.path.relpath(args.binary, ROOT)}`\n\n"
            f"{table(rows)}\n")
    with open(args.out, "w") as out:
        out.write(text)
    with open(os.path.splitext(args.out)[0] + ".json", "w") as out:
        json.dump(rows, out, indent=1)
    print(text)
    return 0 if all(r["exit"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
