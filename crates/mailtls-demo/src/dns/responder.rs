//! Turns one DNS query message into one response message, without I/O.
//!
//! ```text
//! RFC 1035 §4.1.1 header:
//!                                   1  1  1  1  1  1
//!     0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
//!   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//!   |                      ID                       |
//!   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//!   |QR|   Opcode  |AA|TC|RD|RA|   Z    |   RCODE   |
//!   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//!   |            QDCOUNT / ANCOUNT / NSCOUNT / ARCOUNT            |
//! RCODE 1 Format error, 4 Not Implemented, 5 Refused; 3 Name Error (NXDOMAIN)
//!   is meaningful only from an authoritative server.
//! RFC 1035 §4.2.1: UDP messages are limited to 512 octets; longer responses
//!   are truncated and the TC bit is set.
//! RFC 6891 §6.1.1: a responder MUST include OPT in its response when the
//!   request had one; §6.1.3: an unknown EDNS VERSION gets BADVERS.
//! ```

use hickory_proto::op::{Edns, Message, OpCode, Query, ResponseCode};
use hickory_proto::rr::{DNSClass, RData, Record, RecordType};

use crate::dns::zone::{Lookup, Zone};

/// The largest UDP response for a client without EDNS (RFC 1035 §4.2.1).
const CLASSIC_UDP_LIMIT: u16 = 512;
/// The UDP payload size this server advertises and honours at most
/// (the DNS Flag Day 2020 recommendation).
const EDNS_PAYLOAD: u16 = 1232;
/// The QR bit in the third octet of the header.
const QR_BIT: u8 = 0x80;

/// The transport a query came over, which bounds the response's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport {
    /// UDP: 512 octets, or the client's EDNS payload size.
    Udp,
    /// TCP: 65535 octets.
    Tcp,
}

/// The response to `request`, or nothing when no response must be sent: the
/// message is too short to carry an ID, or it is itself a response.
pub(crate) fn respond(zones: &[Zone], request: &[u8], transport: Transport) -> Option<Vec<u8>> {
    let (&[id_high, id_low, flags], _) = request.split_first_chunk::<3>()?;
    if request.len() < 12 || flags & QR_BIT != 0 {
        return None;
    }
    let id = u16::from_be_bytes([id_high, id_low]);
    let op_code = OpCode::from_u8((flags >> 3) & 0x0f);
    let Ok(query) = Message::from_vec(request) else {
        return encode(&Message::error_msg(id, op_code, ResponseCode::FormErr));
    };
    let response = answer(zones, &query);
    let limit = match (transport, &query.edns) {
        (Transport::Tcp, _) => usize::from(u16::MAX),
        (Transport::Udp, None) => usize::from(CLASSIC_UDP_LIMIT),
        (Transport::Udp, Some(edns)) => {
            usize::from(edns.max_payload().clamp(CLASSIC_UDP_LIMIT, EDNS_PAYLOAD))
        }
    };
    fit(response, limit)
}

/// Builds the response message (before any truncation).
fn answer(zones: &[Zone], query: &Message) -> Message {
    let mut response = Message::response(query.metadata.id, query.metadata.op_code);
    response.metadata.recursion_desired = query.metadata.recursion_desired;
    response.metadata.checking_disabled = query.metadata.checking_disabled;
    response.add_queries(query.queries.iter().cloned());
    if let Some(request_edns) = &query.edns {
        let mut edns = Edns::new();
        edns.set_max_payload(EDNS_PAYLOAD);
        response.set_edns(edns);
        if request_edns.version() != 0 {
            response.metadata.response_code = ResponseCode::BADVERS;
            return response;
        }
    }
    if query.metadata.op_code != OpCode::Query {
        response.metadata.response_code = ResponseCode::NotImp;
        return response;
    }
    let [question] = query.queries.as_slice() else {
        // RFC 9619: a query carries exactly one question.
        response.metadata.response_code = ResponseCode::FormErr;
        return response;
    };
    let zone = zones.iter().find(|zone| zone.contains(&question.name));
    let (Some(zone), DNSClass::IN) = (zone, question.query_class) else {
        // Not our zone (or not the Internet class): no referral, no recursion.
        response.metadata.response_code = ResponseCode::Refused;
        return response;
    };
    if matches!(question.query_type, RecordType::AXFR | RecordType::IXFR) {
        response.metadata.response_code = ResponseCode::Refused;
        return response;
    }
    response.metadata.authoritative = true;
    fill_authoritative_answer(&mut response, zone, question);
    response
}

