#!/usr/bin/env python3
"""The cipher suites a server accepts per protocol version, from raw
ClientHellos: no TLS library in the client, so SSL 3.0, RC4, 3DES and MD5
suites are seen even where the local OpenSSL has none of them.

    bench/hello-suites.py ADDR PORT [--starttls smtp|imap|pop3] [--servername NAME]

For each version (SSLv3, TLSv1.0, TLSv1.1, TLSv1.2) it offers every code
point in 0x0000-0x00FE, 0xC000-0xC0FF and 0xCCA8-0xCCAE, notes the suite the
ServerHello chose, removes it from the offer and asks again, until the server
refuses; one connection per accepted suite plus one. Prints "VERSION NAME"
lines (IANA names where known, else the code point in hex) and, on stderr,
the number of connections.
"""

import argparse
import socket
import struct
import subprocess
import sys

VERSIONS = [("SSLv3", 0x0300), ("TLSv1.0", 0x0301), ("TLSv1.1", 0x0302), ("TLSv1.2", 0x0303)]

# Legacy suites the local OpenSSL does not name (RFC 2246, 4346, 4492, 5246).
LEGACY_NAMES = {
    0x0001: "TLS_RSA_WITH_NULL_MD5", 0x0002: "TLS_RSA_WITH_NULL_SHA",
    0x0003: "TLS_RSA_EXPORT_WITH_RC4_40_MD5", 0x0004: "TLS_RSA_WITH_RC4_128_MD5",
    0x0005: "TLS_RSA_WITH_RC4_128_SHA", 0x0006: "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5",
    0x0007: "TLS_RSA_WITH_IDEA_CBC_SHA", 0x0008: "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA",
    0x0009: "TLS_RSA_WITH_DES_CBC_SHA", 0x000A: "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    0x0011: "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", 0x0012: "TLS_DHE_DSS_WITH_DES_CBC_SHA",
    0x0013: "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", 0x0014: "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA",
    0x0015: "TLS_DHE_RSA_WITH_DES_CBC_SHA", 0x0016: "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
    0x0017: "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5", 0x0018: "TLS_DH_anon_WITH_RC4_128_MD5",
    0x001B: "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA",
    0xC002: "TLS_ECDH_ECDSA_WITH_RC4_128_SHA", 0xC003: "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA",
    0xC007: "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", 0xC008: "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA",
    0xC00C: "TLS_ECDH_RSA_WITH_RC4_128_SHA", 0xC00D: "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA",
    0xC011: "TLS_ECDHE_RSA_WITH_RC4_128_SHA", 0xC012: "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
    0xC016: "TLS_ECDH_anon_WITH_RC4_128_SHA", 0xC017: "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA",
    0xC01A: "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA", 0xC01B: "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA",
    0xC01C: "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA",
}


