#!/usr/bin/env python3
"""Writes the TensorBoard event-file fixtures of `isoplan import tensorboard` with real writers.

Run from the repository root (the Swift tests read the committed output and need no Python):

    python3 -m venv .venv-fixtures
    .venv-fixtures/bin/pip install tensorboardX==2.6.5 tensorboard==2.21.0
    .venv-fixtures/bin/python Tests/IngestTests/Fixtures/make_tensorboard_fixtures.py

Output, in Tests/IngestTests/Fixtures/tensorboard/ (and copies of the runs the workflow and CLI
tests read in Tests/IsoplanTestSupport/Fixtures/tensorboard/):

- verl-grpo/: a log directory of two event files (a run resumed at step 11), verl's tag names
  (verl/utils/tracking.py logs every metric with `SummaryWriter.add_scalar(key, value, step)`).
  Most scalars are `simple_value`s; some are scalar tensors as torch writes them with
  `add_scalar(..., new_style=True[, double_precision=True])` (DT_FLOAT or DT_DOUBLE, no shape), as
  TensorBoard's `tensorboard.plugins.scalar.summary_v2.scalar_pb` writes them (DT_FLOAT, shape
  []), and as `tensorboard.util.tensor_util.make_tensor_proto` encodes DT_INT64, DT_INT32 and
  DT_HALF scalars; a histogram, a text summary and a 3-element tensor stand for the values an
  importer skips.
- openrlhf-ppo.tfevents: one event file with OpenRLHF's tag names (openrlhf/utils/logging_utils.py
  `TensorboardLogger`: `train/<key>` per status key, `eval/<key>` per eval metric, the sample as
  text), all `simple_value`s.

verl and OpenRLHF log through torch.utils.tensorboard, whose `add_scalar` keeps a tag as it is;
tensorboardX's `add_scalar` would rewrite characters such as `@` (`mean@1` → `mean_1`). So the
scalar summaries are built as torch/utils/tensorboard/summary.py `scalar` builds them and written
with tensorboardX's event writer (`SummaryWriter.file_writer.add_summary`: the TFRecord framing,
CRCs and `Event` wrapping are tensorboardX's); histograms and text use tensorboardX's own
`add_histogram` and `add_text`.
- openrlhf-ppo-truncated.tfevents: the same bytes cut in the middle of the last record's data.
- openrlhf-ppo-corrupt.tfevents: the same bytes with one byte of one record's data flipped.
- expected.json: every scalar written (tag, step, wall time, value as decoded: float32 values for
  `simple_value` and DT_FLOAT, float16 for DT_HALF), the skipped-value counts, and the byte offsets
  of the truncated and corrupted records.

Wall times are given explicitly (a fixed start, a step every 61.25 s, the tags of a step a few
milliseconds apart) so that a rerun writes the same scalars; each file's first record (the
`file_version` event the writer adds) carries the time the script ran.
"""
import json
import os
import shutil
import struct
import sys

import numpy as np
import tensorboard
import tensorboardX
from tensorboard.plugins.scalar import summary_v2
from tensorboard.util import tensor_util
from tensorboardX import SummaryWriter
from tensorboardX.proto import event_pb2
from tensorboardX.proto import summary_pb2 as tbx_summary
from tensorboardX.proto.tensor_pb2 import TensorProto

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tensorboard")
SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "IsoplanTestSupport", "Fixtures",
                      "tensorboard")
START = 1764763200.0  # 2025-12-03T12:00:00Z
STEP_SECONDS = 61.25


