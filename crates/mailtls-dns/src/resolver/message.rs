//! The wire side of the stub resolver: building a query and reading an answer.
//!
//! ```text
//! RFC 1035 §4.1   Header | Question | Answer | Authority | Additional
//! RFC 6891 §6.1.2 OPT pseudo-RR: requestor's UDP payload size; DO bit (RFC 3225)
//! RFC 4035 §3.2.2 the CD bit asks a validating resolver not to validate
//! RFC 1034 §3.6.2 a CNAME at the name asked is followed to its target
//! ```

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, Record, RecordType};

/// The EDNS0 payload size recommended by DNS Flag Day 2020: avoids fragmentation.
pub(crate) const EDNS_PAYLOAD: u16 = 1232;
/// Most CNAMEs followed for one lookup.
pub(crate) const MAX_CNAME_CHAIN: usize = 8;

/// A name from text, taking every octet between dots as it is (RFC 2181 §11:
/// a label may hold any octets). Names SPF and DMARC build by macro
/// expansion are not host names, and must reach the DNS unchanged.
pub(crate) fn dns_name(text: &str) -> Result<Name, String> {
    let trimmed = text.strip_suffix('.').unwrap_or(text);
    if trimmed.is_empty() {
        return Ok(Name::root());
    }
    let mut name =
        Name::from_labels(trimmed.split('.').map(str::as_bytes)).map_err(|error| error.to_string())?;
    name.set_fqdn(true);
    Ok(name)
}

/// Encodes a recursive query for `name`/`record_type` with EDNS0 and the DO bit.
pub(crate) fn build_query(
    id: u16,
    name: &Name,
    record_type: RecordType,
    checking_disabled: bool,
) -> Result<Vec<u8>, String> {
    let mut message = Message::new(id, MessageType::Query, OpCode::Query);
    message.metadata.recursion_desired = true;
    message.metadata.checking_disabled = checking_disabled;
    message.add_query(Query::query(name.clone(), record_type));
    let mut edns = Edns::new();
    edns.set_max_payload(EDNS_PAYLOAD);
    edns.set_dnssec_ok(true);
    message.edns = Some(edns);
    message
        .to_vec()
        .map_err(|error| format!("cannot encode the query: {error}"))
}

/// What one answer message says about the question.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Answer {
    /// NOERROR or NXDOMAIN: the data, or its absence.
    Data(Data),
    /// Any other response code.
    Failure {
        /// The code.
        code: ResponseCode,
    },
}

/// A NOERROR or NXDOMAIN answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Data {
    /// What it holds for the end of the chain.
    pub(crate) kind: DataKind,
    /// CNAMEs followed inside this answer.
    pub(crate) chain: Vec<(Name, Name)>,
    /// The AD bit.
    pub(crate) authentic: bool,
}

/// What an answer holds for the last name of its CNAME chain.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DataKind {
    /// Records of the asked type.
    Records(Vec<Record>),
    /// NOERROR without records of the type. With a chain, its last target was
    /// not resolved in this answer and must be asked for.
    NoData,
    /// NXDOMAIN.
    NxDomain,
}

