//! The demo report as one HTML page: self-contained, accessible, and inert
//! whatever a server sends.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod demo_assessment;
mod render_fixture;

use mailtls_score::render::assessment_html;
use render_fixture::{demo_report, rich_report};

#[test]
fn page_is_a_complete_accessible_document() {
    let html = assessment_html(&demo_report());
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"));
    assert!(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    assert!(html.contains("<title>Mail security of demo.mailtls.test</title>"));
    assert!(html.contains("<h1>Mail security of demo.mailtls.test</h1>"));
    assert!(html.contains("@media print"));
    assert!(html.ends_with("</footer>\n</body>\n</html>\n"));
    for id in ["grade", "findings", "endpoints", "dns", "connections"] {
        assert!(html.contains(&format!("<h2 id=\"{id}\">")), "no section {id}");
        assert!(html.contains(&format!("<a href=\"#{id}\">")), "no link to {id}");
    }
}

#[test]
fn page_loads_nothing_and_runs_nothing() {
    let html = assessment_html(&rich_report());
    assert!(!html.contains("<script"), "a script element");
    assert!(!html.contains("<link"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("src="));
    assert!(!html.contains("url("));
    assert!(!html.contains("@import"));
    assert!(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline';"));
    // The only links are to the references (https) and to the page's own sections.
    for href in html.split("href=\"").skip(1) {
        assert!(
            href.starts_with('#') || href.starts_with("https://"),
            "unexpected link {}",
            &href[..href.find('"').unwrap()]
        );
    }
}

#[test]
fn hostile_server_text_is_escaped_everywhere() {
    let html = assessment_html(&rich_report());
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; | `tick` **bold** [x](javascript:alert(2))";
    assert!(
        html.contains(&format!("<td><code>220 {escaped}</code></td>")),
        "greeting"
    );
    assert!(
        html.contains(&format!("<pre>220 {escaped}\nnotAfter")),
        "evidence"
    );
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("href=\"javascript"));
}

#[test]
fn grade_is_at_the_top_with_its_reasons() {
    let html = assessment_html(&rich_report());
    let grade = html.find("id=\"overall-grade\"").unwrap();
    let findings = html.find("<h2 id=\"findings\">").unwrap();
    assert!(grade < findings);
    assert!(html.contains(
        "<p class=\"grade grade-b\" id=\"overall-grade\" role=\"img\" aria-label=\"Overall grade B\">B</p>"
    ));
    assert!(html.contains("<li>TLS 1.0 is accepted on mx1.demo.mailtls.test</li>"));
    assert!(html.contains(
        "<td>not applicable: the demo publishes no such record (partial: POP3 on port 995 was not tested)</td>"
    ));
}

#[test]
fn findings_are_sections_with_evidence_fix_and_references() {
    let html = assessment_html(&rich_report());
    assert!(html.contains(
        "<section class=\"finding fail\">\n<h4><span class=\"tag fail\">FAIL</span> The certificate has expired</h4>"
    ));
    assert!(html.contains("<details>\n<summary>Why it matters</summary>"));
    assert!(html.contains("<p><strong>How to fix</strong></p>\n<p class=\"prose\">"));
    assert!(html.contains(
        "<a href=\"https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5\" rel=\"noreferrer\">RFC 5280 §4.1.2.5: validity</a>"
    ));
    assert!(html.contains("<summary><span class=\"tag pass\">PASS</span> "));
    assert!(html.contains(" check(s) passed</summary>"));
}

#[test]
fn a_report_without_grades_says_so() {
    let mut report = demo_report();
    report.grades = mailtls_score::grade::Grades::default();
    let html = assessment_html(&report);
    assert!(html.contains("aria-label=\"No overall grade\">–</p>"));
    assert!(html.contains("<li>This report carries no grades; the findings below are the judgement.</li>"));
}
