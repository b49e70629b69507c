#!/usr/bin/env python3
"""Scripted, loopback-only OpenAI-compatible chat-completions server for IsoPlan tests.

Python 3.11, standard library only.  Swift tests start it as a real subprocess.

CLI
---
    python3 scripted_openai_server.py --port 0 --seed S --labels labels.json \
        --judge-accuracy A [--api-key-env NAME] [--unparseable-rate U] \
        [--fault-rate F] [--fault-kinds 429,500,slow,malformed,drop] \
        [--slow-seconds 3] [--latency 0] [--retry-after 1] [--log requests.jsonl] \
        [--max-requests 200000] [--max-seconds 1800]

* Binds 127.0.0.1 only.  ``--port 0`` picks a free port.  Once bound, prints
  exactly ``LISTENING <port>`` on stdout (flushed); nothing else is ever
  written to stdout, and nothing per-request to stderr.
* Stops by itself (exit code 0) after ``--max-requests`` requests, after
  ``--max-seconds`` seconds, when its stdin reaches EOF, or on SIGTERM/SIGINT.
* HTTP/1.1 with keep-alive; every response carries Content-Length.
* ``--latency S`` delays every answer by S seconds (a model's think time);
  the injected faults themselves are immediate.
* ``response_format``: a request whose ``response_format.type`` is listed in
  ``--refuse-response-formats`` (e.g. ``json_schema``) gets 422, as
  llama-cpp-python's server answers OpenAI's json_schema form; an accepted
  one makes a parsable judge answer the bare JSON ``{"choice": k}``.

Endpoints
---------
* ``POST /v1/chat/completions`` (also ``POST /chat/completions``).
* ``GET /v1/models`` (also ``GET /models``): a one-model list.
* Anything else: 404 with an OpenAI-style JSON error.

Auth: with ``--api-key-env NAME`` the expected key is ``$NAME``; any request
(including GET /v1/models) whose ``Authorization`` header is not exactly
``Bearer <key>`` gets 401.  The key and headers are never echoed or logged.

Request: OpenAI chat JSON ``{"model", "messages": [{"role", "content"}], ...}``.
``content`` may be a string or a list of ``{"type": "text", "text": ...}`` parts.
Body that is not a JSON object with a ``messages`` list -> 400.

Client headers:
* ``X-Isoplan-Call-Id``: logical call id; missing -> SHA-256 hex of the body.
* ``X-Isoplan-Purpose``: ``summary`` -> summary call; anything else (``vote``,
  ``tie-break``, ``re-ask``, missing) -> judge call.

Prompt conventions
------------------
* Summary call: the messages contain a line ``Rollout-Ref: <ref>`` (``<ref>``
  is the rest of the line after ``": "``, trailing whitespace trimmed; it may
  contain spaces, slashes and shell metacharacters).  The reply is a
  structured summary: the headings ``Task understanding:``, ``Hypotheses:``,
  ``Approach and decisions:``, ``Changes made:``, ``Verification evidence:``,
  ``Failure modes:``, ``Final state:`` each on its own line, each followed by
  one sentence on the next line, and as the very last line
  ``ROLLOUT-REF: <ref>`` (``ROLLOUT-REF: unknown`` if no ref was found).
* Judge call: the (last) user message containing candidate blocks; each block
  starts with a line ``## Candidate <k>`` (k = 1..G, in order) and contains a
  ``ROLLOUT-REF: <ref>`` line (first one in the block counts).  Candidate k is
  the k-th block.  ``--labels`` maps ref -> true (passes) / false; a block
  without a ref, or a ref missing from the labels, counts as failing.
  Mixed group: with probability A vote uniformly among passing candidates,
  else uniformly among failing ones.  Unmixed: uniform among all.
  Reply: a sentence of reasoning then ``<choice>k</choice>``.  With
  probability U the reply has no valid choice (no tag, ``<choice>none</choice>``,
  ``<choice>0</choice>`` or an out-of-range index).

Matching of the ref tags is exact-case first (``Rollout-Ref: `` for
summaries, ``ROLLOUT-REF: `` for candidates), then case-insensitive; leading
whitespace before the tag is allowed.

Determinism
-----------
Every random decision is ``uniform(seed, *parts)``: SHA-256 of the JSON array
``[seed, *parts]`` mapped to [0, 1).  Answer content depends only on
(seed, call id); faults depend on (seed, call id, arrival index j), where j
counts how many times that call id has arrived (0, 1, 2, ... ; thread-safe).
For arrival j, if ``uniform(seed, c, j, "fault") < F`` one fault is injected,
chosen by ``uniform(seed, c, j, "kind")`` among ``--fault-kinds``:
``429`` (with ``Retry-After``), ``500``, ``slow`` (sleep ``--slow-seconds``,
then answer normally), ``malformed`` (200, truncated JSON), ``drop`` (socket
shut down without any response).

Log (``--log``): one JSON line per request, thread-safe and flushed:
``{"t", "call_id", "purpose", "arrival", "outcome", "choice", "mixed"}``;
outcome is one of ok/429/500/slow/malformed/drop/401/400/422 (also 404 for
unknown paths).  401/400/404/422 requests do not consume an arrival index
(``arrival`` is null for them).  Headers and keys are never logged.
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import json
import os
import re
import signal
import socket
import sys
import threading
import time
from typing import Any

SUMMARY_HEADINGS = [
    ("Task understanding:", "The agent restated the task and located the code path involved."),
    ("Hypotheses:", "It suspected an off-by-one or a missing edge-case check in the core function."),
    ("Approach and decisions:", "It read the relevant module, reproduced the issue, and chose a minimal fix."),
    ("Changes made:", "It edited one source file and left the public interface unchanged."),
    ("Verification evidence:", "It ran the targeted tests and inspected their output."),
    ("Failure modes:", "Possible regressions in untested edge cases remain."),
    ("Final state:", "The agent submitted its patch."),
]

UNPARSEABLE_KINDS = ("no-tag", "none", "zero", "out-of-range")

CHAT_PATHS = ("/v1/chat/completions", "/chat/completions")
MODELS_PATHS = ("/v1/models", "/models")


# --------------------------------------------------------------------------
# Deterministic randomness
# --------------------------------------------------------------------------

def uniform(seed: Any, *parts: Any) -> float:
    """Uniform in [0, 1) from SHA-256 of the JSON array [seed, *parts]."""
    key = json.dumps([str(seed), *[str(p) for p in parts]], ensure_ascii=False)
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def pick(u: float, items: list) -> Any:
    """Choose an element of a non-empty list with a uniform u in [0, 1)."""
    return items[min(int(u * len(items)), len(items) - 1)]


# --------------------------------------------------------------------------
# Prompt parsing
# --------------------------------------------------------------------------

def message_text(content: Any) -> str:
    """Flatten an OpenAI message content (string or list of parts) to text."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        out = []
        for part in content:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                out.append(part["text"])
            elif isinstance(part, str):
                out.append(part)
        return "\n".join(out)
    return str(content)


