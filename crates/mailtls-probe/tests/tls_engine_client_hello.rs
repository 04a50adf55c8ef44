//! The ClientHello builder: exact bytes for small hellos written by hand
//! from the RFC layouts, the 256–511-byte rule, and a round trip through a
//! small ClientHello parser of our own.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use mailtls_probe::tls_engine::extensions::{self, Extension, KeyShareEntry};
use mailtls_probe::tls_engine::{BuildError, ClientHelloSpec, ProtocolVersion, pad_out_of_f5_range, sslv2};
use proptest::prelude::*;

fn small_spec() -> ClientHelloSpec {
    ClientHelloSpec {
        record_version: ProtocolVersion::TLS1_0,
        client_version: ProtocolVersion::TLS1_2,
        random: [0x01; 32],
        session_id: Vec::new(),
        cipher_suites: vec![0xC02F, 0x00FF],
        compression_methods: vec![0],
        extensions: vec![
            extensions::server_name("a.b").unwrap(),
            extensions::supported_groups(&[0x001D]).unwrap(),
        ],
    }
}

#[test]
fn small_hello_has_the_exact_bytes_of_the_rfc_layout() {
    let mut expected = vec![
        0x16, 0x03, 0x01, 0x00, 0x45, // record: handshake, TLS 1.0, 69 bytes
        0x01, 0x00, 0x00, 0x41, // client_hello, 65 bytes
        0x03, 0x03, // client_version TLS 1.2
    ];
    expected.extend_from_slice(&[0x01; 32]); // random
    expected.extend_from_slice(&[
        0x00, // session_id<0..32>: empty
        0x00, 0x04, 0xC0, 0x2F, 0x00, 0xFF, // cipher_suites<2..2^16-2>
        0x01, 0x00, // compression_methods<1..2^8-1>: null
        0x00, 0x14, // extensions<0..2^16-1>: 20 bytes
        0x00, 0x00, 0x00, 0x08, // server_name, 8 bytes
        0x00, 0x06, 0x00, 0x00, 0x03, b'a', b'.', b'b', // list: host_name "a.b"
        0x00, 0x0A, 0x00, 0x04, // supported_groups, 4 bytes
        0x00, 0x02, 0x00, 0x1D, // x25519
    ]);
    assert_eq!(small_spec().to_record().unwrap(), expected);
}

#[test]
fn hello_without_extensions_leaves_out_the_extensions_block() {
    let spec = ClientHelloSpec {
        record_version: ProtocolVersion::SSL3_0,
        client_version: ProtocolVersion::SSL3_0,
        extensions: Vec::new(),
        cipher_suites: vec![0x000A],
        ..small_spec()
    };
    let record = spec.to_record().unwrap();
    let mut expected = vec![0x16, 0x03, 0x00, 0x00, 0x2D, 0x01, 0x00, 0x00, 0x29, 0x03, 0x00];
    expected.extend_from_slice(&[0x01; 32]);
    expected.extend_from_slice(&[0x00, 0x00, 0x02, 0x00, 0x0A, 0x01, 0x00]);
    assert_eq!(record, expected);
}

#[test]
fn record_and_handshake_lengths_agree_with_the_content() {
    let record = small_spec().to_record().unwrap();
    let record_length = usize::from(u16::from_be_bytes([record[3], record[4]]));
    assert_eq!(record_length, record.len() - 5);
    let handshake_length =
        (usize::from(record[6]) << 16) | (usize::from(record[7]) << 8) | usize::from(record[8]);
    assert_eq!(handshake_length, record.len() - 9);
}

#[test]
fn empty_key_share_is_an_empty_client_shares_list() {
    let extension = extensions::key_share(&[]).unwrap();
    assert_eq!(extension, Extension::raw(51, vec![0x00, 0x00]));
}

#[test]
fn key_share_entry_is_group_then_prefixed_key() {
    let extension = extensions::key_share(&[KeyShareEntry {
        group: 0x001D,
        key_exchange: vec![9, 9],
    }])
    .unwrap();
    assert_eq!(extension.data, vec![0x00, 0x06, 0x00, 0x1D, 0x00, 0x02, 9, 9]);
}

#[test]
fn supported_versions_is_a_one_byte_prefixed_list() {
    let extension =
        extensions::supported_versions(&[ProtocolVersion::TLS1_3, ProtocolVersion::TLS1_2]).unwrap();
    assert_eq!(extension, Extension::raw(43, vec![0x04, 0x03, 0x04, 0x03, 0x03]));
}

#[test]
fn initial_renegotiation_info_is_an_empty_renegotiated_connection() {
    assert_eq!(
        extensions::renegotiation_info(&[]).unwrap(),
        Extension::raw(0xFF01, vec![0x00])
    );
}

