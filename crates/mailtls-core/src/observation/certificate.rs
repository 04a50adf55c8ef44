//! What a served certificate says about itself, and how the served chain hangs
//! together.
//!
//! These are facts read from the DER exactly as the server sent it: names,
//! validity, key, signature algorithm, extensions. Whether a fact is good or bad
//! (a key too small, a certificate about to expire, a root sent needlessly) is
//! for `mailtls-score` to say.

use std::net::IpAddr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The facts of one certificate (RFC 5280 §4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CertificateFacts {
    /// The X.509 version: 1, 2 or 3.
    pub version: u8,
    /// The serial number, lower-case hex of its content octets.
    pub serial: String,
    /// The subject distinguished name as an RFC 4514 string.
    pub subject: String,
    /// The issuer distinguished name as an RFC 4514 string.
    pub issuer: String,
    /// Every commonName in the subject, in order.
    pub subject_common_names: Vec<String>,
    /// The subjectAltName extension, if present.
    pub subject_alt_names: Option<SubjectAltNames>,
    /// The validity period and where the observation time falls in it.
    pub validity: CertificateValidity,
    /// The subject public key.
    pub public_key: PublicKeyFacts,
    /// The algorithm the issuer signed the certificate with.
    pub signature_algorithm: SignatureAlgorithmFacts,
    /// SHA-1 of the DER encoding, lower-case hex (for matching old tools' output).
    pub sha1: String,
    /// SHA-256 of the DER-encoded SubjectPublicKeyInfo as served, lower-case hex:
    /// the value of a `3 1 1` TLSA record and of key pins.
    pub spki_sha256: String,
    /// Issuer and subject are the same name.
    pub self_issued: bool,
    /// The certificate's own key checks its signature, when it is self-issued.
    pub self_signature: Option<SignatureCheck>,
    /// Self-issued and signed by its own key. When the signature algorithm is
    /// one mailtls cannot verify, this is judged from the key identifiers
    /// instead (authority key id absent or equal to the subject key id), and
    /// `self_signature` says `unsupported`.
    pub self_signed: bool,
    /// The basicConstraints extension, if present.
    pub basic_constraints: Option<BasicConstraintsFacts>,
    /// The keyUsage bits set, by their RFC 5280 names (`digitalSignature`,
    /// `keyCertSign`…), if the extension is present.
    pub key_usage: Option<Vec<String>>,
    /// The extendedKeyUsage purposes (`serverAuth`, `clientAuth`…, or the
    /// dotted OID), if the extension is present.
    pub extended_key_usage: Option<Vec<String>>,
    /// The extendedKeyUsage extension lists id-kp-serverAuth.
    pub server_auth: bool,
    /// The certificatePolicies OIDs, dotted.
    pub policies: Vec<String>,
    /// The CA/Browser Forum validation level the policies assert, if any.
    pub validation_level: Option<ValidationLevel>,
    /// Signed certificate timestamps embedded in the certificate (RFC 6962 §3.3).
    pub embedded_scts: u32,
    /// The TLS feature extension asks for status_request: OCSP must-staple (RFC 7633).
    pub must_staple: bool,
    /// OCSP responder URLs from authorityInfoAccess.
    pub ocsp_urls: Vec<String>,
    /// CA issuer certificate URLs from authorityInfoAccess.
    pub ca_issuers_urls: Vec<String>,
    /// CRL distribution point URLs.
    pub crl_urls: Vec<String>,
    /// The subjectKeyIdentifier, lower-case hex.
    pub subject_key_id: Option<String>,
    /// The keyIdentifier of the authorityKeyIdentifier, lower-case hex.
    pub authority_key_id: Option<String>,
    /// Oddities that did not stop the parse: an extension that does not decode,
    /// an extension present twice, an unknown critical extension.
    pub anomalies: Vec<String>,
}

/// The subjectAltName extension (RFC 5280 §4.2.1.6).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct SubjectAltNames {
    /// dNSName entries, as written in the certificate.
    pub dns_names: Vec<String>,
    /// iPAddress entries.
    pub ip_addresses: Vec<IpAddr>,
    /// Entries of any other kind (email, URI, directory name…), counted.
    pub other: u32,
}

/// The validity period (RFC 5280 §4.1.2.5), relative to the time of observation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CertificateValidity {
    /// notBefore, seconds since the Unix epoch.
    pub not_before: i64,
    /// notAfter, seconds since the Unix epoch.
    pub not_after: i64,
    /// notBefore as RFC 3339 (UTC), e.g. `2025-01-31T00:00:00Z`.
    pub not_before_rfc3339: String,
    /// notAfter as RFC 3339 (UTC).
    pub not_after_rfc3339: String,
    /// Whole days from the observation to notAfter; negative once expired.
    pub days_to_expiry: i64,
    /// Whole days from notBefore to notAfter.
    pub lifetime_days: i64,
    /// Where the observation time falls.
    pub status: ValidityStatus,
}

/// Where a moment falls in a validity period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValidityStatus {
    /// Before notBefore.
    NotYetValid,
    /// Between notBefore and notAfter, both included.
    Valid,
    /// After notAfter.
    Expired,
}