def find_ref(text: str, tag: str) -> str | None:
    """First ``<tag>: <ref>`` line: exact case first, then case-insensitive."""
    for flags in (0, re.IGNORECASE):
        m = re.search(r"^[ \t]*" + re.escape(tag) + r": (.*)$", text, re.MULTILINE | flags)
        if m:
            ref = m.group(1).rstrip()
            if ref:
                return ref
    return None


CANDIDATE_RE = re.compile(r"^[ \t]*## Candidate[ \t]+(\d+)[ \t]*$", re.MULTILINE)


def parse_candidates(messages: list[dict]) -> list[str | None]:
    """Refs of the ``## Candidate`` blocks, in order (None = no ref line)."""
    texts = [message_text(m.get("content")) for m in messages if m.get("role") == "user"]
    chosen = next((t for t in reversed(texts) if CANDIDATE_RE.search(t)), None)
    if chosen is None:  # fall back to any message at all
        allt = "\n".join(message_text(m.get("content")) for m in messages)
        chosen = allt if CANDIDATE_RE.search(allt) else ""
    heads = list(CANDIDATE_RE.finditer(chosen))
    refs: list[str | None] = []
    for i, h in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(chosen)
        refs.append(find_ref(chosen[h.end():end], "ROLLOUT-REF"))
    return refs


# --------------------------------------------------------------------------
# Scripted answers
# --------------------------------------------------------------------------

