//! The `mailtls` binary as a user runs it.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::process::{Command, Output};

fn mailtls(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mailtls"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn demo_json_reports_every_service_with_trusted_tls() {
    let output = mailtls(&["demo", "--format", "json", "--quiet"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["domain"], "demo.mailtls.test");
    let endpoints = report["endpoints"].as_array().unwrap();
    let protocols: Vec<&str> = endpoints
        .iter()
        .map(|e| e["endpoint"]["protocol"].as_str().unwrap())
        .collect();
    for expected in ["smtp", "submissions", "imap", "imaps", "pop3"] {
        assert!(
            protocols.contains(&expected),
            "{expected} missing from {protocols:?}"
        );
    }
    for endpoint in endpoints {
        let name = &endpoint["endpoint"]["protocol"];
        assert_eq!(endpoint["outcome"]["status"], "completed", "{name}: {endpoint}");
        assert_eq!(endpoint["tls"]["trust"]["result"], "trusted", "{name}");
        let version = endpoint["tls"]["version"].as_str().unwrap();
        assert!(version == "TLSv1.3" || version == "TLSv1.2", "{name}: {version}");
        assert!(!endpoint["tls"]["certificates"].as_array().unwrap().is_empty());
    }
    // The MX is found through DNS and probed on port 25, which the demo maps
    // to its SMTP server.
    let mx = endpoints
        .iter()
        .find(|e| e["endpoint"]["protocol"] == "smtp")
        .unwrap();
    assert_eq!(mx["endpoint"]["port"], 25);
    // The demo's TLSA record matches, but the zone is not signed: DANE is unusable.
    assert_eq!(mx["tls"]["dane"]["status"]["status"], "unusable");
    assert_eq!(mx["tls"]["dane"]["records"][0]["result"]["status"], "matched");
    let mta_sts = &report["mta_sts"];
    assert_eq!(mta_sts["fetch"]["status"], 200);
    assert_eq!(mta_sts["fetch"]["policy"]["mode"], "enforce");
    assert_eq!(mta_sts["uncovered_mx"].as_array().unwrap().len(), 0);
    // One connection per endpoint plus those of its TLS scan, and one for
    // the MTA-STS policy.
    let scans: u64 = endpoints
        .iter()
        .map(|e| e["tls_scan"]["connections"].as_u64().unwrap())
        .sum();
    assert!(scans > 0);
    assert_eq!(
        report["connections"].as_u64().unwrap(),
        endpoints.len() as u64 + scans + 1
    );
}

#[test]
fn demo_text_shows_starttls_and_trust() {
    let output = mailtls(&["demo", "--quiet"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("smtp://mx1.demo.mailtls.test:"), "{text}");
    assert!(text.contains("STARTTLS     220"), "{text}");
    assert!(text.contains("certificate  trusted"), "{text}");
}

#[test]
fn malformed_endpoint_names_the_label_and_exits_64() {
    let output = mailtls(&["tls", "smtp://mx..example.com"]);
    assert_eq!(output.status.code(), Some(64));
    let message = stderr(&output);
    assert!(
        message.contains("label 2 of \"mx..example.com\" is empty"),
        "{message}"
    );
}

#[test]
fn unknown_scheme_is_a_usage_error() {
    let output = mailtls(&["tls", "ftp://mx.example.com"]);
    assert_eq!(output.status.code(), Some(64));
    assert!(stderr(&output).contains("unknown scheme \"ftp\""));
}

#[test]
fn bad_port_is_a_usage_error() {
    let output = mailtls(&["tls", "smtp://[::1]:99999"]);
    assert_eq!(output.status.code(), Some(64));
    assert!(stderr(&output).contains("port \"99999\""));
}

#[test]
fn help_exits_zero() {
    let output = mailtls(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("demo"));
}

#[test]
fn tls_against_a_closed_port_reports_an_error_observation() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let url = format!("smtp://127.0.0.1:{port}");
    let output = mailtls(&["tls", &url, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["connections"], 0);
    assert_eq!(report["endpoints"][0]["outcome"]["status"], "error");
}

#[test]
fn unreadable_ca_file_fails_with_its_path() {
    let output = mailtls(&["tls", "smtp://127.0.0.1:1", "--ca-file", "/nonexistent/ca.pem"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("/nonexistent/ca.pem"));
}

#[test]
fn tls_resolves_the_host_through_the_given_resolver() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let demo = runtime.block_on(mailtls_demo::DemoEnvironment::start()).unwrap();
    let imaps = demo.service(mailtls_core::MailProtocol::Imaps).unwrap();
    let ca = std::env::temp_dir().join(format!("mailtls-cli-test-ca-{}.pem", std::process::id()));
    std::fs::write(&ca, demo.ca_certificate_pem()).unwrap();
    let url = format!("imaps://imap.demo.mailtls.test:{}", imaps.address.port());
    let resolver = demo.dns_server().to_string();
    let output = mailtls(&[
        "tls",
        &url,
        "--resolver",
        &resolver,
        "--ca-file",
        ca.to_str().unwrap(),
        "-4",
        "--format",
        "json",
    ]);
    let _ = std::fs::remove_file(&ca);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let endpoint = &report["endpoints"][0];
    assert_eq!(endpoint["address"], format!("127.0.0.1:{}", imaps.address.port()));
    assert_eq!(endpoint["sni"], "imap.demo.mailtls.test");
    assert_eq!(endpoint["tls"]["trust"]["result"], "trusted");
    drop(demo);
}

#[test]
fn unknown_host_at_the_given_resolver_fails_naming_it() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let demo = runtime.block_on(mailtls_demo::DemoEnvironment::start()).unwrap();
    let resolver = demo.dns_server().to_string();
    let output = mailtls(&["tls", "smtp://nowhere.demo.mailtls.test", "--resolver", &resolver]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("nowhere.demo.mailtls.test has no address"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn resolver_must_be_an_address() {
    let output = mailtls(&["tls", "smtp://mx.example.test", "--resolver", "ns.example.test"]);
    assert_eq!(output.status.code(), Some(64));
    assert!(stderr(&output).contains("not an IP address"));
}

#[test]
fn spf_pass_and_fail_with_trace_against_the_demo_zone() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let demo = runtime.block_on(mailtls_demo::DemoEnvironment::start()).unwrap();
    let resolver = demo.dns_server().to_string();
    let pass = mailtls(&[
        "spf",
        "demo.mailtls.test",
        "--ip",
        "127.0.0.1",
        "--resolver",
        &resolver,
    ]);
    assert_eq!(pass.status.code(), Some(0), "{}", stderr(&pass));
    let text = String::from_utf8(pass.stdout).unwrap();
    assert!(
        text.starts_with(
            "SPF check_host(127.0.0.1, demo.mailtls.test, postmaster@demo.mailtls.test): pass\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("TXT demo.mailtls.test -> \"v=spf1 ip4:127.0.0.1 -all\""),
        "{text}"
    );

    let fail = mailtls(&[
        "spf",
        "demo.mailtls.test",
        "--ip",
        "192.0.2.1",
        "--sender",
        "alice@demo.mailtls.test",
        "--resolver",
        &resolver,
        "--format",
        "json",
    ]);
    assert_eq!(fail.status.code(), Some(0), "{}", stderr(&fail));
    let evaluation: serde_json::Value = serde_json::from_slice(&fail.stdout).unwrap();
    assert_eq!(evaluation["result"], "fail");
    assert_eq!(evaluation["dns_lookups"], 0);
}

#[test]
fn spf_needs_an_address() {
    let output = mailtls(&["spf", "example.test", "--ip", "not-an-ip"]);
    assert_eq!(output.status.code(), Some(64));
    assert!(stderr(&output).contains("not-an-ip"));
}

#[test]
fn dns_reports_the_demo_zone_policy() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let demo = runtime.block_on(mailtls_demo::DemoEnvironment::start()).unwrap();
    let resolver = demo.dns_server().to_string();
    let selector = demo.dkim_selector().to_owned();
    let output = mailtls(&[
        "dns",
        "demo.mailtls.test",
        "--resolver",
        &resolver,
        "--dkim-selector",
        &selector,
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let policy = &report["policy"];
    assert_eq!(policy["domain"], "demo.mailtls.test");
    assert_eq!(policy["mx"]["hosts"][0]["name"], "mx1.demo.mailtls.test");
    assert_eq!(policy["spf"]["records"][0], "v=spf1 ip4:127.0.0.1 -all");
    assert_eq!(policy["dmarc"]["record"]["policy"], "quarantine");
    assert_eq!(policy["dkim"]["selectors"][0]["selector"], selector);
    assert_eq!(policy["dkim"]["selectors"][0]["lookup"]["status"], "answer");
    assert_eq!(
        policy["mx"]["hosts"][0]["tlsa"]["records"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The demo server does not sign its zone, and is not a validating resolver.
    assert_eq!(policy["mx"]["lookup"]["dnssec"]["status"], "indeterminate");
    assert!(report["queries"].as_u64().unwrap() > 10);

    let text = mailtls(&[
        "dns",
        "demo.mailtls.test",
        "--resolver",
        &resolver,
        "--no-common-selectors",
    ]);
    let text = String::from_utf8(text.stdout).unwrap();
    for heading in [
        "\nMX ",
        "\nSPF ",
        "\nDMARC ",
        "\nDKIM ",
        "\nMTA-STS ",
        "\nTLS-RPT ",
        "\nBIMI ",
        "\nCAA ",
        "\nSRV",
    ] {
        assert!(text.contains(heading), "{heading:?} missing from:\n{text}");
    }
}
