//! Just enough DER to read an RSA public key's modulus length: a bounded
//! walker over definite-length TLVs, no recursion, no panics.
//!
//! ```text
//! X.690 §8.1.2-8.1.3: identifier octet, length octets, contents
//!   length < 0x80:  short form, the length itself
//!   0x81..=0x84:    long form, 1..=4 following octets hold the length
//!   0x80:           indefinite form, not allowed in DER
//!
//! RFC 5280 §4.1.2.7
//!   SubjectPublicKeyInfo  ::=  SEQUENCE  {
//!        algorithm            AlgorithmIdentifier,
//!        subjectPublicKey     BIT STRING  }
//!   AlgorithmIdentifier  ::=  SEQUENCE  {
//!        algorithm               OBJECT IDENTIFIER,
//!        parameters              ANY DEFINED BY algorithm OPTIONAL  }
//! RFC 3279 §2.3.1
//!   rsaEncryption OBJECT IDENTIFIER ::= { 1 2 840 113549 1 1 1 }
//! RFC 8017 §A.1.1
//!   RSAPublicKey ::= SEQUENCE {
//!       modulus           INTEGER,  -- n
//!       publicExponent    INTEGER   -- e
//!   }
//! ```
//!
//! RFC 6376 §3.6.1 publishes the SubjectPublicKeyInfo; some signers publish
//! the bare PKCS#1 RSAPublicKey instead, which many verifiers also accept.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OBJECT_IDENTIFIER: u8 = 0x06;

/// The DER encoding of the rsaEncryption OID's contents (1.2.840.113549.1.1.1).
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// How an RSA key is wrapped in `p=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RsaKeyEncoding {
    /// A SubjectPublicKeyInfo, as RFC 6376 §3.6.1 specifies.
    SubjectPublicKeyInfo,
    /// A bare PKCS#1 RSAPublicKey.
    Pkcs1,
}

/// What the DER walker learnt about an RSA public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RsaKeyInfo {
    /// The modulus length in bits (leading zero bits not counted).
    pub modulus_bits: u32,
    /// The public exponent, when it fits in 64 bits.
    pub public_exponent: Option<u64>,
    /// How the key was wrapped.
    pub encoding: RsaKeyEncoding,
}

/// Why the DER walker stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DerError {
    /// The data ends inside an element.
    #[error("the DER data ends early at byte {offset}")]
    Truncated {
        /// Offset into the decoded key where more bytes were needed.
        offset: usize,
    },
    /// An indefinite or over-long length.
    #[error("unsupported DER length encoding at byte {offset}")]
    BadLength {
        /// Offset of the length octets.
        offset: usize,
    },
    /// An element other than the one the structure requires.
    #[error("expected DER tag {expected:#04x} at byte {offset}, found {found:#04x}")]
    UnexpectedTag {
        /// Offset of the identifier octet.
        offset: usize,
        /// The tag wanted.
        expected: u8,
        /// The tag found.
        found: u8,
    },
    /// A SubjectPublicKeyInfo for another algorithm.
    #[error("the key's algorithm is {oid}, not rsaEncryption (1.2.840.113549.1.1.1)")]
    NotRsa {
        /// The algorithm OID in dotted form.
        oid: String,
    },
    /// Bytes after the end of the structure.
    #[error("{count} bytes follow the end of the key")]
    TrailingBytes {
        /// How many.
        count: usize,
    },
    /// A modulus of zero length or value.
    #[error("the RSA modulus is empty")]
    EmptyModulus,
}

/// Reads an RSA public key from DER: a SubjectPublicKeyInfo, else a PKCS#1
/// RSAPublicKey.
pub fn rsa_key_info(der: &[u8]) -> Result<RsaKeyInfo, DerError> {
    let spki = read_spki(der);
    if let Err(DerError::NotRsa { .. }) = spki {
        return spki;
    }
    spki.or_else(|spki_error| read_rsa_public_key(der, 0, RsaKeyEncoding::Pkcs1).map_err(|_| spki_error))
}

/// The dotted form of the algorithm OID of a SubjectPublicKeyInfo, if `der` is one.
pub fn spki_algorithm(der: &[u8]) -> Option<String> {
    let reader = Reader { data: der, base: 0 };
    let (spki, _) = reader.expect(SEQUENCE).ok()?;
    let (algorithm, _) = spki.expect(SEQUENCE).ok()?;
    let (oid, _) = algorithm.expect(OBJECT_IDENTIFIER).ok()?;
    Some(dotted_oid(oid.data))
}

