//! Distinguished names as RFC 4514 strings.
//!
//! x509-cert has a `Display` for names, but it can fail (and `to_string` then
//! panics) and it shortens attribute types beyond RFC 4514's table; this one
//! cannot fail and follows the RFC.
//!
//! ```text
//! RFC 4514 §2.1: ... the output consists of the string encodings of each
//!   RelativeDistinguishedName in the RDNSequence (according to Section 2.2),
//!   starting with the last element of the sequence and moving backwards
//!   toward the first. The encodings of adjoining RelativeDistinguishedNames
//!   are separated by a comma (',' U+002C) character.
//! RFC 4514 §2.2: ... multi-valued RDN ... AttributeTypeAndValue ... separated
//!   by a plus sign ('+' U+002B) character.
//! RFC 4514 §2.3: If the AttributeType is defined to have a short name ...
//!   that short name ... is used. Otherwise the AttributeType is encoded as the
//!   dotted-decimal encoding ... of its OBJECT IDENTIFIER.
//! RFC 4514 §2.4: If the AttributeType is of the dotted-decimal form, the
//!   AttributeValue is represented by an number sign ('#' U+0023) character
//!   followed by the hexadecimal encoding of each of the octets of the BER
//!   encoding of the X.500 AttributeValue.
//!   ... characters which are to be escaped:
//!   - a space (' ' U+0020) or number sign ('#' U+0023) occurring at the
//!     beginning of the string;
//!   - a space (' ' U+0020) character occurring at the end of the string;
//!   - one of the characters '"', '+', ',', ';', '<', '>',  or '\'
//!   - the null (U+0000) character.
//! RFC 4514 §3: CN commonName (2.5.4.3), L localityName (2.5.4.7),
//!   ST stateOrProvinceName (2.5.4.8), O organizationName (2.5.4.10),
//!   OU organizationalUnitName (2.5.4.11), C countryName (2.5.4.6),
//!   STREET streetAddress (2.5.4.9), DC domainComponent
//!   (0.9.2342.19200300.100.1.25), UID userId (0.9.2342.19200300.100.1.1)
//! ```

use std::fmt::Write as _;

use const_oid::ObjectIdentifier;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::der::asn1::Any;
use x509_cert::der::{Encode, Tag, Tagged};
use x509_cert::name::Name;

use super::hex;

/// commonName.
pub(crate) const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");

/// RFC 4514 §3's short names, plus attribute types of the LDAP registry
/// (RFC 4519, RFC 2985) that certificates use.
const SHORT_NAMES: &[(ObjectIdentifier, &str)] = &[
    (COMMON_NAME, "CN"),
    (ObjectIdentifier::new_unwrap("2.5.4.7"), "L"),
    (ObjectIdentifier::new_unwrap("2.5.4.8"), "ST"),
    (ObjectIdentifier::new_unwrap("2.5.4.10"), "O"),
    (ObjectIdentifier::new_unwrap("2.5.4.11"), "OU"),
    (ObjectIdentifier::new_unwrap("2.5.4.6"), "C"),
    (ObjectIdentifier::new_unwrap("2.5.4.9"), "STREET"),
    (ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.25"), "DC"),
    (ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.1"), "UID"),
    (ObjectIdentifier::new_unwrap("2.5.4.5"), "serialNumber"),
    (ObjectIdentifier::new_unwrap("2.5.4.15"), "businessCategory"),
    (ObjectIdentifier::new_unwrap("2.5.4.17"), "postalCode"),
    (ObjectIdentifier::new_unwrap("2.5.4.97"), "organizationIdentifier"),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1"),
        "emailAddress",
    ),
];

/// The RFC 4514 string of `name`.
pub(crate) fn rfc4514(name: &Name) -> String {
    let mut out = String::new();
    for (index, rdn) in name.iter_rdn().collect::<Vec<_>>().into_iter().rev().enumerate() {
        if index > 0 {
            out.push(',');
        }
        for (position, attribute) in rdn.iter().enumerate() {
            if position > 0 {
                out.push('+');
            }
            push_attribute(&mut out, attribute);
        }
    }
    out
}

/// Every commonName value of `name` that has a string form, in order.
pub(crate) fn common_names(name: &Name) -> Vec<String> {
    name.iter()
        .filter(|attribute| attribute.oid == COMMON_NAME)
        .filter_map(|attribute| string_value(&attribute.value))
        .collect()
}

fn push_attribute(out: &mut String, attribute: &AttributeTypeAndValue) {
    let short = SHORT_NAMES
        .iter()
        .find(|(oid, _)| *oid == attribute.oid)
        .map(|(_, name)| *name);
    match (short, string_value(&attribute.value)) {
        (Some(short), Some(value)) => {
            out.push_str(short);
            out.push('=');
            push_escaped(out, &value);
        }
        _ => {
            let _ = write!(out, "{}=#", attribute.oid);
            let encoding = attribute.value.to_der().unwrap_or_default();
            out.push_str(&hex(&encoding));
        }
    }
}

/// The text of a directory string, from whichever string type it is encoded in.
fn string_value(value: &Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String => std::str::from_utf8(bytes).ok().map(str::to_owned),
        Tag::NumericString | Tag::PrintableString | Tag::Ia5String | Tag::VisibleString => bytes
            .is_ascii()
            .then(|| String::from_utf8_lossy(bytes).into_owned()),
        // TeletexString: in practice Latin-1.
        Tag::TeletexString => Some(bytes.iter().map(|&byte| char::from(byte)).collect()),
        // BMPString: UTF-16BE.
        Tag::BmpString => {
            let chunks = bytes.chunks_exact(2);
            if !chunks.remainder().is_empty() {
                return None;
            }
            let units: Vec<u16> = chunks
                .map(|chunk| chunk.iter().fold(0u16, |acc, &byte| (acc << 8) | u16::from(byte)))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

fn push_escaped(out: &mut String, value: &str) {
    let last = value.chars().count().saturating_sub(1);
    for (index, c) in value.chars().enumerate() {
        match c {
            '#' | ' ' if index == 0 => {
                out.push('\\');
                out.push(c);
            }
            ' ' if index == last => out.push_str("\\ "),
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\u{0}'..='\u{1f}' | '\u{7f}' => {
                let _ = write!(out, "\\{:02x}", u32::from(c));
            }
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn rdns_are_written_last_first() {
        let name = Name::from_str("CN=mx1.example.test,O=Example,C=DE").unwrap();
        assert_eq!(rfc4514(&name), "CN=mx1.example.test,O=Example,C=DE");
    }

    #[test]
    fn special_characters_are_escaped() {
        let mut out = String::new();
        push_escaped(&mut out, "#Smith, \"Jim\" <a+b>; ");
        assert_eq!(out, "\\#Smith\\, \\\"Jim\\\" \\<a\\+b\\>\\;\\ ");
    }

    #[test]
    fn control_characters_are_escaped_as_hex() {
        let mut out = String::new();
        push_escaped(&mut out, "a\u{0}b\nc");
        assert_eq!(out, "a\\00b\\0ac");
    }

    #[test]
    fn unknown_attribute_types_are_dotted_with_hex_values() {
        let name = Name::from_str("1.3.6.1.4.1.311.60.2.1.3=#13024445").unwrap();
        assert_eq!(rfc4514(&name), "1.3.6.1.4.1.311.60.2.1.3=#13024445");
    }

    #[test]
    fn common_names_are_collected_in_order() {
        let name = Name::from_str("CN=b,CN=a,O=x").unwrap();
        assert_eq!(common_names(&name), vec!["a".to_owned(), "b".to_owned()]);
    }
}
