//! The record reader against server replies written by hand: full flights,
//! fragmentation, coalescing, TLS 1.3, HelloRetryRequest, alerts, SSLv2,
//! garbage and oversized lengths.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use mailtls_probe::tls_engine::alert::Alert;
use mailtls_probe::tls_engine::record::{BUFFER_LIMIT, MAX_HANDSHAKE_LENGTH};
use mailtls_probe::tls_engine::server_messages::{
    DowngradeSentinel, HELLO_RETRY_REQUEST_RANDOM, KeyExchangeParams,
};
use mailtls_probe::tls_engine::{ProtocolVersion, RecordReader, ServerEvent, Unexpected};
use proptest::prelude::*;

fn record(content_type: u8, fragment: &[u8]) -> Vec<u8> {
    let mut out = vec![content_type, 0x03, 0x03];
    out.extend_from_slice(&u16::try_from(fragment.len()).unwrap().to_be_bytes());
    out.extend_from_slice(fragment);
    out
}

fn handshake(msg_type: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![msg_type];
    out.extend_from_slice(&u32::try_from(body.len()).unwrap().to_be_bytes()[1..]);
    out.extend_from_slice(body);
    out
}

/// ServerHello for TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 with
/// renegotiation_info, extended_master_secret and ec_point_formats, written
/// out byte by byte.
fn tls12_server_hello() -> Vec<u8> {
    let mut body = vec![0x03, 0x03];
    body.extend_from_slice(&[0x11; 32]);
    body.extend_from_slice(&[
        0x00, // session_id: empty
        0xC0, 0x2F, // cipher_suite
        0x00, // compression: null
        0x00, 0x0F, // extensions: 15 bytes
        0xFF, 0x01, 0x00, 0x01, 0x00, // renegotiation_info, empty renegotiated_connection
        0x00, 0x17, 0x00, 0x00, // extended_master_secret
        0x00, 0x0B, 0x00, 0x02, 0x01, 0x00, // ec_point_formats: uncompressed
    ]);
    handshake(2, &body)
}

fn tls12_certificate() -> Vec<u8> {
    handshake(
        11,
        &[
            0x00, 0x00, 0x0B, 0x00, 0x00, 0x03, 0x30, 0x01, 0xAA, 0x00, 0x00, 0x02, 0x30, 0x00,
        ],
    )
}

fn tls12_ecdhe_key_exchange() -> Vec<u8> {
    handshake(
        12,
        &[
            0x03, 0x00, 0x17, // named_curve secp256r1
            0x03, 0x04, 0xAB, 0xCD, // point
            0x04, 0x01, // rsa_pkcs1_sha256
            0x00, 0x02, 0x5A, 0x5A, // signature
        ],
    )
}

fn tls12_flight_messages() -> Vec<u8> {
    [
        tls12_server_hello(),
        tls12_certificate(),
        tls12_ecdhe_key_exchange(),
        handshake(14, &[]),
    ]
    .concat()
}

fn tls12_flight_one_record_each() -> Vec<u8> {
    [
        record(22, &tls12_server_hello()),
        record(22, &tls12_certificate()),
        record(22, &tls12_ecdhe_key_exchange()),
        record(22, &handshake(14, &[])),
    ]
    .concat()
}

fn assert_tls12_flight(events: &[ServerEvent]) {
    assert_eq!(events.len(), 4, "{events:?}");
    let ServerEvent::ServerHello(hello) = &events[0] else {
        panic!("{:?}", events[0])
    };
    assert_eq!(hello.version, ProtocolVersion::TLS1_2);
    assert_eq!(hello.negotiated_version(), ProtocolVersion::TLS1_2);
    assert_eq!(hello.random, [0x11; 32]);
    assert_eq!(hello.cipher_suite, 0xC02F);
    assert_eq!(hello.compression, 0);
    assert_eq!(hello.renegotiation_info, Some(Vec::new()));
    assert!(hello.extended_master_secret);
    assert!(!hello.encrypt_then_mac);
    assert_eq!(hello.ec_point_formats, Some(vec![0]));
    assert_eq!(hello.extensions.len(), 3);
    assert!(hello.malformed_extensions.is_empty());
    assert!(!hello.is_hello_retry_request);
    assert_eq!(hello.downgrade_sentinel, None);
    assert_eq!(
        events[1],
        ServerEvent::Certificate {
            der_chain: vec![vec![0x30, 0x01, 0xAA], vec![0x30, 0x00]]
        }
    );
    let ServerEvent::ServerKeyExchange(key_exchange) = &events[2] else {
        panic!("{:?}", events[2])
    };
    assert_eq!(
        key_exchange.params,
        KeyExchangeParams::Ec {
            curve_type: 3,
            named_curve: Some(0x0017)
        }
    );
    assert_eq!(key_exchange.signature_scheme, Some(0x0401));
    assert_eq!(events[3], ServerEvent::ServerHelloDone);
}

