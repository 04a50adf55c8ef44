//! ROBOT, the Return Of Bleichenbacher's Oracle Threat (Böck, Somorovsky,
//! Young, 2017; robotattack.org): a server whose reaction to an RSA
//! ClientKeyExchange tells a well-formed PKCS#1 v1.5 plaintext from a
//! malformed one lets an attacker decrypt recorded sessions or sign with the
//! server's key.
//!
//! ```text
//! RFC 5246 §7.4.7.1 (RFC 6101 §5.6.7.1 for SSL 3.0: no length prefix)
//!   struct { ProtocolVersion client_version; opaque random[46]; } PreMasterSecret;
//!   struct { public-key-encrypted PreMasterSecret pre_master_secret; } EncryptedPreMasterSecret;
//!   ClientKeyExchange: handshake type client_key_exchange(16)
//! RFC 8017 §7.2.1 (EME-PKCS1-v1_5)
//!   EM = 0x00 || 0x02 || PS || 0x00 || M      PS: k - mLen - 3 non-zero octets, at least 8
//!   c = m^e mod n, as k octets
//! RFC 3447 §A.1.1
//!   RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
//! ```
//!
//! The method is the paper's, as its `robot-detect` script and testssl.sh's
//! `run_robot` implement it: one connection per payload, each offering only
//! RSA key-transport suites; after ServerHelloDone, ClientKeyExchange with
//! the payload encrypted raw under the certificate's key, ChangeCipherSpec
//! and a Finished record of garbage, all in one flight; then the server's
//! reaction (alert, close, reset, silence) is recorded. The five payloads,
//! with `PS` random non-zero padding of `k - 51` octets and a fixed 46-octet
//! secret `R`:
//!
//! ```text
//!   correct:            00 02 PS 00 <version> R
//!   wrong first bytes:  41 17 PS 00 <version> R
//!   0x00 misplaced:     00 02 PS 11 R 00 11        (separator near the end)
//!   no 0x00 separator:  00 02 PS 11 11 11 R
//!   wrong version:      00 02 PS 00 02 02 R
//! ```
//!
//! Identical reactions to all five: not vulnerable. Different reactions:
//! every payload whose reaction differs from the wrong-first-bytes one (a
//! plaintext no server can mistake for PKCS#1) is sent again, with the
//! wrong-first-bytes one itself; if the repeats agree the server is an
//! oracle, else the replies are noise and nothing is concluded. The oracle
//! is strong when it already tells a wrong `00 02` header from later
//! formatting errors (fewer queries for an attack), weak when only a fully
//! well-formed message stands out.
//! The paper's second pass with a shortened flight (ClientKeyExchange alone)
//! is not run: against a correct server every such connection waits for
//! the timeout, which is too slow and too rude for a mail server.

use mailtls_core::{CheckMethod, Vulnerability, VulnerabilityCheck, VulnerabilityResult};
use num_bigint::BigUint;
use x509_cert::Certificate;
use x509_cert::der::asn1::UintRef;
use x509_cert::der::{Decode, Reader, SliceReader};

use crate::tls_engine::active::ActiveContext;
use crate::tls_engine::active::connection::{
    Dialer, alert_name, describe_end, fill_random, first_flight, record,
};
use crate::tls_engine::cipher_suites::{self, KeyExchange};
use crate::tls_engine::client_hello::CONTENT_TYPE_HANDSHAKE;
use crate::tls_engine::exchange::{ExchangeEnd, exchange};
use crate::tls_engine::record::ServerEvent;
use crate::tls_engine::version::ProtocolVersion;

/// The OID of `rsaEncryption`.
const RSA_ENCRYPTION: x509_cert::der::oid::ObjectIdentifier =
    x509_cert::der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// Handshake type `client_key_exchange`.
const HANDSHAKE_CLIENT_KEY_EXCHANGE: u8 = 16;

/// The 46-octet secret in every payload (no zero octet in it, so that only
/// the separator the payload means to place is a zero).
const SECRET: [u8; 46] = [
    0xAA, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
    0x88, 0x99, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
    0x77, 0x88, 0x99, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
];

