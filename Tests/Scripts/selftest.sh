#!/usr/bin/env bash
# Self-test for scripted_openai_server.py and fake_agent.py.
#
#   bash Tests/Scripts/selftest.sh        (exit 0 = all checks passed)
#
# Loopback only, bounded in time (a watchdog kills this script after 115 s),
# uses only python3 (stdlib), curl and coreutils.  Everything lives in a
# temporary directory that is removed at exit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SERVER="$HERE/scripted_openai_server.py"
AGENT="$HERE/fake_agent.py"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/isoplan-selftest.XXXXXX")"
SERVER_PID=""
WATCHDOG_PID=""
START=$SECONDS

cleanup() {
  exec 3>&- 2>/dev/null || true
  exec 4>&- 2>/dev/null || true
  exec 5>&- 2>/dev/null || true
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID" 2>/dev/null || true; fi
  if [[ -n "$WATCHDOG_PID" ]]; then kill "$WATCHDOG_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

# Watchdog: bound the whole run.
# (The subshell kills its own sleep when terminated, so no stray process keeps
# our stdout/stderr open.)
(
  trap 'kill "$SLEEP_PID" 2>/dev/null; exit 0' TERM
  sleep 115 >/dev/null 2>&1 </dev/null & SLEEP_PID=$!
  wait "$SLEEP_PID"
  echo "FAIL: selftest timed out" >&2
  kill -TERM $$
) </dev/null >/dev/null &
WATCHDOG_PID=$!

# Start a server whose stdin is the fifo $1 (we hold the write end on fd $2).
# Remaining args go to the server.  Sets SERVER_PID and PORT.
start_server() {
  local fifo="$1" fd="$2" out="$3"; shift 3
  mkfifo "$fifo"
  python3 "$SERVER" "$@" <"$fifo" >"$out" 2>"$out.err" &
  SERVER_PID=$!
  eval "exec $fd>\"\$fifo\""
  PORT=""
  for _ in $(seq 1 100); do
    if grep -qE '^LISTENING [0-9]+$' "$out" 2>/dev/null; then
      PORT="$(sed -n 's/^LISTENING \([0-9]*\)$/\1/p' "$out" | head -1)"
      break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited early: $(cat "$out.err")"
    sleep 0.1
  done
  [[ -n "$PORT" ]] || fail "no LISTENING line"
}

# Wait (bounded) for $SERVER_PID to exit; sets RC to its exit code.
# (Not called in $(...): a subshell cannot wait for our child.)
wait_exit() {
  local limit="$1"
  for _ in $(seq 1 $((limit * 10))); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$SERVER_PID" 2>/dev/null && fail "server did not exit within ${limit}s"
  RC=0
  wait "$SERVER_PID" || RC=$?
  SERVER_PID=""
}

# ---------------------------------------------------------------------------
# 1. Main server: key, faults 0.3, unparseable 0.2, accuracy 0.7.
# ---------------------------------------------------------------------------
KEY="sk-selftest-$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
export ISOPLAN_SELFTEST_KEY="$KEY"
printf 'Authorization: Bearer %s\n' "$KEY" >"$WORK/auth.hdr"
printf 'Authorization: Bearer %s\n' "wrong-$KEY" >"$WORK/badauth.hdr"

python3 - "$WORK/labels.json" <<'PY'
import json, sys
labels = {}
for i in range(40):
    labels[f"pass/{i} a;b|&$()'\" end"] = True
    labels[f"fail/{i} x;y|&$()'\" end"] = False
json.dump(labels, open(sys.argv[1], "w"))
PY

start_server "$WORK/stdin1" 3 "$WORK/stdout1" \
  --port 0 --seed selftest-seed --labels "$WORK/labels.json" --judge-accuracy 0.7 \
  --api-key-env ISOPLAN_SELFTEST_KEY --unparseable-rate 0.2 --fault-rate 0.3 \
  --fault-kinds 429,500,slow,malformed,drop --slow-seconds 1.5 --retry-after 1 \
  --log "$WORK/requests.jsonl" --max-seconds 100
ok "LISTENING line (port $PORT)"
[[ "$(wc -l <"$WORK/stdout1")" -eq 1 ]] || fail "stdout has more than the LISTENING line"

if ss -ltn 2>/dev/null | grep -q ":$PORT\b"; then
  ss -ltn | grep ":$PORT\b" | grep -q "127.0.0.1:$PORT" || fail "not bound to 127.0.0.1 only"
  ok "bound to 127.0.0.1 only"
fi

URL="http://127.0.0.1:$PORT/v1/chat/completions"
REQ='{"model":"m","messages":[{"role":"user","content":"hi"}]}'

code="$(curl -s -o "$WORK/b401" -w '%{http_code}' --max-time 5 -X POST -H 'Content-Type: application/json' --data "$REQ" "$URL")"
[[ "$code" == 401 ]] || fail "expected 401 without key, got $code"
grep -q '"error"' "$WORK/b401" || fail "401 body is not an OpenAI error"
code="$(curl -s -o "$WORK/b401b" -w '%{http_code}' --max-time 5 -X POST -H @"$WORK/badauth.hdr" --data "$REQ" "$URL")"
[[ "$code" == 401 ]] || fail "expected 401 with wrong key, got $code"
grep -qF "$KEY" "$WORK/b401b" && fail "401 body echoes the key"
ok "401 without / with wrong key"

code="$(curl -s -o "$WORK/bmodels" -w '%{http_code}' --max-time 5 -H @"$WORK/auth.hdr" "http://127.0.0.1:$PORT/v1/models")"
[[ "$code" == 200 ]] && grep -q '"object": "list"' "$WORK/bmodels" || fail "GET /v1/models ($code)"
code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H @"$WORK/auth.hdr" "http://127.0.0.1:$PORT/nope")"
[[ "$code" == 404 ]] || fail "expected 404, got $code"
code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X POST -H @"$WORK/auth.hdr" --data '{not json' "$URL")"
[[ "$code" == 400 ]] || fail "expected 400 for malformed JSON, got $code"
ok "GET /v1/models, 404, 400"

