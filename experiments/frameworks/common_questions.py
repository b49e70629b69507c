#!/usr/bin/env python3
"""Regenerates the "Common questions" section of docs/FRAMEWORKS.md from the commands' own output.

Every number in that section is printed by `isoplan` here, into a fresh store holding the verl
pilot fixture (GRPO, n = 5, B_p = 1024, 8 GPUs; provenance in
Tests/IsoplanTestSupport/Fixtures/README.md). Run from the project root after a build:

    python3 experiments/frameworks/common_questions.py [path/to/isoplan]

(`make frameworks-questions` builds the release binary and runs it.)
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(ROOT, "docs", "FRAMEWORKS.md")
PILOT = "Tests/IsoplanTestSupport/Fixtures/verl-data_qwen2-7b-fsdp2_grpo_gsm8k_excerpt.log"
COUNTS = "Tests/PlannerTests/Fixtures/tbench_core011_task_success.csv"
BEGIN, END = "<!-- common-questions:begin -->", "<!-- common-questions:end -->"


def run(isoplan, db, args, keep=None):
    """`isoplan args… --db db`'s stdout (the lines matching `keep`, when given), as a console block."""
    out = subprocess.run([isoplan, *args, "--db", db], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    lines = out.rstrip("\n").split("\n")
    if keep:
        lines = [line for line in lines if re.search(keep, line)]
    return "```console\n$ isoplan " + " ".join(args) + "\n" + "\n".join(lines) + "\n```\n"


def section(isoplan, db):
    pilot = ["--throughput-from", "pilot", "--gpus", "8"]
    cost_lines = r"^(n \(|B_p|M \(|batch B)|seconds per step|rollouts  |wall clock|GPU-hours|epochs|dollars|budget  "
    return "\n".join([
        "**What does a GPU-hour budget buy?** A step of B = B_p·n rollouts on G GPUs takes",
        "t = B·(g·T_r + u·(T_p + T_r))/G + o seconds, with g, u and o fitted to the pilot's logged",
        "`timing_s/*` (docs/TRAINING_PLANNER.md, rule 8). The plan is the largest rollout budget whose",
        "G·M·t stays within the GPU-hours; the arithmetic is printed with it:",
        "",
        run(isoplan, db, ["plan", "train", "--budget", "2000", "--unit", "gpu-hours", *pilot, "--problems", "7473",
                          "--usd-per-gpu-hour", "2.5"], keep=cost_lines),
        "**Does doubling `rollout.n` double the cost?** Per step, almost: generation and update grow",
        "with the tokens of the batch, B_p·n·T; only the per-step overhead o does not. Per plan, no:",
        "at a fixed rollout budget doubling n halves M, so the GPU-hours stay nearly the same (a little",
        "less: half as many overheads) — what changes is how the budget is spent. The cost sees only",
        "B = B_p·n, so doubling B_p is the same arithmetic; two fixed-batch plans of the same 1e7",
        "rollouts, B = 8,192 and 16,384 (here the law keeps n and B_p doubles):",
        "",
        run(isoplan, db, ["plan", "train", "--budget", "1e7", "--batch", "8192", *pilot], keep=cost_lines),
        run(isoplan, db, ["plan", "train", "--budget", "1e7", "--batch", "16384", *pilot], keep=cost_lines),
        "**How do verl's `train_batch_size`, `ppo_mini_batch_size`, micro batches and `rollout.n`",
        "relate?** `train_batch_size` counts prompts (B_p); verl multiplies it by `rollout.n` into",
        "B_p·n samples, which must split over the GPUs; `ppo_mini_batch_size` also counts prompts, and",
        "= B_p makes one optimizer step per batch (on-policy); the micro batch counts samples per GPU",
        "and must divide each GPU's share. On 24 GPUs a B_p·n = 16,384 batch does not split, and the",
        "export says what it moved and what that costs:",
        "",
        run(isoplan, db, ["plan", "train", "--budget", "1e7", "--problems", "7473", "--export", "verl", "--gpus",
                          "24"]),
        "**Why must TRL's global batch divide by `num_generations`, and what does a per-device batch",
        "count?** `per_device_train_batch_size` counts completions, not prompts; the generation batch",
        "`per_device_train_batch_size × num_processes × steps_per_generation` must hold whole groups of",
        "`num_generations` completions, so it is B_p·n exactly:",
        "",
        run(isoplan, db, ["plan", "train", "--budget", "2e6", "--problems", "7473", "--export", "trl", "--gpus",
                          "6", "--micro-batch", "8"]),
        "**How do steps map to epochs?** Epochs are passes over the D train prompts: ⌈M·B_p/D⌉ (printed",
        "with a cost, as `epochs` above); verl and TRL drop the last incomplete batch of each epoch, so",
        "their exports count ⌈M/⌊D/B_p⌋⌉ whole dataloader epochs, and without D the export sets no",
        "epoch count at all — never the step count. OpenRLHF has no step limit: episodes and",
        "`max_samples` are chosen so that the run stops at (or just short of) M steps:",
        "",
        run(isoplan, db, ["plan", "train", "--budget", "1e7", "--problems", "7473", "--export", "openrlhf"]),
        "**What fraction of groups will have zero advantage?** E[pⁿ + (1 − p)ⁿ] over the problems'",
        "pass rates (docs/TRAINING_PLANNER.md, rule 9). At a single pass rate 0.18 (a near-degenerate",
        "Beta) about 45%, 20% and 4% of groups at n = 4, 8 and 16, and the over-sampling a",
        "dynamic-sampling recipe needs to keep B_p informative groups:",
        "",
        run(isoplan, db, ["plan", "train", "--budget", "1e6", "--pass-at-1", "0.18", "--concentration", "1e6"],
            keep=r"^(zero-advantage groups over|n  |[0-9]+ )"),
        "Over a real task set the spread of pass rates matters more than their mean: the bundled",
        "Terminal-Bench counts (strongly U-shaped: many tasks never or always solved) keep far more",
        "groups uninformative than their mean pass rate alone would, even at large n:",
        "",
        run(isoplan, db, ["plan", "train", "--budget", "1e6", "--solve-rates", COUNTS],
            keep=r"^(zero-advantage groups over|n  |[0-9]+ )"),
    ])


def main():
    isoplan = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/isoplan")
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "questions.sqlite")
        subprocess.run([isoplan, "import", "verl", PILOT, "--n", "5", "--bp", "1024", "--name", "pilot", "--db", db],
                       cwd=ROOT, capture_output=True, check=True)
        body = section(isoplan, db)
    doc = open(DOC).read()
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    open(DOC, "w").write(doc[:start] + "\n" + body + doc[end:])
    print(f"wrote the common questions into {DOC}")


if __name__ == "__main__":
    main()
