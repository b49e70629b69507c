#!/usr/bin/env bash
# Idempotent setup of mini-SWE-agent for the PDR end-to-end test (and for anyone who wants the
# reference agent without installing it themselves): a project-local virtualenv
# Tests/MiniSWEAgent/.venv with mini-swe-agent pinned, its dependencies held to constraints.txt.
#
# On success prints exactly one line on stdout:
#   MINI <absolute path of the venv's `mini` program>
# Progress goes to stderr (silence it with SETUP_QUIET=1); pip's output goes to
# Tests/MiniSWEAgent/setup.log, whose tail is printed if anything fails.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
LOG="$HERE/setup.log"
LOCK="$HERE/.setup.lock"

MINI_SWE_AGENT_VERSION="${MINI_SWE_AGENT_VERSION:-2.4.6}"
BASE_PYTHON="${MINI_SWE_AGENT_BASE_PYTHON:-python3}"

QUIET="${SETUP_QUIET:-0}"
say() { [ "$QUIET" = 1 ] || echo "MiniSWEAgent/setup.sh: $*" >&2; }
fail() {
  echo "MiniSWEAgent/setup.sh: FAILED: $*" >&2
  if [ -s "$LOG" ]; then
    echo "---- last 40 lines of $LOG ----" >&2
    tail -n 40 "$LOG" >&2
  fi
  exit 1
}
trap 'fail "command failed at line $LINENO"' ERR

# Serialise concurrent runs.
exec 9>"$LOCK"
flock 9

VPY="$VENV/bin/python"

# Fast path: the pinned version and its model client installed (found, not imported: importing
# litellm takes seconds).
installed_ok() {
  "$VPY" - "$MINI_SWE_AGENT_VERSION" >/dev/null 2>&1 <<'EOF'
import sys, importlib.metadata as md, importlib.util
assert md.version("mini-swe-agent") == sys.argv[1]
assert all(importlib.util.find_spec(m) for m in ("minisweagent.run.mini", "litellm", "typer", "jinja2"))
EOF
  [ -x "$VENV/bin/mini" ]
}

if [ -x "$VPY" ] && installed_ok; then
  echo "MINI $VENV/bin/mini"
  exit 0
fi

: >"$LOG"
say "installing mini-swe-agent==$MINI_SWE_AGENT_VERSION into $VENV (log: $LOG); about 1 minute, 750 MB"

# venv/ensurepip: built into pyenv's Python; Debian's python3 needs python3-venv.
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if ! "$BASE_PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1 && ! have_pkg python3-venv; then
  say "apt-get install -y python3-venv"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv >>"$LOG" 2>&1; then
    apt-get update >>"$LOG" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv >>"$LOG" 2>&1
  fi
fi
# The adapter takes patches with git.
command -v git >/dev/null || fail "git is needed (apt-get install git)"

if ! { [ -x "$VPY" ] && "$VPY" -c 'import sys, pip; assert sys.prefix != sys.base_prefix' >/dev/null 2>&1; }; then
  say "creating venv $VENV"
  rm -rf "$VENV"
  "$BASE_PYTHON" -m venv "$VENV" >>"$LOG" 2>&1
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1
"$VPY" -m pip install --progress-bar off -c "$HERE/constraints.txt" \
  "mini-swe-agent==$MINI_SWE_AGENT_VERSION" >>"$LOG" 2>&1

installed_ok || fail "mini-swe-agent not installed at the pinned version"
MSWEA_SILENT_STARTUP=1 MSWEA_GLOBAL_CONFIG_DIR="$VENV/mini-global" LITELLM_LOCAL_MODEL_COST_MAP=True \
  "$VPY" -c 'import minisweagent.run.mini, litellm' >>"$LOG" 2>&1 || fail "mini-swe-agent installed but not importable"
say "done"
echo "MINI $VENV/bin/mini"
