//! The content of `demo.mailtls.test.` and of its reverse zone.
//!
//! Everything a mail domain publishes, each record pointing at what really runs:
//! the SRV records carry the services' ephemeral ports, the TLSA record the hash
//! of the key that mx1 serves, the DKIM record a key generated at start.

use std::net::{Ipv4Addr, Ipv6Addr};

use hickory_proto::rr::rdata::caa::CAA;
use hickory_proto::rr::rdata::tlsa::{CertUsage, Matching, Selector};
use hickory_proto::rr::rdata::{A, AAAA, MX, NS, PTR, SOA, SRV, TLSA, TXT};
use hickory_proto::rr::{Name, RData, Record};
use sha2::{Digest, Sha256};

use crate::dns::zone::Zone;
use crate::error::DemoError;

/// The TTL of every record.
const TTL: u32 = 300;
/// The longest character-string in a TXT record (RFC 1035 §3.3: one length octet).
const MAX_CHARACTER_STRING: usize = 255;

/// The zone apex.
pub(crate) const ORIGIN: &str = "demo.mailtls.test";
/// The MX host: SMTP and submissions.
pub(crate) const MX1: &str = "mx1.demo.mailtls.test";
/// The IMAP and POP3 host.
pub(crate) const IMAP: &str = "imap.demo.mailtls.test";
/// The name server.
const NS1: &str = "ns1.demo.mailtls.test";
/// The MTA-STS policy host (RFC 8461 §3.2).
pub(crate) const MTA_STS: &str = "mta-sts.demo.mailtls.test";
/// The reverse zone for 127.0.0.1.
const REVERSE_ORIGIN: &str = "1.0.0.127.in-addr.arpa";

/// An SRV record of a service the environment runs (RFC 6186, RFC 8314 §5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServiceRecord {
    /// The owner label pair, e.g. `_imaps._tcp`.
    pub(crate) service: &'static str,
    /// The host the service runs on.
    pub(crate) target: &'static str,
    /// The real (ephemeral) port.
    pub(crate) port: u16,
}

/// What the zone content depends on.
#[derive(Debug, Clone)]
pub(crate) struct ZoneInputs {
    /// The SRV records to publish.
    pub(crate) services: Vec<ServiceRecord>,
    /// The DER SubjectPublicKeyInfo of mx1's certificate.
    pub(crate) mx1_spki: Vec<u8>,
    /// The DKIM selector.
    pub(crate) dkim_selector: &'static str,
    /// The DKIM key record text.
    pub(crate) dkim_record: String,
    /// Whether mx1's services also listen on ::1 (then mx1 gets an AAAA record).
    pub(crate) mx1_ipv6: bool,
}

/// Builds the forward and the reverse zone.
pub(crate) fn demo_zones(inputs: &ZoneInputs) -> Result<Vec<Zone>, DemoError> {
    Ok(vec![forward_zone(inputs)?, reverse_zone()?])
}