#[test]
fn status_request_asks_for_ocsp_without_responders() {
    assert_eq!(
        extensions::status_request_ocsp(),
        Extension::raw(5, vec![1, 0, 0, 0, 0])
    );
}

#[test]
fn alpn_lists_length_prefixed_names() {
    let extension = extensions::alpn(&[b"h2", b"smtp"]).unwrap();
    assert_eq!(
        extension.data,
        vec![0x00, 0x08, 0x02, b'h', b'2', 0x04, b's', b'm', b't', b'p']
    );
}

#[test]
fn flag_extensions_are_empty_and_typed() {
    assert_eq!(
        extensions::extended_master_secret(),
        Extension::raw(23, Vec::new())
    );
    assert_eq!(extensions::encrypt_then_mac(), Extension::raw(22, Vec::new()));
    assert_eq!(
        extensions::signed_certificate_timestamp(),
        Extension::raw(18, Vec::new())
    );
    assert_eq!(extensions::session_ticket(&[]), Extension::raw(35, Vec::new()));
    assert_eq!(extensions::heartbeat(1), Extension::raw(15, vec![1]));
    assert_eq!(
        extensions::ec_point_formats(&[0]).unwrap(),
        Extension::raw(11, vec![1, 0])
    );
    assert_eq!(
        extensions::signature_algorithms(&[0x0804]).unwrap(),
        Extension::raw(13, vec![0x00, 0x02, 0x08, 0x04])
    );
}

#[test]
fn session_id_longer_than_32_bytes_is_refused() {
    let spec = ClientHelloSpec {
        session_id: vec![0; 33],
        ..small_spec()
    };
    assert_eq!(
        spec.to_record(),
        Err(BuildError::TooLong {
            what: "session_id",
            length: 33
        })
    );
}

/// A hello without extensions whose handshake message is `43 + 2 * suites` bytes.
fn bare_spec(suites: usize) -> ClientHelloSpec {
    ClientHelloSpec {
        extensions: Vec::new(),
        cipher_suites: (0..suites).map(|index| u16::try_from(index).unwrap()).collect(),
        ..small_spec()
    }
}

#[test]
fn hello_in_the_f5_range_is_padded_to_512_bytes() {
    let mut spec = bare_spec(129);
    assert_eq!(spec.handshake_message().unwrap().len(), 301);
    pad_out_of_f5_range(&mut spec).unwrap();
    assert_eq!(spec.handshake_message().unwrap().len(), 512);
    assert_eq!(spec.to_record().unwrap().len(), 517);
    assert_eq!(spec.extensions.last().unwrap().extension_type, 21);
}

#[test]
fn hello_with_extensions_in_the_f5_range_is_padded_to_512_bytes() {
    let mut spec = small_spec();
    spec.cipher_suites = (0..100).collect();
    let before = spec.handshake_message().unwrap().len();
    assert!((256..=511).contains(&before), "{before}");
    pad_out_of_f5_range(&mut spec).unwrap();
    assert_eq!(spec.handshake_message().unwrap().len(), 512);
}

#[test]
fn hello_just_below_256_bytes_is_not_padded() {
    let mut spec = bare_spec(106);
    assert_eq!(spec.handshake_message().unwrap().len(), 255);
    pad_out_of_f5_range(&mut spec).unwrap();
    assert_eq!(spec, bare_spec(106));
}

#[test]
fn hello_above_511_bytes_is_not_padded() {
    let mut spec = bare_spec(235);
    assert_eq!(spec.handshake_message().unwrap().len(), 513);
    pad_out_of_f5_range(&mut spec).unwrap();
    assert_eq!(spec, bare_spec(235));
}

#[test]
fn sslv2_client_hello_has_the_exact_bytes_of_the_sslv2_layout() {
    let hello = sslv2::sslv2_client_hello(&[0x01_0080, 0x07_00C0], &[0x22; 16]).unwrap();
    let mut expected = vec![
        0x80, 0x1F, // 2-byte header, 31 bytes
        0x01, // CLIENT-HELLO
        0x00, 0x02, // SSL 2.0
        0x00, 0x06, // cipher_spec_length
        0x00, 0x00, // session_id_length
        0x00, 0x10, // challenge_length
        0x01, 0x00, 0x80, 0x07, 0x00, 0xC0, // RC4_128_WITH_MD5, DES_192_EDE3_CBC_WITH_MD5
    ];
    expected.extend_from_slice(&[0x22; 16]);
    assert_eq!(hello, expected);
}

