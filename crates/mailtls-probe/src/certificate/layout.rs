//! Where the parts of a certificate lie in its DER, as byte slices of the
//! encoding the server sent.
//!
//! Digests for TLSA records and key pins, name comparisons between certificates
//! and signature checks all need the original octets, not a re-encoding of a
//! decoded structure; this walks the outer layers of the encoding and hands out
//! slices of it.
//!
//! ```text
//! RFC 5280 §4.1
//!   Certificate  ::=  SEQUENCE  {
//!        tbsCertificate       TBSCertificate,
//!        signatureAlgorithm   AlgorithmIdentifier,
//!        signatureValue       BIT STRING  }
//!
//!   TBSCertificate  ::=  SEQUENCE  {
//!        version         [0]  EXPLICIT Version DEFAULT v1,
//!        serialNumber         CertificateSerialNumber,
//!        signature            AlgorithmIdentifier,
//!        issuer               Name,
//!        validity             Validity,
//!        subject              Name,
//!        subjectPublicKeyInfo SubjectPublicKeyInfo,
//!        ... }
//!
//!   SubjectPublicKeyInfo  ::=  SEQUENCE  {
//!        algorithm            AlgorithmIdentifier,
//!        subjectPublicKey     BIT STRING  }
//! ```

use x509_cert::der::{Decode, Header, Reader, SliceReader};

/// The identifier octet of a universal, constructed SEQUENCE.
const SEQUENCE: u8 = 0x30;
/// The identifier octet of a BIT STRING.
const BIT_STRING: u8 = 0x03;
/// The identifier octet of an INTEGER.
const INTEGER: u8 = 0x02;
/// The identifier octet of the TBSCertificate's `[0] EXPLICIT` version.
const VERSION: u8 = 0xA0;

/// One DER element: its identifier octet, the whole encoding, and its contents.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet (tag numbers below 31 only; others are not needed here).
    pub(crate) identifier: u8,
    /// Tag, length and contents.
    pub(crate) encoding: &'a [u8],
    /// The contents octets.
    pub(crate) contents: &'a [u8],
}

/// Takes the next DER element off the front of `input`.
pub(crate) fn next_tlv<'a>(input: &mut &'a [u8]) -> Option<Tlv<'a>> {
    let mut reader = SliceReader::new(input).ok()?;
    let header = Header::decode(&mut reader).ok()?;
    let contents = reader.read_slice(header.length()).ok()?;
    let used = usize::try_from(reader.position()).ok()?;
    let (encoding, rest) = input.split_at_checked(used)?;
    let identifier = *encoding.first()?;
    *input = rest;
    Some(Tlv {
        identifier,
        encoding,
        contents,
    })
}

/// Takes the next element off `input` if its identifier octet is `identifier`.
fn expect_tlv<'a>(input: &mut &'a [u8], identifier: u8) -> Option<Tlv<'a>> {
    let tlv = next_tlv(input)?;
    (tlv.identifier == identifier).then_some(tlv)
}

/// The contents of a BIT STRING that has no unused bits (keys and signatures
/// always fill whole octets).
fn whole_octets(bit_string: Tlv<'_>) -> Option<&[u8]> {
    match bit_string.contents.split_first() {
        Some((0, bits)) => Some(bits),
        _ => None,
    }
}

/// The parts of one certificate, as slices of its DER.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CertificateLayout<'a> {
    /// The whole TBSCertificate: what the signature covers.
    pub(crate) tbs: &'a [u8],
    /// The contents of the outer signatureAlgorithm AlgorithmIdentifier.
    pub(crate) signature_algorithm: &'a [u8],
    /// The signature octets.
    pub(crate) signature: &'a [u8],
    /// The issuer Name, whole.
    pub(crate) issuer: Tlv<'a>,
    /// The subject Name, whole.
    pub(crate) subject: Tlv<'a>,
    /// The SubjectPublicKeyInfo, whole.
    pub(crate) spki: &'a [u8],
    /// The contents of the SubjectPublicKeyInfo's AlgorithmIdentifier.
    pub(crate) spki_algorithm: &'a [u8],
    /// The subjectPublicKey octets.
    pub(crate) public_key: &'a [u8],
}