class Script:
    """Pure functions of (seed, call id, prompt) -> answer text."""

    def __init__(self, seed: str, labels: dict[str, bool], accuracy: float, unparseable: float):
        self.seed = seed
        self.labels = labels
        self.accuracy = accuracy
        self.unparseable = unparseable

    def summary(self, call_id: str, messages: list[dict]) -> str:
        # User messages first (exact case across all of them, then any case),
        # then every message.
        user_text = "\n".join(message_text(m.get("content")) for m in messages if m.get("role") == "user")
        ref = find_ref(user_text, "Rollout-Ref")
        if ref is None:
            ref = find_ref("\n".join(message_text(m.get("content")) for m in messages), "Rollout-Ref")
        lines = []
        for heading, sentence in SUMMARY_HEADINGS:
            lines.append(heading)
            lines.append(sentence)
        lines.append("ROLLOUT-REF: " + (ref if ref else "unknown"))
        return "\n".join(lines)

    def judge(self, call_id: str, messages: list[dict]) -> tuple[str, int | None, bool | None]:
        """Returns (text, choice or None if unparseable, mixed or None if no candidates)."""
        refs = parse_candidates(messages)
        g = len(refs)
        if g == 0:
            return ("I could not find any candidates to compare.", None, None)
        passing = [k for k, r in enumerate(refs, 1) if r is not None and self.labels.get(r) is True]
        failing = [k for k in range(1, g + 1) if k not in passing]
        mixed = bool(passing) and bool(failing)
        if mixed:
            pool = passing if uniform(self.seed, call_id, "correct") < self.accuracy else failing
        else:
            pool = list(range(1, g + 1))
        choice = pick(uniform(self.seed, call_id, "pick"), pool)

        if uniform(self.seed, call_id, "unparseable") < self.unparseable:
            kind = pick(uniform(self.seed, call_id, "unparseable-kind"), list(UNPARSEABLE_KINDS))
            if kind == "no-tag":
                text = "I think both are fine."
            elif kind == "none":
                text = "Neither candidate is clearly better. <choice>none</choice>"
            elif kind == "zero":
                text = "Hard to tell from these summaries. <choice>0</choice>"
            else:
                bad = g + 1 + int(uniform(self.seed, call_id, "out-of-range") * 8)
                text = f"The evidence is ambiguous. <choice>{bad}</choice>"
            return (text, None, mixed)

        reasons = [
            f"Candidate {choice} shows the most convincing verification evidence.",
            f"Candidate {choice} has a coherent approach and a clean final state.",
            f"Comparing the summaries, candidate {choice} most likely resolved the task.",
        ]
        reason = pick(uniform(self.seed, call_id, "reason"), reasons)
        return (f"{reason} <choice>{choice}</choice>", choice, mixed)


# --------------------------------------------------------------------------
# HTTP server
# --------------------------------------------------------------------------

class State:
    """Shared, thread-safe server state."""

    def __init__(self, args: argparse.Namespace, script: Script, api_key: str | None):
        self.args = args
        self.script = script
        self.api_key = api_key
        self.kinds = [k.strip() for k in args.fault_kinds.split(",") if k.strip()]
        self.refused_formats = {k.strip() for k in args.refuse_response_formats.split(",") if k.strip()}
        self.lock = threading.Lock()
        self.arrivals: dict[str, int] = {}
        self.requests = 0
        self.log_lock = threading.Lock()
        self.log_file = open(args.log, "a", encoding="utf-8") if args.log else None
        self.stop = threading.Event()

    def next_arrival(self, call_id: str) -> int:
        with self.lock:
            j = self.arrivals.get(call_id, 0)
            self.arrivals[call_id] = j + 1
            return j

    def count_request(self) -> bool:
        """Counts one request; True when the request budget is now exhausted."""
        with self.lock:
            self.requests += 1
            return self.requests >= self.args.max_requests

    def log(self, call_id, purpose, arrival, outcome, choice=None, mixed=None) -> None:
        if self.log_file is None:
            return
        rec = {"t": time.time(), "call_id": call_id, "purpose": purpose, "arrival": arrival,
               "outcome": outcome, "choice": choice, "mixed": mixed}
        line = json.dumps(rec, ensure_ascii=False) + "\n"
        with self.log_lock:
            if self.log_file is None:  # closed during shutdown
                return
            try:
                self.log_file.write(line)
                self.log_file.flush()
            except (OSError, ValueError):
                pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 256
    state: State

    def handle_error(self, request, client_address):  # quiet: clients drop sockets on purpose
        pass


