#!/usr/bin/env bash
# Start the mailtls lab: DNSSEC-signed lab.test and broken.test zones (Knot),
# a validating resolver (Unbound), Postfix (mx1/mx2 and broken.test's two
# faulty MX hosts), Exim (mx3), Dovecot, nginx (MTA-STS), two deliberately
# weak TLS servers and a weak STARTTLS SMTP server built on tlslite-ng (SSL 3.0,
# RC4, 3DES), all on 127.0.10.x. Run as root on Debian 12.
#
#   lab/up.sh            install what is missing, (re)generate, start, check
#   lab/down.sh          stop everything
#
# Runtime files go to $MAILTLS_LAB_DIR (default: lab/run). See lab/README.md.
set -euo pipefail
umask 022

. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

WAIT_SECS="${MAILTLS_LAB_WAIT:-20}"
CA="$RUN/ca"
MAIL_USER=nobody
MAIL_GROUP=nogroup
DKIM_SELECTOR=lab2026
TEST_USER=alice
TEST_PASSWORD=alice-lab-password
# Exim runs from a private root (see install_exim) as the user its Debian
# build expects.
EXIM_PACKAGE=exim4-daemon-light
EXIM_USER=Debian-exim
EXIM_ROOT="$RUN/exim/root"
EXIM_BIN="$EXIM_ROOT/usr/sbin/exim4"
# tlslite.lab.test: tlslite-ng (version pinned in lab/tlslite.version) in a
# venv of its own, run by Debian's Python.
TLSLITE_PYTHON="${MAILTLS_LAB_PYTHON:-/usr/bin/python3}"
TLSLITE_VENV="$RUN/tlslite/venv"

# Values substituted for @NAME@ in templates by render().
declare -A TPL=()

# ---------------------------------------------------------------- helpers --

# render SRC DST: copy a template, replacing every @NAME@ with ${TPL[NAME]}.
render() {
    local src="$1" dst="$2" key val script=""
    for key in "${!TPL[@]}"; do
        val="${TPL[$key]}"
        val="${val//\\/\\\\}"
        val="${val//&/\\&}"
        val="${val//|/\\|}"
        val="${val//$'\n'/\\$'\n'}"
        script+="s|@${key}@|${val}|g"$'\n'
    done
    sed -e "$script" "$src" > "$dst.tmp"
    if grep -nE '@[A-Z][A-Z0-9_]*@' "$dst.tmp" >&2; then
        rm -f "$dst.tmp"
        die "unrendered placeholder left in $dst (from $src)"
    fi
    mv -f "$dst.tmp" "$dst"
}

# wait_until DESCRIPTION LOGFILE COMMAND...: retry COMMAND for up to
# WAIT_SECS seconds; on timeout show the server's log and fail.
wait_until() {
    local desc="$1" logf="$2"; shift 2
    local deadline=$((SECONDS + WAIT_SECS))
    until "$@" >/dev/null 2>&1; do
        if (( SECONDS >= deadline )); then
            log "$desc: not ready after ${WAIT_SECS}s (probe: $*)"
            log_tail "$logf"
            return 1
        fi
        sleep 0.2
    done
}

# dns_has SERVER NAME TYPE: SERVER gives a non-empty NOERROR answer.
dns_has() {
    local out
    out="$(dig +time=1 +tries=1 +norecurse @"$1" "$2" "$3" +noall +answer)" || return 1
    grep -qw "$3" <<<"$out"
}

# banner ADDR PORT PREFIX: a TCP server greets with a line starting with PREFIX.
banner() {
    # shellcheck disable=SC2016  # $1..$3 are expanded by the inner bash
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2" && IFS= read -r line <&3 && [[ $line == "$3"* ]]' \
        _ "$1" "$2" "$3"
}

# tls_ok NAME ADDR PORT [STARTTLS-PROTO]: a TLS handshake that verifies
# NAME's certificate against the lab CA.
tls_ok() {
    local name="$1" addr="$2" port="$3" proto="${4:-}" extra=()
    [ -n "$proto" ] && extra=(-starttls "$proto")
    [[ $addr == *:* ]] && addr="[$addr]"
    timeout 5 openssl s_client -connect "$addr:$port" -servername "$name" \
        -verify_hostname "$name" -CAfile "$CA/ca.pem" -verify_return_error \
        "${extra[@]}" </dev/null >/dev/null 2>&1
}

# record_pid NAME FILE_OR_PID: store a server's PID in $RUN/pids/NAME.pid.
record_pid() {
    local name="$1" src="$2" pid
    if [ -f "$src" ]; then pid="$(head -n1 "$src" | tr -dc '0-9')"; else pid="$src"; fi
    [ -n "$pid" ] || die "no PID for $name"
    echo "$pid" > "$RUN/pids/$name.pid"
}

# rotate_logs: keep the previous run's logs in logs/previous/.
rotate_logs() {
    mkdir -p "$RUN/logs"
    rm -rf "$RUN/logs/previous"
    mkdir "$RUN/logs/previous"
    find "$RUN/logs" -maxdepth 1 -type f -exec mv -t "$RUN/logs/previous" {} +
}

# -------------------------------------------------------------- packages --

install_packages() {
    local missing=() p
    for p in "${LAB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' \
            || missing+=("$p")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        log "packages: all present"
        return
    fi
    log "packages: installing ${missing[*]}"
    # Postfix must not configure itself (no /etc/postfix/main.cf is written).
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${missing[@]}" >"$RUN/logs/apt.log" 2>&1 \
        || { log_tail "$RUN/logs/apt.log"; die "apt-get install failed"; }
}