fn read_spki(der: &[u8]) -> Result<RsaKeyInfo, DerError> {
    let reader = Reader { data: der, base: 0 };
    let (spki, rest) = reader.expect(SEQUENCE)?;
    rest.finish()?;
    let (algorithm, after_algorithm) = spki.expect(SEQUENCE)?;
    let (oid, _parameters) = algorithm.expect(OBJECT_IDENTIFIER)?;
    if oid.data != RSA_ENCRYPTION {
        return Err(DerError::NotRsa {
            oid: dotted_oid(oid.data),
        });
    }
    let (bits, after_bits) = after_algorithm.expect(BIT_STRING)?;
    after_bits.finish()?;
    // The first content octet of a BIT STRING counts the unused bits (0 here).
    let key = bits.skip(1)?;
    read_rsa_public_key(key.data, key.base, RsaKeyEncoding::SubjectPublicKeyInfo)
}

fn read_rsa_public_key(der: &[u8], base: usize, encoding: RsaKeyEncoding) -> Result<RsaKeyInfo, DerError> {
    let reader = Reader { data: der, base };
    let (key, rest) = reader.expect(SEQUENCE)?;
    rest.finish()?;
    let (modulus, after_modulus) = key.expect(INTEGER)?;
    let (exponent, _) = after_modulus.expect(INTEGER)?;
    let significant = strip_leading_zeros(modulus.data);
    let Some(&first) = significant.first() else {
        return Err(DerError::EmptyModulus);
    };
    let bytes = u32::try_from(significant.len()).map_err(|_| DerError::BadLength { offset: modulus.base })?;
    let modulus_bits = (bytes - 1)
        .saturating_mul(8)
        .saturating_add(8 - first.leading_zeros());
    let exponent = strip_leading_zeros(exponent.data);
    let public_exponent = (exponent.len() <= 8).then(|| {
        exponent
            .iter()
            .fold(0u64, |acc, byte| (acc << 8) | u64::from(*byte))
    });
    Ok(RsaKeyInfo {
        modulus_bits,
        public_exponent,
        encoding,
    })
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    bytes.get(zeros..).unwrap_or_default()
}

/// The dotted form of OID contents, e.g. `1.3.101.112`; `?` for an arc that
/// does not fit 64 bits.
fn dotted_oid(contents: &[u8]) -> String {
    let mut arcs: Vec<String> = Vec::new();
    let mut value: Option<u64> = Some(0);
    for byte in contents {
        value = value
            .and_then(|v| v.checked_mul(128))
            .map(|v| v | u64::from(byte & 0x7f));
        if byte & 0x80 == 0 {
            match (arcs.is_empty(), value) {
                (true, Some(v)) => {
                    let first = (v / 40).min(2);
                    arcs.push(first.to_string());
                    arcs.push((v - first * 40).to_string());
                }
                (_, Some(v)) => arcs.push(v.to_string()),
                (_, None) => arcs.push("?".into()),
            }
            value = Some(0);
        }
    }
    arcs.join(".")
}

/// A window on the DER data that remembers its offset for error messages.
#[derive(Clone, Copy)]
struct Reader<'d> {
    data: &'d [u8],
    base: usize,
}

impl<'d> Reader<'d> {
    /// Reads one element with identifier `tag`; returns its contents and the rest.
    fn expect(self, tag: u8) -> Result<(Reader<'d>, Reader<'d>), DerError> {
        let truncated = DerError::Truncated {
            offset: self.base + self.data.len(),
        };
        let (&found, after_tag) = self.data.split_first().ok_or(truncated.clone())?;
        if found != tag {
            return Err(DerError::UnexpectedTag {
                offset: self.base,
                expected: tag,
                found,
            });
        }
        let (&first_length, after_length_octet) = after_tag.split_first().ok_or(truncated.clone())?;
        let (length, header) = match first_length {
            0x00..=0x7f => (usize::from(first_length), 2),
            0x81..=0x84 => {
                let count = usize::from(first_length & 0x7f);
                let octets = after_length_octet.get(..count).ok_or(truncated.clone())?;
                let length = octets
                    .iter()
                    .fold(0usize, |acc, byte| (acc << 8) | usize::from(*byte));
                (length, 2 + count)
            }
            _ => {
                return Err(DerError::BadLength {
                    offset: self.base + 1,
                });
            }
        };
        let end = header.checked_add(length).ok_or(truncated.clone())?;
        let contents = self.data.get(header..end).ok_or(truncated)?;
        let rest = self.data.get(end..).unwrap_or_default();
        Ok((
            Reader {
                data: contents,
                base: self.base + header,
            },
            Reader {
                data: rest,
                base: self.base + end,
            },
        ))
    }

