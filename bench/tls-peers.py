#!/usr/bin/env python3
"""mailtls against testssl.sh and sslyze on the lab's TLS servers.

    python3 bench/tls-peers.py [--servers tlslite,gnutls] [--tools mailtls,sslyze]
                               [--delays 0,20] [--out bench/results/latest.md]

For every server × tool × delay, a fresh bench/proxy.py is started in front of
the server (adding DELAY ms to every chunk in each direction), the tool scans
the server through it, and the harness records the connections the proxy
accepted, the tool's wall time, and for mailtls its peak RSS (from wait4).
Then it compares the protocol versions and cipher suites each tool found and
names, per server, where mailtls differs from testssl.sh and sslyze where
those two agree.

Every tool is given 127.0.0.1 and the proxy's port, never a name to resolve
on its own; testssl.sh and sslyze also run in a private mount namespace whose
/etc/resolv.conf names the lab resolver, so a lookup they make anyway stays in
the lab. Needs the lab (lab/up.sh), the peers (bench/setup.sh) and a release
build of mailtls (built here unless --mailtls is given). Run as root (for
unshare).
"""

import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)

# name: (host name, address, port, STARTTLS protocol or None, mailtls URL scheme)
SERVERS = {
    "postfix": ("mx1.lab.test", "127.0.10.25", 25, "smtp", "smtp"),
    "dovecot": ("imap.lab.test", "127.0.10.143", 993, None, "imaps"),
    "openssl": ("legacy-tls.lab.test", "127.0.10.10", 443, None, "https"),
    "gnutls": ("weak-tls.lab.test", "127.0.10.11", 4433, None, "https"),
    "tlslite": ("tlslite.lab.test", "127.0.10.30", 25, "smtp", "smtp"),
}
TOOLS = ["mailtls", "testssl", "sslyze"]
VERSIONS = ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]


def log(text):
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def lab_env():
    """The lab's settings from lab.env (MAILTLS_LAB_DIR or lab/run)."""
    run = os.environ.get("MAILTLS_LAB_DIR", os.path.join(ROOT, "lab", "run"))
    env = {}
    path = os.path.join(run, "lab.env")
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, sep, value = line.strip().partition("=")
            if sep and not key.startswith("#"):
                env[key] = value
    return env


# ------------------------------------------------------------------ proxy --

class Proxy:
    """bench/proxy.py in front of one server, for one run."""

    def __init__(self, target, delay_ms, stats_path):
        self.stats_path = stats_path
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(BENCH, "proxy.py"), "--target", target,
             "--listen", "127.0.0.1:0", "--delay-ms", str(delay_ms), "--stats", stats_path],
            stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.match(r"listening [0-9.]+:(\d+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"proxy did not start: {line!r}")
        self.port = int(match.group(1))

    def stats(self):
        with open(self.stats_path, encoding="utf-8") as f:
            return json.load(f)

    def finish(self):
        """Stats once every connection is closed (at most 10 s), then stop."""
        deadline = time.monotonic() + 10
        stats = self.stats()
        while stats["open"] > 0 and time.monotonic() < deadline:
            time.sleep(0.05)
            stats = self.stats()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.stats()


# ------------------------------------------------------------------ tools --

def in_lab_dns(resolv_conf, command):
    """COMMAND in a private mount namespace whose resolv.conf is the lab's."""
    return ["unshare", "-m", "sh", "-c",
            f'mount --bind {shlex.quote(resolv_conf)} /etc/resolv.conf && exec "$0" "$@"',
            *command]


def tool_command(tool, server, port, out, cfg):
    name, _, _, starttls, scheme = SERVERS[server]
    if tool == "mailtls":
        return [cfg.mailtls, "--format", "json", "--output", out,
                "--resolver", cfg.resolver, "tls", f"{scheme}://{name}:{port}",
                "--connect", "127.0.0.1", "--ca-file", cfg.ca]
    if tool == "testssl":
        command = ["testssl", "--quiet", "--color", "0", "--warnings", "off",
                   "--nodns", "none", "--ip", "127.0.0.1", "--add-ca", cfg.ca,
                   "--jsonfile", out, *cfg.testssl_args]
        if starttls:
            command += ["--starttls", starttls]
        return in_lab_dns(cfg.resolv_conf, command + [f"{name}:{port}"])
    if tool == "sslyze":
        command = [cfg.sslyze, "--certinfo_ca_file", cfg.ca, "--json_out", out]
        if starttls:
            command += ["--starttls", starttls]
        return in_lab_dns(cfg.resolv_conf, command + [f"{name}:{port}{{127.0.0.1}}"])
    raise ValueError(tool)


def run_one(server, tool, delay, cfg, workdir):
    """One scan through a fresh proxy: connections, seconds, peak RSS, output."""
    _, addr, port, _, _ = SERVERS[server]
    stem = os.path.join(workdir, f"{server}-{tool}-{delay}ms")
    out = f"{stem}.json"
    if os.path.exists(out):
        os.remove(out)
    proxy = Proxy(f"{addr}:{port}", delay, f"{stem}.proxy.json")
    command = tool_command(tool, server, proxy.port, out, cfg)
    with open(f"{stem}.log", "w", encoding="utf-8") as logf:
        logf.write(" ".join(shlex.quote(c) for c in command) + "\n")
        logf.flush()
        load = os.getloadavg()[0]
        start = time.monotonic()
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=logf,
                                 stderr=subprocess.STDOUT, start_new_session=True)
        status, rusage = wait_with_timeout(child, cfg.run_timeout)
        seconds = time.monotonic() - start
    stats = proxy.finish()
    exit_code = os.waitstatus_to_exitcode(status) if status is not None else None
    return {
        "server": server, "tool": tool, "delay_ms": delay,
        "connections": stats["connections"], "upstream_failures": stats["upstream_failures"],
        "seconds": round(seconds, 2),
        "peak_rss_kb": rusage.ru_maxrss if rusage is not None else None,
        "exit": exit_code, "output": out, "log": f"{stem}.log",
        "load_1min": round(load, 2), "cpus": os.cpu_count(),
    }