# install_exim: Exim without installing it. exim4-daemon-light conflicts with
# Postfix (apt would remove Postfix), so its .deb is downloaded with
# `apt-get download` and unpacked with `dpkg -x` into $RUN/exim/root; its
# shared libraries come from LAB_PACKAGES. Kept across runs.
install_exim() {
    local pkgdir="$RUN/exim/pkg" deb
    if ! getent group "$EXIM_USER" >/dev/null; then
        groupadd --system "$EXIM_USER"
    fi
    if ! id -u "$EXIM_USER" >/dev/null 2>&1; then
        log "exim: creating system user $EXIM_USER"
        useradd --system --gid "$EXIM_USER" --home-dir /var/spool/exim4 --no-create-home \
            --shell /usr/sbin/nologin --comment "Exim (mailtls lab)" "$EXIM_USER"
    fi
    if [ -x "$EXIM_BIN" ] && "$EXIM_BIN" -C /dev/null -bV >/dev/null 2>&1; then
        return
    fi
    mkdir -p "$pkgdir"
    deb="$(find "$pkgdir" -maxdepth 1 -name "${EXIM_PACKAGE}_*.deb" | sort | tail -n1)"
    if [ -z "$deb" ]; then
        log "exim: downloading $EXIM_PACKAGE (unpacked privately: installing it would remove Postfix)"
        # apt warns that _apt cannot write to $pkgdir and downloads as root.
        if ! (cd "$pkgdir" && apt-get download -q "$EXIM_PACKAGE") >"$RUN/logs/apt-download.log" 2>&1; then
            DEBIAN_FRONTEND=noninteractive apt-get update -qq
            (cd "$pkgdir" && apt-get download -q "$EXIM_PACKAGE") >"$RUN/logs/apt-download.log" 2>&1 \
                || { log_tail "$RUN/logs/apt-download.log"; die "apt-get download $EXIM_PACKAGE failed"; }
        fi
        deb="$(find "$pkgdir" -maxdepth 1 -name "${EXIM_PACKAGE}_*.deb" | sort | tail -n1)"
        [ -n "$deb" ] || die "apt-get download left no $EXIM_PACKAGE .deb in $pkgdir"
    fi
    log "exim: unpacking $(basename "$deb") into $EXIM_ROOT"
    rm -rf "$EXIM_ROOT" "$EXIM_ROOT.tmp"
    dpkg -x "$deb" "$EXIM_ROOT.tmp"
    # The lab runs it as root; a set-uid copy inside $RUN would serve no one.
    chmod 0755 "$EXIM_ROOT.tmp/usr/sbin/exim4"
    mv "$EXIM_ROOT.tmp" "$EXIM_ROOT"
    "$EXIM_BIN" -C /dev/null -bV >"$RUN/logs/exim-version.log" 2>&1 \
        || { log_tail "$RUN/logs/exim-version.log"; die "the unpacked exim does not run (a missing library?)"; }
}

# ------------------------------------------------------------ directories --

prepare_dirs() {
    mkdir -p "$RUN"/{pids,logs,ca,dkim,www,www-broken,mail} \
             "$RUN"/knot/{db,zones,run} "$RUN"/unbound \
             "$RUN"/postfix/{etc,spool,data} \
             "$RUN"/dovecot/{run,state} "$RUN"/nginx/tmp "$RUN"/exim/spool
    chmod 755 "$RUN" "$RUN/ca" "$RUN/dovecot" "$RUN/exim"
    chown "$MAIL_USER:$MAIL_GROUP" "$RUN/mail"
    chown postfix:postfix "$RUN/postfix/data"
    chown "$EXIM_USER:$EXIM_USER" "$RUN/exim/spool"
    chmod 750 "$RUN/exim/spool"
    # Unprivileged workers (postfix, nobody, dovecot) must reach $RUN.
    setpriv --reuid="$MAIL_USER" --regid="$MAIL_GROUP" --clear-groups test -x "$RUN/mail" \
        || die "$RUN is not reachable by user $MAIL_USER (a parent directory is not world-searchable); set MAILTLS_LAB_DIR to e.g. /var/tmp/mailtls-lab"
}

# Every address:port the lab listens on ("*" = all addresses).
LAB_LISTEN=(
    127.0.10.1:53 127.0.10.53:53
    127.0.10.25:25 127.0.10.25:587 127.0.10.25:465 127.0.10.26:25
    127.0.10.27:25 127.0.10.28:25 127.0.10.29:25
    127.0.10.143:143 127.0.10.143:993 127.0.10.143:110 127.0.10.143:995
    127.0.10.44:443 127.0.10.45:443 127.0.10.10:443 '*:4433'
    127.0.10.30:25
)

# ports_free: fail early, naming the process, if something (another lab, a
# system daemon started by its package) already holds one of the lab's ports.
ports_free() {
    local listening busy=() ep addr port pat
    listening="$(ss -Hlntup 2>/dev/null)"
    [ "$LAB_IPV6" = yes ] && LAB_LISTEN+=('[::1]:25')
    for ep in "${LAB_LISTEN[@]}"; do
        addr="${ep%:*}" port="${ep##*:}"
        if [ "$addr" = '*' ]; then
            pat="[^[:space:]]+:$port"
        else
            addr="${addr//./\\.}" addr="${addr//\[/\\[}" addr="${addr//\]/\\]}"
            pat="($addr|0\.0\.0\.0|\*|\[::\]):$port"
        fi
        if grep -qE "[[:space:]]${pat}[[:space:]]" <<<"$listening"; then
            busy+=("$ep")
            grep -E "[[:space:]]${pat}[[:space:]]" <<<"$listening" | sed 's/^/[lab]     /' >&2
        fi
    done
    [ "${#busy[@]}" -eq 0 ] || die "already in use: ${busy[*]} (another lab, or a system service started by its package?)"
}

# ---------------------------------------------------------- CA and certs --

