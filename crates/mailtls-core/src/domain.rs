//! Domain names as mailtls accepts them from users: mail domains and host names.
//!
//! A [`Domain`] is always stored in its ASCII form (IDNA A-labels, lower case,
//! without the trailing dot), so that two spellings of one name compare equal and
//! so that it can go straight into a DNS query or a TLS SNI extension.
//!
//! ```text
//! RFC 1035 §2.3.1 (as relaxed by RFC 1123 §2.1)
//!   <label>  ::= <let-dig> [ [ <ldh-str> ] <let-dig> ]
//!   labels          63 octets or less
//!   names           255 octets or less on the wire, i.e. 253 characters
//!                   in dotted text without the trailing dot
//! RFC 3696 §2: a top-level domain is never all-numeric.
//! ```

use std::fmt;
use std::str::FromStr;

use idna::AsciiDenyList;
use idna::uts46::{DnsLength, Hyphens, Uts46};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest label, in octets (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;
/// The longest name in dotted text without the trailing dot: 255 wire octets
/// less the length octet of the first label and the root label.
pub const MAX_NAME_LEN: usize = 253;

/// A fully qualified domain name in normalised ASCII form.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Domain {
    ascii: String,
}

/// Why a string is not an acceptable domain name. Every variant names the part
/// of the input that is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DomainError {
    /// Nothing was given.
    #[error("the domain name is empty")]
    Empty,
    /// Two dots in a row, or a dot at the start.
    #[error("label {position} of {input:?} is empty (two dots in a row or a leading dot)")]
    EmptyLabel {
        /// The input as given.
        input: String,
        /// 1-based position of the empty label.
        position: usize,
    },
    /// A label longer than 63 octets in its ASCII form.
    #[error("label {label:?} is {length} octets long; a label may have at most 63")]
    LabelTooLong {
        /// The offending label (ASCII form).
        label: String,
        /// Its length in octets.
        length: usize,
    },
    /// The whole name is longer than 253 characters in its ASCII form.
    #[error("the name is {length} characters long in ASCII form; at most 253 are allowed")]
    TooLong {
        /// Length of the ASCII form without the trailing dot.
        length: usize,
    },
    /// A character that is not a letter, digit or hyphen.
    #[error("label {label:?} contains {character:?}; only letters, digits and hyphens are allowed")]
    InvalidCharacter {
        /// The offending label, as given.
        label: String,
        /// The first character not allowed.
        character: char,
    },
    /// A label that starts or ends with a hyphen.
    #[error("label {label:?} starts or ends with a hyphen")]
    HyphenAtEdge {
        /// The offending label.
        label: String,
    },
    /// A label that IDNA (UTS #46) cannot convert to an A-label.
    #[error("label {label:?} is not a valid internationalised label (IDNA/UTS #46)")]
    Idna {
        /// The offending label, as given.
        label: String,
    },
    /// The last label is all digits: this is most likely an IP address.
    #[error("top-level label {tld:?} is all-numeric; give an IP address as an address, not a domain")]
    NumericTld {
        /// The offending top-level label.
        tld: String,
    },
}