/// Decodes `bytes` as the answer to `name`/`record_type` and follows CNAMEs
/// inside it. Errors name what makes the message unusable.
pub(crate) fn read_answer(bytes: &[u8], name: &Name, record_type: RecordType) -> Result<Answer, String> {
    let message = Message::from_vec(bytes).map_err(|error| format!("undecodable answer: {error}"))?;
    if message.metadata.message_type != MessageType::Response {
        return Err("the answer is not a response (QR bit clear)".into());
    }
    let question_matches = message.queries.len() == 1
        && message
            .queries
            .first()
            .is_some_and(|query| query.name == *name && query.query_type == record_type);
    if !question_matches {
        return Err(format!(
            "the answer is for another question: {}",
            message
                .queries
                .iter()
                .map(|q| format!("{} {}", q.name, q.query_type))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let authentic = message.metadata.authentic_data;
    let code = message.metadata.response_code;
    if code != ResponseCode::NoError && code != ResponseCode::NXDomain {
        return Ok(Answer::Failure { code });
    }
    let mut chain = Vec::new();
    let mut current = name.clone();
    loop {
        let records: Vec<Record> = message
            .answers
            .iter()
            .filter(|record| record.name == current && record.record_type() == record_type)
            .cloned()
            .collect();
        if !records.is_empty() {
            return Ok(Answer::Data(Data {
                kind: DataKind::Records(records),
                chain,
                authentic,
            }));
        }
        if record_type == RecordType::CNAME {
            break;
        }
        let next = message.answers.iter().find_map(|record| match &record.data {
            RData::CNAME(target) if record.name == current => Some(target.0.clone()),
            _ => None,
        });
        match next {
            Some(target) if chain.len() < MAX_CNAME_CHAIN => {
                if chain.iter().any(|(owner, _): &(Name, Name)| *owner == target) || target == *name {
                    return Err(format!("CNAME loop at {target}"));
                }
                chain.push((current.clone(), target.clone()));
                current = target;
            }
            Some(_) => return Err(format!("more than {MAX_CNAME_CHAIN} CNAMEs in a row")),
            None => break,
        }
    }
    let kind = if code == ResponseCode::NXDomain {
        DataKind::NxDomain
    } else {
        DataKind::NoData
    };
    Ok(Answer::Data(Data {
        kind,
        chain,
        authentic,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::rdata::{A, CNAME};
    use std::net::Ipv4Addr;

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    fn response(
        question: &Name,
        record_type: RecordType,
        code: ResponseCode,
        answers: Vec<Record>,
    ) -> Vec<u8> {
        let mut message = Message::new(7, MessageType::Response, OpCode::Query);
        message.metadata.response_code = code;
        message.add_query(Query::query(question.clone(), record_type));
        for record in answers {
            message.add_answer(record);
        }
        message.to_vec().unwrap()
    }

    #[test]
    fn names_keep_every_octet_of_their_labels() {
        let name = dns_name("foo:bar/baz.example.com").unwrap();
        let labels: Vec<&[u8]> = name.iter().collect();
        assert_eq!(labels, vec![&b"foo:bar/baz"[..], b"example", b"com"]);
        assert!(name.is_fqdn());
        assert_eq!(dns_name("a b.example.").unwrap().num_labels(), 2);
    }

    #[test]
    fn empty_labels_and_long_labels_are_refused() {
        assert!(dns_name("a..example").is_err());
        assert!(dns_name(&format!("{}.example", "x".repeat(64))).is_err());
        assert_eq!(dns_name(".").unwrap(), Name::root());
    }

    #[test]
    fn query_has_edns_do_and_the_question() {
        let bytes = build_query(0x1234, &name("mx.example.test."), RecordType::MX, true).unwrap();
        let message = Message::from_vec(&bytes).unwrap();
        assert_eq!(message.metadata.id, 0x1234);
        assert!(message.metadata.recursion_desired);
        assert!(message.metadata.checking_disabled);
        let edns = message.edns.unwrap();
        assert!(edns.flags().dnssec_ok);
        assert_eq!(edns.max_payload(), EDNS_PAYLOAD);
        assert_eq!(message.queries[0].query_type, RecordType::MX);
    }

    #[test]
    fn cname_chain_inside_the_answer_is_followed() {
        let question = name("www.example.test.");
        let target = name("host.example.test.");
        let answers = vec![
            Record::from_rdata(question.clone(), 60, RData::CNAME(CNAME(target.clone()))),
            Record::from_rdata(target.clone(), 60, RData::A(A(Ipv4Addr::new(192, 0, 2, 1)))),
        ];
        let bytes = response(&question, RecordType::A, ResponseCode::NoError, answers);
        match read_answer(&bytes, &question, RecordType::A).unwrap() {
            Answer::Data(Data {
                kind: DataKind::Records(records),
                chain,
                ..
            }) => {
                assert_eq!(records.len(), 1);
                assert_eq!(chain, vec![(question, target)]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cname_loop_is_an_error() {
        let a = name("a.example.test.");
        let b = name("b.example.test.");
        let answers = vec![
            Record::from_rdata(a.clone(), 60, RData::CNAME(CNAME(b.clone()))),
            Record::from_rdata(b.clone(), 60, RData::CNAME(CNAME(a.clone()))),
        ];
        let bytes = response(&a, RecordType::A, ResponseCode::NoError, answers);
        assert!(
            read_answer(&bytes, &a, RecordType::A)
                .unwrap_err()
                .contains("CNAME loop")
        );
    }

    #[test]
    fn nxdomain_and_nodata_are_kept_apart() {
        let question = name("none.example.test.");
        let nx = response(&question, RecordType::TXT, ResponseCode::NXDomain, vec![]);
        assert_eq!(
            read_answer(&nx, &question, RecordType::TXT).unwrap(),
            Answer::Data(Data {
                kind: DataKind::NxDomain,
                chain: vec![],
                authentic: false
            })
        );
        let nodata = response(&question, RecordType::TXT, ResponseCode::NoError, vec![]);
        assert_eq!(
            read_answer(&nodata, &question, RecordType::TXT).unwrap(),
            Answer::Data(Data {
                kind: DataKind::NoData,
                chain: vec![],
                authentic: false
            })
        );
        let servfail = response(&question, RecordType::TXT, ResponseCode::ServFail, vec![]);
        assert_eq!(
            read_answer(&servfail, &question, RecordType::TXT).unwrap(),
            Answer::Failure {
                code: ResponseCode::ServFail
            }
        );
    }

    #[test]
    fn answer_to_another_question_is_refused() {
        let bytes = response(&name("other.test."), RecordType::A, ResponseCode::NoError, vec![]);
        assert!(
            read_answer(&bytes, &name("asked.test."), RecordType::A)
                .unwrap_err()
                .contains("another question")
        );
    }

    #[test]
    fn garbage_is_undecodable() {
        assert!(read_answer(&[0xff; 40], &name("a.test."), RecordType::A).is_err());
        assert!(read_answer(&[], &name("a.test."), RecordType::A).is_err());
    }

    #[test]
    fn compression_loop_is_undecodable() {
        // Header (1 question) then a name that is a pointer to itself at offset 12.
        let mut bytes = vec![0, 7, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0];
        bytes.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1]);
        assert!(read_answer(&bytes, &name("a.test."), RecordType::A).is_err());
    }
}
