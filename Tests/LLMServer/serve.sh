#!/usr/bin/env bash
# Usage: Tests/LLMServer/serve.sh PORT [extra llama_cpp.server flags, e.g. --api_key KEY]
# Runs setup.sh quietly, then execs llama-cpp-python's OpenAI-compatible server
# on 127.0.0.1:PORT with SmolLM2-135M-Instruct. The server is this process
# (exec), so SIGTERM/SIGINT to it stops the server. Ready when GET /v1/models answers.
set -euo pipefail

if [ $# -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 PORT [extra server flags]" >&2
  exit 2
fi
PORT="$1"
shift

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SETUP_OUT="$(SETUP_QUIET=1 "$HERE/setup.sh")"
PY="$(sed -n 's/^PYTHON //p' <<<"$SETUP_OUT")"
MODEL="$(sed -n 's/^MODEL //p' <<<"$SETUP_OUT")"
[ -n "$PY" ] && [ -n "$MODEL" ] || { echo "serve.sh: setup.sh gave no PYTHON/MODEL" >&2; exit 1; }

# Nothing may be fetched at run time.
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
# llama_cpp.server reads HOST and PORT from the environment *over* its flags,
# and fills unset settings (API_KEY, CONFIG_FILE, ...) from the environment too.
export HOST=127.0.0.1 PORT="$PORT"
unset API_KEY CONFIG_FILE CHAT_FORMAT VERBOSE

# The chat format is left unset on purpose: the server then applies the chat
# template embedded in the GGUF (tokenizer.chat_template, SmolLM2's ChatML with
# its default system prompt). Pass --chat_format chatml to override.
exec "$PY" -m llama_cpp.server \
  --model "$MODEL" \
  --model_alias smollm2-135m-instruct \
  --host 127.0.0.1 --port "$PORT" \
  --n_ctx "${LLM_SERVER_N_CTX:-2048}" \
  --n_threads 2 --n_threads_batch 2 \
  "$@"