def format_seconds(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle and delayed ACKs
    # stall every keep-alive response by ~40 ms.
    disable_nagle_algorithm = True
    server_version = "IsoplanScripted/1.0"
    sys_version = ""

    def log_message(self, format, *args):  # no per-request stderr output
        pass

    # -- helpers -----------------------------------------------------------

    @property
    def state(self) -> State:
        return self.server.state  # type: ignore[attr-defined]

    def send_json(self, status: int, obj: Any, extra_headers: dict[str, str] | None = None) -> None:
        body = json.dumps(obj).encode("utf-8")
        self.send_raw(status, body, extra_headers)

    def send_raw(self, status: int, body: bytes, extra_headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra_headers or {}).items():
                self.send_header(k, v)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def error(self, status: int, message: str, etype: str, code: str | None = None,
              extra_headers: dict[str, str] | None = None) -> None:
        self.send_json(status, {"error": {"message": message, "type": etype, "param": None, "code": code}},
                       extra_headers)

    def read_body(self) -> bytes | None:
        """Request body (Content-Length or chunked); None if unreadable."""
        try:
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                chunks = []
                while True:
                    size_line = self.rfile.readline(65537)
                    if not size_line:
                        return None
                    size = int(size_line.split(b";")[0].strip(), 16)
                    if size == 0:
                        while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                            pass
                        break
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline(65537)
                return b"".join(chunks)
            length = int(self.headers.get("Content-Length") or "0")
            if length < 0:
                return None
            return self.rfile.read(length) if length else b""
        except (ValueError, OSError):
            return None

    def authorized(self) -> bool:
        key = self.state.api_key
        if key is None:
            return True
        return (self.headers.get("Authorization") or "") == "Bearer " + key

    def after_request(self) -> None:
        if self.state.count_request():
            self.state.stop.set()

    # -- verbs -------------------------------------------------------------

    def do_GET(self):
        try:
            path = self.path.split("?", 1)[0]
            if path not in MODELS_PATHS:
                self.state.log(None, None, None, "404")
                self.error(404, "Not found.", "invalid_request_error", "not_found")
            elif not self.authorized():
                self.state.log(None, None, None, "401")
                self.error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
            else:
                self.send_json(200, {"object": "list", "data": [
                    {"id": "scripted-judge", "object": "model", "created": 0, "owned_by": "isoplan-tests"}]})
        finally:
            self.after_request()

    def do_POST(self):
        try:
            self.handle_post()
        finally:
            self.after_request()

    def handle_post(self) -> None:
        st = self.state
        path = self.path.split("?", 1)[0]
        body = self.read_body()
        if body is None:
            self.close_connection = True
            st.log(None, None, None, "400")
            self.error(400, "Could not read the request body.", "invalid_request_error")
            return
        if path not in CHAT_PATHS:
            st.log(None, None, None, "404")
            self.error(404, "Not found.", "invalid_request_error", "not_found")
            return
        call_id = self.headers.get("X-Isoplan-Call-Id") or hashlib.sha256(body).hexdigest()
        purpose = self.headers.get("X-Isoplan-Purpose") or "vote"
        if not self.authorized():
            st.log(call_id, purpose, None, "401")
            self.error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
            return
        try:
            req = json.loads(body.decode("utf-8"))
            if not isinstance(req, dict) or not isinstance(req.get("messages"), list) \
                    or not all(isinstance(m, dict) for m in req["messages"]):
                raise ValueError("messages must be a list of objects")
        except (ValueError, UnicodeDecodeError):
            st.log(call_id, purpose, None, "400")
            self.error(400, "We could not parse the JSON body of your request.", "invalid_request_error")
            return

        fmt = req.get("response_format")
        fmt_type = fmt.get("type") if isinstance(fmt, dict) else None
        if fmt_type is not None and fmt_type in st.refused_formats:
            st.log(call_id, purpose, None, "422")
            self.error(422, f"response_format type {fmt_type} is not supported.", "invalid_request_error")
            return

        # The answer is a pure function of (seed, call id, prompt).
        messages = req["messages"]
        if purpose == "summary":
            text, choice, mixed = st.script.summary(call_id, messages), None, None
        else:
            text, choice, mixed = st.script.judge(call_id, messages)
            if fmt_type is not None and choice is not None:  # structured output: the bare JSON answer
                text = json.dumps({"choice": choice})

        # The fault is a pure function of (seed, call id, arrival index).
        j = st.next_arrival(call_id)
        seed = st.args.seed
        fault = None
        if st.kinds and uniform(seed, call_id, j, "fault") < st.args.fault_rate:
            fault = pick(uniform(seed, call_id, j, "kind"), st.kinds)

        if fault == "429":
            st.log(call_id, purpose, j, "429")
            self.error(429, "Rate limit reached (scripted).", "rate_limit_error", "rate_limit_exceeded",
                       {"Retry-After": format_seconds(st.args.retry_after)})
            return
        if fault == "500":
            st.log(call_id, purpose, j, "500")
            self.error(500, "The server had an error while processing your request (scripted).",
                       "server_error")
            return
        if fault == "drop":
            st.log(call_id, purpose, j, "drop")
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return

        if st.args.latency > 0:  # a model's think time, before any answer (faults above are instant)
            time.sleep(st.args.latency)
        prompt_chars = sum(len(message_text(m.get("content"))) for m in messages)
        p_tok, q_tok = max(1, prompt_chars // 4), max(1, len(text) // 4)
        model = req.get("model") if isinstance(req.get("model"), str) else "scripted-judge"
        resp = {
            "id": "chatcmpl-" + hashlib.sha256(f"{seed}|{call_id}".encode()).hexdigest()[:24],
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": p_tok, "completion_tokens": q_tok, "total_tokens": p_tok + q_tok},
        }
        if fault == "malformed":
            st.log(call_id, purpose, j, "malformed", choice, mixed)
            full = json.dumps(resp).encode("utf-8")
            self.send_raw(200, full[: max(1, len(full) // 2)])
            return
        if fault == "slow":
            st.log(call_id, purpose, j, "slow", choice, mixed)
            time.sleep(st.args.slow_seconds)
        elif fault is None:
            st.log(call_id, purpose, j, "ok", choice, mixed)
        else:  # unknown kind in --fault-kinds: answer normally
            st.log(call_id, purpose, j, "ok", choice, mixed)
        self.send_json(200, resp)


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Scripted OpenAI-compatible server (loopback only).",
                                 allow_abbrev=False)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--seed", required=True)
    ap.add_argument("--labels", required=True, help="JSON object {ref: true|false}")
    ap.add_argument("--judge-accuracy", type=float, required=True)
    ap.add_argument("--api-key-env", default=None)
    ap.add_argument("--unparseable-rate", type=float, default=0.0)
    ap.add_argument("--fault-rate", type=float, default=0.0)
    ap.add_argument("--fault-kinds", default="429,500,slow,malformed,drop")
    ap.add_argument("--slow-seconds", type=float, default=3.0)
    ap.add_argument("--latency", type=float, default=0.0)
    ap.add_argument("--refuse-response-formats", default="")
    ap.add_argument("--retry-after", type=float, default=1.0)
    ap.add_argument("--log", default=None)
    ap.add_argument("--max-requests", type=int, default=200000)
    ap.add_argument("--max-seconds", type=float, default=1800.0)
    args = ap.parse_args(argv)
    bad = [k for k in args.fault_kinds.split(",") if k.strip() and k.strip() not in
           ("429", "500", "slow", "malformed", "drop")]
    if bad:
        ap.error("unknown fault kind(s): " + ",".join(bad))
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    with open(args.labels, "r", encoding="utf-8") as f:
        raw = json.load(f)
    if not isinstance(raw, dict):
        print("labels file must contain a JSON object", file=sys.stderr)
        return 2
    labels = {str(k): bool(v) for k, v in raw.items()}
    api_key = None
    if args.api_key_env:
        api_key = os.environ.get(args.api_key_env)
        if not api_key:
            print(f"environment variable {args.api_key_env} is empty or unset", file=sys.stderr)
            return 2

    script = Script(args.seed, labels, args.judge_accuracy, args.unparseable_rate)
    state = State(args, script, api_key)
    server = Server(("127.0.0.1", args.port), Handler)
    server.state = state

    # Stop conditions: stdin EOF, deadline, request budget, signals.
    def watch_stdin():
        try:
            while os.read(0, 65536):  # raw fd: no buffered-reader lock held at exit
                pass
        except OSError:
            pass
        state.stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: state.stop.set())

    serve = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    serve.start()
    sys.stdout.write(f"LISTENING {server.server_address[1]}\n")
    sys.stdout.flush()

    state.stop.wait(timeout=args.max_seconds)
    server.shutdown()
    server.server_close()
    if state.log_file is not None:
        with state.log_lock:
            state.log_file.flush()
            state.log_file.close()
            state.log_file = None
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # do not wait for keep-alive / sleeping handler threads


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
