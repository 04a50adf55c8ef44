//! `mailtls demo`: a whole mail domain on loopback, assessed end to end, with
//! no network and nothing to install.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use mailtls_core::transport::{CountingConnector, LineLimits, TcpConnector};
use mailtls_core::{Generator, Observations, SCHEMA_VERSION, Target};
use mailtls_demo::DemoEnvironment;
use mailtls_probe::{ProbeConfig, TrustAnchors, probe_endpoints};

use crate::args::{CommonArgs, DemoArgs, Format};
use crate::exit;
use crate::output::{unix_now, write_observations};

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
    let connector = Arc::new(CountingConnector::new(TcpConnector { io_timeout: timeout }));
    let targets = environment
        .services()
        .iter()
        .map(|service| (service.endpoint.clone(), service.address))
        .collect();
    let started_at = unix_now();
    let clock = Instant::now();
    let endpoints = probe_endpoints(connector.clone(), Arc::new(config), targets).await;
    let observations = Observations {
        schema_version: SCHEMA_VERSION,
        generator: Generator::mailtls(),
        target: Target::Domain {
            domain: environment.zone().clone(),
        },
        started_at,
        duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
        connections: connector.opened(),
        endpoints,
    };
    write_observations(common, &observations)?;
    Ok(exit::OK)
}