#[test]
fn tls12_ecdhe_rsa_flight_yields_hello_certificate_key_exchange_and_done() {
    let mut reader = RecordReader::new();
    assert_tls12_flight(&reader.feed(&tls12_flight_one_record_each()));
    assert_eq!(reader.buffered(), 0);
}

#[test]
fn flight_split_byte_by_byte_yields_the_same_events() {
    let mut reader = RecordReader::new();
    let mut events = Vec::new();
    for byte in tls12_flight_one_record_each() {
        events.extend(reader.feed(&[byte]));
    }
    assert_tls12_flight(&events);
}

#[test]
fn handshake_messages_coalesced_in_one_record_are_all_read() {
    let mut reader = RecordReader::new();
    assert_tls12_flight(&reader.feed(&record(22, &tls12_flight_messages())));
}

#[test]
fn handshake_message_spread_over_three_records_is_reassembled() {
    let certificate = tls12_certificate();
    let bytes = [
        record(22, &tls12_server_hello()),
        record(22, &certificate[..3]),
        record(22, &certificate[3..9]),
        record(22, &certificate[9..]),
        record(22, &[tls12_ecdhe_key_exchange(), handshake(14, &[])].concat()),
    ]
    .concat();
    assert_tls12_flight(&RecordReader::new().feed(&bytes));
}

#[test]
fn dhe_key_exchange_reports_the_prime_size() {
    let mut hello = tls12_server_hello();
    hello[4 + 2 + 32 + 1..4 + 2 + 32 + 3].copy_from_slice(&[0x00, 0x9E]); // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
    let mut params = vec![0x00, 0x81, 0x00]; // p: a leading zero, then 1024 bits
    params.extend_from_slice(&[0xFF; 128]);
    params.extend_from_slice(&[0x00, 0x01, 0x02, 0x00, 0x01, 0x07, 0x08, 0x04, 0x00, 0x01, 0x00]);
    let bytes = [record(22, &hello), record(22, &handshake(12, &params))].concat();
    let events = RecordReader::new().feed(&bytes);
    let ServerEvent::ServerKeyExchange(key_exchange) = &events[1] else {
        panic!("{events:?}")
    };
    let KeyExchangeParams::Dh {
        prime_bits,
        generator,
        ..
    } = &key_exchange.params
    else {
        panic!("{key_exchange:?}")
    };
    assert_eq!((*prime_bits, generator.as_slice()), (1024, &[0x02][..]));
    assert_eq!(key_exchange.signature_scheme, Some(0x0804));
}

#[test]
fn key_exchange_of_an_unknown_suite_is_kept_raw() {
    let mut hello = tls12_server_hello();
    hello[4 + 2 + 32 + 1..4 + 2 + 32 + 3].copy_from_slice(&[0x0A, 0x0A]);
    let bytes = [record(22, &hello), record(22, &handshake(12, &[1, 2, 3]))].concat();
    let events = RecordReader::new().feed(&bytes);
    let ServerEvent::ServerKeyExchange(key_exchange) = &events[1] else {
        panic!("{events:?}")
    };
    assert_eq!(
        (key_exchange.params.clone(), key_exchange.raw.clone()),
        (KeyExchangeParams::Unparsed, vec![1, 2, 3])
    );
}

