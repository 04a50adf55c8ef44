//! Public key types and sizes, and signature algorithm names.
//!
//! ```text
//! RFC 8017 Appendix A.1.1
//!   RSAPublicKey ::= SEQUENCE {
//!       modulus           INTEGER,  -- n
//!       publicExponent    INTEGER   -- e
//!   }
//! RFC 5480 §2.1.1
//!   ECParameters ::= CHOICE {
//!     namedCurve         OBJECT IDENTIFIER
//!     -- implicitCurve   NULL
//!     -- specifiedCurve  SpecifiedECDomain
//!   }
//! RFC 3279 §2.3.2
//!   Dss-Parms  ::=  SEQUENCE  {
//!       p             INTEGER,
//!       q             INTEGER,
//!       g             INTEGER  }
//! RFC 8410 §3: id-X25519 1.3.101.110, id-X448 1.3.101.111,
//!   id-Ed25519 1.3.101.112, id-Ed448 1.3.101.113
//! ```

use const_oid::ObjectIdentifier;
use mailtls_core::{PublicKeyAlgorithm, PublicKeyFacts, SignatureAlgorithmFacts};
use x509_cert::spki::SubjectPublicKeyInfoOwned;

use super::layout::next_tlv;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
const DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");

/// Named curves: OID, name, field size in bits.
const CURVES: &[(ObjectIdentifier, &str, u32)] = &[
    (ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7"), "P-256", 256),
    (ObjectIdentifier::new_unwrap("1.3.132.0.34"), "P-384", 384),
    (ObjectIdentifier::new_unwrap("1.3.132.0.35"), "P-521", 521),
    (ObjectIdentifier::new_unwrap("1.3.132.0.10"), "secp256k1", 256),
    (ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.1"), "P-192", 192),
    (ObjectIdentifier::new_unwrap("1.3.132.0.33"), "P-224", 224),
    (
        ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.7"),
        "brainpoolP256r1",
        256,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.11"),
        "brainpoolP384r1",
        384,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.13"),
        "brainpoolP512r1",
        512,
    ),
];

/// Signature algorithms by OID, with the names OpenSSL prints.
const SIGNATURE_ALGORITHMS: &[(ObjectIdentifier, &str)] = &[
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.2"),
        "md2WithRSAEncryption",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.4"),
        "md5WithRSAEncryption",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5"),
        "sha1WithRSAEncryption",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.14"),
        "sha224WithRSAEncryption",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11"),
        "sha256WithRSAEncryption",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12"),
        "sha384WithRSAEncryption",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13"),
        "sha512WithRSAEncryption",
    ),
    (RSASSA_PSS, "rsassaPss"),
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.1"),
        "ecdsa-with-SHA1",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.1"),
        "ecdsa-with-SHA224",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2"),
        "ecdsa-with-SHA256",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3"),
        "ecdsa-with-SHA384",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4"),
        "ecdsa-with-SHA512",
    ),
    (ED25519, "Ed25519"),
    (ED448, "Ed448"),
    (ObjectIdentifier::new_unwrap("1.2.840.10040.4.3"), "dsa-with-SHA1"),
    (
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.1"),
        "dsa-with-SHA224",
    ),
    (
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.2"),
        "dsa-with-SHA256",
    ),
    (
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.17"),
        "ML-DSA-44",
    ),
    (
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.18"),
        "ML-DSA-65",
    ),
    (
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.19"),
        "ML-DSA-87",
    ),
];

/// The signature algorithm `oid`, by name.
pub(crate) fn signature_algorithm(oid: &ObjectIdentifier) -> SignatureAlgorithmFacts {
    let name = SIGNATURE_ALGORITHMS
        .iter()
        .find(|(known, _)| known == oid)
        .map_or_else(|| oid.to_string(), |(_, name)| (*name).to_owned());
    SignatureAlgorithmFacts {
        name,
        oid: oid.to_string(),
    }
}

