//! The enumeration's hellos: for each version, the suites, groups and
//! signature schemes to offer, with the feature extensions riding along.
//!
//! ```text
//! SSL 3.0:          no extensions (RFC 6101 has none), except supported_groups and
//!                   ec_point_formats on a hello of ECC suites only; EMPTY_RENEGOTIATION_INFO_SCSV
//!                   signals RFC 5746 support instead (RFC 5746 §3.3).
//! TLS 1.0 - 1.2:    server_name, supported_groups, ec_point_formats,
//!                   signature_algorithms (TLS 1.2, RFC 5246 §7.4.1.4.1),
//!                   renegotiation_info, extended_master_secret, encrypt_then_mac,
//!                   session_ticket, status_request, heartbeat(peer_allowed_to_send);
//!                   compression_methods = { DEFLATE(1), null(0) } (RFC 3749).
//! TLS 1.3:          legacy_version = 0x0303, 32-byte legacy_session_id,
//!                   supported_versions = { 0x0304 }, supported_groups,
//!                   key_share = {} (RFC 8446 §4.2.8: the server answers with a
//!                   HelloRetryRequest naming its group), signature_algorithms.
//! Every hello record body is kept out of 256..511 bytes (RFC 7685 §4).
//! ```

use sha2::{Digest, Sha256};

use crate::tls_engine::BuildError;
use crate::tls_engine::client_hello::{ClientHelloSpec, pad_out_of_f5_range};
use crate::tls_engine::extensions;
use crate::tls_engine::named_groups::NAMED_GROUPS;
use crate::tls_engine::signature_schemes::SIGNATURE_SCHEMES;
use crate::tls_engine::sslv2::{SSLV2_CIPHER_SPECS, sslv2_client_hello};
use crate::tls_engine::version::ProtocolVersion;

/// The five TLS 1.3 suites (RFC 8446 §B.4, RFC 8998 excluded).
pub(crate) const TLS13_SUITES: [u16; 5] = [0x1301, 0x1302, 0x1303, 0x1304, 0x1305];

/// What one hello offers besides the suites.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Offer<'a> {
    /// The groups for `supported_groups` (left out when empty).
    pub groups: &'a [u16],
    /// The schemes for `signature_algorithms` (TLS 1.2 and 1.3).
    pub signature_schemes: &'a [u16],
    /// The name for SNI.
    pub server_name: Option<&'a str>,
}

/// Every group a TLS 1.3 server could choose: the registry without the
/// explicit-curve markers, which are not groups.
pub(crate) fn tls13_groups() -> Vec<u16> {
    NAMED_GROUPS
        .iter()
        .map(|&(code, _)| code)
        .filter(|&code| code < 0xFF00)
        .collect()
}

/// The elliptic curves of TLS 1.2 and older (RFC 8422 §5.1.1, RFC 7027):
/// `sect163k1` to `x448`. Finite-field groups are left out so that a DHE
/// server shows its own parameters rather than ones the hello asked for.
pub(crate) fn tls12_curves() -> Vec<u16> {
    NAMED_GROUPS
        .iter()
        .map(|&(code, _)| code)
        .filter(|&code| (0x0001..=0x001E).contains(&code))
        .collect()
}

/// Every signature scheme in the registry.
pub(crate) fn all_signature_schemes() -> Vec<u16> {
    SIGNATURE_SCHEMES.iter().map(|&(code, _)| code).collect()
}

/// A random for one hello: not secret, only different each time.
fn random(counter: &mut u64) -> [u8; 32] {
    *counter = counter.wrapping_add(1);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or(0);
    let mut hasher = Sha256::new();
    hasher.update(counter.to_be_bytes());
    hasher.update(nanos.to_be_bytes());
    hasher.finalize().into()
}

/// Builds hellos, each with a fresh random.
#[derive(Debug, Default)]
pub(crate) struct HelloBuilder {
    counter: u64,
}

impl HelloBuilder {
    /// The ClientHello record for `version` (SSL 3.0 to TLS 1.3) offering `suites`.
    pub(crate) fn tls(
        &mut self,
        version: ProtocolVersion,
        suites: &[u16],
        offer: &Offer<'_>,
    ) -> Result<Vec<u8>, BuildError> {
        let random = random(&mut self.counter);
        let mut spec = if version >= ProtocolVersion::TLS1_3 {
            tls13_spec(random, suites, offer)?
        } else if version <= ProtocolVersion::SSL3_0 {
            sslv3_spec(random, suites, offer)?
        } else {
            legacy_spec(version, random, suites, offer)?
        };
        pad_out_of_f5_range(&mut spec)?;
        spec.to_record()
    }

    /// The SSL 2.0 CLIENT-HELLO offering all seven cipher kinds.
    pub(crate) fn sslv2(&mut self) -> Result<Vec<u8>, BuildError> {
        let random = random(&mut self.counter);
        let specs: Vec<u32> = SSLV2_CIPHER_SPECS.iter().map(|&(spec, _)| spec).collect();
        sslv2_client_hello(&specs, random.get(..16).unwrap_or(&random))
    }
}