/// A TLS 1.3 ServerHello: legacy_version TLS 1.2, supported_versions TLS 1.3,
/// key_share x25519 with a 4-byte (toy) key.
fn tls13_server_hello(random: [u8; 32], key_share: &[u8]) -> Vec<u8> {
    let mut body = vec![0x03, 0x03];
    body.extend_from_slice(&random);
    body.extend_from_slice(&[0x20]);
    body.extend_from_slice(&[0x33; 32]); // echoed legacy_session_id
    body.extend_from_slice(&[0x13, 0x01, 0x00]);
    let mut block = vec![0x00, 0x2B, 0x00, 0x02, 0x03, 0x04];
    block.extend_from_slice(&[0x00, 0x33]);
    block.extend_from_slice(&u16::try_from(key_share.len()).unwrap().to_be_bytes());
    block.extend_from_slice(key_share);
    body.extend_from_slice(&u16::try_from(block.len()).unwrap().to_be_bytes());
    body.extend_from_slice(&block);
    handshake(2, &body)
}

#[test]
fn tls13_server_hello_reports_version_and_group_then_encrypted_records() {
    let hello = tls13_server_hello([0x44; 32], &[0x00, 0x1D, 0x00, 0x04, 1, 2, 3, 4]);
    let bytes = [record(22, &hello), record(20, &[1]), record(23, &[0xEE; 40])].concat();
    let events = RecordReader::new().feed(&bytes);
    let ServerEvent::ServerHello(hello) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(hello.negotiated_version(), ProtocolVersion::TLS1_3);
    assert_eq!(hello.key_share_group, Some(0x001D));
    assert_eq!(hello.session_id, vec![0x33; 32]);
    assert!(!hello.is_hello_retry_request);
    assert_eq!(
        &events[1..],
        &[
            ServerEvent::ChangeCipherSpec,
            ServerEvent::EncryptedRecord {
                content_type: 23,
                length: 40
            }
        ]
    );
}

#[test]
fn hello_retry_request_is_recognised_by_its_random_and_names_the_group() {
    let hello = tls13_server_hello(HELLO_RETRY_REQUEST_RANDOM, &[0x00, 0x17]);
    let events = RecordReader::new().feed(&record(22, &hello));
    let ServerEvent::ServerHello(hello) = &events[0] else {
        panic!("{events:?}")
    };
    assert!(hello.is_hello_retry_request);
    assert_eq!(hello.key_share_group, Some(0x0017));
    assert!(hello.malformed_extensions.is_empty());
}

#[test]
fn downgrade_sentinel_for_tls12_is_recognised() {
    let mut hello = tls12_server_hello();
    hello[4 + 2 + 24..4 + 2 + 32].copy_from_slice(b"DOWNGRD\x01");
    let events = RecordReader::new().feed(&record(22, &hello));
    let ServerEvent::ServerHello(hello) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(hello.downgrade_sentinel, Some(DowngradeSentinel::Tls12));
}

#[test]
fn fatal_handshake_failure_alert_is_reported_with_its_name() {
    let events = RecordReader::new().feed(&[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28]);
    assert_eq!(
        events,
        vec![ServerEvent::Alert(Alert {
            level: 2,
            description: 40
        })]
    );
    let ServerEvent::Alert(alert) = events[0] else {
        unreachable!()
    };
    assert!(alert.is_fatal());
    assert_eq!(alert.description_name(), "handshake_failure");
}

#[test]
fn alert_of_odd_length_is_unexpected() {
    let events = RecordReader::new().feed(&[0x15, 0x03, 0x03, 0x00, 0x01, 0x02]);
    assert_eq!(
        events,
        vec![ServerEvent::Unexpected {
            what: Unexpected::MalformedAlert { length: 1 },
            offset: 0
        }]
    );
}