def suite_names():
    """IANA names by code point: this OpenSSL's table, then the legacy ones."""
    names = dict(LEGACY_NAMES)
    try:
        out = subprocess.run(
            ["openssl", "ciphers", "-V", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
            capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return names
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[0].startswith("0x") and "," in fields[0]:
            high, low = fields[0].split(",")
            names.setdefault(int(high, 16) << 8 | int(low, 16), fields[2])
    return names


def offered_suites():
    codes = list(range(0x0000, 0x00FF)) + list(range(0xC000, 0xC100)) + list(range(0xCCA8, 0xCCAF))
    return [c for c in codes if c != 0x0000]


def extension(kind, body):
    return struct.pack("!HH", kind, len(body)) + body


def client_hello(version, suites, servername):
    """A ClientHello record (record version 0x0301, or 0x0300 for SSLv3)."""
    body = struct.pack("!H", version) + bytes(range(32)) + b"\x00"
    body += struct.pack("!H", 2 * len(suites)) + b"".join(struct.pack("!H", c) for c in suites)
    body += b"\x01\x00"
    if version >= 0x0301:
        exts = b""
        if servername:
            name = servername.encode("ascii")
            entry = b"\x00" + struct.pack("!H", len(name)) + name
            exts += extension(0, struct.pack("!H", len(entry)) + entry)
        groups = [0x001D, 0x0017, 0x0018, 0x0019, 0x001E, 0x0100, 0x0101]
        exts += extension(10, struct.pack("!H", 2 * len(groups)) + b"".join(struct.pack("!H", g) for g in groups))
        exts += extension(11, b"\x01\x00")
        if version >= 0x0303:
            algs = [0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603,
                    0x0201, 0x0203, 0x0202, 0x0402, 0x0502, 0x0602]
            exts += extension(13, struct.pack("!H", 2 * len(algs)) + b"".join(struct.pack("!H", a) for a in algs))
        exts += extension(0xFF01, b"\x00")
        body += struct.pack("!H", len(exts)) + exts
    handshake = b"\x01" + struct.pack("!I", len(body))[1:] + body
    record_version = 0x0300 if version == 0x0300 else 0x0301
    return b"\x16" + struct.pack("!HH", record_version, len(handshake)) + handshake


def read_line(sock):
    line = b""
    while not line.endswith(b"\n"):
        byte = sock.recv(1)
        if not byte:
            raise ConnectionError("closed during the plain-text dialogue")
        line += byte
    return line


def read_reply(sock):
    """One (possibly multi-line) SMTP reply."""
    while True:
        line = read_line(sock)
        if len(line) < 4 or line[3:4] != b"-":
            return line


def starttls(sock, proto):
    if proto == "smtp":
        read_reply(sock)
        sock.sendall(b"EHLO hello-suites.invalid\r\n")
        read_reply(sock)
        sock.sendall(b"STARTTLS\r\n")
        if not read_reply(sock).startswith(b"220"):
            raise ConnectionError("STARTTLS refused")
    elif proto == "imap":
        read_line(sock)
        sock.sendall(b"a STARTTLS\r\n")
        while True:
            line = read_line(sock)
            if line.startswith(b"a "):
                if not line.startswith(b"a OK"):
                    raise ConnectionError("STARTTLS refused")
                break
    elif proto == "pop3":
        read_line(sock)
        sock.sendall(b"STLS\r\n")
        if not read_line(sock).startswith(b"+OK"):
            raise ConnectionError("STLS refused")


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def server_choice(args, version, suites):
    """(negotiated version, chosen suite) or None when the server refused."""
    with socket.create_connection((args.addr, args.port), timeout=args.timeout) as sock:
        if args.starttls:
            starttls(sock, args.starttls)
        sock.sendall(client_hello(version, suites, args.servername))
        buffer = b""
        try:
            while True:
                header = recv_exact(sock, 5)
                kind, _, length = struct.unpack("!BHH", header)
                payload = recv_exact(sock, length)
                if kind == 21:
                    return None
                if kind != 22:
                    return None
                buffer += payload
                if len(buffer) >= 4:
                    if buffer[0] != 2:
                        return None
                    size = int.from_bytes(buffer[1:4], "big")
                    if len(buffer) >= 4 + size:
                        hello = buffer[4:4 + size]
                        sid_len = hello[34]
                        offset = 35 + sid_len
                        chosen = struct.unpack("!H", hello[offset:offset + 2])[0]
                        return struct.unpack("!H", hello[0:2])[0], chosen
        except (ConnectionError, socket.timeout, OSError):
            return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("addr")
    parser.add_argument("port", type=int)
    parser.add_argument("--starttls", choices=["smtp", "imap", "pop3"])
    parser.add_argument("--servername")
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    names = suite_names()
    connections = 0
    for label, version in VERSIONS:
        remaining = offered_suites()
        while remaining:
            connections += 1
            answer = server_choice(args, version, remaining)
            if answer is None:
                break
            negotiated, chosen = answer
            if negotiated != version:
                break
            if chosen not in remaining:
                print(f"# {label}: server chose 0x{chosen:04X}, which was not offered", file=sys.stderr)
                break
            remaining.remove(chosen)
            print(f"{label} {names.get(chosen, f'0x{chosen:04X}')}", flush=True)
    print(f"# {connections} connections", file=sys.stderr)


if __name__ == "__main__":
    main()
