//! `mailtls demo`: a whole mail domain on loopback, assessed end to end
//! exactly as `mailtls check` assesses a real one, with no network and
//! nothing to install.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use mailtls_core::transport::{Connector, DnsTransport, UdpTcpTransport};
use mailtls_demo::DemoEnvironment;
use mailtls_dns::Resolver;
use mailtls_dns::policy::PolicyOptions;
use mailtls_probe::TrustAnchors;
use mailtls_probe::assessor::{AssessOptions, assess};

use crate::args::{CommonArgs, DemoArgs, Format};
use crate::check::{probe_config, progress, write_assessment};

pub(crate) async fn run(common: &CommonArgs, args: &DemoArgs) -> anyhow::Result<u8> {
    let environment = DemoEnvironment::start()
        .await
        .context("starting the demo environment")?;
    if !common.quiet && common.format == Format::Text {
        eprintln!(
            "Demo mail domain {} on loopback: authoritative DNS at {}, {} mail services and an MTA-STS \
             policy host, certificates from a throw-away CA.",
            environment.zone(),
            environment.dns_server(),
            environment.services().len(),
        );
    }
    let timeout = Duration::from_secs(common.timeout);
    let trust = TrustAnchors::mozilla()
        .with_der(environment.ca_certificate_der().clone())
        .context("trusting the demo CA")?;
    // The demo's own authoritative server stands in for a resolver; it does
    // not sign its zone, so no DNSSEC verdict is claimed.
    let transport: Arc<dyn DnsTransport> = Arc::new(UdpTcpTransport::new(
        environment.dns_server(),
        timeout.min(Duration::from_secs(5)),
        2,
    ));
    let resolver = Resolver::new(vec![transport], false);
    let options = AssessOptions {
        probe: probe_config(timeout, trust, "mailtls.invalid"),
        policy: PolicyOptions {
            dkim_selectors: vec![environment.dkim_selector().to_owned()],
            common_dkim_selectors: false,
        },
        ipv4: !common.ipv6_only,
        ipv6: !common.ipv4_only,
        ..AssessOptions::default()
    };
    let connector: Arc<dyn Connector> = Arc::new(environment.connector());
    let assessment = assess(
        &resolver,
        connector,
        &options,
        environment.zone(),
        progress(common),
    )
    .await;
    write_assessment(common, &args.grade, assessment)
}