/// The garbage Finished: as long as a TLS 1.2 CBC-SHA Finished record
/// (explicit IV, 16-octet message, 20-octet MAC, padding).
const GARBAGE_FINISHED: [u8; 64] = [0x5C; 64];

/// The fewest padding octets PKCS#1 v1.5 allows.
const MIN_PADDING: usize = 8;

/// The five plaintexts of the ROBOT paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Payload {
    /// Well formed, with a valid premaster secret.
    Correct,
    /// `41 17` instead of `00 02`.
    WrongFirstBytes,
    /// The zero separator near the end instead of before the secret.
    ZeroMisplaced,
    /// No zero separator at all.
    NoZeroSeparator,
    /// Well formed, but the premaster secret's version is `02 02`.
    WrongVersion,
}

impl Payload {
    /// All five, in the paper's order.
    pub const ALL: [Self; 5] = [
        Self::Correct,
        Self::WrongFirstBytes,
        Self::ZeroMisplaced,
        Self::NoZeroSeparator,
        Self::WrongVersion,
    ];

    /// The name used in evidence.
    pub fn name(self) -> &'static str {
        match self {
            Self::Correct => "correct",
            Self::WrongFirstBytes => "wrong first bytes",
            Self::ZeroMisplaced => "0x00 misplaced",
            Self::NoZeroSeparator => "no 0x00 separator",
            Self::WrongVersion => "wrong version",
        }
    }

    /// The `k`-octet plaintext for a modulus of `k` octets, with `padding`
    /// (`k - 51` non-zero octets) and `version` in the premaster secret;
    /// `None` when `padding` has the wrong length or is too short.
    pub fn plaintext(self, k: usize, padding: &[u8], version: ProtocolVersion) -> Option<Vec<u8>> {
        if padding.len() < MIN_PADDING || padding.len().checked_add(51)? != k {
            return None;
        }
        let (head, middle, tail): (&[u8], Vec<u8>, &[u8]) = match self {
            Self::Correct => (&[0x00, 0x02], [&[0x00][..], &version.to_bytes()].concat(), &[]),
            Self::WrongFirstBytes => (&[0x41, 0x17], [&[0x00][..], &version.to_bytes()].concat(), &[]),
            Self::ZeroMisplaced => (&[0x00, 0x02], vec![0x11], &[0x00, 0x11]),
            Self::NoZeroSeparator => (&[0x00, 0x02], vec![0x11, 0x11, 0x11], &[]),
            Self::WrongVersion => (&[0x00, 0x02], vec![0x00, 0x02, 0x02], &[]),
        };
        let out = [head, padding, &middle, &SECRET, tail].concat();
        (out.len() == k).then_some(out)
    }
}

/// The largest RSA modulus the probe encrypts with, in bits.
pub const MAX_MODULUS_BITS: u64 = 16_384;
/// The largest public exponent the probe encrypts with, in bits.
pub const MAX_EXPONENT_BITS: u64 = 1_024;

/// An RSA public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaPublicKey {
    /// The modulus `n`.
    pub modulus: BigUint,
    /// The public exponent `e`.
    pub exponent: BigUint,
}

impl RsaPublicKey {
    /// The key of an `rsaEncryption` certificate; `None` for any other
    /// certificate or DER that does not decode.
    pub fn from_certificate(der: &[u8]) -> Option<Self> {
        let certificate = Certificate::from_der(der).ok()?;
        let spki = certificate.tbs_certificate().subject_public_key_info();
        if spki.algorithm.oid != RSA_ENCRYPTION {
            return None;
        }
        Self::from_rsa_public_key(spki.subject_public_key.as_bytes()?)
    }

