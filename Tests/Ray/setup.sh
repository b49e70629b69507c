#!/usr/bin/env bash
# Idempotent setup of Ray for the scale-out tests: a project-local virtualenv Tests/Ray/.venv with
# ray[default] pinned (about 20 s and 400 MB). On success prints one line: RAY <path of `ray`>.
# pip's output goes to Tests/Ray/setup.log, whose tail is printed if anything fails.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
LOG="$HERE/setup.log"
RAY_VERSION="${RAY_VERSION:-2.60.0}"
fail() {
  echo "Ray/setup.sh: FAILED: $*" >&2
  [ -s "$LOG" ] && { echo "---- last 30 lines of $LOG ----" >&2; tail -n 30 "$LOG" >&2; }
  exit 1
}
trap 'fail "command failed at line $LINENO"' ERR
exec 9>"$HERE/.setup.lock"
flock 9
if [ -x "$VENV/bin/ray" ] && "$VENV/bin/python" -c "import ray, sys; sys.exit(ray.__version__ != '$RAY_VERSION')" 2>/dev/null; then
  echo "RAY $VENV/bin/ray"
  exit 0
fi
: >"$LOG"
echo "Ray/setup.sh: installing ray[default]==$RAY_VERSION into $VENV (log: $LOG)" >&2
rm -rf "$VENV"
python3 -m venv "$VENV" >>"$LOG" 2>&1
PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/pip" install --progress-bar off "ray[default]==$RAY_VERSION" >>"$LOG" 2>&1
"$VENV/bin/python" -c "import ray" >>"$LOG" 2>&1 || fail "ray installed but not importable"
echo "RAY $VENV/bin/ray"
