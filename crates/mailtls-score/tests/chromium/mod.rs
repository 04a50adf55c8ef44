//! Headless Chromium for the HTML report tests, shared by the score crate's
//! renderer tests and the CLI's (which includes this file by path, as test
//! support cannot be a dependency without a crate of its own).
//!
//! Chromium never reaches the network: the page is a `file://` URL, every
//! host name resolves to nothing, background services are off, and the
//! page's own Content Security Policy forbids any fetch.
// Each test binary uses a part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";

/// A directory of its own for one test, removed when dropped.
pub(crate) struct Scratch(pub(crate) PathBuf);

impl Scratch {
    pub(crate) fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("mailtls-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What Chromium wrote: standard output (the DOM with `--dump-dom`) and
/// its log on standard error.
pub(crate) struct Run {
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs headless Chromium on `page` with `extra` flags and a fresh profile.
pub(crate) fn chromium(scratch: &Path, run: &str, page: &Path, extra: &[String]) -> Run {
    let profile = scratch.join(format!("profile-{run}"));
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
        .arg(format!("--user-data-dir={}", profile.display()))
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
    let run = Run {
        stdout: std::fs::read_to_string(&stdout_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(&stderr_path).unwrap_or_default(),
    };
    assert!(status.success(), "chromium failed: {status}\n{}", run.stderr);
    run
}

/// Lines Chromium logs for the page's console (errors, CSP violations, failed loads).
pub(crate) fn console_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|line| line.contains(":CONSOLE")).collect()
}

/// Width and height from a PNG's IHDR chunk, after checking the signature.
pub(crate) fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (width, height)
}

/// Whether Chromium is there to test with; when it is not, says so, or
/// fails when `MAILTLS_REQUIRE_CHROMIUM` is set.
pub(crate) fn installed() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    // CI installs Chromium and sets MAILTLS_REQUIRE_CHROMIUM, so there the
    // browser test cannot be skipped by accident.
    assert!(
        std::env::var_os("MAILTLS_REQUIRE_CHROMIUM").is_none(),
        "{CHROMIUM} is required (MAILTLS_REQUIRE_CHROMIUM is set) but not installed"
    );
    eprintln!("SKIPPED: {CHROMIUM} is not installed (apt-get install -y chromium)");
    false
}