def wait_with_timeout(child, timeout):
    """(wait status, rusage) of CHILD, waited for with wait4(2); at TIMEOUT its
    process group is killed and the status is None."""
    expired = threading.Event()

    def kill():
        expired.set()
        log(f"timeout after {timeout}s: killing process group {child.pid}")
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, rusage = os.wait4(child.pid, 0)
    finally:
        timer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    return (None if expired.is_set() else status), rusage


# ---------------------------------------------------------------- parsing --

class Findings:
    """Versions (name → True/False/None) and suites (name → set or None)."""

    def __init__(self, note=""):
        self.versions = {v: None for v in VERSIONS}
        self.suites = {v: None for v in VERSIONS}
        self.note = note


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def parse_mailtls(path):
    data = load_json(path)
    if data is None:
        return Findings("no JSON output")
    endpoints = data.get("endpoints") or []
    if not endpoints:
        return Findings("no endpoint in the output")
    endpoint = endpoints[0]
    found = Findings()
    scan = endpoint.get("tls_scan")
    if scan:
        for protocol in scan.get("protocols") or []:
            version = protocol.get("version")
            if version not in found.versions:
                continue
            result = (protocol.get("support") or {}).get("result")
            if result == "yes":
                found.versions[version] = True
                found.suites[version] = {s.get("name") for s in protocol.get("cipher_suites") or []}
            elif result == "no":
                found.versions[version] = False
                found.suites[version] = set()
        return found
    tls = endpoint.get("tls") or {}
    if tls.get("version") in found.versions:
        found.versions[tls["version"]] = True
    found.note = "no tls_scan in the output (one handshake only)"
    return found


def testssl_mapping():
    """OpenSSL name → IANA name and code (hex, lower case) → IANA name, from
    testssl.sh's own table (two-byte codes win over SSLv2 kinds)."""
    by_name, by_code = {}, {}
    for path in ("/etc/testssl/cipher-mapping.txt", "/usr/share/testssl/cipher-mapping.txt"):
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                fields = line.split()
                if len(fields) < 4 or fields[1] != "-":
                    continue
                code = "".join(part[2:] for part in fields[0].split(",")).lower().lstrip("0") or "0"
                iana = fields[3]
                if len(fields[0].split(",")) == 2:
                    by_name[fields[2]] = iana
                    by_code[code] = iana
                else:
                    by_name.setdefault(fields[2], iana)
        break
    return by_name, by_code


TESTSSL_VERSIONS = {
    "SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLS1": "TLSv1.0", "TLS1_1": "TLSv1.1",
    "TLS1_2": "TLSv1.2", "TLS1_3": "TLSv1.3",
}
TESTSSL_ORDER = {
    "SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLSv1": "TLSv1.0", "TLSv1_1": "TLSv1.1",
    "TLSv1_2": "TLSv1.2", "TLSv1_3": "TLSv1.3",
}
TESTSSL_EACH = {
    "ssl2": "SSLv2", "ssl3": "SSLv3", "tls1": "TLSv1.0", "tls1_1": "TLSv1.1",
    "tls1_2": "TLSv1.2", "tls1_3": "TLSv1.3",
}


