#!/usr/bin/env python3
"""Side by side with checkdmarc: where mailtls dns and checkdmarc report the
same fact about a lab domain, they must agree.

    lab/compare-checkdmarc.py MAILTLS_BINARY CHECKDMARC_BINARY [DOMAIN]

Both ask the lab's validating resolver. checkdmarc fetches the MTA-STS
policy with Python requests, which uses the system resolver, so it runs in
a private mount namespace where /etc/resolv.conf names the lab resolver.
Prints one row per fact and exits 1 on any disagreement.
"""

import json
import os
import subprocess
import sys

LAB = os.path.dirname(os.path.abspath(__file__))
RUN = os.environ.get("MAILTLS_LAB_DIR", os.path.join(LAB, "run"))
RESOLVER = "127.0.10.53"


def run_json(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    if result.returncode != 0:
        sys.exit(f"{command[0]} failed ({result.returncode}):\n{result.stderr}")
    return json.loads(result.stdout)


def mailtls_facts(binary, domain):
    report = run_json([binary, "dns", domain, "--resolver", RESOLVER, "--validating-resolver",
                       "--no-common-selectors", "--format", "json"])
    policy = report["policy"]
    spf, dmarc = policy["spf"], policy["dmarc"]
    spf_errors = [i for i in spf["issues"] if i["level"] == "error"]
    hosts = policy["mx"]["hosts"]
    return {
        "DNSSEC (MX answer secure)": policy["mx"]["lookup"]["dnssec"]["status"] == "secure",
        "MX hosts": [(h["preference"], h["name"]) for h in hosts],
        "MX addresses": {h["name"]: sorted(h["addresses"]) for h in hosts},
        "TLSA records": {h["name"]: sorted(h["tlsa"]["lookup"]["records"]) for h in hosts},
        "SPF record": spf["records"][0] if len(spf["records"]) == 1 else None,
        "SPF valid": len(spf["records"]) == 1 and not spf_errors,
        "SPF DNS lookups": spf["dns_lookups"],
        "SPF void lookups": spf["void_lookups"],
        "DMARC valid": dmarc["record"] is not None,
        "DMARC policy": dmarc["record"]["policy"] if dmarc["record"] else None,
        "MTA-STS id": (policy["mta_sts"]["record"] or {}).get("id"),
        "TLS-RPT valid": policy["tls_rpt"]["record"] is not None,
        "BIMI record": (policy["bimi"]["lookup"]["records"] or [None])[0],
    }


def checkdmarc_facts(binary, domain):
    resolv_conf = os.path.join(RUN, "resolv.conf")
    ca = os.path.join(RUN, "ca", "ca.pem")
    env = dict(os.environ, REQUESTS_CA_BUNDLE=ca, SSL_CERT_FILE=ca)
    command = ["unshare", "-m", "sh", "-c",
               f'mount --bind "{resolv_conf}" /etc/resolv.conf && exec "$0" "$@"',
               binary, domain, "--nameserver", RESOLVER]
    data = run_json(command, env)
    hosts = data["mx"]["hosts"]
    spf, dmarc = data["spf"], data["dmarc"]
    return {
        "DNSSEC (MX answer secure)": data["dnssec"],
        "MX hosts": [(h["preference"], h["hostname"]) for h in hosts],
        "MX addresses": {h["hostname"]: sorted(h["addresses"]) for h in hosts},
        "TLSA records": {h["hostname"]: sorted(h.get("tlsa") or []) for h in hosts},
        "SPF record": spf.get("record"),
        "SPF valid": spf.get("valid"),
        "SPF DNS lookups": spf.get("dns_lookups"),
        "SPF void lookups": spf.get("void_dns_lookups"),
        "DMARC valid": dmarc.get("valid"),
        "DMARC policy": (dmarc.get("tags", {}).get("p") or {}).get("value"),
        "MTA-STS id": data["mta_sts"].get("id"),
        "TLS-RPT valid": data["smtp_tls_reporting"].get("valid"),
        "BIMI record": data["bimi"].get("record"),
    }


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    mailtls, checkdmarc = sys.argv[1], sys.argv[2]
    domain = sys.argv[3] if len(sys.argv) == 4 else "lab.test"
    ours, theirs = mailtls_facts(mailtls, domain), checkdmarc_facts(checkdmarc, domain)
    disagreements = 0
    print(f"{'fact':<28}{'agree':<7}mailtls / checkdmarc")
    for fact, value in ours.items():
        agree = value == theirs[fact]
        disagreements += not agree
        shown = f"{value}" if agree else f"{value} / {theirs[fact]}"
        print(f"{fact:<28}{'yes' if agree else 'NO':<7}{shown}")
    print(f"{len(ours) - disagreements} passed, {disagreements} failed")
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()