class Recorder:
    """A tensorboardX SummaryWriter that also records what a reader must get back."""

    def __init__(self, logdir, suffix):
        self.writer = SummaryWriter(logdir=logdir, filename_suffix=suffix, flush_secs=1)
        self.expected = []
        self.skipped = 0

    def wall(self, step, index):
        return START + step * STEP_SECONDS + index * 0.004375

    def write(self, summary, step, index):
        """Writes a Summary (of tensorboard's or tensorboardX's proto classes) as one event."""
        converted = tbx_summary.Summary.FromString(summary.SerializeToString())
        self.writer.file_writer.add_summary(converted, global_step=step, walltime=self.wall(step, index))

    def simple(self, tag, step, value, index):
        """torch's `add_scalar(tag, value, step)`: `Summary.Value(tag=name, simple_value=scalar)`."""
        self.write(tbx_summary.Summary(value=[tbx_summary.Summary.Value(tag=tag, simple_value=value)]), step, index)
        self.expected.append({"tag": tag, "step": step, "wall_time": self.wall(step, index),
                              "value": float(np.float32(value)), "encoding": "simple_value"})

    def tensor(self, tag, step, value, encoding, index):
        """A scalar tensor: torch's new style (`torch:DT_FLOAT`, `torch:DT_DOUBLE`), TensorBoard's
        `scalar_pb` (`tensorboard:DT_FLOAT`) or `make_tensor_proto` of a NumPy scalar (`numpy:…`)."""
        writer, dtype = encoding.split(":")
        if writer == "torch":
            field = {"DT_FLOAT": "float_val", "DT_DOUBLE": "double_val"}[dtype]
            proto = TensorProto(dtype=dtype, **{field: [value]})
            metadata = tbx_summary.SummaryMetadata(
                plugin_data=tbx_summary.SummaryMetadata.PluginData(plugin_name="scalars"))
            summary = tbx_summary.Summary(value=[tbx_summary.Summary.Value(tag=tag, tensor=proto, metadata=metadata)])
            decoded = float(np.float32(value)) if dtype == "DT_FLOAT" else float(value)
        elif writer == "tensorboard":
            summary = summary_v2.scalar_pb(tag, value)  # what tf.summary.scalar writes
            decoded = float(np.float32(value))
        else:
            numpy_type = {"DT_DOUBLE": np.float64, "DT_INT64": np.int64, "DT_INT32": np.int32,
                          "DT_HALF": np.float16}[dtype]
            array = np.array(value, dtype=numpy_type)
            summary = tensorboard.compat.proto.summary_pb2.Summary()
            summary.value.add(tag=tag, tensor=tensor_util.make_tensor_proto(array),
                              metadata=summary_v2.metadata.create_summary_metadata(None, None))
            decoded = float(array)
        self.write(summary, step, index)
        self.expected.append({"tag": tag, "step": step, "wall_time": self.wall(step, index), "value": decoded,
                              "encoding": encoding})

    def vector(self, tag, step, values, index):
        """A 3-element tensor (not a scalar: skipped by the reader)."""
        summary = tensorboard.compat.proto.summary_pb2.Summary()
        summary.value.add(tag=tag, tensor=tensor_util.make_tensor_proto(np.array(values, dtype=np.float32)))
        self.write(summary, step, index)
        self.skipped += 1

    def histogram(self, tag, step, index):
        values = np.linspace(-1.0, 1.0, 64) * (1.0 + step / 20.0)
        self.writer.add_histogram(tag, values, global_step=step, walltime=self.wall(step, index))
        self.skipped += 1

    def text(self, tag, step, text, index):
        self.writer.add_text(tag, text, global_step=step, walltime=self.wall(step, index))
        self.skipped += 1

    def close(self):
        self.writer.close()


