//! The resolver as the DNS of the SPF evaluator.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hickory_proto::rr::RecordType;
use mailtls_core::LookupStatus;

use super::{Lookup, LookupFailure, Resolver};
use crate::spf::{SpfDns, SpfDnsError};

/// NXDOMAIN and NODATA are empty answers for SPF (they count as void
/// lookups, RFC 7208 §4.6.4); every failure is a DNS error (`temperror`).
fn answered(lookup: Lookup) -> Result<Lookup, SpfDnsError> {
    if lookup.status() != LookupStatus::Error {
        return Ok(lookup);
    }
    Err(match lookup.failure {
        Some(LookupFailure::Timeout) => SpfDnsError::Timeout,
        Some(LookupFailure::ServerFailure) => SpfDnsError::ServerFailure,
        _ => SpfDnsError::Other {
            message: lookup
                .observation
                .error
                .unwrap_or_else(|| "the lookup failed".into()),
        },
    })
}

/// Names from DNS answers end in a dot; SPF works with names without it.
fn relative(name: String) -> String {
    match name.strip_suffix('.') {
        Some(stripped) => stripped.to_owned(),
        None => name,
    }
}

#[async_trait::async_trait]
impl SpfDns for Resolver {
    async fn txt(&self, name: &str) -> Result<Vec<String>, SpfDnsError> {
        Ok(answered(self.lookup(name, RecordType::TXT).await)?.txt())
    }

    async fn a(&self, name: &str) -> Result<Vec<Ipv4Addr>, SpfDnsError> {
        Ok(answered(self.lookup(name, RecordType::A).await)?.ipv4())
    }

    async fn aaaa(&self, name: &str) -> Result<Vec<Ipv6Addr>, SpfDnsError> {
        Ok(answered(self.lookup(name, RecordType::AAAA).await)?.ipv6())
    }

    async fn mx(&self, name: &str) -> Result<Vec<(u16, String)>, SpfDnsError> {
        let lookup = answered(self.lookup(name, RecordType::MX).await)?;
        Ok(lookup
            .mx()
            .into_iter()
            .map(|(preference, exchange)| (preference, relative(exchange)))
            .collect())
    }

    async fn ptr(&self, ip: IpAddr) -> Result<Vec<String>, SpfDnsError> {
        Ok(answered(self.lookup_ptr(ip).await)?
            .ptr()
            .into_iter()
            .map(relative)
            .collect())
    }
}