fn fill_authoritative_answer(response: &mut Message, zone: &Zone, question: &Query) {
    match zone.lookup(&question.name, question.query_type) {
        Lookup::Records(records) => {
            for record in &records {
                response.add_answer((*record).clone());
            }
            for target in records.iter().filter_map(|record| additional_target(record)) {
                response.add_additionals(zone.addresses(target).cloned());
            }
        }
        Lookup::NoData => {
            response.add_authority(zone.negative_soa());
        }
        Lookup::NxDomain => {
            response.metadata.response_code = ResponseCode::NXDomain;
            response.add_authority(zone.negative_soa());
        }
    }
}

/// The host whose addresses help a client use `record` (RFC 1035 §3.3.9, RFC 2782).
fn additional_target(record: &Record) -> Option<&hickory_proto::rr::Name> {
    match &record.data {
        RData::MX(mx) => Some(&mx.exchange),
        RData::SRV(srv) => Some(&srv.target),
        RData::NS(ns) => Some(&ns.0),
        _ => None,
    }
}

/// Encodes `response` within `limit` octets: first without the additional
/// section, then as an empty truncated answer (TC set) that tells the client
/// to retry over TCP.
fn fit(mut response: Message, limit: usize) -> Option<Vec<u8>> {
    if let Some(bytes) = encode(&response).filter(|bytes| bytes.len() <= limit) {
        return Some(bytes);
    }
    response.additionals.clear();
    if let Some(bytes) = encode(&response).filter(|bytes| bytes.len() <= limit) {
        return Some(bytes);
    }
    response.answers.clear();
    response.authorities.clear();
    response.metadata.truncation = true;
    encode(&response)
}

/// Encodes a message; a message that cannot be encoded becomes SERVFAIL.
fn encode(message: &Message) -> Option<Vec<u8>> {
    message.to_vec().ok().or_else(|| {
        tracing::warn!(id = message.metadata.id, "could not encode a DNS response");
        Message::error_msg(
            message.metadata.id,
            message.metadata.op_code,
            ResponseCode::ServFail,
        )
        .to_vec()
        .ok()
    })
}

#[cfg(test)]
mod tests {
    use hickory_proto::rr::Name;

    use hickory_proto::op::MessageType;

    use super::*;
    use crate::dns::demo_zone::{ServiceRecord, ZoneInputs, demo_zones};

    fn zones() -> Vec<Zone> {
        demo_zones(&ZoneInputs {
            services: vec![ServiceRecord {
                service: "_imaps._tcp",
                target: "imap.demo.mailtls.test",
                port: 4993,
            }],
            mx1_spki: vec![1, 2, 3],
            dkim_selector: "demo",
            dkim_record: format!("v=DKIM1; k=rsa; p={}", "A".repeat(600)),
            mx1_ipv6: true,
        })
        .unwrap()
    }

    fn query(name: &str, record_type: RecordType) -> Message {
        let mut message = Message::query();
        message.metadata.id = 4242;
        message.add_query(Query::query(Name::from_ascii(name).unwrap(), record_type));
        message
    }

    fn ask(message: &Message, transport: Transport) -> Message {
        let bytes = respond(&zones(), &message.to_vec().unwrap(), transport).unwrap();
        Message::from_vec(&bytes).unwrap()
    }

