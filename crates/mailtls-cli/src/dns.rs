//! `mailtls dns <domain>`: DNS and policy records only, no server connections.

use anyhow::Context;
use mailtls_dns::policy::DnsReport;

use crate::args::{CommonArgs, DnsArgs, Format};
use crate::output::write_text;
use crate::{exit, resolve};

pub(crate) async fn run(common: &CommonArgs, args: &DnsArgs) -> anyhow::Result<u8> {
    let resolver = resolve::resolver(common)?;
    let options = args.dkim.policy_options();
    let report = DnsReport::gather(&resolver, &args.domain, &options).await;
    let text = match common.format {
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&report).context("serialising the report")?;
            json.push('\n');
            json
        }
        Format::Text => mailtls_score::render::dns_text(&report),
    };
    write_text(common, &text)?;
    Ok(exit::OK)
}