# make_ca: the lab root CA (RSA 2048, 10 years), kept across runs.
make_ca() {
    if [ -s "$CA/ca.pem" ] && [ -s "$CA/ca.key" ] \
        && openssl x509 -in "$CA/ca.pem" -noout -checkend 2592000 >/dev/null; then
        return
    fi
    log "ca: creating the lab root CA"
    rm -f "$CA"/*.pem "$CA"/*.key
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$CA/ca.key" 2>/dev/null
    chmod 600 "$CA/ca.key"
    openssl req -x509 -new -key "$CA/ca.key" -sha256 -days 3650 \
        -subj "/O=mailtls lab/CN=mailtls lab root CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -addext "subjectKeyIdentifier=hash" \
        -out "$CA/ca.pem"
}

# leaf_key KEY ec|rsa: a new private key (EC P-256 or RSA 2048), mode 600.
leaf_key() {
    case "$2" in
        ec)  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" ;;
        rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null ;;
    esac
    chmod 600 "$1"
}

# leaf_ext HOST: the X.509 extensions of a server certificate for HOST.
leaf_ext() {
    cat <<EOF
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:$1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
}

# leaf_files NAME: chain (leaf+CA) and full (key+leaf+CA, for Postfix).
leaf_files() {
    cat "$CA/$1.pem" "$CA/ca.pem" > "$CA/$1.chain.pem"
    (umask 077; cat "$CA/$1.key" "$CA/$1.pem" "$CA/ca.pem" > "$CA/$1.full.pem")
}

# make_leaf NAME HOST ec|rsa: key, certificate (SAN=HOST), chain and full.
# Kept across runs unless missing, expiring within 30 days, or not issued by
# the current CA.
make_leaf() {
    local name="$1" host="$2" kind="$3" ext
    local key="$CA/$name.key" crt="$CA/$name.pem"
    if [ -s "$key" ] && [ -s "$crt" ] \
        && openssl x509 -in "$crt" -noout -checkend 2592000 >/dev/null \
        && openssl verify -CAfile "$CA/ca.pem" "$crt" >/dev/null 2>&1; then
        :
    else
        log "ca: issuing $name ($host, $kind)"
        leaf_key "$key" "$kind"
        ext="$(mktemp)"
        leaf_ext "$host" > "$ext"
        openssl req -new -key "$key" -subj "/O=mailtls lab/CN=$host" \
            | openssl x509 -req -CA "$CA/ca.pem" -CAkey "$CA/ca.key" -CAcreateserial \
                -sha256 -days 825 -extfile "$ext" -out "$crt" 2>/dev/null
        rm -f "$ext"
    fi
    leaf_files "$name"
}

# make_expired_leaf NAME HOST: like make_leaf (EC P-256), but valid from 30
# days before issue until the day before, so expired from the start.
# `openssl x509` cannot backdate (OpenSSL 3.0 has no -not_before/-not_after);
# `openssl ca` can, with -startdate and -enddate. Kept across runs unless
# missing, not expired, or not issued by the current CA.
make_expired_leaf() {
    local name="$1" host="$2" dir
    local key="$CA/$name.key" crt="$CA/$name.pem"
    if [ -s "$key" ] && [ -s "$crt" ] \
        && ! openssl x509 -in "$crt" -noout -checkend 0 >/dev/null \
        && openssl verify -no_check_time -CAfile "$CA/ca.pem" "$crt" >/dev/null 2>&1; then
        :
    else
        log "ca: issuing $name ($host, ec, already expired)"
        leaf_key "$key" ec
        dir="$(mktemp -d)"
        cat > "$dir/ca.cnf" <<EOF
[ca]
default_ca = lab
[lab]
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
x509_extensions = leaf
[any]
organizationName = optional
commonName = supplied
[leaf]
$(leaf_ext "$host")
EOF
        : > "$dir/index.txt"
        openssl req -new -key "$key" -subj "/O=mailtls lab/CN=$host" -out "$dir/req.pem"
        openssl ca -batch -config "$dir/ca.cnf" -cert "$CA/ca.pem" -keyfile "$CA/ca.key" \
            -rand_serial -notext -in "$dir/req.pem" -out "$crt" \
            -startdate "$(date -u -d '-30 days' +%Y%m%d%H%M%SZ)" \
            -enddate "$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)" >"$dir/log" 2>&1 \
            || { cat "$dir/log" >&2; rm -rf "$dir"; die "openssl ca failed for $name"; }
        rm -rf "$dir"
    fi
    leaf_files "$name"
}

make_certs() {
    make_ca
    make_leaf mx1        mx1.lab.test        ec
    make_leaf mx2        mx2.lab.test        ec
    make_leaf imap       imap.lab.test       ec
    make_leaf mta-sts    mta-sts.lab.test    ec
    make_leaf legacy-tls legacy-tls.lab.test rsa
    make_leaf weak-tls   weak-tls.lab.test   rsa
    make_leaf tlslite    tlslite.lab.test    rsa
    make_leaf mx3        mx3.lab.test        ec
    make_leaf mta-sts-broken mta-sts.broken.test ec
    # broken.test's MX hosts: wrongname.broken.test serves a valid lab-CA
    # certificate for another name, expired.broken.test an expired one.
    make_leaf wrongname  other-host.lab.test ec
    make_expired_leaf expired expired.broken.test
    # Exim reads its key in the SMTP process, which runs as $EXIM_USER.
    chgrp "$EXIM_USER" "$CA/mx3.key"
    chmod 640 "$CA/mx3.key"
}

# spki_sha256 CERT: hex SHA-256 of the certificate's SubjectPublicKeyInfo
# (the data of a TLSA 3 1 1 record).
spki_sha256() {
    openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER \
        | openssl dgst -sha256 -r | cut -d' ' -f1
}

# make_dkim: the DKIM key for selector lab2026 (RSA 2048), kept across runs;
# sets TPL[DKIM_TXT] to the record data split into 255-byte strings.
make_dkim() {
    local key="$RUN/dkim/$DKIM_SELECTOR.key" b64 txt chunks="" i
    if [ ! -s "$key" ]; then
        log "dkim: creating the $DKIM_SELECTOR key"
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null
        chmod 600 "$key"
    fi
    openssl pkey -in "$key" -pubout -out "$RUN/dkim/$DKIM_SELECTOR.pub.pem"
    b64="$(openssl pkey -in "$key" -pubout -outform DER | base64 -w0)"
    txt="v=DKIM1; k=rsa; p=$b64"
    for ((i = 0; i < ${#txt}; i += 255)); do
        chunks+="\"${txt:i:255}\" "
    done
    TPL[DKIM_TXT]="${chunks% }"
}

# -------------------------------------------------------------- Knot DNS --

KNOT_CONF="$RUN/knot/knot.conf"
LAB_ZONES=(test. lab.test. bogus.lab.test. broken.test. 10.0.127.in-addr.arpa.)

# zone_keys ZONE: make a KSK and a ZSK for ZONE unless it has keys already.
zone_keys() {
    if [ -z "$(keymgr -c "$KNOT_CONF" "$1" list)" ]; then
        log "knot: generating DNSSEC keys for $1"
        keymgr -c "$KNOT_CONF" "$1" generate ksk=yes >/dev/null
        keymgr -c "$KNOT_CONF" "$1" generate ksk=no >/dev/null
    fi
}

# zone_ds ZONE: the SHA-256 DS record(s) of ZONE's KSK, as zone-file lines.
zone_ds() {
    keymgr -c "$KNOT_CONF" "$1" ds | awk '$2 == "DS" && $5 == 2 { print $1, 300, "IN", "DS", $3, $4, $5, $6 }'
}

setup_knot() {
    local zone ds_lab ds_broken ds_bogus tag alg mx1_hash name
    render "$LAB_SRC/conf/knot.conf.in" "$KNOT_CONF"
    for zone in "${LAB_ZONES[@]}"; do zone_keys "$zone"; done

    ds_lab="$(zone_ds lab.test.)"
    [ -n "$ds_lab" ] || die "no DS for lab.test."
    ds_broken="$(zone_ds broken.test.)"
    [ -n "$ds_broken" ] || die "no DS for broken.test."
    # bogus.lab.test.: the real key tag and algorithm, but a digest of nothing.
    read -r _ _ _ _ tag alg _ _ < <(zone_ds bogus.lab.test. | head -n1)
    ds_bogus="bogus 300 IN DS $tag $alg 2 $(printf 'no key has this digest' | openssl dgst -sha256 -r | cut -d' ' -f1)"

    mx1_hash="$(spki_sha256 "$CA/mx1.pem")"
    TPL[TLSA_MX1]="$mx1_hash"
    # A planted DANE mismatch: mx2's TLSA names a key that does not exist.
    TPL[TLSA_MX2]="$(printf 'mx2 presents no key with this hash' | openssl dgst -sha256 -r | cut -d' ' -f1)"
    # mx3 and expired.broken.test: DANE-EE records that match; wrongname's
    # record has the right hash but usage 1 (PKIX-EE), useless for SMTP.
    for name in mx3 wrongname expired; do
        spki_sha256 "$CA/$name.pem" > "$CA/$name.spki-sha256"
    done
    TPL[TLSA_MX3]="$(cat "$CA/mx3.spki-sha256")"
    TPL[TLSA_WRONGNAME]="$(cat "$CA/wrongname.spki-sha256")"
    TPL[TLSA_EXPIRED]="$(cat "$CA/expired.spki-sha256")"
    TPL[LAB_DS]="$ds_lab"
    TPL[BROKEN_DS]="$ds_broken"
    TPL[BOGUS_DS]="$ds_bogus"
    TPL[SERIAL]="$(date +%s)"
    if [ "$LAB_IPV6" = yes ]; then
        TPL[MX1_AAAA]="mx1                 AAAA  ::1"
    else
        TPL[MX1_AAAA]="; no AAAA for mx1: ::1 is not configured on this machine"
    fi
    for zone in "${LAB_ZONES[@]}"; do
        render "$LAB_SRC/zones/${zone%.}.zone.in" "$RUN/knot/zones/${zone%.}.zone"
    done

    # Trust anchors for the resolver: test. (the lab's "root") and the reverse zone.
    zone_ds test. > "$RUN/unbound/test.anchor"
    zone_ds 10.0.127.in-addr.arpa. > "$RUN/unbound/reverse.anchor"
    echo "$mx1_hash" > "$RUN/ca/mx1.spki-sha256"

    knotc -c "$KNOT_CONF" conf-check >/dev/null || die "knot.conf is invalid"
}

start_knot() {
    local zone
    log "knot: starting on 127.0.10.1:53"
    knotd -c "$KNOT_CONF" -d </dev/null >>"$RUN/logs/knot.log" 2>&1 \
        || { log_tail "$RUN/logs/knot.log"; die "knotd failed to start"; }
    wait_until "knot pid file" "$RUN/logs/knot.log" test -s "$RUN/pids/knot.pid"
    for zone in "${LAB_ZONES[@]}"; do
        wait_until "knot: signed $zone" "$RUN/logs/knot.log" dns_has 127.0.10.1 "$zone" RRSIG
    done
}

# ---------------------------------------------------------------- Unbound --

UNBOUND_CONF="$RUN/unbound/unbound.conf"

setup_unbound() {
    render "$LAB_SRC/conf/unbound.conf.in" "$UNBOUND_CONF"
    render "$LAB_SRC/conf/root.hints.in" "$RUN/unbound/root.hints"
    unbound-checkconf "$UNBOUND_CONF" >/dev/null || die "unbound.conf is invalid"
    printf 'nameserver 127.0.10.53\noptions edns0 trust-ad\n' > "$RUN/resolv.conf"
}

start_unbound() {
    log "unbound: starting on 127.0.10.53:53"
    rm -f "$RUN/unbound/control.sock"
    unbound -c "$UNBOUND_CONF" </dev/null >>"$RUN/logs/unbound.log" 2>&1 || { log_tail "$RUN/logs/unbound.log"; die "unbound failed to start"; }
    wait_until "unbound" "$RUN/logs/unbound.log" test -s "$RUN/pids/unbound.pid"
    wait_until "unbound: validated lab.test" "$RUN/logs/unbound.log" \
        bash -c 'dig +time=1 +tries=1 @127.0.10.53 lab.test SOA +dnssec | grep -q "flags:.* ad"'
}

# ---------------------------------------------------------------- Dovecot --

DOVECOT_CONF="$RUN/dovecot/dovecot.conf"

setup_dovecot() {
    render "$LAB_SRC/conf/dovecot.conf.in" "$DOVECOT_CONF"
    (umask 077; printf '%s:{PLAIN}%s\n' "$TEST_USER" "$TEST_PASSWORD" > "$RUN/dovecot/users")
    chown root:dovecot "$RUN/dovecot/users"
    chmod 640 "$RUN/dovecot/users"
    install -d -o "$MAIL_USER" -g "$MAIL_GROUP" "$RUN/mail/$TEST_USER"
    doveconf -c "$DOVECOT_CONF" -n >/dev/null 2>"$RUN/logs/doveconf.err" \
        || { log_tail "$RUN/logs/doveconf.err"; die "dovecot.conf is invalid"; }
}

start_dovecot() {
    log "dovecot: starting on 127.0.10.143 (143, 993, 110, 995)"
    dovecot -c "$DOVECOT_CONF" </dev/null >>"$RUN/logs/dovecot.log" 2>&1 || { log_tail "$RUN/logs/dovecot.log"; die "dovecot failed to start"; }
    wait_until "dovecot pid file" "$RUN/logs/dovecot.log" test -s "$RUN/dovecot/run/master.pid"
    record_pid dovecot "$RUN/dovecot/run/master.pid"
    wait_until "dovecot imap" "$RUN/logs/dovecot.log" banner 127.0.10.143 143 "* OK"
    wait_until "dovecot pop3" "$RUN/logs/dovecot.log" banner 127.0.10.143 110 "+OK"
    wait_until "dovecot auth socket" "$RUN/logs/dovecot.log" test -S "$RUN/dovecot/auth-postfix"
}

# ---------------------------------------------------------------- Postfix --

PFX="$RUN/postfix/etc"

setup_postfix() {
    if [ "$LAB_IPV6" = yes ]; then
        TPL[MX1_V6_LISTENER]="[::1]:smtp          inet  n       -       n       -       -       smtpd"
    else
        TPL[MX1_V6_LISTENER]="# (no [::1]:25 listener: ::1 is not configured)"
    fi
    render "$LAB_SRC/conf/postfix/main.cf.in" "$PFX/main.cf"
    render "$LAB_SRC/conf/postfix/master.cf.in" "$PFX/master.cf"
    postconf -c "$PFX" -n >/dev/null || die "postfix main.cf is invalid"
}

start_postfix() {
    log "postfix: starting (mx1 127.0.10.25: 25/587/465, mx2 .26, wrongname .28, expired .29: 25)"
    rm -f "$RUN/postfix/spool/pid/master.pid"
    : > "$RUN/logs/postfix.log"
    # No syslog here: postfix start (which runs postfix check first) reports
    # through maillog_file, and only with a terminal, hence script(1).
    script -eqc "postfix -c '$PFX' start" /dev/null </dev/null >/dev/null 2>&1 \
        || { log_tail "$RUN/logs/postfix.log"; die "postfix failed to start"; }
    wait_until "postfix master" "$RUN/logs/postfix.log" test -s "$RUN/postfix/spool/pid/master.pid"
    record_pid postfix "$RUN/postfix/spool/pid/master.pid"
    wait_until "postfix mx1:25" "$RUN/logs/postfix.log" banner 127.0.10.25 25 220
    wait_until "postfix mx1:587" "$RUN/logs/postfix.log" banner 127.0.10.25 587 220
    wait_until "postfix mx2:25" "$RUN/logs/postfix.log" banner 127.0.10.26 25 220
    wait_until "postfix wrongname:25" "$RUN/logs/postfix.log" banner 127.0.10.28 25 220
    wait_until "postfix expired:25" "$RUN/logs/postfix.log" banner 127.0.10.29 25 220
    wait_until "postfix mx1:465" "$RUN/logs/postfix.log" tls_ok mx1.lab.test 127.0.10.25 465
    if [ "$LAB_IPV6" = yes ]; then
        wait_until "postfix [::1]:25" "$RUN/logs/postfix.log" banner ::1 25 220
    fi
}

# ------------------------------------------------------------------- Exim --

EXIM_CONF="$RUN/exim/exim.conf"

setup_exim() {
    local f
    TPL[EXIM_BIN]="$EXIM_BIN"
    render "$LAB_SRC/conf/exim.conf.in" "$EXIM_CONF"
    # Exim creates its log files as $EXIM_USER, which cannot write to logs/.
    for f in main reject panic; do
        install -m 640 -o "$EXIM_USER" -g "$EXIM_USER" /dev/null "$RUN/logs/exim-$f.log"
    done
    "$EXIM_BIN" -C "$EXIM_CONF" -bV >/dev/null 2>"$RUN/logs/exim-check.err" \
        || { log_tail "$RUN/logs/exim-check.err"; die "exim.conf is invalid"; }
}

start_exim() {
    log "exim: starting mx3 on 127.0.10.27:25"
    rm -f "$RUN/pids/exim.pid"
    # -bd: the daemon detaches and writes pids/exim.pid itself.
    "$EXIM_BIN" -C "$EXIM_CONF" -bd </dev/null >>"$RUN/logs/exim-main.log" 2>&1 \
        || { log_tail "$RUN/logs/exim-main.log"; log_tail "$RUN/logs/exim-panic.log"; die "exim failed to start"; }
    wait_until "exim pid file" "$RUN/logs/exim-main.log" test -s "$RUN/pids/exim.pid"
    wait_until "exim mx3:25" "$RUN/logs/exim-main.log" banner 127.0.10.27 25 "220 mx3.lab.test ESMTP Exim"
}

# ------------------------------------------------------------------ nginx --

NGINX_CONF="$RUN/nginx/nginx.conf"

setup_nginx() {
    install -m 644 "$LAB_SRC/www/mta-sts.txt" "$LAB_SRC/www/logo.svg" "$RUN/www/"
    mkdir -p "$RUN/www/.well-known"
    mv -f "$RUN/www/mta-sts.txt" "$RUN/www/.well-known/mta-sts.txt"
    install -D -m 644 "$LAB_SRC/www/broken/mta-sts.txt" "$RUN/www-broken/.well-known/mta-sts.txt"
    render "$LAB_SRC/conf/nginx.conf.in" "$NGINX_CONF"
    nginx -q -t -c "$NGINX_CONF" -e "$RUN/logs/nginx-error.log" 2>"$RUN/logs/nginx-test.err" \
        || { log_tail "$RUN/logs/nginx-test.err"; die "nginx.conf is invalid"; }
}

start_nginx() {
    log "nginx: starting on 127.0.10.44:443 and 127.0.10.45:443 (MTA-STS policies)"
    # shellcheck disable=SC2094  # nginx appends its own errors to the same log
    nginx -c "$NGINX_CONF" -e "$RUN/logs/nginx-error.log" </dev/null >>"$RUN/logs/nginx-error.log" 2>&1 \
        || { log_tail "$RUN/logs/nginx-error.log"; die "nginx failed to start"; }
    wait_until "nginx pid file" "$RUN/logs/nginx-error.log" test -s "$RUN/pids/nginx.pid"
    wait_until "nginx https" "$RUN/logs/nginx-error.log" tls_ok mta-sts.lab.test 127.0.10.44 443
    wait_until "nginx https (broken.test)" "$RUN/logs/nginx-error.log" \
        tls_ok mta-sts.broken.test 127.0.10.45 443
}

# ----------------------------------------------------- weak TLS servers --

# legacy-tls.lab.test: OpenSSL offering TLS 1.0 and 1.1 only.
start_legacy_tls() {
    log "openssl s_server: starting legacy-tls on 127.0.10.10:443 (TLS 1.0/1.1 only)"
    setsid openssl s_server -accept 127.0.10.10:443 -www -quiet \
        -cert "$CA/legacy-tls.pem" -key "$CA/legacy-tls.key" -cert_chain "$CA/ca.pem" \
        -no_tls1_2 -no_tls1_3 -cipher 'ALL:@SECLEVEL=0' \
        </dev/null >"$RUN/logs/legacy-tls.log" 2>&1 &
    record_pid legacy-tls "$!"
    wait_until "legacy-tls" "$RUN/logs/legacy-tls.log" \
        bash -c 'timeout 5 openssl s_client -connect 127.0.10.10:443 -tls1 -cipher "ALL:@SECLEVEL=0" </dev/null'
}

# weak-tls.lab.test: GnuTLS offering RC4 and 3DES (and TLS 1.0/1.1 beside the
# modern defaults); gnutls-serv cannot pick an address, so it binds all.
WEAK_TLS_PRIORITY='NORMAL:+VERS-TLS1.0:+VERS-TLS1.1:+ARCFOUR-128:+3DES-CBC:+RSA:+SHA1:+MD5'
start_weak_tls() {
    log "gnutls-serv: starting weak-tls on port 4433 (RC4, 3DES)"
    setsid gnutls-serv --port 4433 --http --disable-client-cert \
        --x509certfile "$CA/weak-tls.chain.pem" --x509keyfile "$CA/weak-tls.key" \
        --priority "$WEAK_TLS_PRIORITY" \
        </dev/null >"$RUN/logs/weak-tls.log" 2>&1 &
    record_pid weak-tls "$!"
    wait_until "weak-tls" "$RUN/logs/weak-tls.log" tls_ok weak-tls.lab.test 127.0.10.11 4433
}

# tlslite.lab.test: a minimal ESMTP server whose STARTTLS layer is tlslite-ng,
# offering SSL 3.0 to TLS 1.2 with RC4, 3DES, MD5 and CBC suites beside
# AEAD ones (lab/tlslite-smtp.py), no TLS 1.3.
install_tlslite() {
    local want have=""
    want="$(tr -d '[:space:]' < "$LAB_SRC/tlslite.version")"
    if [ -x "$TLSLITE_VENV/bin/python3" ]; then
        have="$("$TLSLITE_VENV/bin/python3" -c 'import importlib.metadata as m; print(m.version("tlslite-ng"))' 2>/dev/null || true)"
    fi
    [ "$have" = "$want" ] && return
    if ! "$TLSLITE_PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        log "tlslite: installing python3-venv"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv \
            >"$RUN/logs/apt-venv.log" 2>&1 \
            || { log_tail "$RUN/logs/apt-venv.log"; die "apt-get install python3-venv failed"; }
    fi
    log "tlslite: installing tlslite-ng $want into $TLSLITE_VENV"
    mkdir -p "$RUN/tlslite"
    rm -rf "$TLSLITE_VENV"
    "$TLSLITE_PYTHON" -m venv "$TLSLITE_VENV"
    "$TLSLITE_VENV/bin/pip" install -q --disable-pip-version-check "tlslite-ng==$want" \
        >"$RUN/logs/pip-tlslite.log" 2>&1 \
        || { log_tail "$RUN/logs/pip-tlslite.log"; die "pip install tlslite-ng==$want failed"; }
}

start_tlslite() {
    log "tlslite-ng: starting tlslite on 127.0.10.30:25 (STARTTLS; SSL 3.0, RC4, 3DES)"
    setsid "$TLSLITE_VENV/bin/python3" "$LAB_SRC/tlslite-smtp.py" \
        --listen 127.0.10.30 --port 25 --hostname tlslite.lab.test \
        --cert "$CA/tlslite.chain.pem" --key "$CA/tlslite.key" \
        </dev/null >"$RUN/logs/tlslite.log" 2>&1 &
    record_pid tlslite "$!"
    wait_until "tlslite:25" "$RUN/logs/tlslite.log" banner 127.0.10.30 25 "220 tlslite.lab.test"
    wait_until "tlslite STARTTLS" "$RUN/logs/tlslite.log" tls_ok tlslite.lab.test 127.0.10.30 25 smtp
}

# tlslite_legacy_ok VERSION CIPHER MAC: tlslite.lab.test completes a STARTTLS
# handshake with only that protocol version, cipher and MAC (tlslite-ng's own
# client, since the local OpenSSL has no SSL 3.0, RC4 or 3DES).
tlslite_legacy_ok() {
    timeout 10 "$TLSLITE_VENV/bin/python3" - "$@" <<'EOF'
import smtplib, sys
from tlslite import HandshakeSettings, TLSConnection
version = {"ssl3": (3, 0), "tls1": (3, 1), "tls1_1": (3, 2), "tls1_2": (3, 3)}[sys.argv[1]]
settings = HandshakeSettings()
settings.minVersion = settings.maxVersion = version
settings.cipherNames = [sys.argv[2]]
settings.macNames = [sys.argv[3]]
smtp = smtplib.SMTP("127.0.10.30", 25, timeout=5)
smtp.ehlo("lab-check.invalid")
code, _ = smtp.docmd("STARTTLS")
assert code == 220, code
tls = TLSConnection(smtp.sock)
tls.handshakeClientCert(settings=settings, serverName="tlslite.lab.test")
assert tls.version == version, tls.version
tls.close()
EOF
}

# ------------------------------------------------------------ self check --

# check NAME COMMAND...: run one end-to-end probe; collect failures.
CHECK_FAILED=()
check() {
    local name="$1"; shift
    if "$@" >/dev/null 2>&1; then
        printf '[lab]   ok    %s\n' "$name" >&2
    else
        printf '[lab]   FAIL  %s\n' "$name" >&2
        CHECK_FAILED+=("$name")
    fi
}

resolver_status() {  # resolver_status NAME TYPE STATUS [dig options]
    local name="$1" type="$2" want="$3"; shift 3
    dig +time=2 +tries=1 @127.0.10.53 "$name" "$type" "$@" | grep -q "status: $want"
}
resolver_ad() {      # resolver_ad NAME TYPE: answer validated (AD flag)
    dig +time=2 +tries=1 @127.0.10.53 "$1" "$2" +dnssec | grep -qE "flags:[^;]* ad[ ;]"
}
mta_sts_policy() {    # mta_sts_policy HOST ADDR MODE
    curl -sf --max-time 5 --cacert "$CA/ca.pem" --resolve "$1:443:$2" \
        "https://$1/.well-known/mta-sts.txt" | grep -qx "mode: $3"
}
# tls_verify_error NAME ADDR: STARTTLS on ADDR:25 works, and OpenSSL's
# verification of NAME fails with the reason given as the third argument.
tls_verify_error() {
    timeout 5 openssl s_client -connect "$2:25" -starttls smtp -servername "$1" \
        -verify_hostname "$1" -CAfile "$CA/ca.pem" </dev/null 2>/dev/null \
        | grep -q "Verify return code: [0-9]* ($3)"
}
tls12_refused() {
    ! timeout 5 openssl s_client -connect 127.0.10.10:443 -tls1_2 </dev/null
}
rc4_offered() {
    timeout 5 gnutls-cli --insecure --port 4433 127.0.10.11 \
        --priority 'NONE:+VERS-TLS1.0:+ARCFOUR-128:+RSA:+SHA1:+COMP-NULL:+SIGN-ALL' </dev/null \
        | grep -q 'ARCFOUR'
}
tls_supported() {
    timeout 5 openssl s_client -connect 127.0.10.10:443 -tls1 -cipher 'ALL:@SECLEVEL=0' </dev/null
}

self_check() {
    log "self check:"
    check "resolver: lab.test MX validated (AD)"      resolver_ad lab.test MX
    check "resolver: TLSA _25._tcp.mx1.lab.test"      resolver_ad _25._tcp.mx1.lab.test TLSA
    check "resolver: bogus.lab.test A is SERVFAIL"    resolver_status bogus.lab.test A SERVFAIL
    check "resolver: bogus.lab.test A +cd answers"    resolver_status bogus.lab.test A NOERROR +cd
    check "resolver: PTR 127.0.10.25 validated"       resolver_ad 25.10.0.127.in-addr.arpa PTR
    check "resolver: broken.test MX validated (AD)"   resolver_ad broken.test MX
    check "resolver: TLSA _25._tcp.mx3.lab.test"      resolver_ad _25._tcp.mx3.lab.test TLSA
    check "mx1 25 STARTTLS"         tls_ok mx1.lab.test 127.0.10.25 25 smtp
    check "mx1 587 STARTTLS"        tls_ok mx1.lab.test 127.0.10.25 587 smtp
    check "mx1 465 TLS"             tls_ok mx1.lab.test 127.0.10.25 465
    check "mx2 25 STARTTLS"         tls_ok mx2.lab.test 127.0.10.26 25 smtp
    if [ "$LAB_IPV6" = yes ]; then
        check "mx1 [::1]:25 STARTTLS" tls_ok mx1.lab.test ::1 25 smtp
    fi
    check "imap 143 STARTTLS"       tls_ok imap.lab.test 127.0.10.143 143 imap
    check "imap 993 TLS"            tls_ok imap.lab.test 127.0.10.143 993
    check "pop3 110 STLS"           tls_ok imap.lab.test 127.0.10.143 110 pop3
    check "pop3 995 TLS"            tls_ok imap.lab.test 127.0.10.143 995
    check "mta-sts policy"          mta_sts_policy mta-sts.lab.test 127.0.10.44 enforce
    check "legacy-tls TLS 1.0"      tls_supported
    check "legacy-tls refuses 1.2"  tls12_refused
    check "weak-tls RC4"            rc4_offered
    check "mx3 (Exim) 25 STARTTLS"  tls_ok mx3.lab.test 127.0.10.27 25 smtp
    check "wrongname 25 serves other-host.lab.test" tls_ok other-host.lab.test 127.0.10.28 25 smtp
    check "wrongname 25 name mismatch" tls_verify_error wrongname.broken.test 127.0.10.28 'hostname mismatch'
    check "expired 25 expired"      tls_verify_error expired.broken.test 127.0.10.29 'certificate has expired'
    check "mta-sts policy (broken.test)" mta_sts_policy mta-sts.broken.test 127.0.10.45 testing
    check "tlslite 25 STARTTLS"     tls_ok tlslite.lab.test 127.0.10.30 25 smtp
    check "tlslite SSLv3 RC4-MD5"   tlslite_legacy_ok ssl3 rc4 md5
    check "tlslite TLSv1.0 3DES"    tlslite_legacy_ok tls1 3des sha
    [ "${#CHECK_FAILED[@]}" -eq 0 ] || die "self check failed: ${CHECK_FAILED[*]}"
}

# -------------------------------------------------------------- env file --

write_env() {
    cat > "$RUN/lab.env" <<EOF
# mailtls lab: generated by lab/up.sh (source this file in tests).
MAILTLS_LAB_DIR=$RUN
MAILTLS_LAB_CA=$CA/ca.pem
MAILTLS_LAB_RESOLVER=127.0.10.53
MAILTLS_LAB_AUTH_NS=127.0.10.1
MAILTLS_LAB_RESOLV_CONF=$RUN/resolv.conf
MAILTLS_LAB_TEST_ANCHOR=$RUN/unbound/test.anchor
MAILTLS_LAB_DKIM_SELECTOR=$DKIM_SELECTOR
MAILTLS_LAB_DKIM_KEY=$RUN/dkim/$DKIM_SELECTOR.key
MAILTLS_LAB_USER=$TEST_USER
MAILTLS_LAB_PASSWORD=$TEST_PASSWORD
MAILTLS_LAB_MX1_SPKI_SHA256=$(cat "$CA/mx1.spki-sha256")
MAILTLS_LAB_MX3_SPKI_SHA256=$(cat "$CA/mx3.spki-sha256")
MAILTLS_LAB_EXIM=$EXIM_BIN
MAILTLS_LAB_EXIM_CONF=$EXIM_CONF
MAILTLS_LAB_IPV6=$LAB_IPV6
EOF
}

# ------------------------------------------------------------------ main --

# detect_ipv6: mx1 gets an AAAA (::1) and a [::1]:25 listener only if lo has ::1.
detect_ipv6() {
    if ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/128'; then
        LAB_IPV6=yes
    else
        LAB_IPV6=no
        log "no ::1 on lo: mx1 gets no AAAA record and no [::1]:25 listener"
    fi
}

# init_templates: the template values every config shares.
init_templates() {
    TPL=(
        [RUN]="$RUN"
        [MAIL_USER]="$MAIL_USER"
        [MAIL_GROUP]="$MAIL_GROUP"
        [MAIL_UID]="$(id -u "$MAIL_USER")"
        [MAIL_GID]="$(getent group "$MAIL_GROUP" | cut -d: -f3)"
        [DOVECOT_DH]=/usr/share/dovecot/dh.pem
        [TEST_USER]="$TEST_USER"
        [INET_PROTOCOLS]="$([ "$LAB_IPV6" = yes ] && echo all || echo ipv4)"
    )
}

# On failure, stop whatever was started so the next run begins clean (the
# logs stay). MAILTLS_LAB_KEEP=1 leaves the servers running for debugging.
STARTING=no
on_exit() {
    local rc=$?
    if [ "$rc" -ne 0 ] && [ "$STARTING" = yes ]; then
        log "up.sh failed (exit $rc); logs are in $RUN/logs/"
        if [ "${MAILTLS_LAB_KEEP:-0}" != 1 ]; then
            log "stopping what was started (MAILTLS_LAB_KEEP=1 keeps it)"
            "$LAB_SRC/down.sh" >/dev/null 2>&1 || true
        fi
    fi
    exit "$rc"
}

main() {
    [ "$(id -u)" -eq 0 ] || die "run as root"
    local t0=$SECONDS
    rotate_logs
    install_packages
    install_exim
    install_tlslite
    "$LAB_SRC/down.sh"
    STARTING=yes
    trap on_exit EXIT
    prepare_dirs
    detect_ipv6
    ports_free
    init_templates

    make_certs
    make_dkim
    setup_knot;     start_knot
    setup_unbound;  start_unbound
    setup_dovecot;  start_dovecot
    setup_postfix;  start_postfix
    setup_exim;     start_exim
    setup_nginx;    start_nginx
    start_legacy_tls
    start_weak_tls
    start_tlslite
    self_check
    write_env
    STARTING=no
    log "lab is up in $((SECONDS - t0))s; runtime dir $RUN (env: $RUN/lab.env)"
}

main "$@"
