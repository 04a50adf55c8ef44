//! A bounds-checked cursor over received bytes. Every read says how much it
//! wants and gets `None` when the peer sent less; nothing here can panic.
//!
//! ```text
//! RFC 8446 §3.4: vectors carry a length prefix of 1, 2 or 3 bytes
//!   opaque mandatory<300..400>;   2-byte length
//!   uint16 longer<0..800>;        2-byte length
//!   ASN.1Cert cert<1..2^24-1>;    3-byte length
//! ```

/// A cursor that only ever moves forward.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, position: 0 }
    }

    /// Bytes not yet read.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.position..).unwrap_or_default()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest().is_empty()
    }

    pub(crate) fn take(&mut self, count: usize) -> Option<&'a [u8]> {
        let end = self.position.checked_add(count)?;
        let taken = self.bytes.get(self.position..end)?;
        self.position = end;
        Some(taken)
    }

    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }

    pub(crate) fn u16(&mut self) -> Option<u16> {
        let bytes = self.take(2)?;
        Some(u16::from_be_bytes(bytes.try_into().ok()?))
    }

    pub(crate) fn u24(&mut self) -> Option<usize> {
        let bytes = self.take(3)?;
        Some(
            bytes
                .iter()
                .fold(0usize, |acc, &byte| (acc << 8) | usize::from(byte)),
        )
    }

    /// A vector with a 1-byte length prefix.
    pub(crate) fn vec8(&mut self) -> Option<&'a [u8]> {
        let length = self.u8()?;
        self.take(usize::from(length))
    }

    /// A vector with a 2-byte length prefix.
    pub(crate) fn vec16(&mut self) -> Option<&'a [u8]> {
        let length = self.u16()?;
        self.take(usize::from(length))
    }

    /// A vector with a 3-byte length prefix.
    pub(crate) fn vec24(&mut self) -> Option<&'a [u8]> {
        let length = self.u24()?;
        self.take(length)
    }
}

/// Appends `body` to `out` behind a big-endian length prefix of `width`
/// bytes; `None` when the body does not fit the prefix.
pub(crate) fn put_vec(out: &mut Vec<u8>, width: usize, body: &[u8]) -> Option<()> {
    let length = u32::try_from(body.len()).ok()?;
    let prefix = length.to_be_bytes();
    let (high, low) = prefix.split_at(4usize.checked_sub(width)?);
    if high.iter().any(|&byte| byte != 0) {
        return None;
    }
    out.extend_from_slice(low);
    out.extend_from_slice(body);
    Some(())
}