    #[test]
    fn mx_answer_is_authoritative_with_addresses_of_the_exchange() {
        let response = ask(&query("demo.mailtls.test.", RecordType::MX), Transport::Udp);
        assert_eq!(response.metadata.id, 4242);
        assert!(response.metadata.authoritative);
        assert_eq!(response.metadata.response_code, ResponseCode::NoError);
        assert_eq!(response.answers.len(), 1);
        let types: Vec<RecordType> = response.additionals.iter().map(Record::record_type).collect();
        assert_eq!(types, vec![RecordType::A, RecordType::AAAA]);
    }

    #[test]
    fn unknown_name_in_zone_is_nxdomain_with_soa() {
        let response = ask(&query("nope.demo.mailtls.test.", RecordType::A), Transport::Udp);
        assert_eq!(response.metadata.response_code, ResponseCode::NXDomain);
        assert!(response.metadata.authoritative);
        assert_eq!(response.authorities.len(), 1);
        assert_eq!(response.authorities[0].record_type(), RecordType::SOA);
    }

    #[test]
    fn name_outside_the_zones_is_refused() {
        let response = ask(&query("example.com.", RecordType::A), Transport::Udp);
        assert_eq!(response.metadata.response_code, ResponseCode::Refused);
        assert!(!response.metadata.authoritative);
    }

    #[test]
    fn reverse_zone_answers_ptr() {
        let response = ask(&query("1.0.0.127.in-addr.arpa.", RecordType::PTR), Transport::Udp);
        assert_eq!(response.answers.len(), 1);
        assert_eq!(response.answers[0].data.to_string(), "mx1.demo.mailtls.test.");
    }

    #[test]
    fn response_to_an_edns_query_carries_opt() {
        let mut message = query("demo.mailtls.test.", RecordType::SOA);
        message.set_edns(Edns::new());
        let response = ask(&message, Transport::Udp);
        assert_eq!(response.edns.map(|edns| edns.max_payload()), Some(EDNS_PAYLOAD));
    }

    #[test]
    fn unknown_edns_version_is_badvers() {
        let mut message = query("demo.mailtls.test.", RecordType::SOA);
        let mut edns = Edns::new();
        edns.set_version(1);
        message.set_edns(edns);
        // BADVERS and BADSIG share the value 16; the decoder names it BADSIG.
        assert_eq!(
            u16::from(ask(&message, Transport::Udp).metadata.response_code),
            16
        );
    }

    #[test]
    fn large_answer_over_classic_udp_is_truncated() {
        let response = ask(
            &query("demo._domainkey.demo.mailtls.test.", RecordType::TXT),
            Transport::Udp,
        );
        assert!(response.metadata.truncation);
        assert!(response.answers.is_empty());
        let response = ask(
            &query("demo._domainkey.demo.mailtls.test.", RecordType::TXT),
            Transport::Tcp,
        );
        assert!(!response.metadata.truncation);
        assert_eq!(response.answers.len(), 1);
    }

    #[test]
    fn response_message_is_not_answered() {
        let mut message = query("demo.mailtls.test.", RecordType::A);
        message.metadata.message_type = MessageType::Response;
        assert_eq!(
            respond(&zones(), &message.to_vec().unwrap(), Transport::Udp),
            None
        );
    }

    #[test]
    fn short_garbage_is_ignored_and_long_garbage_is_formerr() {
        assert_eq!(respond(&zones(), b"\x01\x02", Transport::Udp), None);
        let bytes = respond(
            &zones(),
            b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xff",
            Transport::Udp,
        )
        .unwrap();
        let response = Message::from_vec(&bytes).unwrap();
        assert_eq!(response.metadata.id, 0x1234);
        assert_eq!(response.metadata.response_code, ResponseCode::FormErr);
    }

    #[test]
    fn notify_opcode_is_not_implemented() {
        let mut message = query("demo.mailtls.test.", RecordType::SOA);
        message.metadata.op_code = OpCode::Notify;
        assert_eq!(
            ask(&message, Transport::Udp).metadata.response_code,
            ResponseCode::NotImp
        );
    }
}