# Summary via curl, retrying through injected faults.
REF='pass/3 a;b|&$()'"'"'" end'
python3 - "$REF" >"$WORK/summary_req.json" <<'PY'
import json, sys
ref = sys.argv[1]
print(json.dumps({"model": "m", "messages": [
    {"role": "system", "content": "Summarize the rollout."},
    {"role": "user", "content": "Transcript follows.\nRollout-Ref: " + ref + "\n[assistant] ran tests\n"}]}))
PY
got=""
for attempt in $(seq 0 20); do
  code="$(curl -s -o "$WORK/bsum" -w '%{http_code}' --max-time 1 -X POST -H @"$WORK/auth.hdr" \
      -H 'X-Isoplan-Purpose: summary' -H 'X-Isoplan-Call-Id: task=t1|it=0|summary=curl' \
      -H 'Content-Type: application/json' --data @"$WORK/summary_req.json" "$URL" || true)"
  if [[ "$code" == 200 ]] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/bsum" 2>/dev/null; then
    got=1; break
  fi
done
[[ -n "$got" ]] || fail "summary never succeeded"
python3 - "$WORK/bsum" "$REF" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
text = r["choices"][0]["message"]["content"]
lines = text.split("\n")
assert lines[-1] == "ROLLOUT-REF: " + sys.argv[2], lines[-1]
for h in ["Task understanding:", "Hypotheses:", "Approach and decisions:", "Changes made:",
          "Verification evidence:", "Failure modes:", "Final state:"]:
    i = lines.index(h)
    assert lines[i + 1].strip(), h
assert r["object"] == "chat.completion" and r["usage"]["total_tokens"] == \
    r["usage"]["prompt_tokens"] + r["usage"]["completion_tokens"]
PY
ok "summary (curl) carries ROLLOUT-REF with shell metacharacters intact"

# Statistical / determinism / fault checks with a small threaded client.
PORT="$PORT" python3 - <<'PY' || fail "python client checks"
import concurrent.futures as cf, http.client, json, os, re, socket, sys
PORT = int(os.environ["PORT"]); KEY = os.environ["ISOPLAN_SELFTEST_KEY"]
CHOICE = re.compile(r"<choice>(\d+)</choice>")
PASS = [f"pass/{i} a;b|&$()'\" end" for i in range(40)]
FAIL = [f"fail/{i} x;y|&$()'\" end" for i in range(40)]

