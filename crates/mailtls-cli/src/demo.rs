//! `mailtls demo`: a whole mail domain on loopback, assessed end to end, with
//! no network and nothing to install.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use mailtls_core::Target;
use mailtls_core::transport::{LineLimits, TcpConnector};
use mailtls_demo::DemoEnvironment;
use mailtls_probe::{ProbeConfig, TrustAnchors, observe};

use crate::args::{CommonArgs, DemoArgs, Format};
use crate::exit;
use crate::output::write_observations;

pub(crate) async fn run(common: &CommonArgs, _args: &DemoArgs) -> anyhow::Result<u8> {
    let environment = DemoEnvironment::start()
        .await
        .context("starting the demo environment")?;
    if !common.quiet && common.format == Format::Text {
        eprintln!(
            "Demo mail domain {} on loopback: authoritative DNS at {}, {} mail services, certificates from a throw-away CA.",
            environment.zone(),
            environment.dns_server(),
            environment.services().len(),
        );
    }
    let timeout = Duration::from_secs(common.timeout);
    let config = ProbeConfig {
        connect_timeout: timeout,
        tls_timeout: timeout,
        limits: LineLimits {
            deadline: timeout * 3,
            ..LineLimits::default()
        },
        trust: TrustAnchors::mozilla()
            .with_der(environment.ca_certificate_der().clone())
            .context("trusting the demo CA")?,
        ..ProbeConfig::default()
    };
    let connector = Arc::new(TcpConnector { io_timeout: timeout });
    let targets = environment
        .services()
        .iter()
        .map(|service| (service.endpoint.clone(), service.address))
        .collect();
    let target = Target::Domain {
        domain: environment.zone().clone(),
    };
    let observations = observe(target, connector, Arc::new(config), targets).await;
    write_observations(common, &observations)?;
    Ok(exit::OK)
}
