#!/usr/bin/env python3
"""A deliberately weak SMTP server with STARTTLS, built on tlslite-ng.

tlslite.lab.test in the mailtls lab: a minimal ESMTP dialogue (greeting,
EHLO/HELO, STARTTLS, NOOP, RSET, MAIL/RCPT/DATA that discard the message,
QUIT) whose TLS layer is tlslite-ng, a pure-Python TLS implementation that
still speaks SSL 3.0 and offers RC4, 3DES and MD5-MAC suites, which the
packaged servers of Debian 12 cannot be made to offer any more.

    tlslite-smtp.py --listen 127.0.10.30 --port 25 \\
        --cert tlslite.chain.pem --key tlslite.key --hostname tlslite.lab.test

Every connection runs in a thread of its own (up to --max-clients; above that
a new client gets "421" and is closed). Every read has a timeout, every error
a client provokes ends that client's connection only, and a line longer than
the SMTP limit or too many bad commands end it too.
"""

import argparse
import os
import signal
import socketserver
import sys
import threading
import time

from tlslite import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey

# RFC 5321 §4.5.3.1.4-6: a command line is at most 512 octets, a text line of
# the message at most 1000; accept the larger for both.
MAX_LINE = 1000
MAX_ERRORS = 10
MAX_MESSAGE = 1 << 20


def log(text):
    """One line to stderr, with the time."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    sys.stderr.write(f"{stamp} {text}\n")
    sys.stderr.flush()


def tls_settings():
    """SSL 3.0 to TLS 1.2 with every weak choice tlslite-ng still has."""
    settings = HandshakeSettings()
    settings.minVersion = (3, 0)
    settings.maxVersion = (3, 3)
    settings.cipherNames = [
        "aes256gcm", "aes128gcm", "chacha20-poly1305",
        "aes256", "aes128", "3des", "rc4",
    ]
    settings.macNames = ["sha384", "sha256", "aead", "sha", "md5"]
    settings.keyExchangeNames = ["ecdhe_rsa", "dhe_rsa", "rsa"]
    settings.useEncryptThenMAC = False
    return settings.validate()


class LineStream:
    """CRLF lines over a socket-like object that has recv() and sendall()."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""

    def readline(self):
        """The next line without its line ending; None at end of stream.

        Raises ValueError for a line longer than MAX_LINE."""
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                line, self.buffer = self.buffer[:end], self.buffer[end + 1:]
                if len(line) > MAX_LINE:
                    raise ValueError("line too long")
                return line.rstrip(b"\r")
            if len(self.buffer) > MAX_LINE:
                raise ValueError("line too long")
            chunk = self.sock.recv(4096)
            if not chunk:
                return None
            self.buffer += chunk

    def send(self, text):
        """Send one reply (a str, CRLF added to every line)."""
        self.sock.sendall(text.replace("\n", "\r\n").encode("ascii") + b"\r\n")


