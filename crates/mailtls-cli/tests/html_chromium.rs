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

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs headless Chromium on `page`; returns (stdout, stderr).
fn chromium(scratch: &Path, run: &str, page: &Path, extra: &[String]) -> (String, String) {
    let stdout_path = scratch.join(format!("{run}.stdout"));
    let stderr_path = scratch.join(format!("{run}.stderr"));
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.join(format!("profile-{run}")).display()
        ))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = std::fs::read_to_string(&stdout_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    assert!(status.success(), "chromium failed: {status}\n{stderr}");
    (stdout, stderr)
}

fn console_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|line| line.contains(":CONSOLE")).collect()
}

#[test]
fn demo_html_opens_in_chromium_with_grade_and_findings() {
    if !Path::new(CHROMIUM).exists() {
        // CI installs Chromium and sets MAILTLS_REQUIRE_CHROMIUM, so there
        // the browser test cannot be skipped by accident.
        assert!(
            std::env::var_os("MAILTLS_REQUIRE_CHROMIUM").is_none(),
            "{CHROMIUM} is required (MAILTLS_REQUIRE_CHROMIUM is set) but not installed"
        );
        eprintln!("SKIPPED: {CHROMIUM} is not installed (apt-get install -y chromium)");
        return;
    }
    let scratch = Scratch(std::env::temp_dir().join(format!("mailtls-cli-chromium-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&scratch.0);
    std::fs::create_dir_all(&scratch.0).unwrap();
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

    let (dom, log) = chromium(&scratch.0, "dom", &page, &["--dump-dom".to_owned()]);
    assert_eq!(console_lines(&log), Vec::<&str>::new());
    assert!(dom.contains("<title>Mail security of demo.mailtls.test</title>"));
    assert!(dom.contains("id=\"overall-grade\""), "no grade element");
    assert!(dom.contains(
        "<section class=\"finding warn\">\n<h4><span class=\"tag warn\">WARN</span> TLSA records are published but unusable</h4>"
    ));
    assert!(!dom.contains("<script"));

    let png = scratch.0.join("demo.png");
    let (_, log) = chromium(
        &scratch.0,
        "shot",
        &page,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,2000".to_owned(),
        ],
    );
    assert_eq!(console_lines(&log), Vec::<&str>::new());
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), 1200);
    assert!(
        bytes.len() > 40_000,
        "screenshot is {} bytes: blank?",
        bytes.len()
    );
}