/// The subject public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PublicKeyFacts {
    /// The kind of key.
    pub algorithm: PublicKeyAlgorithm,
    /// Its size: the RSA modulus or DSA prime length, the curve's field size.
    pub bits: Option<u32>,
    /// The named curve of an EC key, e.g. `P-256`, or the dotted OID of an
    /// unnamed one.
    pub curve: Option<String>,
    /// The algorithm OID, dotted.
    pub oid: String,
}

/// A kind of subject public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicKeyAlgorithm {
    /// rsaEncryption (RFC 8017).
    Rsa,
    /// id-RSASSA-PSS: an RSA key restricted to PSS signatures (RFC 4055).
    RsaPss,
    /// id-ecPublicKey (RFC 5480).
    Ec,
    /// id-Ed25519 (RFC 8410).
    Ed25519,
    /// id-Ed448 (RFC 8410).
    Ed448,
    /// id-dsa (RFC 3279).
    Dsa,
    /// Anything else; see `oid`.
    Other,
}

/// A signature algorithm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SignatureAlgorithmFacts {
    /// Its usual name, e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA256`,
    /// `Ed25519`; the dotted OID when mailtls does not know it.
    pub name: String,
    /// The OID, dotted.
    pub oid: String,
}

/// The outcome of checking one signature with one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum SignatureCheck {
    /// The key verifies the signature.
    Valid,
    /// It does not.
    Invalid,
    /// mailtls cannot tell (an algorithm or key it does not verify).
    Unsupported {
        /// Why.
        reason: String,
    },
}

/// The basicConstraints extension (RFC 5280 §4.2.1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BasicConstraintsFacts {
    /// cA: the key may sign certificates.
    pub ca: bool,
    /// pathLenConstraint.
    pub path_len: Option<u8>,
    /// The extension is marked critical.
    pub critical: bool,
}

/// A CA/Browser Forum Baseline Requirements validation level (§7.1.6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValidationLevel {
    /// Domain validated, 2.23.140.1.2.1.
    Dv,
    /// Organization validated, 2.23.140.1.2.2.
    Ov,
    /// Individual validated, 2.23.140.1.2.3.
    Iv,
    /// Extended validation, 2.23.140.1.1.
    Ev,
}

/// Why a served certificate could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CertificateParseError {
    /// What the DER decoder said.
    pub reason: String,
    /// The byte offset in the certificate's DER where decoding stopped, when
    /// the decoder reports one.
    pub offset: Option<u32>,
}

/// How the chain as served hangs together. Positions are 0-based, the leaf
/// is 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChainFacts {
    /// Certificates the server sent.
    pub served: u32,
    /// Certificates looked at: the first ones served, at most a fixed bound.
    pub analysed: u32,
    /// More were served than looked at.
    pub truncated: bool,
    /// For each certificate but the last analysed: is it issued by the next one?
    pub links: Vec<ChainLink>,
    /// Every link holds: the chain is sent in issuing order, leaf first.
    pub in_order: bool,
    /// Where the path from the leaf, followed through the served certificates
    /// in any order, ends.
    pub completeness: ChainCompleteness,
    /// Positions of self-signed certificates (roots) in the chain. A root sent
    /// by the server is ignored by clients and only costs bytes (except as a
    /// DANE-TA anchor).
    pub self_signed: Vec<u32>,
    /// Positions of certificates that repeat an earlier one byte for byte.
    pub duplicates: Vec<u32>,
    /// The leaf's names cover the name the client asked for (RFC 6125), when
    /// there was a name and the leaf could be read.
    pub leaf_name_matches: Option<bool>,
}

/// Whether certificate `position` is issued by certificate `position + 1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChainLink {
    /// The position of the issued certificate; the issuer is the next one.
    pub position: u32,
    /// Its issuer name equals the next certificate's subject name (byte for byte).
    pub names_match: bool,
    /// Its authority key id equals the next certificate's subject key id; absent
    /// when either is missing.
    pub key_ids_match: Option<bool>,
    /// The next certificate's key checks its signature.
    pub signature: SignatureCheck,
    /// Names match and key ids, where both are present, too.
    pub issued_by_next: bool,
}

/// Where the chain from the leaf ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ChainCompleteness {
    /// At a self-signed certificate the server sent.
    EndsAtServedRoot {
        /// Its position.
        position: u32,
    },
    /// At a certificate whose issuer is one of the trust anchors in use: the
    /// usual, complete chain without the root.
    EndsAtTrustAnchor {
        /// The anchor's name, RFC 4514.
        issuer: String,
    },
    /// At a certificate whose issuer was neither sent nor is a trust anchor: a
    /// missing intermediate, or an unknown root. mailtls does not fetch
    /// missing issuers (no AIA chasing); WebPKI reports such a chain as
    /// `UnknownIssuer`.
    IssuerMissing {
        /// The last certificate on the path.
        position: u32,
        /// The issuer it names, RFC 4514.
        issuer: String,
    },
    /// Nothing can be said: no certificate, or the leaf does not parse.
    Unknown {
        /// Why.
        reason: String,
    },
}
