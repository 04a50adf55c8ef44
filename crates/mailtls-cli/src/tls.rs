//! `mailtls tls <endpoint-url>`: one server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use mailtls_core::transport::TcpConnector;
use mailtls_core::{Host, Target};
use mailtls_probe::{TrustAnchors, observe};
use mailtls_score::report::EndpointReport;

use crate::args::{CommonArgs, TlsArgs};
use crate::check::{exit_code, probe_config};
use crate::output::write_endpoint_report;
use crate::resolve;

pub(crate) async fn run(common: &CommonArgs, args: &TlsArgs) -> anyhow::Result<u8> {
    let timeout = Duration::from_secs(common.timeout);
    let mut trust = TrustAnchors::mozilla();
    if let Some(path) = &args.ca_file {
        let pem = std::fs::read(path).with_context(|| format!("reading --ca-file {}", path.display()))?;
        trust = trust
            .with_pem(&pem)
            .with_context(|| format!("--ca-file {}", path.display()))?;
    }
    let endpoint = args.endpoint.clone();
    let addresses: Vec<SocketAddr> = match (&args.connect, &endpoint.host) {
        (Some(ip), _) | (None, Host::Ip(ip)) => vec![SocketAddr::new(*ip, endpoint.port)],
        (None, Host::Domain(domain)) => {
            let resolver = resolve::resolver(common)?;
            resolve::addresses(&resolver, common, domain, endpoint.port).await?
        }
    };
    let config = probe_config(timeout, trust, &args.ehlo_name);
    let connector = Arc::new(TcpConnector { io_timeout: timeout });
    let targets = addresses
        .into_iter()
        .map(|address| (endpoint.clone(), address))
        .collect();
    let observations = observe(
        Target::Endpoint { endpoint },
        connector,
        Arc::new(config),
        targets,
    )
    .await;
    let report = EndpointReport::with_profile(observations, args.grade.profile);
    write_endpoint_report(common, &report)?;
    // The worst address decides; one that could not be graded counts as failing.
    let letter = report.grades.overall.as_ref().map(|overall| overall.letter);
    Ok(exit_code(args.grade.fail_under, letter))
}
