//! `mailtls dns <domain>`: DNS and policy records only, no server connections.

use mailtls_dns::policy::DnsReport;

use crate::args::{CommonArgs, DnsArgs};
use crate::output::write_dns_report;
use crate::{exit, resolve};

pub(crate) async fn run(common: &CommonArgs, args: &DnsArgs) -> anyhow::Result<u8> {
    let resolver = resolve::resolver(common)?;
    let options = args.dkim.policy_options();
    let report = DnsReport::gather(&resolver, &args.domain, &options).await;
    write_dns_report(common, &report)?;
    Ok(exit::OK)
}
