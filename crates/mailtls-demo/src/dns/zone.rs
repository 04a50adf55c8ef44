//! An authoritative zone held in memory, and name lookup in it.
//!
//! ```text
//! RFC 1034 §4.3.2 (step 3, for an authoritative server):
//!   a. the name matches a node: answer with the RRs of the asked type, or
//!      none (NODATA) if the node has no such RRs;
//!   c. no node matches: the name does not exist (NXDOMAIN).
//! RFC 8020 §2: an empty non-terminal (a name with no records but with names
//!   below it, such as _tcp.example.) exists: NODATA, not NXDOMAIN.
//! RFC 2308 §3: a negative answer carries the zone's SOA in the authority
//!   section, its TTL the smaller of the SOA's TTL and its MINIMUM field.
//! ```

use hickory_proto::rr::{Name, RData, Record, RecordType};

/// The result of looking up a name and type in a zone.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lookup<'a> {
    /// The records of the name and type (never empty).
    Records(Vec<&'a Record>),
    /// The name exists, but has no records of that type.
    NoData,
    /// The name does not exist in the zone.
    NxDomain,
}

/// One zone: its SOA record and every other record.
#[derive(Debug, Clone)]
pub(crate) struct Zone {
    soa: Record,
    records: Vec<Record>,
}

impl Zone {
    /// A zone whose apex is the owner of `soa`. `records` holds everything else
    /// and must lie within the apex.
    pub(crate) fn new(soa: Record, records: Vec<Record>) -> Self {
        Self { soa, records }
    }

    /// The apex.
    pub(crate) fn origin(&self) -> &Name {
        &self.soa.name
    }

    /// Whether `name` is the apex or lies below it (case-insensitive).
    pub(crate) fn contains(&self, name: &Name) -> bool {
        self.soa.name.zone_of(name)
    }

    /// Every record, the SOA first.
    pub(crate) fn records(&self) -> impl Iterator<Item = &Record> {
        std::iter::once(&self.soa).chain(&self.records)
    }

    /// The SOA record as it goes into the authority section of a negative answer.
    pub(crate) fn negative_soa(&self) -> Record {
        let mut soa = self.soa.clone();
        if let RData::SOA(data) = &self.soa.data {
            soa.ttl = soa.ttl.min(data.minimum);
        }
        soa
    }

    /// Looks up `name` and `record_type`; [`RecordType::ANY`] matches every type.
    pub(crate) fn lookup(&self, name: &Name, record_type: RecordType) -> Lookup<'_> {
        let mut at_name = self.records().filter(|record| record.name == *name).peekable();
        if at_name.peek().is_none() {
            let has_descendants = self.records().any(|record| name.zone_of(&record.name));
            return if has_descendants {
                Lookup::NoData
            } else {
                Lookup::NxDomain
            };
        }
        let matching: Vec<&Record> = at_name
            .filter(|record| record_type == RecordType::ANY || record.record_type() == record_type)
            .collect();
        if matching.is_empty() {
            Lookup::NoData
        } else {
            Lookup::Records(matching)
        }
    }

    /// The zone in master-file format (RFC 1035 §5.1), one record per line.
    pub(crate) fn master_file(&self) -> String {
        let mut text = format!("$ORIGIN {}\n", self.origin());
        for record in self.records() {
            text.push_str(&presentation(record));
            text.push('\n');
        }
        text
    }

    /// The A and AAAA records of `name`, for the additional section.
    pub(crate) fn addresses(&self, name: &Name) -> impl Iterator<Item = &Record> {
        self.records().filter(move |record| {
            record.name == *name && matches!(record.record_type(), RecordType::A | RecordType::AAAA)
        })
    }
}

/// One record in presentation format. TXT data is written as quoted
/// character-strings, which hickory's `Display` does not do.
///
/// ```text
/// RFC 1035 §5.1: <character-string> is expressed in one or two ways: as a
///   contiguous set of characters without interior spaces, or as a string
///   beginning with a " and ending with a ". \X escapes a character, \DDD an octet.
/// ```
fn presentation(record: &Record) -> String {
    let RData::TXT(txt) = &record.data else {
        return record.to_string();
    };
    let strings: Vec<String> = txt
        .txt_data
        .iter()
        .map(|string| {
            let mut quoted = String::from('"');
            for &byte in string.iter() {
                match byte {
                    b'"' | b'\\' => {
                        quoted.push('\\');
                        quoted.push(char::from(byte));
                    }
                    0x20..=0x7e => quoted.push(char::from(byte)),
                    _ => quoted.push_str(&format!("\\{byte:03}")),
                }
            }
            quoted.push('"');
            quoted
        })
        .collect();
    format!(
        "{} {} {} TXT {}",
        record.name,
        record.ttl,
        record.dns_class,
        strings.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use hickory_proto::rr::rdata::{A, SOA, TXT};

    use super::*;

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    fn zone() -> Zone {
        let soa = Record::from_rdata(
            name("example.test."),
            3600,
            RData::SOA(SOA::new(
                name("ns.example.test."),
                name("hostmaster.example.test."),
                1,
                3600,
                600,
                86400,
                300,
            )),
        );
        Zone::new(
            soa,
            vec![
                Record::from_rdata(name("mx.example.test."), 300, RData::A(A(Ipv4Addr::LOCALHOST))),
                Record::from_rdata(
                    name("_dmarc._tcp.example.test."),
                    300,
                    RData::TXT(TXT::new(vec!["v".to_owned()])),
                ),
            ],
        )
    }

    #[test]
    fn existing_type_is_answered_case_insensitively() {
        let zone = zone();
        let Lookup::Records(records) = zone.lookup(&name("MX.Example.TEST."), RecordType::A) else {
            panic!("expected records");
        };
        assert_eq!(records.len(), 1);
    }

    #[test]
    fn missing_type_at_existing_name_is_nodata() {
        assert_eq!(
            zone().lookup(&name("mx.example.test."), RecordType::AAAA),
            Lookup::NoData
        );
    }

    #[test]
    fn empty_non_terminal_is_nodata() {
        assert_eq!(
            zone().lookup(&name("_tcp.example.test."), RecordType::TXT),
            Lookup::NoData
        );
    }

    #[test]
    fn unknown_name_is_nxdomain() {
        assert_eq!(
            zone().lookup(&name("www.example.test."), RecordType::A),
            Lookup::NxDomain
        );
    }

    #[test]
    fn negative_soa_ttl_is_the_minimum_field() {
        assert_eq!(zone().negative_soa().ttl, 300);
    }

    #[test]
    fn txt_is_written_as_quoted_character_strings() {
        let record = Record::from_rdata(
            name("t.example.test."),
            300,
            RData::TXT(TXT::from_bytes(vec![&b"v=a \"b\""[..], &b"\\\x01"[..]])),
        );
        assert_eq!(
            presentation(&record),
            r#"t.example.test. 300 IN TXT "v=a \"b\"" "\\\001""#
        );
    }

    #[test]
    fn apex_soa_is_found() {
        let zone = zone();
        assert!(matches!(
            zone.lookup(&name("example.test."), RecordType::SOA),
            Lookup::Records(records) if records.len() == 1
        ));
    }
}