fn sslv3_spec(random: [u8; 32], suites: &[u16], offer: &Offer<'_>) -> Result<ClientHelloSpec, BuildError> {
    // Only a hello of ECC suites carries the ECC extensions: a plain SSL 3.0
    // server may choke on any extension.
    let ecc = suites.iter().any(|&code| {
        crate::tls_engine::cipher_suites::lookup(code)
            .is_some_and(|suite| suite.key_exchange.is_rfc4492_ecc())
    });
    let extensions = if ecc {
        vec![
            extensions::supported_groups(offer.groups)?,
            extensions::ec_point_formats(&[0])?,
        ]
    } else {
        Vec::new()
    };
    Ok(ClientHelloSpec {
        record_version: ProtocolVersion::SSL3_0,
        client_version: ProtocolVersion::SSL3_0,
        random,
        session_id: Vec::new(),
        cipher_suites: [
            suites,
            &[crate::tls_engine::cipher_suites::EMPTY_RENEGOTIATION_INFO_SCSV],
        ]
        .concat(),
        compression_methods: vec![1, 0],
        extensions,
    })
}

fn legacy_spec(
    version: ProtocolVersion,
    random: [u8; 32],
    suites: &[u16],
    offer: &Offer<'_>,
) -> Result<ClientHelloSpec, BuildError> {
    let mut extensions = Vec::new();
    if let Some(name) = offer.server_name {
        extensions.push(extensions::server_name(name)?);
    }
    if !offer.groups.is_empty() {
        extensions.push(extensions::supported_groups(offer.groups)?);
        extensions.push(extensions::ec_point_formats(&[0])?);
    }
    if version >= ProtocolVersion::TLS1_2 && !offer.signature_schemes.is_empty() {
        extensions.push(extensions::signature_algorithms(offer.signature_schemes)?);
    }
    extensions.push(extensions::renegotiation_info(&[])?);
    extensions.push(extensions::extended_master_secret());
    extensions.push(extensions::encrypt_then_mac());
    extensions.push(extensions::session_ticket(&[]));
    extensions.push(extensions::status_request_ocsp());
    extensions.push(extensions::heartbeat(1));
    Ok(ClientHelloSpec {
        record_version: ProtocolVersion::TLS1_0,
        client_version: version,
        random,
        session_id: Vec::new(),
        cipher_suites: suites.to_vec(),
        compression_methods: vec![1, 0],
        extensions,
    })
}

fn tls13_spec(random: [u8; 32], suites: &[u16], offer: &Offer<'_>) -> Result<ClientHelloSpec, BuildError> {
    let mut extensions = Vec::new();
    if let Some(name) = offer.server_name {
        extensions.push(extensions::server_name(name)?);
    }
    extensions.push(extensions::supported_versions(&[ProtocolVersion::TLS1_3])?);
    extensions.push(extensions::supported_groups(offer.groups)?);
    extensions.push(extensions::key_share(&[])?);
    extensions.push(extensions::signature_algorithms(offer.signature_schemes)?);
    extensions.push(extensions::ec_point_formats(&[0])?);
    // psk_key_exchange_modes = { psk_dhe_ke }: some servers want it in every hello.
    extensions.push(extensions::Extension::raw(45, vec![1, 1]));
    Ok(ClientHelloSpec {
        record_version: ProtocolVersion::TLS1_0,
        client_version: ProtocolVersion::TLS1_2,
        session_id: random.to_vec(),
        random,
        cipher_suites: suites.to_vec(),
        compression_methods: vec![0],
        extensions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls_engine::cipher_suites::codes_for;

    #[test]
    fn every_enumeration_hello_stays_out_of_the_f5_range() {
        let mut builder = HelloBuilder::default();
        let groups = tls12_curves();
        let schemes = all_signature_schemes();
        let offer = Offer {
            groups: &groups,
            signature_schemes: &schemes,
            server_name: Some("mx.example.test"),
        };
        for version in [
            ProtocolVersion::SSL3_0,
            ProtocolVersion::TLS1_0,
            ProtocolVersion::TLS1_2,
        ] {
            let all = codes_for(version);
            for count in 1..=all.len() {
                let record = builder.tls(version, &all[..count], &offer).unwrap();
                let body = record.len() - 5;
                assert!(!(256..=511).contains(&body), "{version} {count}: {body}");
            }
        }
    }

    #[test]
    fn a_tls13_hello_offers_an_empty_key_share_and_only_tls13() {
        let mut builder = HelloBuilder::default();
        let groups = tls13_groups();
        let schemes = all_signature_schemes();
        let offer = Offer {
            groups: &groups,
            signature_schemes: &schemes,
            server_name: None,
        };
        let record = builder
            .tls(ProtocolVersion::TLS1_3, &TLS13_SUITES, &offer)
            .unwrap();
        let key_share = [0x00, 0x33, 0x00, 0x02, 0x00, 0x00];
        assert!(record.windows(6).any(|window| window == key_share));
        let supported_versions = [0x00, 0x2B, 0x00, 0x03, 0x02, 0x03, 0x04];
        assert!(record.windows(7).any(|window| window == supported_versions));
        assert!(groups.contains(&0x11EC) && groups.contains(&0x11EB) && groups.contains(&0x0100));
    }
}