    fn skip(self, count: usize) -> Result<Reader<'d>, DerError> {
        let data = self.data.get(count..).ok_or(DerError::Truncated {
            offset: self.base + self.data.len(),
        })?;
        Ok(Reader {
            data,
            base: self.base + count,
        })
    }

    fn finish(self) -> Result<(), DerError> {
        if self.data.is_empty() {
            Ok(())
        } else {
            Err(DerError::TrailingBytes {
                count: self.data.len(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DER element with a definite length.
    #[allow(clippy::cast_possible_truncation)]
    fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = contents.len();
        if len < 0x80 {
            out.push(len as u8);
        } else if len < 0x100 {
            out.extend([0x81, len as u8]);
        } else {
            out.extend([0x82, (len >> 8) as u8, len as u8]);
        }
        out.extend_from_slice(contents);
        out
    }

    /// A PKCS#1 key with a modulus of `bits` bits (top bit set) and e = 65537.
    fn pkcs1(bits: usize) -> Vec<u8> {
        let mut modulus = vec![0x00, 0x80];
        modulus.resize(1 + bits / 8, 0x01);
        let mut key = tlv(INTEGER, &modulus);
        key.extend(tlv(INTEGER, &[0x01, 0x00, 0x01]));
        tlv(SEQUENCE, &key)
    }

    fn spki(oid: &[u8], key: &[u8]) -> Vec<u8> {
        let mut algorithm = tlv(OBJECT_IDENTIFIER, oid);
        algorithm.extend([0x05, 0x00]);
        let mut bits = vec![0x00];
        bits.extend_from_slice(key);
        let mut body = tlv(SEQUENCE, &algorithm);
        body.extend(tlv(BIT_STRING, &bits));
        tlv(SEQUENCE, &body)
    }

    #[test]
    fn spki_rsa_2048_reads_modulus_bits_and_exponent() {
        let info = rsa_key_info(&spki(RSA_ENCRYPTION, &pkcs1(2048))).unwrap();
        assert_eq!(
            info,
            RsaKeyInfo {
                modulus_bits: 2048,
                public_exponent: Some(65537),
                encoding: RsaKeyEncoding::SubjectPublicKeyInfo
            }
        );
    }

    #[test]
    fn bare_pkcs1_key_is_read_too() {
        let info = rsa_key_info(&pkcs1(1024)).unwrap();
        assert_eq!(info.modulus_bits, 1024);
        assert_eq!(info.encoding, RsaKeyEncoding::Pkcs1);
    }

    #[test]
    fn ed25519_spki_is_not_rsa() {
        let ed25519_oid = [0x2b, 0x65, 0x70];
        let der = spki(&ed25519_oid, &[7; 32]);
        assert_eq!(
            rsa_key_info(&der),
            Err(DerError::NotRsa {
                oid: "1.3.101.112".into()
            })
        );
        assert_eq!(spki_algorithm(&der).as_deref(), Some("1.3.101.112"));
    }

    #[test]
    fn truncated_key_is_an_error_not_a_panic() {
        let der = spki(RSA_ENCRYPTION, &pkcs1(2048));
        for cut in 0..der.len() {
            assert!(rsa_key_info(&der[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn indefinite_length_is_rejected() {
        assert_eq!(
            rsa_key_info(&[0x30, 0x80, 0x00, 0x00]),
            Err(DerError::BadLength { offset: 1 })
        );
    }

    #[test]
    fn trailing_bytes_are_rejected() {
        let mut der = spki(RSA_ENCRYPTION, &pkcs1(1024));
        der.push(0);
        assert_eq!(rsa_key_info(&der), Err(DerError::TrailingBytes { count: 1 }));
    }

    #[test]
    fn rsa_oid_is_printed_dotted() {
        assert_eq!(dotted_oid(RSA_ENCRYPTION), "1.2.840.113549.1.1.1");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
                let _ = rsa_key_info(&bytes);
                let _ = spki_algorithm(&bytes);
            }

            #[test]
            fn modulus_bits_match_the_generated_size(bytes in 1usize..600) {
                let info = rsa_key_info(&spki(RSA_ENCRYPTION, &pkcs1(bytes * 8))).unwrap();
                prop_assert_eq!(info.modulus_bits as usize, bytes * 8);
            }
        }
    }
}