class Session:
    """One client: the plain dialogue, then the same dialogue inside TLS."""

    def __init__(self, server, sock, peer):
        self.server = server
        self.sock = sock
        self.peer = peer
        self.stream = LineStream(sock)
        self.tls = None
        self.errors = 0

    def run(self):
        """Serve the client until QUIT, end of stream, timeout or error."""
        host = self.server.hostname
        self.stream.send(f"220 {host} ESMTP tlslite-ng lab")
        while True:
            try:
                line = self.stream.readline()
            except ValueError:
                self.stream.send("500 5.5.6 Line too long")
                return
            if line is None:
                return
            verb, _, argument = line.decode("latin-1").partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                self.ehlo()
            elif verb == "HELO":
                self.stream.send(f"250 {host}")
            elif verb == "STARTTLS":
                if self.tls is not None:
                    self.stream.send("503 5.5.1 TLS already active")
                    continue
                if argument.strip():
                    self.stream.send("501 5.5.4 Syntax: STARTTLS")
                    continue
                if not self.starttls():
                    return
            elif verb in ("NOOP", "RSET"):
                self.stream.send("250 2.0.0 OK")
            elif verb in ("MAIL", "RCPT"):
                self.stream.send("250 2.1.0 OK")
            elif verb == "DATA":
                self.data()
            elif verb == "QUIT":
                self.stream.send(f"221 2.0.0 {host} closing connection")
                return
            else:
                self.errors += 1
                if self.errors >= MAX_ERRORS:
                    self.stream.send("421 4.7.0 Too many errors")
                    return
                self.stream.send("502 5.5.2 Command not recognised")

    def ehlo(self):
        lines = [self.server.hostname, "PIPELINING", "SIZE 1048576", "8BITMIME"]
        if self.tls is None:
            lines.append("STARTTLS")
        self.stream.send("\n".join(
            f"250{' ' if i == len(lines) - 1 else '-'}{text}" for i, text in enumerate(lines)))

    def data(self):
        self.stream.send("354 End data with <CR><LF>.<CR><LF>")
        size = 0
        while True:
            line = self.stream.readline()
            if line is None:
                raise ConnectionError("end of stream inside DATA")
            if line == b".":
                break
            size += len(line) + 2
            if size > MAX_MESSAGE:
                raise ValueError("message too large")
        self.stream.send("250 2.0.0 Message accepted and discarded")

    def starttls(self):
        """The handshake after "220"; False when it failed (connection over)."""
        # Anything the client sent after STARTTLS before the handshake is
        # discarded, never read as a command inside TLS (the STARTTLS command
        # injection of CVE-2011-0411 is not one of this server's weaknesses).
        self.stream.buffer = b""
        self.stream.send("220 2.0.0 Ready to start TLS")
        connection = TLSConnection(self.sock)
        try:
            connection.handshakeServer(
                certChain=self.server.cert_chain,
                privateKey=self.server.private_key,
                settings=self.server.settings,
            )
        except Exception as error:  # any failure ends this client only
            log(f"{self.peer}: handshake failed: {type(error).__name__}: {error}")
            return False
        version = {(3, 0): "SSLv3", (3, 1): "TLSv1.0", (3, 2): "TLSv1.1",
                   (3, 3): "TLSv1.2"}.get(connection.version, str(connection.version))
        log(f"{self.peer}: {version} {connection.getCipherName()}")
        self.tls = connection
        self.stream = LineStream(connection)
        return True

    def close(self):
        if self.tls is not None:
            try:
                self.tls.close()
            except Exception:
                pass
        try:
            self.sock.close()
        except OSError:
            pass


class Handler(socketserver.BaseRequestHandler):
    """Runs one Session in the thread socketserver gives it."""

    def handle(self):
        server = self.server
        peer = "%s:%s" % self.client_address[:2]
        if not server.slots.acquire(blocking=False):
            try:
                self.request.sendall(b"421 4.3.2 Too many connections\r\n")
            except OSError:
                pass
            return
        self.request.settimeout(server.timeout_seconds)
        session = Session(server, self.request, peer)
        try:
            session.run()
        except Exception as error:  # timeouts, resets, garbage: this client only
            log(f"{peer}: closed: {type(error).__name__}: {error}")
        finally:
            session.close()
            server.slots.release()


class Server(socketserver.ThreadingTCPServer):
    """A threading TCP server with a deep accept queue."""

    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 256


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.10.30", help="address to bind")
    parser.add_argument("--port", type=int, default=25)
    parser.add_argument("--cert", required=True, help="PEM chain: leaf first, then the CA")
    parser.add_argument("--key", required=True, help="PEM RSA private key")
    parser.add_argument("--hostname", default="tlslite.lab.test", help="name in the greeting")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds a read or write may wait")
    parser.add_argument("--max-clients", type=int, default=200)
    parser.add_argument("--pid-file", help="write the PID here once listening")
    args = parser.parse_args()

    with open(args.cert, encoding="ascii") as f:
        chain = X509CertChain()
        chain.parsePemList(f.read())
    with open(args.key, encoding="ascii") as f:
        key = parsePEMKey(f.read(), private=True)

    server = Server((args.listen, args.port), Handler)
    server.hostname = args.hostname
    server.cert_chain = chain
    server.private_key = key
    server.settings = tls_settings()
    server.timeout_seconds = args.timeout
    server.slots = threading.BoundedSemaphore(args.max_clients)

    if args.pid_file:
        with open(args.pid_file + ".tmp", "w", encoding="ascii") as f:
            f.write(f"{os.getpid()}\n")
        os.replace(args.pid_file + ".tmp", args.pid_file)

    def stop(signum, _frame):
        log(f"signal {signum}: stopping")
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log(f"listening on {args.listen}:{args.port} as {args.hostname}")
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
