#!/usr/bin/env bash
# Install the peers the TLS benchmark compares mailtls with, idempotently:
#
#   testssl.sh  the Debian package `testssl.sh` (command `testssl`)
#   sslyze      from PyPI, the version in bench/sslyze.version, in a venv
#               under $MAILTLS_BENCH_DIR (default bench/run)
#
# Run as root on Debian 12. Nothing is done for a peer that is already
# installed at the wanted version.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN="${MAILTLS_BENCH_DIR:-$BENCH/run}"
VENV="$RUN/sslyze-venv"
SSLYZE_VERSION="$(tr -d '[:space:]' < "$BENCH/sslyze.version")"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$RUN"

# testssl.sh: a Debian package; its dependencies (bsdextrautils for hexdump,
# dnsutils, procps) come with it.
if dpkg-query -W -f='${Status}' testssl.sh 2>/dev/null | grep -q '^install ok installed$'; then
    log "testssl.sh: present ($(dpkg-query -W -f='${Version}' testssl.sh))"
else
    [ "$(id -u)" -eq 0 ] || die "installing testssl.sh needs root"
    log "testssl.sh: installing the Debian package"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends testssl.sh \
        >"$RUN/apt.log" 2>&1 || {
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends testssl.sh \
            >"$RUN/apt.log" 2>&1 || { tail -n 20 "$RUN/apt.log" >&2; die "apt-get install testssl.sh failed"; }
    }
fi
command -v testssl >/dev/null || die "no testssl command after installing testssl.sh"

# sslyze: a venv of its own (its nassl wheel bundles its own OpenSSL builds).
installed=""
if [ -x "$VENV/bin/python" ]; then
    installed="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("sslyze"))' 2>/dev/null || true)"
fi
if [ "$installed" = "$SSLYZE_VERSION" ] && [ -x "$VENV/bin/sslyze" ]; then
    log "sslyze: present ($installed, $VENV)"
else
    log "sslyze: installing $SSLYZE_VERSION into $VENV"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "sslyze==$SSLYZE_VERSION" \
        >"$RUN/pip-sslyze.log" 2>&1 || { tail -n 20 "$RUN/pip-sslyze.log" >&2; die "pip install sslyze failed"; }
fi
"$VENV/bin/sslyze" --help >/dev/null 2>&1 || die "sslyze does not run ($VENV/bin/sslyze)"
log "ready: testssl=$(command -v testssl) sslyze=$VENV/bin/sslyze"