impl Domain {
    /// Parses and normalises a domain name: IDNA to A-labels, lower case, the
    /// trailing dot removed, RFC 1035 lengths and the LDH rule checked.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let trimmed = input.strip_suffix('.').unwrap_or(input);
        if trimmed.is_empty() {
            return Err(DomainError::Empty);
        }
        // Check the labels as given first, so that errors name what the user typed.
        for (index, label) in trimmed
            .split(['.', '\u{3002}', '\u{ff0e}', '\u{ff61}'])
            .enumerate()
        {
            if label.is_empty() {
                return Err(DomainError::EmptyLabel {
                    input: input.to_owned(),
                    position: index + 1,
                });
            }
            if let Some(character) = label
                .chars()
                .find(|c| c.is_ascii() && !(c.is_ascii_alphanumeric() || *c == '-'))
            {
                return Err(DomainError::InvalidCharacter {
                    label: label.to_owned(),
                    character,
                });
            }
        }
        let ascii = Uts46::new()
            .to_ascii(
                trimmed.as_bytes(),
                AsciiDenyList::STD3,
                Hyphens::Allow,
                DnsLength::Ignore,
            )
            .map_err(|_| DomainError::Idna {
                label: first_failing_label(trimmed),
            })?
            .into_owned();
        let labels: Vec<&str> = ascii.split('.').collect();
        for label in &labels {
            if label.len() > MAX_LABEL_LEN {
                return Err(DomainError::LabelTooLong {
                    label: (*label).to_owned(),
                    length: label.len(),
                });
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Err(DomainError::HyphenAtEdge {
                    label: (*label).to_owned(),
                });
            }
            if let Some(character) = label.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
                return Err(DomainError::InvalidCharacter {
                    label: (*label).to_owned(),
                    character,
                });
            }
        }
        if ascii.len() > MAX_NAME_LEN {
            return Err(DomainError::TooLong { length: ascii.len() });
        }
        if let Some(tld) = labels
            .last()
            .filter(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(DomainError::NumericTld {
                tld: (*tld).to_owned(),
            });
        }
        Ok(Self { ascii })
    }

    /// The ASCII (A-label) form without the trailing dot, e.g. `xn--bcher-kva.example`.
    pub fn as_str(&self) -> &str {
        &self.ascii
    }

    /// The fully qualified form with the trailing dot, as DNS tools print it.
    pub fn to_fqdn(&self) -> String {
        format!("{}.", self.ascii)
    }

    /// The Unicode form for display (U-labels), e.g. `bücher.example`.
    pub fn to_unicode(&self) -> String {
        let (unicode, _) = idna::domain_to_unicode(&self.ascii);
        unicode
    }

    /// The labels, leftmost first.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.ascii.split('.')
    }

    /// The parent domain, if this name has more than one label.
    pub fn parent(&self) -> Option<Domain> {
        self.ascii.split_once('.').map(|(_, rest)| Domain {
            ascii: rest.to_owned(),
        })
    }

    /// Whether `self` equals `other` or lies below it.
    pub fn is_subdomain_of(&self, other: &Domain) -> bool {
        self.ascii == other.ascii || self.ascii.ends_with(&format!(".{}", other.ascii))
    }
}

/// Finds the label that IDNA rejects, converting one label at a time.
fn first_failing_label(input: &str) -> String {
    input
        .split(['.', '\u{3002}', '\u{ff0e}', '\u{ff61}'])
        .find(|label| {
            Uts46::new()
                .to_ascii(
                    label.as_bytes(),
                    AsciiDenyList::STD3,
                    Hyphens::Allow,
                    DnsLength::Ignore,
                )
                .is_err()
        })
        .unwrap_or(input)
        .to_owned()
}

impl FromStr for Domain {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ascii)
    }
}

impl fmt::Debug for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Domain({})", self.ascii)
    }
}

impl Serialize for Domain {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.ascii)
    }
}

impl<'de> Deserialize<'de> for Domain {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Domain::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Domain {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Domain".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A domain name in ASCII (A-label) form, lower case, without the trailing dot.",
            "maxLength": MAX_NAME_LEN,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_name_is_lowercased_and_loses_its_trailing_dot() {
        assert_eq!(
            Domain::parse("Mail.Example.COM.").unwrap().as_str(),
            "mail.example.com"
        );
    }

    #[test]
    fn idn_becomes_a_labels_and_back() {
        let domain = Domain::parse("Bücher.example").unwrap();
        assert_eq!(domain.as_str(), "xn--bcher-kva.example");
        assert_eq!(domain.to_unicode(), "bücher.example");
    }

    #[test]
    fn ideographic_full_stop_separates_labels() {
        assert_eq!(
            Domain::parse("例え。テスト").unwrap().as_str(),
            "xn--r8jz45g.xn--zckzah"
        );
    }

    #[test]
    fn a_label_input_is_kept() {
        assert_eq!(
            Domain::parse("xn--bcher-kva.example").unwrap().as_str(),
            "xn--bcher-kva.example"
        );
    }

    #[test]
    fn empty_input_is_rejected() {
        assert_eq!(Domain::parse(""), Err(DomainError::Empty));
        assert_eq!(Domain::parse("."), Err(DomainError::Empty));
    }

