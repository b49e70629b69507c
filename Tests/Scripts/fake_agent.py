#!/usr/bin/env python3
"""Fake coding agent for IsoPlan PDR tests (Python 3.11, standard library only).

CLI (invoked with an argv, no shell):

    python3 fake_agent.py [--format generic|mini] [--sleep S] [--fail-exit-rate R] \
        [--] TASK_ID TASK_FILE PRIORS_FILE OUT_DIR

Inputs
  TASK_FILE    JSON {"task_id": "...", "problem_statement": "...",
               "metadata": {"solve_rate": p, ...}}    (solve_rate defaults to 0.5)
  PRIORS_FILE  JSON {"task_id": "...", "iteration": i,
               "priors": [{"rollout_id": "...", "summary": "..."}]}   (list may be empty)
  OUT_DIR      existing directory; nothing is created outside it.
  The TASK_ID from argv is authoritative (the task file's task_id is not used).
  Use "--" before TASK_ID if it starts with "-".

Outputs in OUT_DIR (all JSON, written atomically via a temp file + rename)
  argv.json    always, first: sys.argv[1:] as a JSON list.
  --format generic (default):
    rollout.json  {"task_id", "rollout_id": basename(OUT_DIR), "messages": [...],
                   "final_patch": "diff --git a/x.py b/x.py ...", "resolved": bool}
  --format mini (mini-SWE-agent run layout):
    preds.json    {TASK_ID: {"model_name_or_path": "fake-agent",
                   "instance_id": TASK_ID, "model_patch": PATCH}}
    <SAFE>/<SAFE>.traj.json   {"info": {"exit_status": "Submitted", "submission": PATCH,
                   "model_stats": {"instance_cost": 0.0, "api_calls": 3},
                   "mini_version": "fake"}, "messages": [...],
                   "trajectory_format": "mini-swe-agent-1", "instance_id": TASK_ID}
                   where SAFE = TASK_ID with every character outside [A-Za-z0-9._-]
                   replaced by "_" (and "", ".", ".." mapped to underscores).
    resolved.json {"resolved": bool}

Behaviour
  resolved = u(TASK_ID, basename(OUT_DIR), "resolved") < solve_rate, where u is
  SHA-256 of the JSON array mapped to [0, 1): deterministic per rollout.  The
  patch differs between resolved/unresolved rollouts and mentions how many
  priors were read.  Some command outputs contain a Python traceback
  (u(..., "traceback") < 0.5).
  --sleep S            sleep S seconds after writing argv.json, before the rest.
  FAKE_AGENT_LOG       (environment) append one JSON line per invocation to this file.
  --fail-exit-rate R   if u(TASK_ID, basename(OUT_DIR), "exit") < R: write only
                       argv.json, print a message on stderr, exit 3.
  On success prints one line "wrote <path>" (rollout.json, or the .traj.json
  for mini) and exits 0.  Bad inputs: message on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import time


def uniform(*parts: object) -> float:
    """Uniform in [0, 1) from SHA-256 of the JSON array of parts."""
    key = json.dumps([str(p) for p in parts], ensure_ascii=False)
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") / 2.0**64


def safe_name(task_id: str) -> str:
    """Path-safe single component for a task id (mini-SWE-agent style)."""
    s = re.sub(r"[^A-Za-z0-9._-]", "_", task_id)
    if s in ("", ".", ".."):
        s = "_" * max(1, len(s))
    return s


def write_json(path: str, obj: object) -> None:
    """Atomic JSON write (temp file in the same directory, then rename)."""
    d = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=d)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def make_patch(resolved: bool, n_priors: int) -> str:
    if resolved:
        body = ("-    return a - b\n"
                "+    # fix: add instead of subtract\n"
                "+    return a + b\n")
    else:
        body = ("-    return a - b\n"
                "+    # attempted fix (incomplete)\n"
                "+    return abs(a - b)\n")
    return ("diff --git a/x.py b/x.py\n"
            "index 1111111..2222222 100644\n"
            "--- a/x.py\n"
            "+++ b/x.py\n"
            "@@ -1,3 +1,4 @@\n"
            f"+# fake-agent: read {n_priors} prior summaries\n"
            " def combine(a, b):\n"
            + body)


def command_output(with_traceback: bool) -> str:
    out = "$ python -m pytest tests/test_x.py -q\n"
    if with_traceback:
        out += ("F\n"
                "Traceback (most recent call last):\n"
                '  File "tests/test_x.py", line 4, in test_combine\n'
                "    assert combine(2, 3) == 5\n"
                "AssertionError: something went wrong (combine(2, 3) returned -1)\n"
                "1 failed in 0.01s\n")
    else:
        out += "F\n1 failed in 0.01s: expected 5, got -1\n"
    return out


def test_output(resolved: bool) -> str:
    if resolved:
        return "$ python -m pytest tests/test_x.py -q\n.\n1 passed in 0.01s\n"
    return ("$ python -m pytest tests/test_x.py -q\nF\n"
            "Traceback (most recent call last):\n"
            '  File "tests/test_x.py", line 6, in test_combine_negative\n'
            "ValueError: something unexpected for negative inputs\n"
            "1 failed in 0.01s\n")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="Fake agent for IsoPlan PDR tests.", allow_abbrev=False)
    ap.add_argument("--format", choices=("generic", "mini"), default="generic")
    ap.add_argument("--sleep", type=float, default=0.0)
    ap.add_argument("--fail-exit-rate", type=float, default=0.0)
    ap.add_argument("task_id")
    ap.add_argument("task_file")
    ap.add_argument("priors_file")
    ap.add_argument("out_dir")
    args = ap.parse_args(argv)

    out_dir = args.out_dir
    if not os.path.isdir(out_dir):
        print(f"fake_agent: OUT_DIR does not exist: {out_dir}", file=sys.stderr)
        return 2
    write_json(os.path.join(out_dir, "argv.json"), list(argv))
    # Tests that count runs per rollout (a committed rollout must never run again) set this.
    invocation_log = os.environ.get("FAKE_AGENT_LOG")
    if invocation_log:
        with open(invocation_log, "a", encoding="utf-8") as log:
            log.write(json.dumps({"task_id": args.task_id, "out_dir": os.path.abspath(out_dir)}) + "\n")

    task_id = args.task_id
    rollout_id = os.path.basename(os.path.normpath(os.path.abspath(out_dir)))
    try:
        with open(args.task_file, "r", encoding="utf-8") as f:
            task = json.load(f)
        with open(args.priors_file, "r", encoding="utf-8") as f:
            priors_doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"fake_agent: cannot read inputs: {e}", file=sys.stderr)
        return 2
    problem = str(task.get("problem_statement", ""))
    meta = task.get("metadata") or {}
    solve_rate = float(meta.get("solve_rate", 0.5)) if isinstance(meta, dict) else 0.5
    priors = (priors_doc.get("priors") or []) if isinstance(priors_doc, dict) else []
    iteration = priors_doc.get("iteration", 0) if isinstance(priors_doc, dict) else 0
    n_priors = len(priors)

    if args.sleep > 0:
        time.sleep(args.sleep)

    if uniform(task_id, rollout_id, "exit") < args.fail_exit_rate:
        print(f"fake_agent: simulated crash for rollout {rollout_id}", file=sys.stderr)
        return 3

    resolved = uniform(task_id, rollout_id, "resolved") < solve_rate
    with_tb = uniform(task_id, rollout_id, "traceback") < 0.5
    patch = make_patch(resolved, n_priors)

    if args.format == "generic":
        messages = [
            {"role": "system", "content": "You are a careful software engineering agent."},
            {"role": "user", "content": problem},
            {"role": "assistant", "content":
                f"I read {n_priors} prior summaries (iteration {iteration}). Let me run the tests first."},
            {"role": "user", "content": command_output(with_tb)},
            {"role": "assistant", "content": "combine() subtracts; I will edit x.py."},
            {"role": "user", "content": "File x.py edited."},
            {"role": "assistant", "content": "Running the tests again."},
            {"role": "user", "content": test_output(resolved)},
            {"role": "assistant", "content": "Submitting the patch."},
        ]
        path = os.path.join(out_dir, "rollout.json")
        write_json(path, {"task_id": task_id, "rollout_id": rollout_id, "messages": messages,
                          "final_patch": patch, "resolved": resolved})
    else:
        messages = [
            {"role": "system", "content": "You are a helpful assistant that can interact with a computer."},
            {"role": "user", "content": "<pr_description>\n" + problem + "\n</pr_description>"},
            {"role": "assistant", "content":
                f"THOUGHT: I read {n_priors} prior summaries. Run the tests.\n\n"
                "```bash\npython -m pytest tests/test_x.py -q\n```"},
            {"role": "user", "content": "<returncode>1</returncode>\n<output>\n"
                + command_output(with_tb) + "</output>"},
            {"role": "assistant", "content":
                "THOUGHT: Fix combine().\n\n```bash\nsed -i 's/a - b/a + b/' x.py\n```"},
            {"role": "user", "content": "<returncode>0</returncode>\n<output>\n</output>"},
            {"role": "assistant", "content":
                "THOUGHT: Submit.\n\n```bash\necho COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git add -A && git diff --cached\n```"},
            {"role": "user", "content": patch},
        ]
        safe = safe_name(task_id)
        write_json(os.path.join(out_dir, "preds.json"), {task_id: {
            "model_name_or_path": "fake-agent", "instance_id": task_id, "model_patch": patch}})
        traj_dir = os.path.join(out_dir, safe)
        os.makedirs(traj_dir, exist_ok=True)
        path = os.path.join(traj_dir, safe + ".traj.json")
        write_json(path, {
            "info": {"exit_status": "Submitted", "submission": patch,
                     "model_stats": {"instance_cost": 0.0, "api_calls": 3}, "mini_version": "fake"},
            "messages": messages,
            "trajectory_format": "mini-swe-agent-1",
            "instance_id": task_id,
        })
        write_json(os.path.join(out_dir, "resolved.json"), {"resolved": resolved})

    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
