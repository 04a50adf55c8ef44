//! The POP3 server dialogue in the AUTHORIZATION state, with STLS.
//!
//! ```text
//! RFC 1939 §3: commands are a case-insensitive keyword, possibly followed by
//!   arguments, terminated by CRLF; responses start "+OK" or "-ERR".
//! RFC 2449 §4: commands MUST NOT exceed 255 octets including the CRLF.
//! RFC 2449 §5: CAPA -> "+OK" and a multi-line list of capabilities, ending
//!   in a line of a single ".".
//! RFC 2595 §4: STLS -> "+OK Begin TLS negotiation"; only in the AUTHORIZATION
//!   state; after TLS the client MUST discard cached capabilities.
//! RFC 3206 §4: [AUTH] marks a failure because of the credentials or the way
//!   they were sent.
//! ```

use crate::session::{Dialogue, Step, split_command};

/// Protocol errors after which the server hangs up.
const MAX_ERRORS: u32 = 10;

/// The state of one POP3 connection.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pop3Dialogue {
    tls: bool,
    /// `USER` was accepted and `PASS` may follow.
    user_given: bool,
    errors: u32,
}

impl Pop3Dialogue {
    fn capabilities(&self) -> String {
        let mut lines = vec!["TOP", "UIDL", "RESP-CODES"];
        // USER is offered only where the password is protected (RFC 2595 §4: a
        // server MAY refuse plaintext passwords until TLS is active).
        lines.push(if self.tls { "USER" } else { "STLS" });
        let mut reply = "+OK Capability list follows\r\n".to_owned();
        for line in lines {
            reply.push_str(line);
            reply.push_str("\r\n");
        }
        reply.push_str(".\r\n");
        reply
    }

    fn error(&mut self, reply: &str) -> Step {
        self.errors += 1;
        if self.errors >= MAX_ERRORS {
            Step::Close("-ERR Too many bad commands, closing the connection\r\n".to_owned())
        } else {
            Step::Reply(format!("{reply}\r\n"))
        }
    }
}

const PLAINTEXT_REFUSED: &str = "-ERR [AUTH] Plaintext authentication is disabled until TLS is active";

impl Dialogue for Pop3Dialogue {
    /// 255 octets including the CRLF (RFC 2449 §4).
    const MAX_LINE: usize = 253;

    fn greeting(&self) -> String {
        "+OK mailtls demo POP3 ready\r\n".to_owned()
    }

    fn on_line(&mut self, line: &[u8]) -> Step {
        let (keyword, args) = split_command(line);
        let keyword = keyword.to_ascii_uppercase();
        if keyword != "PASS" {
            self.user_given = false;
        }
        match keyword.as_str() {
            "CAPA" => Step::Reply(self.capabilities()),
            "STLS" if self.tls => self.error("-ERR Command not permitted when TLS active"),
            "STLS" if !args.is_empty() => self.error("-ERR STLS takes no arguments"),
            "STLS" => Step::StartTls("+OK Begin TLS\r\n".to_owned()),
            "USER" | "PASS" | "APOP" | "AUTH" if !self.tls => self.error(PLAINTEXT_REFUSED),
            "USER" if args.is_empty() => self.error("-ERR USER needs a mailbox name"),
            "USER" => {
                self.user_given = true;
                Step::Reply("+OK\r\n".to_owned())
            }
            "PASS" if !self.user_given => self.error("-ERR No USER given"),
            "PASS" => {
                self.user_given = false;
                Step::Reply("-ERR [AUTH] Authentication failed.\r\n".to_owned())
            }
            "QUIT" => Step::Close("+OK mailtls demo POP3 signing off\r\n".to_owned()),
            _ => self.error("-ERR Unknown command"),
        }
    }

    fn on_line_too_long(&mut self) -> Step {
        self.user_given = false;
        self.error("-ERR Command line too long")
    }

    fn on_tls_started(&mut self) {
        self.tls = true;
        self.user_given = false;
    }

    fn on_idle_timeout(&self) -> String {
        "-ERR Disconnected for inactivity.\r\n".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(step: Step) -> String {
        match step {
            Step::Reply(text) => text,
            other => panic!("expected a reply, got {other:?}"),
        }
    }

    fn in_tls() -> Pop3Dialogue {
        let mut dialogue = Pop3Dialogue::default();
        dialogue.on_tls_started();
        dialogue
    }

    #[test]
    fn capa_in_plaintext_offers_stls_and_no_user() {
        assert_eq!(
            reply(Pop3Dialogue::default().on_line(b"CAPA")),
            "+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nSTLS\r\n.\r\n"
        );
    }

    #[test]
    fn capa_inside_tls_offers_user_and_no_stls() {
        assert_eq!(
            reply(in_tls().on_line(b"capa")),
            "+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nUSER\r\n.\r\n"
        );
    }

    #[test]
    fn stls_asks_for_tls() {
        assert_eq!(
            Pop3Dialogue::default().on_line(b"STLS"),
            Step::StartTls("+OK Begin TLS\r\n".to_owned())
        );
    }

    #[test]
    fn user_in_plaintext_is_refused() {
        assert_eq!(
            reply(Pop3Dialogue::default().on_line(b"USER alice")),
            format!("{PLAINTEXT_REFUSED}\r\n")
        );
    }

    #[test]
    fn user_and_pass_inside_tls_fail_the_credentials() {
        let mut dialogue = in_tls();
        assert_eq!(reply(dialogue.on_line(b"USER alice")), "+OK\r\n");
        assert_eq!(
            reply(dialogue.on_line(b"PASS secret")),
            "-ERR [AUTH] Authentication failed.\r\n"
        );
        assert_eq!(reply(dialogue.on_line(b"PASS secret")), "-ERR No USER given\r\n");
    }

    #[test]
    fn stls_inside_tls_is_refused() {
        assert_eq!(
            reply(in_tls().on_line(b"STLS")),
            "-ERR Command not permitted when TLS active\r\n"
        );
    }

    #[test]
    fn quit_signs_off() {
        assert_eq!(
            Pop3Dialogue::default().on_line(b"QUIT"),
            Step::Close("+OK mailtls demo POP3 signing off\r\n".to_owned())
        );
    }

    #[test]
    fn unknown_command_is_an_error() {
        assert_eq!(
            reply(Pop3Dialogue::default().on_line(b"RETR 1")),
            "-ERR Unknown command\r\n"
        );
    }
}