    #[test]
    fn empty_label_names_its_position() {
        assert_eq!(
            Domain::parse("mail..example"),
            Err(DomainError::EmptyLabel {
                input: "mail..example".into(),
                position: 2
            })
        );
        assert_eq!(
            Domain::parse(".example"),
            Err(DomainError::EmptyLabel {
                input: ".example".into(),
                position: 1
            })
        );
    }

    #[test]
    fn long_label_is_named() {
        let label = "a".repeat(64);
        assert_eq!(
            Domain::parse(&format!("{label}.example")),
            Err(DomainError::LabelTooLong {
                label: label.clone(),
                length: 64
            })
        );
        assert!(Domain::parse(&format!("{}.example", "a".repeat(63))).is_ok());
    }

    #[test]
    fn name_longer_than_253_is_rejected() {
        let name = vec!["a".repeat(63); 4].join("."); // 255 characters
        assert_eq!(Domain::parse(&name), Err(DomainError::TooLong { length: 255 }));
        let name = format!("{}.{}", vec!["a".repeat(63); 3].join("."), "a".repeat(61)); // 253
        assert!(Domain::parse(&name).is_ok());
    }

    #[test]
    fn underscore_and_space_name_the_label() {
        assert_eq!(
            Domain::parse("_dmarc.example.com"),
            Err(DomainError::InvalidCharacter {
                label: "_dmarc".into(),
                character: '_'
            })
        );
        assert_eq!(
            Domain::parse("exa mple.com"),
            Err(DomainError::InvalidCharacter {
                label: "exa mple".into(),
                character: ' '
            })
        );
    }

    #[test]
    fn hyphen_at_label_edge_is_rejected() {
        assert_eq!(
            Domain::parse("-mail.example"),
            Err(DomainError::HyphenAtEdge {
                label: "-mail".into()
            })
        );
        assert_eq!(
            Domain::parse("mail-.example"),
            Err(DomainError::HyphenAtEdge {
                label: "mail-".into()
            })
        );
    }

    #[test]
    fn invalid_punycode_is_an_idna_error_naming_the_label() {
        assert_eq!(
            Domain::parse("mail.xn--zz.example"),
            Err(DomainError::Idna {
                label: "xn--zz".into()
            })
        );
    }

    #[test]
    fn ip_address_is_not_a_domain() {
        assert_eq!(
            Domain::parse("192.0.2.1"),
            Err(DomainError::NumericTld { tld: "1".into() })
        );
    }

    #[test]
    fn parent_and_subdomain() {
        let mx = Domain::parse("mx1.mail.example").unwrap();
        let parent = mx.parent().unwrap();
        assert_eq!(parent.as_str(), "mail.example");
        assert!(mx.is_subdomain_of(&parent));
        assert!(!parent.is_subdomain_of(&mx));
        assert!(!Domain::parse("xmail.example").unwrap().is_subdomain_of(&parent));
    }

    #[test]
    fn serde_uses_the_ascii_string() {
        let domain = Domain::parse("Bücher.example").unwrap();
        assert_eq!(
            serde_json::to_string(&domain).unwrap(),
            "\"xn--bcher-kva.example\""
        );
        let back: Domain = serde_json::from_str("\"xn--bcher-kva.example\"").unwrap();
        assert_eq!(back, domain);
        assert!(serde_json::from_str::<Domain>("\"a..b\"").is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parse_never_panics(input in "\\PC{0,300}") {
                let _ = Domain::parse(&input);
            }

            #[test]
            fn valid_ldh_names_round_trip(
                labels in prop::collection::vec("[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", 1..5),
                tld in "[a-z]{2,8}",
            ) {
                let name = format!("{}.{}", labels.join("."), tld);
                let domain = Domain::parse(&name).unwrap();
                prop_assert_eq!(domain.as_str(), name.as_str());
                let again = Domain::parse(&domain.to_unicode()).unwrap();
                prop_assert_eq!(again, domain);
            }

            #[test]
            fn normalised_form_is_a_fixed_point(input in "[a-zA-Z0-9\\-.äöüß]{1,80}") {
                if let Ok(domain) = Domain::parse(&input) {
                    prop_assert_eq!(Domain::parse(domain.as_str()).unwrap(), domain.clone());
                    prop_assert!(domain.as_str().len() <= MAX_NAME_LEN);
                }
            }
        }
    }
}
