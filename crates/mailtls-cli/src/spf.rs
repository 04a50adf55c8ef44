//! `mailtls spf <domain> --ip <addr>`: RFC 7208 check_host with its trace.

use std::fmt::Write as _;

use anyhow::Context;
use mailtls_dns::spf::{SpfEvaluation, check_host};

use crate::args::{CommonArgs, Format, SpfArgs};
use crate::output::write_text;
use crate::{exit, resolve};

pub(crate) async fn run(common: &CommonArgs, args: &SpfArgs) -> anyhow::Result<u8> {
    if matches!(common.format, Format::Md | Format::Html) {
        anyhow::bail!("`mailtls spf` writes --format text or json only");
    }
    let resolver = resolve::resolver(common)?;
    let domain = args.domain.as_str();
    let sender = args
        .sender
        .clone()
        .unwrap_or_else(|| format!("postmaster@{domain}"));
    let helo = args.helo.as_deref().unwrap_or(domain);
    let evaluation = check_host(&resolver, args.ip, domain, &sender, helo).await;
    let text = match common.format {
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&evaluation).context("serialising the evaluation")?;
            json.push('\n');
            json
        }
        // Markdown and HTML were refused before any query.
        Format::Text | Format::Md | Format::Html => spf_text(domain, args, &sender, &evaluation),
    };
    write_text(common, &text)?;
    Ok(exit::OK)
}

fn spf_text(domain: &str, args: &SpfArgs, sender: &str, evaluation: &SpfEvaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "SPF check_host({}, {domain}, {sender}): {}",
        args.ip,
        evaluation.result.as_str()
    );
    if let Some(explanation) = &evaluation.explanation {
        let _ = writeln!(out, "explanation: {explanation}");
    }
    let _ = writeln!(
        out,
        "DNS-querying terms: {} of 10; void lookups: {} of 2",
        evaluation.dns_lookups, evaluation.void_lookups
    );
    out.push_str("\ntrace:\n");
    for step in &evaluation.trace {
        let _ = writeln!(out, "  {step}");
    }
    out
}
