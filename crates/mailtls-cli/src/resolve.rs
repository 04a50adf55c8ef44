//! Which resolver the CLI asks, and finding a host's addresses through it.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use hickory_proto::rr::RecordType;
use mailtls_core::transport::{DnsTransport, UdpTcpTransport};
use mailtls_core::{Domain, LookupStatus};
use mailtls_dns::Resolver;
use mailtls_dns::resolver::resolv_conf;

use crate::args::CommonArgs;

/// The resolver for this run: `--resolver`, else the system's name servers.
pub(crate) fn resolver(common: &CommonArgs) -> anyhow::Result<Resolver> {
    let timeout = Duration::from_secs(common.timeout.min(5));
    let (servers, validating) = if common.resolver.is_empty() {
        let text = std::fs::read_to_string("/etc/resolv.conf").context("reading /etc/resolv.conf")?;
        let servers = resolv_conf::nameservers(&text);
        if servers.is_empty() {
            bail!("/etc/resolv.conf names no name server; give one with --resolver IP");
        }
        // A resolver on this machine is one its owner runs, often validating (DESIGN §4.6).
        let local = servers.iter().all(|server| server.ip().is_loopback());
        (servers, common.validating_resolver || local)
    } else {
        (common.resolver.clone(), common.validating_resolver)
    };
    let transports: Vec<Arc<dyn DnsTransport>> = servers
        .into_iter()
        .map(|server| Arc::new(UdpTcpTransport::new(server, timeout, 2)) as Arc<dyn DnsTransport>)
        .collect();
    Ok(Resolver::new(transports, validating))
}

/// The addresses of `host` (A and AAAA, as -4/-6 allow), each with `port`.
pub(crate) async fn addresses(
    resolver: &Resolver,
    common: &CommonArgs,
    host: &Domain,
    port: u16,
) -> anyhow::Result<Vec<SocketAddr>> {
    let mut addresses = Vec::new();
    let mut failures = Vec::new();
    let families = [
        (RecordType::A, !common.ipv6_only),
        (RecordType::AAAA, !common.ipv4_only),
    ];
    for (record_type, wanted) in families {
        if !wanted {
            continue;
        }
        let lookup = resolver.lookup(host.as_str(), record_type).await;
        if lookup.status() == LookupStatus::Error {
            failures.push(format!(
                "{record_type}: {}",
                lookup.observation.error.as_deref().unwrap_or("lookup failed")
            ));
        }
        addresses.extend(lookup.ipv4().into_iter().map(IpAddr::V4));
        addresses.extend(lookup.ipv6().into_iter().map(IpAddr::V6));
    }
    if addresses.is_empty() {
        if failures.is_empty() {
            bail!("{host} has no address");
        }
        bail!("cannot resolve {host}: {}", failures.join("; "));
    }
    Ok(addresses
        .into_iter()
        .map(|ip| SocketAddr::new(ip, port))
        .collect())
}