#[test]
fn sslv2_challenge_shorter_than_16_bytes_is_refused() {
    assert_eq!(
        sslv2::sslv2_client_hello(&[0x01_0080], &[0; 15]),
        Err(BuildError::OutOfRange {
            what: "challenge length (16..=32)",
            length: 15
        })
    );
}

/// What our small parser reads back from a ClientHello record.
#[derive(Debug, PartialEq)]
struct ParsedHello {
    record_version: u16,
    client_version: u16,
    random: Vec<u8>,
    session_id: Vec<u8>,
    cipher_suites: Vec<u16>,
    compression_methods: Vec<u8>,
    extensions: Vec<(u16, Vec<u8>)>,
}

fn take<'a>(bytes: &mut &'a [u8], count: usize) -> &'a [u8] {
    let (head, tail) = bytes.split_at(count);
    *bytes = tail;
    head
}

fn length(bytes: &mut &[u8], width: usize) -> usize {
    take(bytes, width)
        .iter()
        .fold(0, |acc, &byte| (acc << 8) | usize::from(byte))
}

/// Reads a ClientHello record strictly: every length must match exactly.
fn parse_client_hello(record: &[u8]) -> ParsedHello {
    let mut rest = record;
    assert_eq!(take(&mut rest, 1), [22]);
    let record_version = u16::try_from(length(&mut rest, 2)).unwrap();
    assert_eq!(length(&mut rest, 2), rest.len());
    assert_eq!(take(&mut rest, 1), [1]);
    assert_eq!(length(&mut rest, 3), rest.len());
    let client_version = u16::try_from(length(&mut rest, 2)).unwrap();
    let random = take(&mut rest, 32).to_vec();
    let session_length = length(&mut rest, 1);
    let session_id = take(&mut rest, session_length).to_vec();
    let suites_length = length(&mut rest, 2);
    let cipher_suites = take(&mut rest, suites_length)
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect();
    let compression_length = length(&mut rest, 1);
    let compression_methods = take(&mut rest, compression_length).to_vec();
    let mut extensions = Vec::new();
    if !rest.is_empty() {
        assert_eq!(length(&mut rest, 2), rest.len());
        while !rest.is_empty() {
            let extension_type = u16::try_from(length(&mut rest, 2)).unwrap();
            let data_length = length(&mut rest, 2);
            extensions.push((extension_type, take(&mut rest, data_length).to_vec()));
        }
    }
    ParsedHello {
        record_version,
        client_version,
        random,
        session_id,
        cipher_suites,
        compression_methods,
        extensions,
    }
}

fn arbitrary_spec() -> impl Strategy<Value = ClientHelloSpec> {
    (
        any::<u16>(),
        any::<u16>(),
        any::<[u8; 32]>(),
        proptest::collection::vec(any::<u8>(), 0..=32),
        proptest::collection::vec(any::<u16>(), 1..300),
        proptest::collection::vec(any::<u8>(), 1..4),
        proptest::collection::vec(
            (any::<u16>(), proptest::collection::vec(any::<u8>(), 0..64)),
            0..12,
        ),
    )
        .prop_map(
            |(record, client, random, session_id, cipher_suites, compression_methods, extensions)| {
                ClientHelloSpec {
                    record_version: ProtocolVersion(record),
                    client_version: ProtocolVersion(client),
                    random,
                    session_id,
                    cipher_suites,
                    compression_methods,
                    extensions: extensions
                        .into_iter()
                        .map(|(kind, data)| Extension::raw(kind, data))
                        .collect(),
                }
            },
        )
}

proptest! {
    #[test]
    fn builder_output_parses_back_to_the_spec(spec in arbitrary_spec()) {
        let parsed = parse_client_hello(&spec.to_record().unwrap());
        prop_assert_eq!(parsed, ParsedHello {
            record_version: spec.record_version.0,
            client_version: spec.client_version.0,
            random: spec.random.to_vec(),
            session_id: spec.session_id.clone(),
            cipher_suites: spec.cipher_suites.clone(),
            compression_methods: spec.compression_methods.clone(),
            extensions: spec.extensions.iter().map(|e| (e.extension_type, e.data.clone())).collect(),
        });
    }

    #[test]
    fn padded_hello_is_outside_the_f5_range_and_still_parses(spec in arbitrary_spec()) {
        let mut padded = spec.clone();
        pad_out_of_f5_range(&mut padded).unwrap();
        let length = padded.handshake_message().unwrap().len();
        prop_assert!(!(256..=511).contains(&length), "{}", length);
        let parsed = parse_client_hello(&padded.to_record().unwrap());
        prop_assert_eq!(parsed.cipher_suites, spec.cipher_suites);
    }
}