    /// Reads a DER `RSAPublicKey`.
    pub fn from_rsa_public_key(der: &[u8]) -> Option<Self> {
        let mut reader = SliceReader::new(der).ok()?;
        let (modulus, exponent) = reader
            .sequence(|inner| {
                let modulus = UintRef::decode(inner)?;
                let exponent = UintRef::decode(inner)?;
                Ok::<_, x509_cert::der::Error>((
                    BigUint::from_bytes_be(modulus.as_bytes()),
                    BigUint::from_bytes_be(exponent.as_bytes()),
                ))
            })
            .ok()?;
        reader.finish().ok()?;
        let zero = BigUint::from(0u8);
        // A hostile certificate could carry a modulus or exponent of
        // megabits and make each modpow take minutes; real keys stay far
        // below these bounds.
        let sane = modulus.bits() <= MAX_MODULUS_BITS && exponent.bits() <= MAX_EXPONENT_BITS;
        (sane && modulus > zero && exponent > zero).then_some(Self { modulus, exponent })
    }

    /// The length of the modulus in octets (`k`).
    pub fn octets(&self) -> usize {
        usize::try_from(self.modulus.bits().div_ceil(8)).unwrap_or(usize::MAX)
    }

    /// `plaintext^e mod n` as `k` octets.
    pub fn encrypt_raw(&self, plaintext: &[u8]) -> Vec<u8> {
        let cipher = BigUint::from_bytes_be(plaintext)
            .modpow(&self.exponent, &self.modulus)
            .to_bytes_be();
        let k = self.octets();
        let mut out = vec![0u8; k.saturating_sub(cipher.len())];
        out.extend_from_slice(&cipher);
        out
    }
}

/// The flight that follows ServerHelloDone: ClientKeyExchange with
/// `encrypted`, ChangeCipherSpec and a garbage Finished, as records.
pub fn key_exchange_flight(version: ProtocolVersion, encrypted: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    if version > ProtocolVersion::SSL3_0 {
        let length = u16::try_from(encrypted.len()).unwrap_or(u16::MAX);
        body.extend_from_slice(&length.to_be_bytes());
    }
    body.extend_from_slice(encrypted);
    let length = u32::try_from(body.len()).unwrap_or(0).to_be_bytes();
    let mut message = vec![HANDSHAKE_CLIENT_KEY_EXCHANGE];
    message.extend_from_slice(length.get(1..).unwrap_or_default());
    message.extend_from_slice(&body);
    [
        record(CONTENT_TYPE_HANDSHAKE, version, &message),
        super::ccs_injection::change_cipher_spec(version),
        record(CONTENT_TYPE_HANDSHAKE, version, &GARBAGE_FINISHED),
    ]
    .concat()
}

/// Runs the check.
pub(crate) async fn check(dialer: &mut Dialer<'_>, context: &ActiveContext) -> VulnerabilityCheck {
    let mut connections = 0;
    let result = run(dialer, context, &mut connections).await;
    VulnerabilityCheck {
        vulnerability: Vulnerability::Robot,
        method: CheckMethod::Active,
        result,
        connections,
    }
}

/// The non-export RSA key-transport suites among `suites`.
fn rsa_suites(suites: &[u16]) -> Vec<u16> {
    suites
        .iter()
        .copied()
        .filter(|&code| {
            cipher_suites::lookup(code)
                .is_some_and(|suite| suite.key_exchange == KeyExchange::Rsa && !suite.export)
        })
        .collect()
}

/// The highest version up to TLS 1.2 with RSA key-transport suites, and them.
fn rsa_target(context: &ActiveContext) -> Option<(ProtocolVersion, Vec<u16>)> {
    context
        .suites
        .iter()
        .filter(|(version, _)| *version <= ProtocolVersion::TLS1_2 && context.versions.contains(version))
        .map(|(version, suites)| (*version, rsa_suites(suites)))
        .filter(|(_, suites)| !suites.is_empty())
        .max_by_key(|(version, _)| *version)
}