def verl_step(recorder, step):
    """One verl GRPO step's metrics (verl/trainer/ppo/metric_utils.py names), known values."""
    x = step / 20.0
    recorder.simple("critic/score/mean", step, 0.20 + 0.55 * x, 0)
    recorder.simple("critic/rewards/mean", step, 0.19 + 0.55 * x, 1)
    recorder.simple("critic/advantages/mean", step, 0.001 * (step % 3 - 1), 2)
    recorder.simple("response_length/mean", step, 180.5 + 7.25 * step, 3)
    recorder.simple("response_length/clip_ratio", step, 0.01 * (step % 4), 4)
    recorder.simple("actor/entropy", step, 0.61 - 0.0125 * step, 5)
    recorder.simple("actor/pg_loss", step, -0.003 + 0.0007 * (step % 5), 6)
    recorder.simple("timing_s/gen", step, 41.5 + 0.375 * step, 7)
    recorder.tensor("timing_s/step", step, 58.0 + 0.5 * step + 1e-9, "torch:DT_DOUBLE", 8)
    recorder.tensor("perf/throughput", step, 1525.0 + 12.5 * step, "tensorboard:DT_FLOAT", 9)
    recorder.tensor("perf/total_num_tokens", step, 1048576 + 4096 * step, "numpy:DT_INT64", 10)
    recorder.tensor("perf/max_memory_allocated_gb", step, 38.5 + 0.25 * (step % 2), "numpy:DT_HALF", 11)
    recorder.tensor("training/global_step", step, step, "numpy:DT_INT32", 12)
    if step % 5 == 0:
        recorder.simple("val-core/openai/gsm8k/reward/mean@1", step, 0.25 + 0.5 * x, 13)
        recorder.tensor("val-aux/openai/gsm8k/reward/std@1", step, 0.41 - 0.05 * x, "torch:DT_FLOAT", 14)
        recorder.histogram("actor/log_probs", step, 15)
    if step % 10 == 0:
        recorder.vector("val-aux/openai/gsm8k/reward/per_sample", step, [0.0, 1.0, 1.0], 16)


def openrlhf_step(recorder, step):
    """One OpenRLHF PPO step: the trainer's status dict under `train/`, evaluation under `eval/`
    (openrlhf/trainer/ppo_trainer.py `train_step`, `_compute_rollout_stats`, `compute_eval_metrics`;
    openrlhf/trainer/ray/ppo_actor.py `ppo_train`)."""
    x = step / 16.0
    train = [
        ("policy_loss", 0.0125 - 0.0005 * step), ("reward", 0.31 + 0.4 * x), ("return", 0.30 + 0.4 * x),
        ("response_length", 250.0 + 5.5 * step), ("total_length", 410.0 + 5.5 * step), ("kl", 0.0004 * step),
        ("actor_lr", 5e-7 * min(1.0, step / 4.0)), ("actor_grad_norm", 0.85 - 0.02 * step),
        ("timing/make_experience", 12.25 + 0.125 * step), ("timing/ppo_train", 30.5 + 0.25 * step),
        ("timing/broadcast", 1.75), ("rollout/reward_mean", 0.305 + 0.4 * x),
        ("rollout/reward_std", 0.45 - 0.1 * x), ("rollout/response_length_mean", 249.0 + 5.5 * step),
        ("rollout/truncated_rate", 0.02 * (step % 3)), ("rollout/num_samples", 1024.0),
        ("timing/generation", 80.0 + step), ("timing/step_total", 124.5 + 1.375 * step),
    ]
    for index, (key, value) in enumerate(train):
        recorder.simple(f"train/{key}", step, value, index)
    recorder.text("train/generated_samples", step, f"Sample:\\nstep {step}\\n\\nReward: {0.5:.4f}", len(train))
    if step % 4 == 0:
        evaluation = [
            ("eval_gsm8k_pass8", 0.55 + 0.3 * x), ("eval_gsm8k_pass1", 0.33 + 0.35 * x),
            ("eval_gsm8k_response_length_mean", 260.0 + 4.0 * step), ("eval_gsm8k_truncated_rate", 0.0125),
            ("eval_response_length_mean", 260.0 + 4.0 * step), ("eval_truncated_rate", 0.0125),
            ("eval_num_samples", 1319.0),
        ]
        for index, (key, value) in enumerate(evaluation):
            recorder.simple(f"eval/{key}", step, value, len(train) + 1 + index)


def only_event_file(directory):
    files = sorted(f for f in os.listdir(directory) if "tfevents" in f)
    assert len(files) == 1, files
    return os.path.join(directory, files[0])


def records(data):
    """(offset, length) of each record in TFRecord bytes."""
    out, offset = [], 0
    while offset < len(data):
        (length,) = struct.unpack_from("<Q", data, offset)
        out.append((offset, length))
        offset += 12 + length + 4
    assert offset == len(data)
    return out