fn forward_zone(inputs: &ZoneInputs) -> Result<Zone, DemoError> {
    let apex = ORIGIN;
    let mut records = vec![
        record(apex, "NS", || Ok(RData::NS(NS(fqdn(NS1)?))))?,
        // RFC 5321 §5.1: MX preference exchange
        record(apex, "MX", || Ok(RData::MX(MX::new(10, fqdn(MX1)?))))?,
        record(apex, "TXT", || Ok(txt("v=spf1 ip4:127.0.0.1 -all")))?,
        // RFC 8659 §4.1: flags tag value; `0 issue "demo-ca.mailtls.test"`
        record(apex, "CAA", || {
            let issuer = Name::from_ascii("demo-ca.mailtls.test").map_err(|error| error.to_string())?;
            Ok(RData::CAA(CAA::new_issue(false, Some(issuer), Vec::new())))
        })?,
        record(NS1, "A", || Ok(RData::A(A(Ipv4Addr::LOCALHOST))))?,
        record(MX1, "A", || Ok(RData::A(A(Ipv4Addr::LOCALHOST))))?,
        record(IMAP, "A", || Ok(RData::A(A(Ipv4Addr::LOCALHOST))))?,
        record(MTA_STS, "A", || Ok(RData::A(A(Ipv4Addr::LOCALHOST))))?,
        // RFC 7489 §6.3
        record("_dmarc.demo.mailtls.test", "TXT", || {
            Ok(txt("v=DMARC1; p=quarantine; rua=mailto:dmarc@demo.mailtls.test"))
        })?,
        // RFC 8461 §3.1
        record("_mta-sts.demo.mailtls.test", "TXT", || {
            Ok(txt("v=STSv1; id=demo1"))
        })?,
        // RFC 8460 §3
        record("_smtp._tls.demo.mailtls.test", "TXT", || {
            Ok(txt("v=TLSRPTv1; rua=mailto:tlsrpt@demo.mailtls.test"))
        })?,
        record(
            &format!("{}._domainkey.{ORIGIN}", inputs.dkim_selector),
            "TXT",
            || Ok(txt(&inputs.dkim_record)),
        )?,
        // RFC 6698 §2.1, RFC 7672 §3.1.1: DANE-EE(3) SPKI(1) SHA2-256(1)
        record("_25._tcp.mx1.demo.mailtls.test", "TLSA", || {
            Ok(RData::TLSA(TLSA::new(
                CertUsage::DaneEe,
                Selector::Spki,
                Matching::Sha256,
                Sha256::digest(&inputs.mx1_spki).to_vec(),
            )))
        })?,
    ];
    if inputs.mx1_ipv6 {
        records.push(record(MX1, "AAAA", || {
            Ok(RData::AAAA(AAAA(Ipv6Addr::LOCALHOST)))
        })?);
    }
    for service in &inputs.services {
        // RFC 2782: _Service._Proto.Name TTL Class SRV Priority Weight Port Target
        records.push(record(&format!("{}.{ORIGIN}", service.service), "SRV", || {
            Ok(RData::SRV(SRV::new(0, 1, service.port, fqdn(service.target)?)))
        })?);
    }
    Ok(Zone::new(soa(apex)?, records))
}

fn reverse_zone() -> Result<Zone, DemoError> {
    let records = vec![
        record(REVERSE_ORIGIN, "NS", || Ok(RData::NS(NS(fqdn(NS1)?))))?,
        record(REVERSE_ORIGIN, "PTR", || Ok(RData::PTR(PTR(fqdn(MX1)?))))?,
    ];
    Ok(Zone::new(soa(REVERSE_ORIGIN)?, records))
}

/// ```text
/// RFC 1035 §3.3.13: MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM
/// ```
fn soa(apex: &str) -> Result<Record, DemoError> {
    record(apex, "SOA", || {
        Ok(RData::SOA(SOA::new(
            fqdn(NS1)?,
            fqdn("hostmaster.demo.mailtls.test")?,
            1,
            3600,
            600,
            86400,
            TTL,
        )))
    })
}

/// A TXT record whose text is split into character-strings of at most 255 octets.
///
/// ```text
/// RFC 1035 §3.3.14: TXT-DATA One or more <character-string>s.
/// RFC 7208 §3.3 and RFC 6376 §3.6.2.2: a long record is split into several
///   strings, which the reader joins without any separator.
/// ```
pub(crate) fn txt(text: &str) -> RData {
    RData::TXT(TXT::from_bytes(
        text.as_bytes().chunks(MAX_CHARACTER_STRING).collect(),
    ))
}

/// Builds one record, naming the owner and type if its data cannot be built.
fn record(
    owner: &str,
    record_type: &'static str,
    data: impl FnOnce() -> Result<RData, String>,
) -> Result<Record, DemoError> {
    let zone_error = |reason: String| DemoError::Zone {
        owner: owner.to_owned(),
        record_type,
        reason,
    };
    let name = Name::from_ascii(format!("{owner}.")).map_err(|error| zone_error(error.to_string()))?;
    let data = data().map_err(zone_error)?;
    Ok(Record::from_rdata(name, TTL, data))
}

fn fqdn(name: &str) -> Result<Name, String> {
    Name::from_ascii(format!("{name}.")).map_err(|error| format!("{name}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_txt_is_one_string() {
        let RData::TXT(data) = txt("v=spf1 -all") else {
            panic!("expected TXT");
        };
        assert_eq!(data.txt_data.len(), 1);
    }

    #[test]
    fn long_txt_is_split_into_255_octet_strings() {
        let text = "a".repeat(600);
        let RData::TXT(data) = txt(&text) else {
            panic!("expected TXT");
        };
        let lengths: Vec<usize> = data.txt_data.iter().map(|string| string.len()).collect();
        assert_eq!(lengths, vec![255, 255, 90]);
        assert_eq!(data.txt_data.concat(), text.as_bytes());
    }
}
