//! `mailtls-http`, the self-hosted web service (web page, JSON API, job queue,
//! TTL cache, and the inbound SMTP listener of the "send an email" mode).
//!
//! The service is not built yet: this binary says so and exits with status 1,
//! so that nobody mistakes it for a running service.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

fn main() -> ExitCode {
    let version = mailtls_core::Generator::mailtls().version;
    if std::env::args()
        .nth(1)
        .is_some_and(|arg| arg == "--version" || arg == "-V")
    {
        println!("mailtls-http {version}");
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "mailtls-http {version}: the web service is not built yet; use the `mailtls` command \
         (`mailtls demo`, `mailtls tls`) meanwhile."
    );
    ExitCode::FAILURE
}