#[test]
fn sslv2_server_hello_yields_certificate_and_cipher_specs() {
    let bytes = [
        0x80, 0x18, // 24 bytes
        0x04, 0x00, 0x01, 0x00, 0x02, // SERVER-HELLO, no hit, X.509, SSL 2.0
        0x00, 0x03, 0x00, 0x06, 0x00, 0x04, // certificate, specs, connection id lengths
        0x30, 0x01, 0x00, // certificate
        0x01, 0x00, 0x80, 0x07, 0x00, 0xC0, // specs
        0xC1, 0xC2, 0xC3, 0xC4, // connection id
    ];
    let mut reader = RecordReader::new();
    let events = reader.feed(&bytes);
    let [ServerEvent::Sslv2ServerHello(hello)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(hello.version, ProtocolVersion::SSL2_0);
    assert_eq!(hello.certificate, vec![0x30, 0x01, 0x00]);
    assert_eq!(hello.cipher_specs, vec![0x01_0080, 0x07_00C0]);
    assert_eq!(hello.connection_id, vec![0xC1, 0xC2, 0xC3, 0xC4]);
    assert!(reader.is_stopped());
}

#[test]
fn sslv2_error_is_reported_with_its_code() {
    assert_eq!(
        RecordReader::new().feed(&[0x80, 0x03, 0x00, 0x00, 0x01]),
        vec![ServerEvent::Sslv2Error { code: 1 }]
    );
}

#[test]
fn smtp_line_is_not_tls() {
    let mut reader = RecordReader::new();
    let events = reader.feed(b"554 5.7.0 Too many connections\r\n");
    assert_eq!(
        events,
        vec![ServerEvent::NotTls {
            first_bytes: b"554 5.7.0 Too many connections\r\n".to_vec()
        }]
    );
    assert!(reader.is_stopped());
}

#[test]
fn http_response_is_not_tls_and_keeps_32_bytes_of_evidence() {
    let events = RecordReader::new().feed(b"HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n");
    assert_eq!(
        events,
        vec![ServerEvent::NotTls {
            first_bytes: b"HTTP/1.1 400 Bad Request\r\nServer".to_vec()
        }]
    );
}

#[test]
fn short_garbage_is_judged_at_end_of_stream() {
    let mut reader = RecordReader::new();
    assert_eq!(reader.feed(b"NO"), vec![]);
    reader.end_of_stream();
    assert_eq!(
        reader.next_event(),
        Some(ServerEvent::NotTls {
            first_bytes: b"NO".to_vec()
        })
    );
    assert_eq!(reader.next_event(), None);
}

#[test]
fn handshake_length_of_16_megabytes_is_an_observation_not_an_allocation() {
    let mut reader = RecordReader::new();
    let events = reader.feed(&[0x16, 0x03, 0x03, 0x00, 0x04, 0x0B, 0xFF, 0xFF, 0xFF]);
    assert_eq!(
        events,
        vec![ServerEvent::Unexpected {
            what: Unexpected::HandshakeTooLong { length: 0xFF_FFFF },
            offset: 0
        }]
    );
    assert!(reader.is_stopped());
    assert_eq!(reader.buffered(), 0);
}

#[test]
fn record_longer_than_the_ciphertext_bound_stops_the_reader() {
    let mut reader = RecordReader::new();
    let mut bytes = record(22, &tls12_server_hello());
    bytes.extend_from_slice(&[0x17, 0x03, 0x03, 0xFF, 0xFF]);
    let events = reader.feed(&bytes);
    assert_eq!(
        events[1],
        ServerEvent::Unexpected {
            what: Unexpected::RecordTooLong { length: 0xFFFF },
            offset: 64
        }
    );
    assert!(reader.is_stopped());
}

#[test]
fn stream_ending_inside_a_record_is_truncated() {
    let mut reader = RecordReader::new();
    let bytes = record(22, &tls12_server_hello());
    assert_eq!(reader.feed(&bytes[..20]), vec![]);
    reader.end_of_stream();
    assert_eq!(
        reader.next_event(),
        Some(ServerEvent::Unexpected {
            what: Unexpected::Truncated { pending: 20 },
            offset: 0
        })
    );
}

#[test]
fn alert_inside_a_fragmented_handshake_message_is_interleaving() {
    let certificate = tls12_certificate();
    let bytes = [record(22, &certificate[..5]), record(21, &[2, 40])].concat();
    let events = RecordReader::new().feed(&bytes);
    assert_eq!(
        events,
        vec![
            ServerEvent::Unexpected {
                what: Unexpected::InterleavedRecord { content_type: 21 },
                offset: 10
            },
            ServerEvent::Alert(Alert {
                level: 2,
                description: 40
            }),
        ]
    );
}

#[test]
fn record_with_major_version_other_than_3_after_the_first_stops_the_reader() {
    let bytes = [
        record(22, &tls12_server_hello()),
        vec![0x16, 0x04, 0x00, 0x00, 0x00],
    ]
    .concat();
    let events = RecordReader::new().feed(&bytes);
    assert_eq!(
        events[1],
        ServerEvent::Unexpected {
            what: Unexpected::RecordVersion { version: 0x0400 },
            offset: 64
        }
    );
}

#[test]
fn push_accepts_no_more_than_the_buffer_limit() {
    let mut reader = RecordReader::new();
    let bytes = vec![0x17; 100_000];
    assert_eq!(reader.push(&bytes), BUFFER_LIMIT);
    assert_eq!(reader.buffered(), BUFFER_LIMIT);
}

#[test]
fn malformed_server_hello_is_reported_and_reading_goes_on() {
    let bytes = [
        record(22, &handshake(2, &[0x03, 0x03, 0x00])),
        record(21, &[1, 0]),
    ]
    .concat();
    let events = RecordReader::new().feed(&bytes);
    assert_eq!(
        events,
        vec![
            ServerEvent::Unexpected {
                what: Unexpected::MalformedHandshake {
                    msg_type: 2,
                    reason: "truncated ServerHello"
                },
                offset: 0,
            },
            ServerEvent::Alert(Alert {
                level: 1,
                description: 0
            }),
        ]
    );
}

proptest! {
    #[test]
    fn reader_never_panics_and_stays_bounded(
        bytes in proptest::collection::vec(any::<u8>(), 0..4096),
        chunk_sizes in proptest::collection::vec(1usize..600, 1..40),
    ) {
        let mut reader = RecordReader::new();
        let mut rest = bytes.as_slice();
        let mut sizes = chunk_sizes.iter().cycle();
        while !rest.is_empty() {
            let size = (*sizes.next().unwrap()).min(rest.len());
            let (chunk, tail) = rest.split_at(size);
            rest = tail;
            reader.feed(chunk);
            prop_assert!(reader.buffered() <= BUFFER_LIMIT + MAX_HANDSHAKE_LENGTH);
        }
        reader.end_of_stream();
        while reader.next_event().is_some() {}
        prop_assert!(reader.is_stopped());
    }

    #[test]
    fn valid_flight_yields_the_same_events_in_any_chunking(
        chunk_sizes in proptest::collection::vec(1usize..40, 1..20),
    ) {
        let bytes = tls12_flight_one_record_each();
        let mut reader = RecordReader::new();
        let mut events = Vec::new();
        let mut rest = bytes.as_slice();
        let mut sizes = chunk_sizes.iter().cycle();
        while !rest.is_empty() {
            let size = (*sizes.next().unwrap()).min(rest.len());
            let (chunk, tail) = rest.split_at(size);
            rest = tail;
            events.extend(reader.feed(chunk));
        }
        assert_tls12_flight(&events);
    }
}

fn hello_with_suite(version: [u8; 2], suite: [u8; 2]) -> Vec<u8> {
    let mut hello = tls12_server_hello();
    hello[4..6].copy_from_slice(&version);
    hello[4 + 2 + 32 + 1..4 + 2 + 32 + 3].copy_from_slice(&suite);
    hello
}

#[test]
fn export_rsa_key_exchange_reports_the_modulus_size() {
    let mut params = vec![0x00, 0x40];
    params.extend_from_slice(&[0xC0; 64]); // 512-bit modulus
    params.extend_from_slice(&[0x00, 0x03, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00]);
    let bytes = [
        record(22, &hello_with_suite([3, 1], [0x00, 0x03])),
        record(22, &handshake(12, &params)),
    ]
    .concat();
    let events = RecordReader::new().feed(&bytes);
    let ServerEvent::ServerKeyExchange(key_exchange) = &events[1] else {
        panic!("{events:?}")
    };
    assert_eq!(
        key_exchange.params,
        KeyExchangeParams::RsaExport { modulus_bits: 512 }
    );
    assert_eq!(key_exchange.signature_scheme, None);
}

#[test]
fn tls10_dhe_key_exchange_has_no_signature_scheme() {
    let params = [
        0x00, 0x01, 0x17, 0x00, 0x01, 0x02, 0x00, 0x01, 0x05, 0x00, 0x01, 0x00,
    ];
    let bytes = [
        record(22, &hello_with_suite([3, 1], [0x00, 0x33])),
        record(22, &handshake(12, &params)),
    ]
    .concat();
    let events = RecordReader::new().feed(&bytes);
    let ServerEvent::ServerKeyExchange(key_exchange) = &events[1] else {
        panic!("{events:?}")
    };
    assert_eq!(
        key_exchange.params,
        KeyExchangeParams::Dh {
            prime_bits: 5,
            prime: vec![0x17],
            generator: vec![0x02]
        }
    );
    assert_eq!(key_exchange.signature_scheme, None);
}

#[test]
fn explicit_curve_is_reported_without_reading_a_signature() {
    let bytes = [
        record(22, &tls12_server_hello()),
        record(22, &handshake(12, &[0x01, 0x04, 0x01, 0xAA])),
    ]
    .concat();
    let events = RecordReader::new().feed(&bytes);
    let ServerEvent::ServerKeyExchange(key_exchange) = &events[1] else {
        panic!("{events:?}")
    };
    assert_eq!(
        key_exchange.params,
        KeyExchangeParams::Ec {
            curve_type: 1,
            named_curve: None
        }
    );
    assert_eq!(key_exchange.signature_scheme, None);
}

#[test]
fn downgrade_sentinel_for_tls11_or_below_is_recognised() {
    let mut hello = hello_with_suite([3, 2], [0x00, 0x2F]);
    hello[4 + 2 + 24..4 + 2 + 32].copy_from_slice(b"DOWNGRD\x00");
    let events = RecordReader::new().feed(&record(22, &hello));
    let ServerEvent::ServerHello(hello) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(hello.downgrade_sentinel, Some(DowngradeSentinel::Tls11OrBelow));
}

#[test]
fn records_after_change_cipher_spec_are_encrypted_but_a_two_byte_alert_is_not() {
    let bytes = [
        record(22, &tls12_server_hello()),
        record(20, &[1]),
        record(22, &[0xAB; 40]),
        record(21, &[0xCD; 26]),
        record(21, &[2, 20]),
    ]
    .concat();
    let events = RecordReader::new().feed(&bytes);
    assert_eq!(
        &events[1..],
        &[
            ServerEvent::ChangeCipherSpec,
            ServerEvent::EncryptedRecord {
                content_type: 22,
                length: 40
            },
            ServerEvent::EncryptedRecord {
                content_type: 21,
                length: 26
            },
            ServerEvent::Alert(Alert {
                level: 2,
                description: 20
            }),
        ]
    );
}

#[test]
fn heartbeat_record_is_reported_as_sent() {
    let events = RecordReader::new().feed(&record(24, &[2, 0, 3, 1, 2, 3]));
    assert_eq!(
        events,
        vec![ServerEvent::Heartbeat {
            fragment: vec![2, 0, 3, 1, 2, 3]
        }]
    );
}

#[test]
fn unknown_content_type_after_the_first_record_stops_the_reader() {
    let bytes = [record(21, &[1, 0]), record(99, &[0])].concat();
    let mut reader = RecordReader::new();
    let events = reader.feed(&bytes);
    assert_eq!(
        events[1],
        ServerEvent::Unexpected {
            what: Unexpected::UnknownContentType { content_type: 99 },
            offset: 7
        }
    );
    assert!(reader.is_stopped());
}

#[test]
fn server_hello_extension_with_bad_data_is_listed_as_malformed() {
    let mut body = vec![0x03, 0x03];
    body.extend_from_slice(&[0x11; 32]);
    body.extend_from_slice(&[0x00, 0x00, 0x2F, 0x00, 0x00, 0x05, 0x00, 0x2B, 0x00, 0x01, 0x03]);
    let events = RecordReader::new().feed(&record(22, &handshake(2, &body)));
    let ServerEvent::ServerHello(hello) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(hello.malformed_extensions, vec![43]);
    assert_eq!(hello.supported_version, None);
    assert_eq!(hello.extensions.len(), 1);
}