def parse_testssl(path):
    data = load_json(path)
    if data is None:
        return Findings("no JSON output")
    entries = data if isinstance(data, list) else data.get("scanResult", [])
    by_name, by_code = testssl_mapping()
    found = Findings()
    each = {}
    for entry in entries:
        ident, finding = entry.get("id", ""), entry.get("finding", "")
        if ident in TESTSSL_VERSIONS:
            version = TESTSSL_VERSIONS[ident]
            if finding.startswith("not offered"):
                found.versions[version] = False
                found.suites[version] = set()
            elif finding.startswith("offered"):
                found.versions[version] = True
        match = re.match(r"(?:cipherorder|supportedciphers)_(\w+)$", ident)
        if match and match.group(1) in TESTSSL_ORDER:
            version = TESTSSL_ORDER[match.group(1)]
            each.setdefault(version, set()).update(by_name.get(n, n) for n in finding.split())
        match = re.match(r"cipher-(\w+?)_x([0-9a-f]+)$", ident)
        if match and match.group(1) in TESTSSL_EACH:
            version = TESTSSL_EACH[match.group(1)]
            code = match.group(2).lstrip("0") or "0"
            each.setdefault(version, set()).add(by_code.get(code, finding.split()[-1] if finding else code))
    for version, suites in each.items():
        if found.versions.get(version) is not False:
            found.suites[version] = suites
    missing = [v for v in VERSIONS if found.versions[v] and found.suites[v] is None]
    if missing:
        found.note = ("no suite list for " + ", ".join(missing)
                      + " (its default run lists them only for a server with its own order; -E does)")
    return found


SSLYZE_VERSIONS = {
    "ssl_2_0_cipher_suites": "SSLv2", "ssl_3_0_cipher_suites": "SSLv3",
    "tls_1_0_cipher_suites": "TLSv1.0", "tls_1_1_cipher_suites": "TLSv1.1",
    "tls_1_2_cipher_suites": "TLSv1.2", "tls_1_3_cipher_suites": "TLSv1.3",
}


def parse_sslyze(path):
    data = load_json(path)
    if data is None:
        return Findings("no JSON output")
    results = data.get("server_scan_results") or []
    if not results or not results[0].get("scan_result"):
        return Findings("no scan result")
    scan = results[0]["scan_result"]
    found = Findings()
    for key, version in SSLYZE_VERSIONS.items():
        attempt = scan.get(key) or {}
        if attempt.get("status") != "COMPLETED" or not attempt.get("result"):
            continue
        accepted = {c["cipher_suite"]["name"] for c in attempt["result"].get("accepted_cipher_suites", [])}
        found.versions[version] = bool(accepted)
        found.suites[version] = accepted
    return found


PARSERS = {"mailtls": parse_mailtls, "testssl": parse_testssl, "sslyze": parse_sslyze}


# ---------------------------------------------------------------- report --

def fmt_seconds(value):
    if value is None:
        return "—"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def fmt_ratio(numerator, denominator):
    if numerator is None or not denominator:
        return "—"
    ratio = numerator / denominator
    # Three decimals: the targets sit at 0.10 and 0.33, and two would round
    # a miss such as 0.104 onto them.
    return f"{ratio:.3f}" if ratio >= 0.01 else f"{ratio:.4f}"


