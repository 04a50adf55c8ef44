//! LineBuffer must keep its bounds whatever a server sends, in whatever chunks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtls_core::transport::LineBuffer;

fuzz_target!(|data: &[u8]| {
    let Some((&limit, rest)) = data.split_first() else { return };
    let max_line = usize::from(limit % 64) + 1;
    let mut buffer = LineBuffer::new(max_line, 4096);
    // The first byte of each chunk says how long the chunk is.
    let mut rest = rest;
    while let Some((&size, tail)) = rest.split_first() {
        let size = usize::from(size).min(tail.len());
        let (chunk, tail) = tail.split_at(size);
        rest = tail;
        if buffer.push(chunk).is_err() {
            return;
        }
        loop {
            match buffer.next_line() {
                Ok(Some(line)) => assert!(line.len() <= max_line && !line.contains(&b'\n')),
                Ok(None) => break,
                Err(_) => return,
            }
        }
        assert!(buffer.pending().len() <= max_line + 1);
    }
});
