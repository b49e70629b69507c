#!/usr/bin/env python3
"""TRL's own GRPOConfig on IsoPlan's TRL exports (docs/FRAMEWORKS.md, "Checks").

Creates a project-local venv (experiments/frameworks/.venv, gitignored), installs TRL into it
with pip (from PyPI; it brings torch), runs `isoplan plan train ... --export trl --json` for 26
cluster shapes, builds TRL's GRPOConfig from each exported settings object as on the exported
number of processes, and writes the outcome per case to notebooks-data/trl-config-check.md.

GRPOConfig reads the process count from `self.world_size` (1 in a plain CPU process); the check
subclasses GRPOConfig with `world_size` returning the case's GPU count, so that TRL's own
`__post_init__` computes the generation batch for G processes. `use_cpu=True` because this
machine has no GPU (TRL's default bf16 is refused on CPU otherwise). As a control, the plan's
own (n, B_p) with the accumulation rounded down is built too, to show what TRL says to an
unadjusted setting.

Usage: python3 experiments/frameworks/check_trl_config.py [--isoplan PATH] [--out FILE] [--no-install]
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / "experiments" / "frameworks" / ".venv"
PYTHON = VENV / "bin" / "python"
# What installing TRL took, kept beside the venv for later runs' reports.
INSTALL_RECORD = VENV / "isoplan-install-record.json"

# The test table's cluster shapes (Tests/PlannerTests/FrameworkCases.swift): B_p, GPUs, micro
# batch, nodes and D, each with a budget; n is the published law's at that budget (the CLI plans
# n itself), so the rows' n differ from the test table's.
CASES = [
    dict(budget=2e6, bp=32, gpus=8, micro=4),
    dict(budget=1e5, bp=32, gpus=24, micro=4),
    dict(budget=1e6, bp=32, gpus=16, micro=4),
    dict(budget=3e5, bp=20, gpus=16, micro=4),
    dict(budget=1e5, bp=10, gpus=8, micro=4),
    dict(budget=3e5, bp=32, gpus=6, micro=4),
    dict(budget=1e5, bp=3, gpus=4, micro=1),
    dict(budget=1e6, bp=32, gpus=64, micro=8, nodes=8),
    dict(budget=1e7, bp=32, gpus=3, micro=4),
    dict(budget=1e5, bp=32, gpus=24, micro=4, problems=40),
    dict(budget=1e6, bp=32, gpus=8, micro=4, problems=1000),
    dict(budget=3e5, bp=16, gpus=32, micro=4, problems=16),
    dict(budget=1e5, bp=8, gpus=64, micro=1, problems=8),
    dict(budget=3e5, bp=32, gpus=8, micro=3),
    dict(budget=1e6, bp=32, gpus=8, micro=16),
    dict(budget=1e5, bp=4, gpus=8, micro=16),
    dict(budget=1e7, bp=16, gpus=8, micro=4),
    dict(budget=3e5, bp=100, gpus=7, micro=2),
    dict(budget=2e6, bp=64, gpus=128, micro=4, nodes=16),
    dict(budget=1e5, bp=1, gpus=8, micro=4),
    dict(budget=2e6, bp=32, gpus=24, micro=4, nodes=3),
    dict(budget=1e6, bp=48, gpus=12, micro=4, nodes=2, problems=500),
    dict(budget=1e6, bp=32, gpus=8, micro=4, problems=100),
    dict(budget=3e5, bp=30, gpus=16, micro=8, problems=30),
    dict(budget=2e6, bp=32, gpus=1, micro=1),
    dict(budget=1e6, bp=32, gpus=24, micro=4, difficulty="hard"),
]

# Runs inside the venv: reads [{case, settings, plan}] on stdin, prints one result per case.
INNER = r'''
import json, sys, tempfile, warnings
warnings.filterwarnings("ignore")
import torch, transformers, trl
from trl import GRPOConfig

def on(gpus):
    class Config(GRPOConfig):
        @property
        def world_size(self):
            return gpus
    return Config

def build(gpus, values, directory):
    try:
        c = on(gpus)(output_dir=directory, use_cpu=True, report_to="none", **values)
        return {"ok": True, "generation_batch_size": c.generation_batch_size,
                "steps_per_generation": c.steps_per_generation, "world_size": c.world_size}
    except Exception as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}

rows = json.load(sys.stdin)
out = []
with tempfile.TemporaryDirectory() as directory:
    for row in rows:
        gpus, values, plan = row["gpus"], row["settings"], row["plan"]
        result = build(gpus, values, directory)
        n, bp = plan["rolloutsPerProblem"], plan["problemsPerBatch"]
        micro = values["per_device_train_batch_size"]
        accumulation = (n * bp) // (micro * gpus)
        control = dict(values, num_generations=n, gradient_accumulation_steps=accumulation,
                       steps_per_generation=accumulation)
        result["control"] = build(gpus, control, directory) if accumulation >= 1 else {
            "ok": False, "error": "B_p·n < per-device × processes: no whole accumulation step"}
        result["control"]["accumulation"] = accumulation
        out.append(result)
print(json.dumps({"versions": {"trl": trl.__version__, "transformers": transformers.__version__,
                               "torch": torch.__version__}, "results": out}))
'''


def run(command, timeout=None):
    """Runs a command; returns (exit status, seconds, last output line)."""
    start = time.time()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        lines = (done.stdout + done.stderr).strip().splitlines()
        return done.returncode, time.time() - start, lines[-1] if lines else ""
    except subprocess.TimeoutExpired:
        return -1, time.time() - start, f"timed out after {timeout} s"


def install():
    """The venv with TRL, and what installing it took (one line per step)."""
    record = []
    if PYTHON.exists() and run([str(PYTHON), "-c", "import trl"])[0] == 0:
        earlier = json.loads(INSTALL_RECORD.read_text()) if INSTALL_RECORD.exists() else []
        return True, ["TRL was already installed in experiments/frameworks/.venv"] + [
            f"its install: {line}" for line in earlier]
    if not PYTHON.exists():
        status, seconds, last = run([sys.executable, "-m", "venv", str(VENV)])
        record.append(f"`python3 -m venv`: exit {status} ({seconds:.0f} s) {last}")
        if status != 0:
            return False, record
    status, seconds, last = run([str(PYTHON), "-m", "pip", "install", "--upgrade", "pip"], timeout=600)
    record.append(f"`pip install --upgrade pip`: exit {status} ({seconds:.0f} s)")
    status, seconds, last = run([str(PYTHON), "-m", "pip", "install", "trl"], timeout=3600)
    size = subprocess.run(["du", "-sh", str(VENV)], capture_output=True, text=True).stdout.split("\t")[0]
    record.append(f"`pip install trl`: exit {status} ({seconds:.0f} s; venv {size}) — {last[:300]}")
    INSTALL_RECORD.write_text(json.dumps(record))
    return status == 0, record


def export(isoplan, case, db):
    """The plan and its TRL export as JSON, from the CLI."""
    args = [isoplan, "plan", "train", "--budget", str(case["budget"]), "--bp", str(case["bp"]),
            "--difficulty", case.get("difficulty", "easy"), "--db", db]
    if "problems" in case:
        args += ["--problems", str(case["problems"])]
    plan = json.loads(subprocess.run(args + ["--json"], capture_output=True, text=True, check=True).stdout)
    cluster = ["--gpus", str(case["gpus"]), "--nodes", str(case.get("nodes", 1)), "--micro-batch", str(case["micro"])]
    done = subprocess.run(args + ["--export", "trl", "--json"] + cluster, capture_output=True, text=True, check=True)
    return plan, json.loads(done.stdout)


def checks(exported, result):
    """Our expectations of TRL's computed config: the generation batch is B_p'·n' of the export."""
    setting = exported["setting"]
    wanted = setting["problemsPerBatch"] * setting["rolloutsPerProblem"]
    if not result["ok"]:
        return "GRPOConfig refused"
    good = (result["generation_batch_size"] == wanted
            and result["steps_per_generation"] == exported["settings"]["gradient_accumulation_steps"]
            and result["generation_batch_size"] // exported["settings"]["num_generations"] == setting["problemsPerBatch"])
    return "pass" if good else f"generation batch {result['generation_batch_size']} ≠ B_p·n {wanted}"


def markdown(rows, record, versions, installed):
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    lines = [
        "# TRL's GRPOConfig on IsoPlan's TRL exports",
        "",
        f"Written by `experiments/frameworks/check_trl_config.py` (`make frameworks-check`) on {date}, "
        f"IsoPlan at `{commit}`. See docs/FRAMEWORKS.md.",
        "",
        "## Installing TRL",
        "",
        *[f"- {line}" for line in record],
        "- PyTorch's own CPU wheel index is not reachable from this machine (its name does not resolve; "
        "tried by hand with `pip download --index-url …`), so torch comes from PyPI with its CUDA "
        "libraries (unused here: no GPU).",
    ]
    if not installed:
        lines += ["", "TRL could not be installed, so no GRPOConfig was built."]
        return "\n".join(lines) + "\n"
    passed = sum(row["check"] == "pass" for row in rows)
    moved = sum(bool(row["exported"]["adjustments"]) for row in rows)
    lines += [
        f"- versions: trl {versions['trl']}, transformers {versions['transformers']}, torch {versions['torch']}",
        "",
        "## Result",
        "",
        f"{passed} of {len(rows)} exports build a GRPOConfig whose generation batch is the exported B_p·n, "
        f"with steps_per_generation = gradient_accumulation_steps and B_p prompts per generation "
        f"({moved} of them adjusted by the export). Each config is built as on G processes "
        "(`world_size` = G) with `use_cpu=True`. The control column builds the plan's own (n, B_p) with "
        "the accumulation rounded down, ⌊B_p·n/(m·G)⌋: what TRL says to the setting before adjustment.",
        "",
        "| # | budget | GPUs/nodes | m | D | plan n, B_p | export n, B_p, m | GRPOConfig generation batch | check | control (plan as is) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for index, row in enumerate(rows, 1):
        case, plan, exported, result = row["case"], row["plan"], row["exported"], row["result"]
        setting = exported["setting"]
        control = result["control"]
        control_text = (f"accepted, generation batch {control['generation_batch_size']}"
                        + ("" if control["generation_batch_size"] == plan["rolloutsPerProblem"] * plan["problemsPerBatch"]
                           else f" ≠ B_p·n {plan['rolloutsPerProblem'] * plan['problemsPerBatch']}")
                        if control["ok"] else control["error"].replace("|", "\\|"))
        generation = result.get("generation_batch_size", result.get("error", ""))
        lines.append(
            f"| {index} | {case['budget']:.0e} | {case['gpus']}/{case.get('nodes', 1)} | {case['micro']} | "
            f"{case.get('problems', '-')} | {plan['rolloutsPerProblem']}, {plan['problemsPerBatch']} | "
            f"{setting['rolloutsPerProblem']}, {setting['problemsPerBatch']}, {setting['microBatch']} | "
            f"{generation} | {row['check']} | {control_text} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--isoplan", default=str(ROOT / ".build" / "debug" / "isoplan"))
    parser.add_argument("--out", default=str(ROOT / "notebooks-data" / "trl-config-check.md"))
    parser.add_argument("--no-install", action="store_true", help="use the venv as it is")
    options = parser.parse_args()
    installed, record = (PYTHON.exists(), ["--no-install: the venv as it was"]) if options.no_install else install()
    rows, versions = [], {}
    if installed:
        with tempfile.TemporaryDirectory() as directory:
            db = os.path.join(directory, "plans.sqlite")
            for case in CASES:
                plan, exported = export(options.isoplan, case, db)
                rows.append({"case": case, "plan": plan, "exported": exported})
        payload = [{"gpus": row["case"]["gpus"], "settings": row["exported"]["settings"], "plan": row["plan"]}
                   for row in rows]
        done = subprocess.run([str(PYTHON), "-c", INNER], input=json.dumps(payload), capture_output=True, text=True)
        if done.returncode != 0:
            installed = False
            record.append(f"TRL did not import: {done.stderr.strip().splitlines()[-1:]}")
        else:
            answer = json.loads(done.stdout)
            versions = answer["versions"]
            for row, result in zip(rows, answer["results"]):
                row["result"] = result
                row["check"] = checks(row["exported"], result)
    Path(options.out).write_text(markdown(rows, record, versions, installed))
    failed = [i for i, row in enumerate(rows, 1) if row.get("check") != "pass"]
    print(f"wrote {options.out}: {len(rows) - len(failed)} of {len(rows)} pass" if installed
          else f"wrote {options.out}: TRL not installed")
    return 1 if failed or not installed else 0


if __name__ == "__main__":
    sys.exit(main())