def table(results, servers, tools, delays):
    low, high = delays[0], delays[-1]
    head = ["server", "tool"]
    for d in (low, high) if low != high else (low,):
        head += [f"conns @{d} ms", f"wall @{d} ms"]
    head += ["conns mailtls/tool", f"wall @{high} ms mailtls/tool", "mailtls peak RSS"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for server in servers:
        for tool in tools:
            row = [server, tool]
            for d in (low, high) if low != high else (low,):
                r = results.get((server, tool, d))
                row += [str(r["connections"]) if r else "—", fmt_seconds(r["seconds"] if r else None)]
            mine = results.get((server, "mailtls", low))
            mine_high = results.get((server, "mailtls", high))
            theirs = results.get((server, tool, low))
            theirs_high = results.get((server, tool, high))
            if tool == "mailtls":
                row += ["—", "—"]
                rss = [r["peak_rss_kb"] for d in delays
                       if (r := results.get((server, "mailtls", d))) and r["peak_rss_kb"]]
                row.append(f"{max(rss) / 1024:.1f} MB" if rss else "—")
            else:
                row += [fmt_ratio(mine and mine["connections"], theirs and theirs["connections"]),
                        fmt_ratio(mine_high and mine_high["seconds"], theirs_high and theirs_high["seconds"]),
                        ""]
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def load_note(rows):
    """The machine's load while the scans ran, when it was recorded."""
    loads = [r["load_1min"] for r in rows if r.get("load_1min") is not None]
    if not loads:
        return ""
    cpus = next((r["cpus"] for r in rows if r.get("cpus")), None)
    return (f" Load average (1 min) at the start of the scans: {min(loads):.1f}–{max(loads):.1f}"
            + (f" on {cpus} CPUs." if cpus else "."))


def describe(suites):
    return ", ".join(sorted(suites)) if suites else "none"


PEER_NAMES = {"testssl": "testssl.sh", "sslyze": "sslyze"}
SAID = {True: "supported", False: "not supported", None: "not tested"}


def agreed(values):
    """The one value every peer reports, or None when one has none or they differ."""
    values = list(values)
    if not values or any(v is None for v in values):
        return None
    return values[0] if all(v == values[0] for v in values) else None


def comparison(findings, servers):
    """Per server: where mailtls differs from the peers (testssl.sh, sslyze)
    on what the peers agree about; and where the peers disagree."""
    lines = []
    for server in servers:
        got = findings.get(server, {})
        lines.append(f"### {server}")
        for tool, found in got.items():
            if found.note and tool != "mailtls":
                lines.append(f"- {tool}: {found.note}")
        mine = got.get("mailtls")
        if mine is not None and mine.note:
            # No enumeration to compare (no output, or one handshake only).
            lines.append(f"- mailtls: not compared: {mine.note}")
            mine = None
        peers = {t: got[t] for t in ("testssl", "sslyze") if t in got}
        if not peers:
            lines.append("- no peer ran")
            continue
        names = " and ".join(PEER_NAMES[t] for t in peers)
        verb = "say" if len(peers) > 1 else "says"
        differences = 0
        agreement = []
        for version in VERSIONS:
            support = [p.versions[version] for p in peers.values()]
            if len(set(support)) > 1 and None not in support:
                lines.append(f"- {version}: the peers disagree: " + ", ".join(
                    f"{PEER_NAMES[t]} {SAID[p.versions[version]]}" for t, p in peers.items()))
            peer_support = agreed(support)
            if mine and peer_support is not None and mine.versions[version] != peer_support:
                lines.append(f"- {version}: mailtls says {SAID[mine.versions[version]]}, "
                             f"{names} {verb} {SAID[peer_support]}")
                differences += 1
            listed = {t: p.suites[version] for t, p in peers.items() if p.suites[version] is not None}
            if not listed:
                continue
            if len(listed) > 1 and len({frozenset(x) for x in listed.values()}) > 1:
                (first, a), (second, b) = list(listed.items())[:2]
                lines.append(f"- {version} suites: the peers disagree: only {PEER_NAMES[first]}: "
                             f"{describe(a - b)}; only {PEER_NAMES[second]}: {describe(b - a)}")
                continue
            peer_suites = next(iter(listed.values()))
            listers = " and ".join(PEER_NAMES[t] for t in listed)
            if peer_support:
                agreement.append(f"{version} ({len(peer_suites)} suites"
                                 + (f", listed by {listers} only)" if len(listed) < len(peers) else ")"))
            if mine is None:
                continue
            if mine.suites[version] is None:
                if peer_suites:
                    lines.append(f"- {version} suites: mailtls has no list; {listers} found "
                                 f"{len(peer_suites)}")
                    differences += 1
                continue
            missing, extra = peer_suites - mine.suites[version], mine.suites[version] - peer_suites
            if missing or extra:
                lines.append(f"- {version} suites (vs {listers}): mailtls misses {describe(missing)}; "
                             f"only mailtls: {describe(extra)}")
                differences += 1
        lines.append(f"- {names} {'agree on' if len(peers) > 1 else 'found'}: {', '.join(agreement) or 'no offered version'}")
        if mine is not None and differences == 0:
            lines.append("- mailtls agrees with them wherever they agree")
    return "\n".join(lines)


# ------------------------------------------------------------------- main --

def save_partial(workdir, results, latest):
    """results.json after every scan, so an interrupted run can be reported."""
    rows = [r for r in results.values()] + [latest]
    with open(os.path.join(workdir, "results.json"), "w", encoding="utf-8") as f:
        json.dump(rows, f, indent=1)


def build_mailtls():
    log("building mailtls (cargo build --release --locked -p mailtls-cli)")
    subprocess.run(["cargo", "build", "--release", "--locked", "-p", "mailtls-cli"],
                   cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "mailtls")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", default=",".join(SERVERS), help="comma-separated: " + ", ".join(SERVERS))
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated: " + ", ".join(TOOLS))
    parser.add_argument("--delays", default="0,20", help="ms added each way, comma-separated")
    parser.add_argument("--mailtls", help="the mailtls binary (default: build target/release/mailtls)")
    parser.add_argument("--sslyze", default=os.path.join(BENCH, "run", "sslyze-venv", "bin", "sslyze"))
    parser.add_argument("--testssl-args", default="", help="extra testssl.sh options, e.g. -E")
    parser.add_argument("--run-timeout", type=float, default=3600, help="seconds per scan")
    parser.add_argument("--out", default=os.path.join(BENCH, "results", "latest.md"))
    parser.add_argument("--workdir", help="raw outputs (default: bench/run/<time>)")
    parser.add_argument("--report-only", action="store_true",
                        help="run nothing: rebuild the report from --workdir's results.json")
    cfg = parser.parse_args()

    servers = [s for s in cfg.servers.split(",") if s]
    tools = [t for t in cfg.tools.split(",") if t]
    delays = sorted({int(d) for d in cfg.delays.split(",") if d})
    for s in servers:
        if s not in SERVERS:
            parser.error(f"unknown server {s!r}")
    for t in tools:
        if t not in TOOLS:
            parser.error(f"unknown tool {t!r}")
    env = lab_env()
    cfg.ca = env["MAILTLS_LAB_CA"]
    cfg.resolver = env.get("MAILTLS_LAB_RESOLVER", "127.0.10.53")
    cfg.resolv_conf = env["MAILTLS_LAB_RESOLV_CONF"]
    cfg.testssl_args = shlex.split(cfg.testssl_args)
    if cfg.report_only and not cfg.workdir:
        parser.error("--report-only needs --workdir")
    if "mailtls" in tools and not cfg.mailtls and not cfg.report_only:
        cfg.mailtls = build_mailtls()
    workdir = os.path.abspath(cfg.workdir or os.path.join(BENCH, "run", time.strftime("%Y%m%dT%H%M%S")))
    os.makedirs(workdir, exist_ok=True)

    results, findings = {}, {}
    previous = {}
    if cfg.report_only:
        with open(os.path.join(workdir, "results.json"), encoding="utf-8") as f:
            previous = {(r["server"], r["tool"], r["delay_ms"]): r for r in json.load(f)}
    for server in servers:
        for tool in tools:
            for delay in delays:
                if cfg.report_only:
                    r = previous.get((server, tool, delay))
                    if r is None:
                        continue
                else:
                    log(f"{server} × {tool} @ {delay} ms ...")
                    r = run_one(server, tool, delay, cfg, workdir)
                    save_partial(workdir, results, r)
                results[(server, tool, delay)] = r
                if not cfg.report_only:
                    log(f"  {r['connections']} connections, {r['seconds']} s, exit {r['exit']}"
                        + (f", peak RSS {r['peak_rss_kb']} KB" if tool == "mailtls" else ""))
                if delay == delays[0] or tool not in findings.get(server, {}):
                    findings.setdefault(server, {})[tool] = PARSERS[tool](r["output"])

    servers = [s for s in servers if any(k[0] == s for k in results)]
    tools = [t for t in tools if any(k[1] == t for k in results)]
    delays = [d for d in delays if any(k[2] == d for k in results)] or delays
    versions = {}
    for tool in tools:
        if tool == "mailtls":
            continue
        try:
            if tool == "testssl":
                text = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "testssl.sh"],
                                      capture_output=True, text=True).stdout
            else:
                text = subprocess.run([cfg.sslyze.replace("bin/sslyze", "bin/python"), "-c",
                                       "import importlib.metadata as m; print(m.version('sslyze'))"],
                                      capture_output=True, text=True).stdout
            versions[tool] = text.strip()
        except OSError:
            versions[tool] = "?"
    report = [
        "# TLS scan benchmark: mailtls, testssl.sh, sslyze",
        "",
        f"Report of {time.strftime('%Y-%m-%d %H:%M:%S %Z')}"
        + "".join(f"; {t} {v}" for t, v in versions.items())
        + f"; delays {', '.join(f'{d} ms' for d in delays)} each way; raw outputs in {workdir}."
        + load_note(results.values()),
        "",
        table(results, servers, tools, delays),
        "",
        "## Versions and cipher suites (first delay)",
        "",
        comparison(findings, servers),
        "",
    ]
    text = "\n".join(report)
    print(text)
    os.makedirs(os.path.dirname(os.path.abspath(cfg.out)), exist_ok=True)
    with open(cfg.out, "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(workdir, "results.json"), "w", encoding="utf-8") as f:
        json.dump([r for r in results.values()], f, indent=1)
    log(f"written {cfg.out}")


if __name__ == "__main__":
    main()