def post(call_id, purpose, messages, timeout=0.6, headers=True):
    """One attempt. Returns (outcome, content or None)."""
    body = json.dumps({"model": "judge", "messages": messages, "temperature": 0.7,
                       "max_tokens": 64, "seed": 1}).encode()
    h = {"Content-Type": "application/json", "Authorization": "Bearer " + KEY}
    if headers:
        h["X-Isoplan-Call-Id"] = call_id; h["X-Isoplan-Purpose"] = purpose
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    try:
        c.request("POST", "/v1/chat/completions", body, h)
        r = c.getresponse(); data = r.read()
        if r.status == 429:
            assert r.getheader("Retry-After") == "1", r.getheader("Retry-After")
            return "429", None
        if r.status == 500: return "500", None
        assert r.status == 200, r.status
        assert r.getheader("Content-Length") == str(len(data))
        try: obj = json.loads(data)
        except ValueError: return "malformed", None
        return "ok", obj["choices"][0]["message"]["content"]
    except (socket.timeout, TimeoutError): return "slow", None
    except (http.client.RemoteDisconnected, ConnectionResetError, http.client.BadStatusLine,
            BrokenPipeError, http.client.IncompleteRead): return "drop", None
    finally: c.close()

def call(call_id, purpose, messages, headers=True):
    seen = []
    for _ in range(30):
        out, content = post(call_id, purpose, messages, headers=headers)
        seen.append(out)
        if out == "ok": return content, seen
    raise AssertionError("never succeeded: " + call_id)

def judge_msgs(refs):
    blocks = []
    for k, ref in enumerate(refs, 1):
        blocks.append(f"## Candidate {k}\nTask understanding:\nSomething.\nFinal state:\nDone.\nROLLOUT-REF: {ref}\n")
    return [{"role": "system", "content": "You are a judge. Answer with <choice>k</choice>."},
            {"role": "user", "content": "Which candidate resolved the task?\n\n" + "\n".join(blocks)}]

def parse(content, g):
    m = CHOICE.findall(content)
    if len(m) == 1 and 1 <= int(m[0]) <= g: return int(m[0])
    return None

jobs = []  # (call_id, refs, kind)
for i in range(400):
    p, f = PASS[i % 40], FAIL[(i * 7) % 40]
    refs = [p, f] if i % 2 == 0 else [f, p]
    jobs.append((f"task=t1|it=0|round=0|group={i}|vote=0|attempt=0|purpose=vote", refs, "mixed"))
for i in range(400):
    refs = [PASS[i % 40], PASS[(i + 1) % 40]] if i % 2 == 0 else [FAIL[i % 40], FAIL[(i + 3) % 40]]
    jobs.append((f"task=t2|it=0|round=0|group={i}|vote=1|attempt=0|purpose=vote", refs, "unmixed"))
for i in range(60):
    refs = [FAIL[i % 40], PASS[i % 40], FAIL[(i + 5) % 40]]
    jobs.append((f"task=t3|it=1|round=0|group={i}|vote=2|attempt=0|purpose=tie-break", refs, "g3"))

with cf.ThreadPoolExecutor(16) as ex:
    results = list(ex.map(lambda j: call(j[0], "vote", judge_msgs(j[1])), jobs))

outcomes = set(); answers = {}
stats = {"mixed": [0, 0, 0], "unmixed": [0, 0, 0], "g3": [0, 0, 0]}  # [parseable, good, unparseable]
for (cid, refs, kind), (content, seen) in zip(jobs, results):
    outcomes.update(seen); answers[cid] = content
    k = parse(content, len(refs))
    if k is None:
        stats[kind][2] += 1; continue
    stats[kind][0] += 1
    if kind in ("mixed", "g3"): stats[kind][1] += refs[k - 1].startswith("pass/")
    else: stats[kind][1] += (k == 1)

acc = stats["mixed"][1] / stats["mixed"][0]
first = stats["unmixed"][1] / stats["unmixed"][0]
unp = sum(s[2] for s in stats.values()) / len(jobs)
print(f"   mixed accuracy {acc:.3f} (n={stats['mixed'][0]}), unmixed P(choice=1) {first:.3f} "
      f"(n={stats['unmixed'][0]}), unparseable {unp:.3f}, g3 accuracy {stats['g3'][1]}/{stats['g3'][0]}")
assert abs(acc - 0.7) <= 0.07, acc
assert abs(first - 0.5) <= 0.07, first
assert abs(unp - 0.2) <= 0.06, unp
print("ok - judge accuracy ~A on mixed pairs, uniform on unmixed, unparseable ~U")

# Same call id -> same answer (new arrivals, so different fault draws).
with cf.ThreadPoolExecutor(16) as ex:
    again = list(ex.map(lambda j: call(j[0], "vote", judge_msgs(j[1])), jobs[::10]))
