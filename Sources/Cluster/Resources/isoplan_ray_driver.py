"""IsoPlan's Ray driver: the entrypoint of every job `isoplan ... --engine ray` submits.

It runs in the job's working directory, which holds `job.json` (the command, the shard ids, the
binary's place, per-task resources) and `shards/<id>.json` (one spec file per shard). Each shard
becomes a `ray.remote` task that runs the isoplan binary once:

    <binary> <command...> --spec <spec file> --output <result file>

and returns the result file's bytes. The driver prints one line per event on its standard output,
which is the job's log, where the isoplan process reads them (docs/SCALE_OUT.md):

    ISOPLAN-SHARD {"id": ..., "output": <base64 of zlib>}   a shard finished
    ISOPLAN-SHARD-FAILED {"id": ..., "error": ...}      a shard failed after its retries
    ISOPLAN-ERROR {"kind": "requirement"|"binary", "detail": ...}   the job cannot run here
    ISOPLAN-DONE {"shards": N, "failed": F}

Standard library and `ray` only. Ray retries a task whose worker process or node is lost
(`max_retries`); a shard's own error is not retried (the same spec fails the same way).
"""

import base64
import json
import os
import signal
import subprocess
import sys
import tempfile
import zlib

REQUIREMENT_EXIT = 3
BINARY_EXIT = 4
SHARD_EXIT = 5


def emit(kind, payload):
    """One whole line in one write, so nothing else in the log can land inside it."""
    line = f"ISOPLAN-{kind} {json.dumps(payload, separators=(',', ':'))}\n".encode()
    sys.stdout.flush()
    written = 0
    while written < len(line):
        written += os.write(sys.stdout.fileno(), line[written:])


def die_with_parent():
    """Run in the shard's process before exec: it gets SIGKILL when its worker dies (Linux)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def locate_binary(place):
    """The binary's path on this node: a shared path as given, or the uploaded module's copy."""
    if "path" in place:
        return place["path"]
    import importlib

    module = importlib.import_module(place["module"])
    return os.path.join(os.path.dirname(module.__file__), "isoplan")


def run_binary(place, command, shard_id, spec):
    """Runs one shard: ("ok", bytes), or ("binary" | "shard", one-line reason)."""
    binary = locate_binary(place)
    environment = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    with tempfile.TemporaryDirectory(prefix="isoplan-shard-") as scratch:
        spec_path = os.path.join(scratch, "spec.json")
        output_path = os.path.join(scratch, "output")
        with open(spec_path, "wb") as handle:
            handle.write(spec)
        arguments = [binary, *command, "--spec", spec_path, "--output", output_path]
        try:
            done = subprocess.run(
                arguments, env=environment, capture_output=True, text=True, preexec_fn=die_with_parent
            )
        except OSError as error:
            return ("binary", f"{binary}: {error.strerror or error}")
        if done.returncode != 0:
            lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
            if done.returncode == 127 or "error while loading shared libraries" in done.stderr:
                return ("binary", " | ".join(lines[-2:]) or f"{binary} exited {done.returncode}")
            return ("shard", " | ".join(lines[-3:]) or f"exit status {done.returncode}")
        with open(output_path, "rb") as handle:
            return ("ok", handle.read())


def main():
    with open(sys.argv[1]) as handle:
        job = json.load(handle)
    try:
        import ray
    except ImportError as error:
        emit("ERROR", {"kind": "requirement", "detail": f"the Python package ray ({error}) in {sys.executable}"})
        return REQUIREMENT_EXIT

    # Workers' own output stays out of the driver's log: only the driver's lines are in it.
    ray.init(log_to_driver=False)
    options = {"num_cpus": job["num_cpus"], "max_retries": job["max_retries"]}
    if job.get("resources"):
        options["resources"] = job["resources"]
    remote_run = ray.remote(**options)(run_binary)
    command, place = job["command"], job["binary"]

    pending = {}
    for shard_id in job["shards"]:
        with open(os.path.join("shards", shard_id + ".json"), "rb") as handle:
            spec = handle.read()
        pending[remote_run.remote(place, command, shard_id, spec)] = shard_id

    failed = 0
    while pending:
        ready, _ = ray.wait(list(pending), num_returns=1)
        shard_id = pending.pop(ready[0])
        try:
            kind, value = ray.get(ready[0])
        except Exception as error:  # the task's worker was lost more often than its retries
            kind, value = "shard", f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        if kind == "ok":
            packed = base64.b64encode(zlib.compress(value, 6)).decode("ascii")
            emit("SHARD", {"id": shard_id, "output": packed})
        elif kind == "binary":
            emit("ERROR", {"kind": "binary", "detail": value})
            for ref in pending:
                ray.cancel(ref, force=True)
            return BINARY_EXIT
        else:
            failed += 1
            emit("SHARD-FAILED", {"id": shard_id, "error": value})
    emit("DONE", {"shards": len(job["shards"]), "failed": failed})
    return SHARD_EXIT if failed else 0


if __name__ == "__main__":
    sys.exit(main())
