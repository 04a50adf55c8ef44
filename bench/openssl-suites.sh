#!/usr/bin/env bash
# The cipher suites a server accepts, one OpenSSL handshake per version and
# suite: the slow, obvious way, as ground truth for the lab tests.
#
#   bench/openssl-suites.sh ADDR:PORT [STARTTLS-PROTO] [SERVERNAME]
#
# Prints "VERSION IANA-NAME" for every accepted pair (TLSv1, TLSv1.1,
# TLSv1.2 with every suite this OpenSSL knows at security level 0; TLSv1.3
# with its five suites). OpenSSL 3 on Debian 12 has no SSL 3.0 and no RC4 or
# 3DES suites; bench/hello-suites.py covers those.
set -euo pipefail

target="$1" proto="${2:-}" name="${3:-}"
extra=()
[ -n "$proto" ] && extra+=(-starttls "$proto")
[ -n "$name" ] && extra+=(-servername "$name")

for version in tls1 tls1_1 tls1_2; do
    while read -r _ _ std openssl_name _; do
        if timeout 10 openssl s_client -connect "$target" "${extra[@]}" "-$version" \
            -cipher "$openssl_name:@SECLEVEL=0" -ciphersuites '' </dev/null 2>/dev/null \
            | grep -qE '^New, .*Cipher is [^(]'; then
            echo "$version $std"
        fi
    done < <(openssl ciphers -V -stdname -s "-$version" 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' \
        | awk '$5 !~ /^TLS_/ { print $1, "-", $3, $5 }')
done
for suite in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256 \
    TLS_AES_128_CCM_SHA256 TLS_AES_128_CCM_8_SHA256; do
    if timeout 10 openssl s_client -connect "$target" "${extra[@]}" -tls1_3 \
        -ciphersuites "$suite" </dev/null 2>/dev/null | grep -qE '^New, .*Cipher is [^(]'; then
        echo "tls1_3 $suite"
    fi
done
