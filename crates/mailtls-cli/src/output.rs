//! Writing a report where the user asked for it, in the format asked for.
//!
//! Colour is for people at a terminal: text goes out with ANSI colour only
//! when standard output is a terminal, `--output` is not given, and neither
//! `--no-color` nor a non-empty `NO_COLOR` (<https://no-color.org>) says no.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};

use anyhow::Context;
use mailtls_dns::policy::DnsReport;
use mailtls_score::render::{self, Colour};
use mailtls_score::report::{DomainReport, EndpointReport};

use crate::args::{CommonArgs, Format};

/// Renders a domain report (`mailtls check`, `mailtls demo`).
pub(crate) fn write_domain_report(common: &CommonArgs, report: &DomainReport) -> anyhow::Result<()> {
    let text = match common.format {
        Format::Text => render::assessment_text_in(report, colour(common)),
        Format::Json => json(serde_json::to_string_pretty(report))?,
        Format::Md => render::assessment_markdown(report),
        Format::Html => render::assessment_html(report),
    };
    write_text(common, &text)
}

/// Renders a report of one service (`mailtls tls`).
pub(crate) fn write_endpoint_report(common: &CommonArgs, report: &EndpointReport) -> anyhow::Result<()> {
    let text = match common.format {
        Format::Text => render::endpoint_report_text_in(report, colour(common)),
        Format::Json => json(serde_json::to_string_pretty(report))?,
        Format::Md => render::endpoint_report_markdown(report),
        Format::Html => render::endpoint_report_html(report),
    };
    write_text(common, &text)
}

/// Renders a DNS report (`mailtls dns`).
pub(crate) fn write_dns_report(common: &CommonArgs, report: &DnsReport) -> anyhow::Result<()> {
    let text = match common.format {
        Format::Text => render::dns_text(report),
        Format::Json => json(serde_json::to_string_pretty(report))?,
        Format::Md => render::dns_markdown(report),
        Format::Html => render::dns_html(report),
    };
    write_text(common, &text)
}

fn json(serialised: serde_json::Result<String>) -> anyhow::Result<String> {
    let mut json = serialised.context("serialising the report")?;
    json.push('\n');
    Ok(json)
}

/// Whether this run's text output is coloured.
fn colour(common: &CommonArgs) -> Colour {
    let wanted = colour_wanted(
        common.no_color,
        std::env::var_os("NO_COLOR"),
        common.output.is_some(),
        std::io::stdout().is_terminal(),
    );
    if wanted { Colour::Ansi } else { Colour::Plain }
}

/// The colour rule, apart from the process it runs in.
fn colour_wanted(
    no_color_flag: bool,
    no_color_env: Option<OsString>,
    to_file: bool,
    stdout_is_terminal: bool,
) -> bool {
    let env_says_no = no_color_env.is_some_and(|value| !value.is_empty());
    !no_color_flag && !env_says_no && !to_file && stdout_is_terminal
}

/// Writes a rendered report to `--output` or standard output.
pub(crate) fn write_text(common: &CommonArgs, text: &str) -> anyhow::Result<()> {
    match &common.output {
        Some(path) => std::fs::write(path, text).with_context(|| format!("writing {}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                // A closed pipe (`mailtls … | head`) is the reader's choice, not an error.
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("writing to standard output"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_a_file() {
        assert!(colour_wanted(false, None, false, true));
        assert!(!colour_wanted(false, None, false, false), "pipe");
        assert!(!colour_wanted(false, None, true, true), "--output");
    }

    #[test]
    fn no_color_flag_and_non_empty_env_turn_colour_off() {
        assert!(!colour_wanted(true, None, false, true));
        assert!(!colour_wanted(false, Some("1".into()), false, true));
        // no-color.org: an empty NO_COLOR does not count.
        assert!(colour_wanted(false, Some("".into()), false, true));
    }
}
