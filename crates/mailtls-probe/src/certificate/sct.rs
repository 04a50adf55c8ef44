//! Counting the signed certificate timestamps embedded in a certificate.
//!
//! ```text
//! RFC 6962 §3.3
//!   opaque SerializedSCT<1..2^16-1>;
//!
//!   struct {
//!       SerializedSCT sct_list <1..2^16-1>;
//!   } SignedCertificateTimestampList;
//! ```
//!
//! In the certificate (RFC 6962 §3.3), the list is the extension
//! 1.3.6.1.4.1.11129.2.4.2, whose extnValue holds a DER OCTET STRING whose
//! contents are the TLS-encoded list above.
//!
//! The SCTs themselves are not decoded or verified: the count is what a
//! report shows. The loop is bounded by the input: every entry consumes at
//! least three octets of a list of at most 65,535.

use x509_cert::der::Decode;
use x509_cert::der::asn1::OctetStringRef;

/// The number of SCTs in the extension value `extn_value` (the contents of
/// the extension's extnValue OCTET STRING), or why it does not decode.
pub(crate) fn count_scts(extn_value: &[u8]) -> Result<u32, String> {
    let list = <&OctetStringRef>::from_der(extn_value)
        .map_err(|error| format!("the SCT list is not an OCTET STRING: {error}"))?
        .as_bytes();
    let (declared, mut entries) = split_u16_length(list).ok_or("the SCT list has no length")?;
    if declared != entries.len() {
        return Err(format!(
            "the SCT list declares {declared} octets but holds {}",
            entries.len()
        ));
    }
    if entries.is_empty() {
        return Err("the SCT list is empty".into());
    }
    let mut count = 0u32;
    while !entries.is_empty() {
        let (length, rest) = split_u16_length(entries).ok_or("an SCT entry has no length")?;
        if length == 0 {
            return Err(format!("SCT {} is empty", count + 1));
        }
        entries = rest.get(length..).ok_or_else(|| {
            format!(
                "SCT {} declares {length} octets but only {} remain",
                count + 1,
                rest.len()
            )
        })?;
        count += 1;
    }
    Ok(count)
}

/// A big-endian u16 length and what follows it.
fn split_u16_length(input: &[u8]) -> Option<(usize, &[u8])> {
    let (&high, rest) = input.split_first()?;
    let (&low, rest) = rest.split_first()?;
    Some((usize::from(u16::from_be_bytes([high, low])), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The extnValue contents: OCTET STRING { list }.
    fn wrapped(list: &[u8]) -> Vec<u8> {
        let mut value = vec![0x04, u8::try_from(list.len()).unwrap()];
        value.extend_from_slice(list);
        value
    }

    #[test]
    fn two_scts_are_counted() {
        let list = [0x00, 0x08, 0x00, 0x02, 0xAA, 0xBB, 0x00, 0x02, 0xCC, 0xDD];
        assert_eq!(count_scts(&wrapped(&list)), Ok(2));
    }

    #[test]
    fn an_entry_longer_than_the_list_is_an_error() {
        let list = [0x00, 0x04, 0x00, 0x09, 0xAA, 0xBB];
        assert_eq!(
            count_scts(&wrapped(&list)),
            Err("SCT 1 declares 9 octets but only 2 remain".into())
        );
    }

    #[test]
    fn a_list_length_that_disagrees_is_an_error() {
        let list = [0x00, 0x09, 0x00, 0x01, 0xAA];
        assert_eq!(
            count_scts(&wrapped(&list)),
            Err("the SCT list declares 9 octets but holds 3".into())
        );
    }

    #[test]
    fn an_empty_entry_is_an_error() {
        let list = [0x00, 0x02, 0x00, 0x00];
        assert_eq!(count_scts(&wrapped(&list)), Err("SCT 1 is empty".into()));
    }

    #[test]
    fn a_value_that_is_not_an_octet_string_is_an_error() {
        assert!(count_scts(&[0x30, 0x00]).is_err());
    }
}
