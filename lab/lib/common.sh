# shellcheck shell=bash disable=SC2034
# Shared settings and helpers for lab/up.sh and lab/down.sh (sourced, not run).

# Directory of the lab sources (lab/), wherever the repository is cloned.
LAB_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Runtime directory: generated configs, keys, zones, logs, pid files.
RUN="${MAILTLS_LAB_DIR:-$LAB_SRC/run}"

# Debian packages the lab needs. Exim is not among them: installing it would
# remove Postfix, so up.sh unpacks exim4-daemon-light into a private root
# instead; its shared libraries are installed here as ordinary packages.
LAB_PACKAGES=(
    knot knot-dnsutils unbound
    postfix dovecot-core dovecot-imapd dovecot-pop3d
    nginx-light openssl gnutls-bin
    libc6 libcrypt1 libdb5.3 libgnutls-dane0 libgnutls30 libidn12 libidn2-0 libnsl2 libpcre2-8-0
    dnsutils ldnsutils curl
    iproute2 util-linux procps ca-certificates passwd
)

log()  { printf '[lab] %s\n' "$*" >&2; }
die()  { printf '[lab] ERROR: %s\n' "$*" >&2; exit 1; }

# Print the last lines of a log file, framed, to stderr.
log_tail() {
    local f="$1" n="${2:-30}"
    if [ -s "$f" ]; then
        printf '[lab] ---- last %s lines of %s ----\n' "$n" "$f" >&2
        tail -n "$n" "$f" >&2
        printf '[lab] ---- end of %s ----\n' "$f" >&2
    else
        printf '[lab] (log %s is empty or missing)\n' "$f" >&2
    fi
}
