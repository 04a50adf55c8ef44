//! Writing a report where the user asked for it.

use std::io::Write;

use anyhow::Context;
use mailtls_core::Observations;

use crate::args::{CommonArgs, Format};

/// Renders `observations` in the chosen format to the chosen place.
pub(crate) fn write_observations(common: &CommonArgs, observations: &Observations) -> anyhow::Result<()> {
    let text = match common.format {
        Format::Text => mailtls_score::render::observations_text(observations),
        Format::Json => {
            let mut json = serde_json::to_string_pretty(observations).context("serialising the report")?;
            json.push('\n');
            json
        }
    };
    write_text(common, &text)
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