async fn run(dialer: &mut Dialer<'_>, context: &ActiveContext, connections: &mut u64) -> VulnerabilityResult {
    let Some((version, suites)) = rsa_target(context) else {
        return VulnerabilityResult::NotVulnerable {
            evidence: "precondition not met: no RSA key-transport suite is accepted".to_owned(),
        };
    };
    let mut probe = Probe {
        version,
        suites,
        padding: None,
    };
    let mut first = Vec::new();
    for payload in Payload::ALL {
        match probe.reaction(dialer, connections, payload).await {
            Ok(reaction) => first.push((payload, reaction)),
            Err(reason) => return VulnerabilityResult::NotTested { reason },
        }
    }
    let listing = |reactions: &[(Payload, String)]| {
        reactions
            .iter()
            .map(|(payload, reaction)| format!("{}: {reaction}", payload.name()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let baseline = first
        .iter()
        .find(|(payload, _)| *payload == Payload::WrongFirstBytes)
        .map(|(_, reaction)| reaction.clone())
        .unwrap_or_default();
    if first.iter().all(|(_, reaction)| *reaction == baseline) {
        return VulnerabilityResult::NotVulnerable {
            evidence: format!(
                "{version}: the same reaction to all five ClientKeyExchange payloads: {baseline}"
            ),
        };
    }
    let to_repeat: Vec<Payload> = first
        .iter()
        .filter(|(payload, reaction)| *payload == Payload::WrongFirstBytes || *reaction != baseline)
        .map(|(payload, _)| *payload)
        .collect();
    let mut repeats = Vec::new();
    for payload in to_repeat {
        match probe.reaction(dialer, connections, payload).await {
            Ok(reaction) => repeats.push((payload, reaction)),
            Err(reason) => return VulnerabilityResult::NotTested { reason },
        }
    }
    let consistent = repeats.iter().all(|(payload, again)| {
        first
            .iter()
            .any(|(earlier, reaction)| earlier == payload && reaction == again)
    });
    if !consistent {
        return VulnerabilityResult::NotTested {
            reason: format!(
                "{version}: inconsistent reactions, so no conclusion: first {}; repeated {}",
                listing(&first),
                listing(&repeats)
            ),
        };
    }
    let reaction_of = |wanted: Payload| {
        first
            .iter()
            .find(|(payload, _)| *payload == wanted)
            .map(|(_, reaction)| reaction.as_str())
    };
    let strong = reaction_of(Payload::ZeroMisplaced) != Some(baseline.as_str())
        || reaction_of(Payload::NoZeroSeparator) != Some(baseline.as_str());
    VulnerabilityResult::Vulnerable {
        evidence: format!(
            "{version}: {} Bleichenbacher oracle, reactions differ consistently: {}",
            if strong { "strong" } else { "weak" },
            listing(&first)
        ),
    }
}

/// The state of one ROBOT run: the version and suites to offer, and the
/// padding, drawn once so that repeats send the same plaintexts.
struct Probe {
    version: ProtocolVersion,
    suites: Vec<u16>,
    padding: Option<Vec<u8>>,
}

impl Probe {
    /// One connection: the server's reaction to `payload`, in words. The
    /// error is why the payload could not be sent.
    async fn reaction(
        &mut self,
        dialer: &mut Dialer<'_>,
        connections: &mut u64,
        payload: Payload,
    ) -> Result<String, String> {
        let hello = dialer.hello(self.version, &self.suites, Vec::new())?;
        let mut flight = first_flight(dialer, connections, &hello).await?;
        let chosen = flight.hello.cipher_suite;
        if !cipher_suites::lookup(chosen).is_some_and(|suite| suite.key_exchange == KeyExchange::Rsa) {
            return Err(format!(
                "offered only RSA key-transport suites, the server chose {}",
                cipher_suites::name(chosen)
            ));
        }
        let key = flight
            .der_chain
            .first()
            .and_then(|der| RsaPublicKey::from_certificate(der))
            .ok_or("the server's certificate has no RSA encryption key")?;
        let k = key.octets();
        let padding_length = k
            .checked_sub(51)
            .filter(|length| *length >= MIN_PADDING)
            .ok_or_else(|| format!("an RSA modulus of {k} octets is too short for PKCS#1 v1.5"))?;
        let padding = match &self.padding {
            Some(padding) if padding.len() == padding_length => padding.clone(),
            _ => {
                let padding = non_zero_padding(padding_length);
                self.padding = Some(padding.clone());
                padding
            }
        };
        let plaintext = payload
            .plaintext(k, &padding, self.version)
            .ok_or("the payload does not fit the modulus")?;
        let flight_bytes =
            key_exchange_flight(flight.hello.negotiated_version(), &key.encrypt_raw(&plaintext));
        let reply = exchange(
            &mut flight.stream,
            &mut flight.reader,
            &flight_bytes,
            dialer.timeout,
            |_| false,
        )
        .await;
        let mut words: Vec<String> = reply
            .events
            .iter()
            .filter_map(|event| match event {
                ServerEvent::Alert(alert) => Some(format!("alert {}", alert_name(*alert))),
                ServerEvent::ChangeCipherSpec => Some("ChangeCipherSpec".to_owned()),
                ServerEvent::EncryptedRecord { content_type, .. } => {
                    Some(format!("encrypted record of type {content_type}"))
                }
                _ => None,
            })
            .collect();
        let end = if reply.end == ExchangeEnd::Refused {
            // A fatal alert ended the read: whether the server then closes,
            // resets or lingers is part of the reaction.
            exchange(
                &mut flight.stream,
                &mut flight.reader,
                &[],
                dialer.timeout,
                |_| false,
            )
            .await
            .end
        } else {
            reply.end
        };
        words.push(describe_end(&end, dialer.timeout));
        Ok(words.join(", then "))
    }
}

/// `length` random non-zero octets.
fn non_zero_padding(length: usize) -> Vec<u8> {
    let mut padding = vec![0u8; length];
    if fill_random(&mut padding).is_none() {
        padding.fill(0x42);
    }
    for octet in &mut padding {
        if *octet == 0 {
            *octet = 0x42;
        }
    }
    padding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payloads_have_the_modulus_length_and_their_defects() {
        let padding = vec![0x77; 128 - 51];
        let version = ProtocolVersion::TLS1_2;
        for payload in Payload::ALL {
            assert_eq!(
                payload.plaintext(128, &padding, version).map(|p| p.len()),
                Some(128)
            );
        }
        let correct = Payload::Correct
            .plaintext(128, &padding, version)
            .unwrap_or_default();
        assert_eq!(correct.get(..2), Some(&[0x00, 0x02][..]));
        assert_eq!(correct.get(79..82), Some(&[0x00, 0x03, 0x03][..]));
        let wrong = Payload::WrongFirstBytes
            .plaintext(128, &padding, version)
            .unwrap_or_default();
        assert_eq!(wrong.get(..2), Some(&[0x41, 0x17][..]));
        let misplaced = Payload::ZeroMisplaced
            .plaintext(128, &padding, version)
            .unwrap_or_default();
        assert_eq!(misplaced.iter().skip(2).position(|&octet| octet == 0), Some(124));
        let missing = Payload::NoZeroSeparator
            .plaintext(128, &padding, version)
            .unwrap_or_default();
        assert!(!missing.iter().skip(2).any(|&octet| octet == 0));
        let old = Payload::WrongVersion
            .plaintext(128, &padding, version)
            .unwrap_or_default();
        assert_eq!(old.get(79..82), Some(&[0x00, 0x02, 0x02][..]));
    }

    #[test]
    fn short_padding_is_refused() {
        assert_eq!(
            Payload::Correct.plaintext(58, &[1; 7], ProtocolVersion::TLS1_2),
            None
        );
    }

    #[test]
    fn raw_encryption_is_textbook_rsa() {
        // n = 61 * 53 = 3233, e = 17: 65^17 mod 3233 = 2790.
        let key = RsaPublicKey {
            modulus: BigUint::from(3233u32),
            exponent: BigUint::from(17u32),
        };
        assert_eq!(key.encrypt_raw(&[65]), vec![0x0A, 0xE6]);
    }

    #[test]
    fn the_flight_is_three_records() {
        let flight = key_exchange_flight(ProtocolVersion::TLS1_2, &[9; 4]);
        assert_eq!(
            flight.get(..15),
            Some(&[22, 3, 3, 0, 10, 16, 0, 0, 6, 0, 4, 9, 9, 9, 9][..])
        );
        assert_eq!(flight.get(15..21), Some(&[20, 3, 3, 0, 1, 1][..]));
        assert_eq!(flight.len(), 15 + 6 + 5 + 64);
    }
}