for (cid, _, _), (content, seen) in zip(jobs[::10], again):
    assert content == answers[cid], cid
    outcomes.update(seen)
print("ok - repeated call ids give identical answers after faults")

missing = set(["429", "500", "slow", "malformed", "drop"]) - outcomes
assert not missing, missing
print("ok - client observed every fault kind: " + ",".join(sorted(outcomes)))

# Missing call-id header: id = sha256(body) -> still deterministic.
m = judge_msgs([PASS[0], FAIL[0]])
a, _ = call("", "", m, headers=False); b, _ = call("", "", m, headers=False)
assert a == b
# Keep-alive: several requests over one connection.
c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
for _ in range(5):
    c.request("GET", "/v1/models", headers={"Authorization": "Bearer " + KEY})
    r = c.getresponse(); assert r.status == 200; json.loads(r.read())
c.close()
print("ok - missing call-id header deterministic; keep-alive")
PY

python3 - "$WORK/requests.jsonl" <<'PY' || fail "log checks"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
keys = {"t", "call_id", "purpose", "arrival", "outcome", "choice", "mixed"}
assert all(set(r) == keys for r in recs)
outs = {r["outcome"] for r in recs}
assert {"ok", "429", "500", "slow", "malformed", "drop", "401", "400"} <= outs, outs
# Per call id, arrivals are 0..n-1 and non-null choices agree.
by = {}
for r in recs:
    if r["arrival"] is not None: by.setdefault(r["call_id"], []).append(r)
for cid, rs in by.items():
    assert sorted(x["arrival"] for x in rs) == list(range(len(rs))), cid
    assert len({x["choice"] for x in rs if x["outcome"] in ("ok", "slow", "malformed")}) <= 1, cid
print(f"ok - log: {len(recs)} records, outcomes {sorted(outs)}")
PY

for f in "$WORK/requests.jsonl" "$WORK/stdout1" "$WORK/stdout1.err"; do
  grep -qF "$KEY" "$f" && fail "key leaked into $(basename "$f")"
  grep -qi 'authorization\|bearer' "$f" && fail "auth header leaked into $(basename "$f")"
done
[[ ! -s "$WORK/stdout1.err" ]] || fail "server wrote to stderr: $(head -c 500 "$WORK/stdout1.err")"
ok "key never in log / stdout / stderr; stderr quiet"

exec 3>&-
wait_exit 5
[[ "$RC" == 0 ]] || fail "server exit code $RC after stdin EOF"
ok "server exits 0 when stdin closes"

# ---------------------------------------------------------------------------
# 2. Other stop conditions: --max-requests and --max-seconds.
# ---------------------------------------------------------------------------
start_server "$WORK/stdin2" 4 "$WORK/stdout2" --port 0 --seed s --labels "$WORK/labels.json" \
  --judge-accuracy 1 --max-requests 3
for _ in 1 2 3; do curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$PORT/v1/models" || true; done
wait_exit 5; [[ "$RC" == 0 ]] || fail "max-requests exit $RC"
exec 4>&-
ok "server exits 0 after --max-requests"

start_server "$WORK/stdin3" 5 "$WORK/stdout3" --port 0 --seed s --labels "$WORK/labels.json" \
  --judge-accuracy 1 --max-seconds 1
wait_exit 5; [[ "$RC" == 0 ]] || fail "max-seconds exit $RC"
exec 5>&-
ok "server exits 0 after --max-seconds"

# ---------------------------------------------------------------------------
# 3. fake_agent.py
# ---------------------------------------------------------------------------
AGENT="$AGENT" WORK="$WORK" python3 - <<'PY' || fail "fake_agent checks"
import importlib.util, io, json, os, subprocess, sys, time, contextlib
sys.dont_write_bytecode = True  # do not leave __pycache__ next to the scripts
AGENT, WORK = os.environ["AGENT"], os.environ["WORK"]
TID = "a;b $(rm -rf x)|'q\"/z"
base = os.path.join(WORK, "agent dir ;&|")
os.makedirs(os.path.join(base, "cwd"))
open(os.path.join(base, "cwd", "x"), "w").write("canary")
task = os.path.join(base, "task file $(x).json")
priors = os.path.join(base, "priors 'p'.json")
json.dump({"task_id": TID, "problem_statement": "Fix combine(a, b).", "metadata": {"solve_rate": 0.5}}, open(task, "w"))
json.dump({"task_id": TID, "iteration": 1, "priors": [{"rollout_id": "r0", "summary": "s0"},
          {"rollout_id": "r1", "summary": "s1"}]}, open(priors, "w"))

