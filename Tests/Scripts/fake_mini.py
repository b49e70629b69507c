#!/usr/bin/env python3
"""A stand-in for mini-SWE-agent's `mini` program in the adapter's tests (stdlib only).

Takes mini's command line as `isoplan agent mini-swe-agent` builds it:
    fake_mini.py -c BASE -c RUN.yaml --agent-class default --environment-class local \
        --exit-immediately --yolo -o TRAJECTORY
RUN.yaml is the adapter's JSON run config (run.task, environment.cwd, environment.env, model).
It writes a mini-swe-agent-1.1 trajectory to TRAJECTORY whose user message is the task text, and
  FAKE_MINI_FIX="FILE|OLD|NEW"  replaces OLD by NEW in FILE of the working copy first;
  FAKE_MINI_LOG=PATH            appends one JSON line: argv, the working directory, the value of
                                OPENAI_API_KEY and the names of the environment's variables;
  FAKE_MINI_EXIT=N              exits N at once, writing nothing (a crashed mini).
"""

import json
import os
import sys


def main(argv):
    if os.environ.get("FAKE_MINI_EXIT"):
        print("fake_mini: crashing as asked", file=sys.stderr)
        return int(os.environ["FAKE_MINI_EXIT"])
    specs = [argv[i + 1] for i, a in enumerate(argv) if a == "-c"]
    output = argv[argv.index("-o") + 1]
    with open(specs[-1], encoding="utf-8") as f:
        run = json.load(f)
    cwd = run["environment"]["cwd"]
    task = run["run"]["task"]
    log = os.environ.get("FAKE_MINI_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(json.dumps({"argv": argv, "cwd": os.getcwd(), "openai_api_key": os.environ.get("OPENAI_API_KEY"),
                                "variables": sorted(os.environ)}) + "\n")
    observation = "<returncode>0</returncode>\n<output>\n</output>"
    fix = os.environ.get("FAKE_MINI_FIX")
    if fix:
        name, old, new = fix.split("|")
        path = os.path.join(cwd, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new))
    messages = [
        {"role": "system", "content": "You are a software engineering agent (fake)."},
        {"role": "user", "content": task},
        {"role": "assistant", "content": "THOUGHT: fix it.\n\n```bash\nsed -i 's/x/y/' file\n```",
         "extra": {"actions": [{"command": "sed -i 's/x/y/' file"}]}},
        {"role": "user", "content": observation},
        {"role": "exit", "content": "", "extra": {"exit_status": "Submitted", "submission": ""}},
    ]
    os.makedirs(os.path.dirname(output), exist_ok=True)
    with open(output, "w", encoding="utf-8") as f:
        json.dump({"info": {"exit_status": "Submitted", "submission": "", "mini_version": "fake"},
                   "messages": messages, "trajectory_format": "mini-swe-agent-1.1"}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
