//! The I/O boundary: every socket, resolver and clock that mailtls uses comes in
//! through one of these traits, so that tests and embedders can substitute them.

mod clock;
mod connector;
mod dns;
mod line_reader;

pub use clock::{Clock, FixedClock, SystemClock};
pub use connector::{BoxStream, ConnectError, Connector, CountingConnector, Stream, TcpConnector};
pub use dns::{DnsTransport, DnsTransportError, UdpTcpTransport};
pub use line_reader::{LineBuffer, LineError, LineLimits, LineReader};