def run(fmt, out, *extra):
    os.makedirs(out)
    argv = ["--format", fmt, *extra, TID, task, priors, out]
    p = subprocess.run([sys.executable, AGENT, *argv], cwd=os.path.join(base, "cwd"),
                       capture_output=True, text=True, timeout=20)
    assert json.load(open(os.path.join(out, "argv.json"))) == argv, "argv.json mismatch"
    return p

before = set(os.listdir(base))
g = os.path.join(base, "gen", "roll 1;$x")
p = run("generic", g)
assert p.returncode == 0, p.stderr
assert p.stdout == f"wrote {os.path.join(g, 'rollout.json')}\n", p.stdout
r = json.load(open(os.path.join(g, "rollout.json")))
assert r["task_id"] == TID and r["rollout_id"] == "roll 1;$x"
assert [m["role"] for m in r["messages"][:3]] == ["system", "user", "assistant"]
assert r["messages"][1]["content"] == "Fix combine(a, b)."
assert r["final_patch"].startswith("diff --git a/x.py b/x.py\n") and "read 2 prior summaries" in r["final_patch"]
assert isinstance(r["resolved"], bool)
print("ok - fake_agent generic: argv.json round-trips, rollout.json shape")

m = os.path.join(base, "mini", "roll 1;$x")
p = run("mini", m)
assert p.returncode == 0, p.stderr
safe = "a_b___rm_-rf_x___q__z"
traj = os.path.join(m, safe, safe + ".traj.json")
assert p.stdout == f"wrote {traj}\n", p.stdout
preds = json.load(open(os.path.join(m, "preds.json")))
assert list(preds) == [TID] and preds[TID]["instance_id"] == TID
t = json.load(open(traj))
assert t["info"]["exit_status"] == "Submitted" and t["trajectory_format"] == "mini-swe-agent-1"
assert t["instance_id"] == TID and t["info"]["submission"] == preds[TID]["model_patch"]
res = json.load(open(os.path.join(m, "resolved.json")))["resolved"]
assert res == r["resolved"], "same (task id, rollout basename) must give the same result"
assert sorted(os.listdir(m)) == sorted(["argv.json", "preds.json", "resolved.json", safe])
print("ok - fake_agent mini: preds.json, traj.json, resolved.json")

p = run("generic", os.path.join(base, "crash", "c1"), "--fail-exit-rate", "1")
assert p.returncode == 3 and p.stderr.strip()
assert os.listdir(os.path.join(base, "crash", "c1")) == ["argv.json"]
t0 = time.time(); p = run("generic", os.path.join(base, "slow", "s1"), "--sleep", "0.3")
assert p.returncode == 0 and time.time() - t0 >= 0.3
print("ok - fake_agent --fail-exit-rate 1 exits 3 with only argv.json; --sleep")

# Bernoulli(solve_rate) and patch differences, in-process for speed.
spec = importlib.util.spec_from_file_location("fake_agent", AGENT)
fa = importlib.util.module_from_spec(spec); spec.loader.exec_module(fa)
json.dump({"task_id": TID, "problem_statement": "P", "metadata": {"solve_rate": 0.3}}, open(task, "w"))
json.dump({"task_id": TID, "iteration": 0, "priors": []}, open(priors, "w"))
vals, patches = [], {}
for i in range(300):
    out = os.path.join(base, "many", f"r{i}"); os.makedirs(out)
    with contextlib.redirect_stdout(io.StringIO()):
        assert fa.main([TID, task, priors, out]) == 0
    d = json.load(open(os.path.join(out, "rollout.json")))
    vals.append(d["resolved"]); patches.setdefault(d["resolved"], d["final_patch"])
frac = sum(vals) / len(vals)
assert abs(frac - 0.3) <= 0.08, frac
assert patches[True] != patches[False] and "read 0 prior summaries" in patches[True]
assert sorted(os.listdir(base)) == sorted(before | {"gen", "mini", "crash", "slow", "many"})
assert open(os.path.join(base, "cwd", "x")).read() == "canary"
print(f"ok - fake_agent resolved rate {frac:.3f} for solve_rate 0.3; nothing written outside OUT_DIR")
PY

echo "ALL OK ($((SECONDS - START))s)"
