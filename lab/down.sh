#!/usr/bin/env bash
# Stop the mailtls lab: every server lab/up.sh started, by its recorded PID
# only. Harmless when nothing runs. Generated files, keys and logs are kept
# (delete $MAILTLS_LAB_DIR, default lab/run, to start from scratch).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

PIDS="$RUN/pids"
STOPPED=()

# running PID: the process exists and is not a zombie (an exited server
# whose parent, often PID 1 here, has not reaped it yet).
running() {
    local state
    kill -0 "$1" 2>/dev/null || return 1
    state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)"
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# wait_gone PID SECONDS: wait until PID has exited.
wait_gone() {
    local pid="$1" tries=$(($2 * 20))
    while running "$pid" && (( tries-- > 0 )); do sleep 0.05; done
    ! running "$pid"
}

# stop_pid NAME COMM: stop the process recorded in pids/NAME.pid if it is
# still alive and its command name is COMM (so a recycled PID is left alone).
stop_pid() {
    local name="$1" comm="$2" f="$PIDS/$1.pid" pid actual
    [ -f "$f" ] || return 0
    pid="$(head -n1 "$f" | tr -dc '0-9')"
    if [ -n "$pid" ] && running "$pid"; then
        actual="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
        if [ "$actual" != "$comm" ]; then
            log "$name: PID $pid is now '$actual', not '$comm'; leaving it alone"
        else
            log "$name: stopping PID $pid"
            STOPPED+=("$pid")
            kill -TERM "$pid" 2>/dev/null || true
            if ! wait_gone "$pid" 10; then
                log "$name: PID $pid ignored SIGTERM; sending SIGKILL"
                kill -KILL "$pid" 2>/dev/null || true
                wait_gone "$pid" 5 || log "$name: PID $pid is still there"
            fi
        fi
    fi
    rm -f "$f"
}

# Postfix: the documented way first (its master stops its children), then
# the PID as a fallback.
stop_postfix() {
    local f="$PIDS/postfix.pid" pid
    [ -f "$f" ] || return 0
    pid="$(head -n1 "$f" | tr -dc '0-9')"
    if [ -n "$pid" ] && running "$pid" \
        && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = master ] \
        && [ -f "$RUN/postfix/etc/main.cf" ]; then
        log "postfix: stopping (master PID $pid)"
        script -eqc "postfix -c '$RUN/postfix/etc' stop" /dev/null >/dev/null 2>&1 || true
        wait_gone "$pid" 10 || true
    fi
    stop_pid postfix master
}

[ -d "$PIDS" ] || exit 0
[ "$(id -u)" -eq 0 ] || die "run as root"

stop_pid tlslite python3
stop_pid weak-tls gnutls-serv
stop_pid legacy-tls openssl
stop_pid nginx nginx
stop_pid exim exim4
stop_postfix
stop_pid dovecot dovecot
stop_pid unbound unbound
stop_pid knot knotd

# A daemon that forked into the background has PID 1 as its parent, and PID 1
# may take a moment to reap it: wait (briefly) until ps no longer lists even
# the exited ones.
for ((i = 0; i < 50; i++)); do
    alive=no
    for pid in "${STOPPED[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then alive=yes; break; fi
    done
    [ "$alive" = no ] && break
    sleep 0.1
done

leftover="$(ls -A "$PIDS")"
[ -z "$leftover" ] || log "unknown pid files left in $PIDS: $leftover"
exit 0
