# Shared by scripts/serve and scripts/test: one virtual environment in .venv, installed from
# pyproject.toml; system packages only when they are missing.
VENV=${PAINLINK_VENV:-.venv}
PYTHON=${PYTHON:-python3}

setup_venv() {  # $1: optional extra (test, bench)
    local extra=${1:+[$1]}
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
    fi
    # Re-install only when pyproject.toml changed since the last install (fast on reruns).
    local stamp="$VENV/.painlink-installed${1:+-$1}"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet -e ".$extra"
        touch "$stamp"
    fi
}

ensure_chromium() {
    # Browser tests drive Debian's chromium through Playwright; `playwright install` cannot download here.
    if [ ! -x /usr/bin/chromium ]; then
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
    fi
}

ensure_browser_tools() {
    # Tools the browser tests inject into pages (axe-core), pinned in tests/browser/package-lock.json;
    # installed from the npm registry once, never fetched at run time, never served by painlink.
    if [ ! -d tests/browser/node_modules/axe-core ]; then
        if ! command -v npm >/dev/null; then
            local sudo=""
            [ "$(id -u)" -eq 0 ] || sudo="sudo"
            $sudo apt-get update -qq
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null
        fi
        (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
    fi
}

ensure_virtuoso() {
    # The store tests run on a real Virtuoso too (tests/virtuoso_server.py). Only the server binaries:
    # the full virtuoso-opensource package asks debconf for a password and starts a system service.
    if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null; then
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
            --no-install-recommends virtuoso-opensource-7-bin >/dev/null
    fi
}