/// The kind and size of the key in `spki`.
pub(crate) fn public_key_facts(spki: &SubjectPublicKeyInfoOwned) -> PublicKeyFacts {
    let oid = spki.algorithm.oid;
    let key = spki.subject_public_key.as_bytes().unwrap_or_default();
    let parameters = spki.algorithm.parameters.as_ref();
    let (algorithm, bits, curve) = if oid == RSA_ENCRYPTION {
        (PublicKeyAlgorithm::Rsa, rsa_modulus_bits(key), None)
    } else if oid == RSASSA_PSS {
        (PublicKeyAlgorithm::RsaPss, rsa_modulus_bits(key), None)
    } else if oid == EC_PUBLIC_KEY {
        let named = parameters.and_then(|any| any.decode_as::<ObjectIdentifier>().ok());
        match named.and_then(|named| CURVES.iter().find(|(known, _, _)| *known == named)) {
            Some((_, name, bits)) => (PublicKeyAlgorithm::Ec, Some(*bits), Some((*name).to_owned())),
            None => (
                PublicKeyAlgorithm::Ec,
                ec_point_bits(key),
                named.map(|named| named.to_string()),
            ),
        }
    } else if oid == ED25519 {
        (PublicKeyAlgorithm::Ed25519, Some(256), None)
    } else if oid == ED448 {
        (PublicKeyAlgorithm::Ed448, Some(456), None)
    } else if oid == DSA {
        (
            PublicKeyAlgorithm::Dsa,
            parameters.and_then(|any| first_integer_bits(any.value())),
            None,
        )
    } else {
        (PublicKeyAlgorithm::Other, None, None)
    };
    PublicKeyFacts {
        algorithm,
        bits,
        curve,
        oid: oid.to_string(),
    }
}

/// The size of an RSA modulus, from the DER RSAPublicKey.
pub(crate) fn rsa_modulus_bits(rsa_public_key: &[u8]) -> Option<u32> {
    let mut input = rsa_public_key;
    let sequence = next_tlv(&mut input)?;
    first_integer_bits(sequence.contents)
}

/// The size of the first INTEGER in `contents`, without sign octets.
fn first_integer_bits(contents: &[u8]) -> Option<u32> {
    let mut input = contents;
    let integer = next_tlv(&mut input)?;
    if integer.identifier != 0x02 {
        return None;
    }
    integer_bits(integer.contents)
}

/// The number of significant bits of a non-negative big-endian integer.
fn integer_bits(octets: &[u8]) -> Option<u32> {
    let start = octets.iter().position(|&octet| octet != 0)?;
    let significant = octets.get(start..)?;
    let first = significant.first()?;
    let length = u32::try_from(significant.len()).ok()?;
    length.checked_mul(8)?.checked_sub(first.leading_zeros())
}

/// The field size of an EC point on a curve mailtls does not know by name.
fn ec_point_bits(point: &[u8]) -> Option<u32> {
    let (&form, coordinates) = point.split_first()?;
    let coordinate_octets = match form {
        0x04 => coordinates.len() / 2,
        0x02 | 0x03 => coordinates.len(),
        _ => return None,
    };
    u32::try_from(coordinate_octets).ok()?.checked_mul(8)
}

/// The OID at the start of the contents of an AlgorithmIdentifier.
pub(crate) fn algorithm_oid(algorithm_identifier: &[u8]) -> Option<ObjectIdentifier> {
    let mut input = algorithm_identifier;
    let oid = next_tlv(&mut input)?;
    if oid.identifier != 0x06 {
        return None;
    }
    ObjectIdentifier::from_bytes(oid.contents).ok()
}

/// Whether `spki_algorithm` (the contents of a SubjectPublicKeyInfo's
/// AlgorithmIdentifier) names an RSA key.
pub(crate) fn is_rsa_algorithm(spki_algorithm: &[u8]) -> bool {
    algorithm_oid(spki_algorithm).is_some_and(|oid| oid == RSA_ENCRYPTION || oid == RSASSA_PSS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_bits_skip_the_sign_octet() {
        assert_eq!(integer_bits(&[0x00, 0x80, 0x00]), Some(16));
        assert_eq!(integer_bits(&[0x01, 0x00]), Some(9));
        assert_eq!(integer_bits(&[0x00]), None);
    }

    #[test]
    fn rsa_modulus_bits_reads_the_first_integer() {
        // SEQUENCE { INTEGER 0x00FF00, INTEGER 3 }
        let key = [0x30, 0x08, 0x02, 0x03, 0x00, 0xFF, 0x00, 0x02, 0x01, 0x03];
        assert_eq!(rsa_modulus_bits(&key), Some(16));
    }

    #[test]
    fn unknown_signature_algorithms_are_named_by_oid() {
        let facts = signature_algorithm(&ObjectIdentifier::new_unwrap("1.2.3.4"));
        assert_eq!(facts.name, "1.2.3.4");
        assert_eq!(facts.oid, "1.2.3.4");
    }

    #[test]
    fn sha256_with_rsa_has_its_openssl_name() {
        let oid = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
        assert_eq!(signature_algorithm(&oid).name, "sha256WithRSAEncryption");
    }

    #[test]
    fn uncompressed_points_of_unknown_curves_give_their_size() {
        let mut point = vec![0x04];
        point.extend([0u8; 64]);
        assert_eq!(ec_point_bits(&point), Some(256));
        assert_eq!(ec_point_bits(&[0x05, 0x00]), None);
    }
}
