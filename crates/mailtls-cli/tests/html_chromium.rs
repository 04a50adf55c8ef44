//! `mailtls demo --format html` in a real browser: headless Chromium loads
//! the file, logs nothing to its console, and shows the grade element and
//! a finding. Skipped, with a message, when /usr/bin/chromium is not
//! installed (Debian: `apt-get install -y chromium`).
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

#[path = "../../mailtls-score/tests/chromium/mod.rs"]
mod chromium;

use std::process::Command;

use chromium::{Scratch, chromium, console_lines, installed, png_size};

#[test]
fn demo_html_opens_in_chromium_with_grade_and_findings() {
    if !installed() {
        return;
    }
    let scratch = Scratch::new("cli-chromium");
    let page = scratch.0.join("demo.html");
    let output = Command::new(env!("CARGO_BIN_EXE_mailtls"))
        .args(["demo", "--quiet", "--format", "html", "--output"])
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let run = chromium(&scratch.0, "dom", &page, &["--dump-dom".to_owned()]);
    assert_eq!(console_lines(&run.stderr), Vec::<&str>::new());
    let dom = run.stdout;
    assert!(dom.contains("<title>Mail security of demo.mailtls.test</title>"));
    assert!(dom.contains("id=\"overall-grade\""), "no grade element");
    assert!(dom.contains(
        "<section class=\"finding warn\">\n<h4><span class=\"tag warn\">WARN</span> TLSA records are published but unusable</h4>"
    ));
    assert!(!dom.contains("<script"));

    let png = scratch.0.join("demo.png");
    let shot = chromium(
        &scratch.0,
        "shot",
        &page,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,2000".to_owned(),
        ],
    );
    assert_eq!(console_lines(&shot.stderr), Vec::<&str>::new());
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(png_size(&bytes), (1200, 2000));
    assert!(
        bytes.len() > 40_000,
        "screenshot is {} bytes: blank?",
        bytes.len()
    );
}
