//! The demo report as Markdown: every section, and server text that stays text.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod demo_assessment;
mod render_fixture;

use mailtls_score::render::assessment_markdown;
use render_fixture::{demo_report, rich_report};

#[test]
fn demo_markdown_has_every_section_in_order() {
    let mut report = demo_report();
    report.grades = mailtls_score::grade::Grades::default();
    let markdown = assessment_markdown(&report);
    let headings: Vec<&str> = markdown.lines().filter(|line| line.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Grade",
            "## Findings",
            "## Endpoints",
            "## DNS records",
            "## Connections used"
        ]
    );
    assert!(markdown.starts_with("# Mail security of demo.mailtls.test\n\n"));
    assert!(markdown.contains("**Overall grade: none**\n\n- This report carries no grades"));
    assert!(markdown.contains("\n### DANE\n"));
    assert!(markdown.contains("#### **WARN** TLSA records are published but unusable\n"));
    assert!(markdown.contains("**How to fix**\n"));
    assert!(markdown.contains("- [RFC 7672 §2.2: TLS discovery and unusable TLSA records](<https://www.rfc-editor.org/rfc/rfc7672#section-2.2>)\n"));
    assert!(markdown.contains(", ruleset 2, started at "));
}

#[test]
fn grades_are_shown_with_reasons_and_what_does_not_apply() {
    let markdown = assessment_markdown(&rich_report());
    assert!(markdown.contains("**Overall grade: B**\n\n- TLS 1.0 is accepted on mx1.demo.mailtls.test\n"));
    assert!(markdown.contains("| Transport security (MX) | **80 %** | 4 | 1 | 0 | 0 |\n"));
    assert!(markdown.contains(
        "| Client access (submission, IMAP, POP3) | not applicable: the demo publishes no such record (partial: POP3 on port 995 was not tested) | 0 | 0 | 0 | 1 |\n"
    ));
    assert!(markdown.contains(" | **B** | 91 | 95 | 90 | 90 | B: TLS 1.0 is accepted. Capped at B (tls.version.tls1\\_0): TLS 1.0 is accepted. |\n"));
}

#[test]
fn findings_are_grouped_worst_first_and_passes_are_collapsed() {
    let markdown = assessment_markdown(&rich_report());
    let fail = markdown
        .find("#### **FAIL** The certificate has expired")
        .unwrap();
    let transport = markdown.find("### Transport security (MX)").unwrap();
    let dane = markdown.find("### DANE").unwrap();
    assert!(transport < fail && fail < dane, "{markdown}");
    let transport_section = &markdown[transport..dane];
    let passes = transport_section
        .find("<details>\n<summary><span class=\"tag pass\">PASS</span> ")
        .expect("passes are collapsed");
    assert!(transport_section[passes..].contains("\n- STARTTLS is offered `smtp.starttls.missing`\n"));
    assert!(
        markdown.contains("**FAIL** 1, **WARN** 1, **INFO** "),
        "{markdown}"
    );
}

#[test]
fn tls_scan_is_tabled_in_server_order() {
    let markdown = assessment_markdown(&rich_report());
    assert!(
        markdown
            .contains("| TLSv1.0 | **yes** | `ServerHello TLSv1.0 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA` |\n")
    );
    assert!(markdown.contains("| SSLv3 | **no** | `alert handshake_failure(40)` |\n"));
    assert!(markdown.contains(
        "**TLSv1.2 cipher suites** (in the server's order of preference)\n\n| \\# | Suite | Code | Key exchange |\n| --- | --- | --- | --- |\n\
         | 1 | `TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384` | `0xC030` | ECDH x25519 |\n\
         | 2 | `TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256` | `0xCCA8` | ECDH x25519 |\n"
    ));
    assert!(markdown.contains("| TLS 1.3 | `X25519MLKEM768`, `x25519`, `secp256r1` |\n"));
    assert!(
        markdown
            .contains("| TLS\\_FALLBACK\\_SCSV (RFC 7507) | yes | `alert inappropriate_fallback(86)` |\n")
    );
    assert!(markdown.contains("| `beast` | **VULNERABLE** | from the enumeration | `TLSv1.0 with TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA` |\n"));
    assert!(markdown.contains("| `robot` | not tested | active, 0 connection(s) |"));
}

#[test]
fn hostile_server_text_stays_text() {
    let markdown = assessment_markdown(&rich_report());
    // In the endpoint table: a code span, its pipe escaped for the table,
    // its backticks outrun by the fence.
    assert!(
        markdown.contains(
            "| greeting | ``220 <script>alert(1)</script> \\| `tick` **bold** [x](javascript:alert(2))`` |\n"
        ),
        "{markdown}"
    );
    // As evidence: a fenced block, which shows it verbatim.
    assert!(markdown.contains(
        "```text\n220 <script>alert(1)</script> | `tick` **bold** [x](javascript:alert(2))\nnotAfter 2026-01-01T00:00:00Z\n```\n"
    ));
    for line in markdown.lines() {
        if line.contains("<script>") {
            assert!(
                line.starts_with("220 ") || line.starts_with("| greeting | ``"),
                "unescaped markup outside code: {line}"
            );
        }
    }
}