def write_verl(scratch):
    expected, skipped, names = [], 0, []
    for part, steps in enumerate([range(0, 11), range(11, 21)]):
        logdir = os.path.join(scratch, f"verl-{part}")
        recorder = Recorder(logdir, suffix=f".{part}")
        for step in steps:
            verl_step(recorder, step)
        recorder.close()
        # Deterministic names in the form TensorBoard lists (`events.out.tfevents.<time>.<host>`),
        # in the order the parts were written.
        name = f"events.out.tfevents.{int(START) + part * 700}.fixture-host.{part}"
        shutil.copyfile(only_event_file(logdir), os.path.join(ROOT, "verl-grpo", name))
        names.append(name)
        expected += recorder.expected
        skipped += recorder.skipped
    return {"files": names, "scalars": expected, "skipped": skipped}


def write_openrlhf(scratch):
    logdir = os.path.join(scratch, "openrlhf")
    recorder = Recorder(logdir, suffix="")
    for step in range(1, 17):
        openrlhf_step(recorder, step)
    recorder.close()
    data = open(only_event_file(logdir), "rb").read()
    with open(os.path.join(ROOT, "openrlhf-ppo.tfevents"), "wb") as out:
        out.write(data)
    framing = records(data)
    # Truncated: the last record cut in the middle of its data (a writer still writing).
    last_offset, last_length = framing[-1]
    cut = last_offset + 12 + last_length // 2
    with open(os.path.join(ROOT, "openrlhf-ppo-truncated.tfevents"), "wb") as out:
        out.write(data[:cut])
    # Corrupt: one data byte of the 40th record flipped (its data CRC no longer matches).
    bad_offset, bad_length = framing[40]
    flipped = bytearray(data)
    flipped[bad_offset + 12 + bad_length // 2] ^= 0x20
    with open(os.path.join(ROOT, "openrlhf-ppo-corrupt.tfevents"), "wb") as out:
        out.write(bytes(flipped))
    # The scalars of the cut record are the ones a reader of the truncated file cannot have.
    cut_event = event_pb2.Event.FromString(data[last_offset + 12:last_offset + 12 + last_length])
    lost = [{"tag": v.tag, "step": cut_event.step} for v in cut_event.summary.value]
    return {
        "scalars": recorder.expected, "skipped": recorder.skipped, "records": len(framing),
        "truncated": {"bytes": cut, "incomplete_record_offset": last_offset, "lost": lost},
        "corrupt": {"record_offset": bad_offset, "record_index": 40},
    }


def compact_json(value, indent=""):
    """JSON with one scalar record per line (small and diffable)."""
    inner = indent + " "
    if isinstance(value, dict) and not all(isinstance(v, (str, int, float)) for v in value.values()):
        items = [f"{inner}{json.dumps(k)}: {compact_json(v, inner)}" for k, v in sorted(value.items())]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "[\n" + ",\n".join(inner + json.dumps(v, sort_keys=True) for v in value) + "\n" + indent + "]"
    return json.dumps(value, sort_keys=True)


def main():
    scratch = os.path.join(ROOT, ".scratch")
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(os.path.join(ROOT, "verl-grpo"))
    verl = write_verl(scratch)
    openrlhf = write_openrlhf(scratch)
    shutil.rmtree(scratch)
    expected = {
        "generator": f"tensorboardX {tensorboardX.__version__}, tensorboard {tensorboard.__version__}, "
                     f"numpy {np.__version__}, Python {sys.version.split()[0]}",
        "verl-grpo": verl, "openrlhf-ppo": openrlhf,
    }
    with open(os.path.join(ROOT, "expected.json"), "w") as out:
        out.write(compact_json(expected) + "\n")
    shutil.rmtree(SHARED, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "verl-grpo"), os.path.join(SHARED, "verl-grpo"))
    shutil.copyfile(os.path.join(ROOT, "openrlhf-ppo.tfevents"), os.path.join(SHARED, "openrlhf-ppo.tfevents"))
    print(f"wrote {ROOT} ({len(verl['scalars'])} + {len(openrlhf['scalars'])} scalars)")


if __name__ == "__main__":
    main()
