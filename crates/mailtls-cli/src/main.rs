//! `mailtls`: assess how well a mail domain's servers and DNS protect mail in transit.
//!
//! The binary only parses arguments, calls the libraries and writes what they
//! return; everything a library user would also want lives in the crates.
#![allow(clippy::print_stdout, clippy::print_stderr)]
// Argument docs are clap help text, not Markdown: `[:port]` is URL syntax, not a link.
#![allow(rustdoc::broken_intra_doc_links)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic))]

mod args;
mod check;
mod demo;
mod dns;
mod explain;
mod output;
mod resolve;
mod spf;
mod tls;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

/// Exit codes (documented in README.md).
pub(crate) mod exit {
    /// The command ran; the report was written.
    pub(crate) const OK: u8 = 0;
    /// mailtls could not do its work (a file could not be written, the runtime failed).
    pub(crate) const FAILURE: u8 = 1;
    /// The grade is below `--fail-under`.
    pub(crate) const BELOW_GRADE: u8 = 2;
    /// Arguments were wrong (sysexits EX_USAGE).
    pub(crate) const USAGE: u8 = 64;
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { exit::USAGE } else { exit::OK };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let filter = if cli.common.quiet { "error" } else { "warn" };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MAILTLS_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter)),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("mailtls: cannot start the async runtime: {error}");
            return ExitCode::from(exit::FAILURE);
        }
    };
    let result = runtime.block_on(async {
        match &cli.command {
            Command::Check(check) => check::run(&cli.common, check).await,
            Command::Demo(demo) => demo::run(&cli.common, demo).await,
            Command::Tls(tls) => tls::run(&cli.common, tls).await,
            Command::Dns(dns) => dns::run(&cli.common, dns).await,
            Command::Spf(spf) => spf::run(&cli.common, spf).await,
            Command::Explain(explain) => explain::run(&cli.common, explain),
        }
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("mailtls: {error:#}");
            ExitCode::from(exit::FAILURE)
        }
    }
}
