//! RecordReader must never panic and must keep its bounds whatever a server
//! sends, in whatever chunks it arrives.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtls_probe::tls_engine::record::{BUFFER_LIMIT, MAX_HANDSHAKE_LENGTH};
use mailtls_probe::tls_engine::{RecordReader, ServerEvent};

fuzz_target!(|data: &[u8]| {
    // The first byte seeds the chunk sizes; the rest is the server's reply.
    let Some((&seed, reply)) = data.split_first() else { return };
    let mut reader = RecordReader::new();
    let mut rest = reply;
    let mut step = usize::from(seed);
    let mut stopped_before = false;
    while !rest.is_empty() {
        step = step.wrapping_mul(31).wrapping_add(7);
        let size = (step % 97 + 1).min(rest.len());
        let (chunk, tail) = rest.split_at(size);
        rest = tail;
        let events = reader.feed(chunk);
        if stopped_before {
            assert!(events.is_empty(), "a stopped reader yielded {events:?}");
        }
        for event in &events {
            if let ServerEvent::NotTls { first_bytes } = event {
                assert!(!first_bytes.is_empty() && first_bytes.len() <= 32);
            }
        }
        assert!(reader.buffered() <= BUFFER_LIMIT + MAX_HANDSHAKE_LENGTH);
        stopped_before = reader.is_stopped();
    }
    reader.end_of_stream();
    while reader.next_event().is_some() {}
    assert!(reader.is_stopped());
});