impl<'a> CertificateLayout<'a> {
    /// Walks `der`; `None` when it is not a certificate in DER with nothing after it.
    pub(crate) fn of(der: &'a [u8]) -> Option<Self> {
        let mut input = der;
        let certificate = expect_tlv(&mut input, SEQUENCE)?;
        if !input.is_empty() {
            return None;
        }
        let mut fields = certificate.contents;
        let tbs = expect_tlv(&mut fields, SEQUENCE)?;
        let signature_algorithm = expect_tlv(&mut fields, SEQUENCE)?;
        let signature = whole_octets(expect_tlv(&mut fields, BIT_STRING)?)?;

        let mut tbs_fields = tbs.contents;
        if tbs_fields.first() == Some(&VERSION) {
            next_tlv(&mut tbs_fields)?;
        }
        expect_tlv(&mut tbs_fields, INTEGER)?;
        expect_tlv(&mut tbs_fields, SEQUENCE)?;
        let issuer = expect_tlv(&mut tbs_fields, SEQUENCE)?;
        expect_tlv(&mut tbs_fields, SEQUENCE)?;
        let subject = expect_tlv(&mut tbs_fields, SEQUENCE)?;
        let spki = expect_tlv(&mut tbs_fields, SEQUENCE)?;

        let mut key_fields = spki.contents;
        let spki_algorithm = expect_tlv(&mut key_fields, SEQUENCE)?;
        let public_key = whole_octets(expect_tlv(&mut key_fields, BIT_STRING)?)?;
        Some(Self {
            tbs: tbs.encoding,
            signature_algorithm: signature_algorithm.contents,
            signature,
            issuer,
            subject,
            spki: spki.encoding,
            spki_algorithm: spki_algorithm.contents,
            public_key,
        })
    }
}

/// The DER-encoded SubjectPublicKeyInfo of a certificate, as served: the input
/// of TLSA selector 1 (RFC 6698 §2.1.2) and of key pins.
pub fn spki_der(certificate_der: &[u8]) -> Option<&[u8]> {
    CertificateLayout::of(certificate_der).map(|layout| layout.spki)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_tlv_splits_an_element_off_the_front() {
        let mut input: &[u8] = &[0x02, 0x01, 0x05, 0xFF];
        let tlv = next_tlv(&mut input).unwrap();
        assert_eq!(tlv.identifier, INTEGER);
        assert_eq!(tlv.encoding, &[0x02, 0x01, 0x05]);
        assert_eq!(tlv.contents, &[0x05]);
        assert_eq!(input, &[0xFF]);
    }

    #[test]
    fn next_tlv_refuses_a_length_beyond_the_input() {
        let mut input: &[u8] = &[0x30, 0x05, 0x00];
        assert!(next_tlv(&mut input).is_none());
        assert_eq!(input, &[0x30, 0x05, 0x00]);
    }

    #[test]
    fn next_tlv_refuses_indefinite_length() {
        let mut input: &[u8] = &[0x30, 0x80, 0x00, 0x00];
        assert!(next_tlv(&mut input).is_none());
    }

    #[test]
    fn bit_string_with_unused_bits_is_not_whole_octets() {
        let tlv = Tlv {
            identifier: BIT_STRING,
            encoding: &[0x03, 0x02, 0x01, 0xFE],
            contents: &[0x01, 0xFE],
        };
        assert_eq!(whole_octets(tlv), None);
    }

    #[test]
    fn garbage_has_no_layout() {
        assert!(CertificateLayout::of(b"not a certificate").is_none());
        assert!(spki_der(&[]).is_none());
    }
}
