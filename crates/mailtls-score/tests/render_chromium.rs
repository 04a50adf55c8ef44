//! The HTML report in a real browser: headless Chromium loads it from a
//! file, must log nothing to its console, must show the grade and the
//! findings in its DOM, and takes a screenshot that is not blank.
//!
//! Skipped, with a message, when /usr/bin/chromium is not installed
//! (Debian: `apt-get install -y chromium`). With
//! `MAILTLS_UPDATE_SCREENSHOTS=1` it also writes docs/report-screenshot.png
//! and docs/report-phone.png.
//!
//! Chromium never reaches the network: the page is a `file://` URL, every
//! host name resolves to nothing, background services are off, and the
//! page's own Content Security Policy forbids any fetch.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

mod chromium;
mod demo_assessment;
mod render_fixture;

use std::path::Path;

use chromium::{Scratch, chromium, console_lines, installed, png_size};
use mailtls_score::render::assessment_html;
use render_fixture::rich_report;

#[test]
fn console_lines_are_detected() {
    if !installed() {
        return;
    }
    // The detection itself, on a page that breaks its own policy: without
    // this, "no console lines" could mean the log was never read.
    let scratch = Scratch::new("chromium-control");
    let page = scratch.0.join("control.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html lang=\"en\"><head><meta http-equiv=\"Content-Security-Policy\" \
         content=\"default-src 'none'\"><title>control</title></head><body>\
         <script>console.log(1)</script></body></html>",
    )
    .unwrap();
    let run = chromium(&scratch.0, "control", &page, &["--dump-dom".to_owned()]);
    let lines = console_lines(&run.stderr);
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(lines[0].contains("Content Security Policy"), "{}", lines[0]);
}

#[test]
fn report_renders_in_chromium_with_grade_and_findings_and_no_console_errors() {
    if !installed() {
        return;
    }
    let scratch = Scratch::new("chromium-report");
    let page = scratch.0.join("report.html");
    std::fs::write(&page, assessment_html(&rich_report())).unwrap();

    let dom = chromium(&scratch.0, "dom", &page, &["--dump-dom".to_owned()]);
    assert_eq!(console_lines(&dom.stderr), Vec::<&str>::new());
    assert!(
        dom.stdout
            .contains("<title>Mail security of demo.mailtls.test</title>")
    );
    assert!(
        dom.stdout
            .contains("id=\"overall-grade\" role=\"img\" aria-label=\"Overall grade B\">B</p>"),
        "{}",
        dom.stdout
    );
    assert!(dom.stdout.contains(
        "<section class=\"finding fail\">\n<h4><span class=\"tag fail\">FAIL</span> The certificate has expired</h4>"
    ));
    // The hostile greeting is text in the DOM, not an element.
    assert!(dom.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!dom.stdout.contains("<script"));

    for (run, width, height, docs_name) in [
        ("desktop", 1200, 2000, "report-screenshot.png"),
        ("phone", 390, 1600, "report-phone.png"),
    ] {
        let png = scratch.0.join(format!("{run}.png"));
        let shot = chromium(
            &scratch.0,
            run,
            &page,
            &[
                format!("--screenshot={}", png.display()),
                format!("--window-size={width},{height}"),
                "--hide-scrollbars".to_owned(),
            ],
        );
        assert_eq!(console_lines(&shot.stderr), Vec::<&str>::new());
        let bytes = std::fs::read(&png).unwrap();
        assert_eq!(png_size(&bytes), (width, height));
        // A blank page of this size compresses to a few kilobytes; text,
        // tables and coloured tags take far more.
        assert!(bytes.len() > 40_000, "{run} screenshot is {} bytes", bytes.len());
        if std::env::var_os("MAILTLS_UPDATE_SCREENSHOTS").is_some() {
            let docs = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../docs")
                .join(docs_name);
            std::fs::copy(&png, docs).unwrap();
        }
    }
}

#[test]
fn the_saved_lab_report_renders_in_chromium() {
    if !installed() {
        return;
    }
    // The lab's own observations (tests/golden/lab.test.json), judged now.
    let assessment: mailtls_probe::assessor::Assessment =
        serde_json::from_str(include_str!("golden/lab.test.json")).unwrap();
    let report = mailtls_score::report::DomainReport::new(assessment);
    let scratch = Scratch::new("chromium-lab");
    let page = scratch.0.join("lab.html");
    std::fs::write(&page, assessment_html(&report)).unwrap();
    let dom = chromium(&scratch.0, "dom", &page, &["--dump-dom".to_owned()]);
    assert_eq!(console_lines(&dom.stderr), Vec::<&str>::new());
    assert!(
        dom.stdout
            .contains("id=\"overall-grade\" role=\"img\" aria-label=\"Overall grade F\">F</p>"),
        "{}",
        dom.stdout
    );
    assert!(
        dom.stdout.contains("<code>dane.tlsa.mismatch</code>"),
        "{}",
        dom.stdout
    );
    let png = scratch.0.join("lab.png");
    let shot = chromium(
        &scratch.0,
        "lab-shot",
        &page,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,2400".to_owned(),
            "--hide-scrollbars".to_owned(),
        ],
    );
    assert_eq!(console_lines(&shot.stderr), Vec::<&str>::new());
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(png_size(&bytes), (1200, 2400));
    assert!(bytes.len() > 40_000, "lab screenshot is {} bytes", bytes.len());
    if std::env::var_os("MAILTLS_UPDATE_SCREENSHOTS").is_some() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/report-lab.png");
        std::fs::copy(&png, docs).unwrap();
    }
}
