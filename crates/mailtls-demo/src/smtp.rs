//! The SMTP server dialogue: ESMTP with STARTTLS, as a receiving MX or a
//! submission server on implicit TLS.
//!
//! It behaves like a carefully configured production MTA: a multi-line
//! greeting, the usual extensions, `STARTTLS` only in plaintext, `AUTH` only
//! inside TLS, pipelined plaintext dropped when TLS starts, a line-length
//! limit and an error limit. It accepts no mail.
//!
//! ```text
//! RFC 5321 §4.1.1.1:
//!   ehlo           = "EHLO" SP ( Domain / address-literal ) CRLF
//!   ehlo-ok-rsp    = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
//!                  / ( "250-" Domain [ SP ehlo-greet ] CRLF
//!                      *( "250-" ehlo-line CRLF )
//!                      "250" SP ehlo-line CRLF )
//! RFC 3207 §4:    STARTTLS = "STARTTLS" CRLF
//!                 220 Ready to start TLS / 501 Syntax error (no parameters allowed)
//! RFC 3207 §4.2:  the server MUST discard any knowledge obtained from the client,
//!                 such as the argument to the EHLO command, which was not obtained
//!                 from the TLS negotiation itself.
//! RFC 5321 §4.5.3.1.4: the maximum total length of a command line including the
//!                 command word and the <CRLF> is 512 octets; §4.5.3.1.6: a text
//!                 line is at most 1000 octets including the <CRLF>.
//! ```

use crate::session::{Dialogue, Step, split_command};

/// The size limit advertised with `SIZE` (RFC 1870), in octets.
const SIZE_LIMIT: u64 = 10_240_000;
/// Protocol errors after which the server hangs up, as Postfix's
/// `smtpd_hard_error_limit` does.
const MAX_ERRORS: u32 = 10;

/// An in-progress SASL exchange (RFC 4954 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SaslExchange {
    /// `AUTH PLAIN` without an initial response: the next line is the response.
    Plain,
    /// `AUTH LOGIN`: the next line is the user name.
    LoginUsername,
    /// `AUTH LOGIN`: the next line is the password.
    LoginPassword,
}

/// The state of one SMTP connection.
#[derive(Debug, Clone)]
pub(crate) struct SmtpDialogue {
    host: &'static str,
    tls: bool,
    /// The client has sent EHLO or HELO in the current phase.
    greeted: bool,
    sasl: Option<SaslExchange>,
    errors: u32,
}

impl SmtpDialogue {
    /// A dialogue for a server named `host`.
    pub(crate) fn new(host: &'static str) -> Self {
        Self {
            host,
            tls: false,
            greeted: false,
            sasl: None,
            errors: 0,
        }
    }

    fn ehlo_reply(&self) -> String {
        let mut lines = vec![
            self.host.to_owned(),
            "PIPELINING".to_owned(),
            format!("SIZE {SIZE_LIMIT}"),
            "8BITMIME".to_owned(),
        ];
        if self.tls {
            lines.push("AUTH PLAIN LOGIN".to_owned());
        } else {
            lines.push("STARTTLS".to_owned());
        }
        lines.extend(["ENHANCEDSTATUSCODES", "SMTPUTF8", "CHUNKING"].map(str::to_owned));
        multiline_reply(250, &lines)
    }

    /// A protocol error: the reply, or the goodbye once the error limit is reached.
    fn error(&mut self, reply: &str) -> Step {
        self.errors += 1;
        if self.errors >= MAX_ERRORS {
            Step::Close(format!("421 4.7.0 {} Error: too many errors\r\n", self.host))
        } else {
            Step::Reply(format!("{reply}\r\n"))
        }
    }

    /// ```text
    /// RFC 4954 §4: AUTH mechanism [initial-response]
    ///   a line consisting of a single "*" cancels the exchange: 501
    ///   535 5.7.8 Authentication credentials invalid
    /// RFC 4954 §6: 538 5.7.11 Encryption required for requested authentication mechanism
    /// ```
    fn auth(&mut self, args: &str) -> Step {
        if !self.tls {
            return self.error("538 5.7.11 Encryption required for requested authentication mechanism");
        }
        if !self.greeted {
            return self.error("503 5.5.1 Error: send EHLO first");
        }
        let (mechanism, initial_response) = split_command(args.as_bytes());
        match (
            mechanism.to_ascii_uppercase().as_str(),
            initial_response.is_empty(),
        ) {
            ("", _) => self.error("501 5.5.4 Syntax: AUTH mechanism"),
            ("PLAIN", true) => {
                self.sasl = Some(SaslExchange::Plain);
                Step::Reply("334 \r\n".to_owned())
            }
            ("LOGIN", true) => {
                self.sasl = Some(SaslExchange::LoginUsername);
                Step::Reply("334 VXNlcm5hbWU6\r\n".to_owned())
            }
            ("LOGIN", false) => {
                self.sasl = Some(SaslExchange::LoginPassword);
                Step::Reply("334 UGFzc3dvcmQ6\r\n".to_owned())
            }
            ("PLAIN", false) => Step::Reply(AUTH_FAILED.to_owned()),
            _ => self.error("504 5.5.4 Unrecognized authentication type"),
        }
    }

    fn sasl_response(&mut self, exchange: SaslExchange, line: &[u8]) -> Step {
        self.sasl = None;
        if line == b"*" {
            return Step::Reply("501 5.7.0 Authentication aborted\r\n".to_owned());
        }
        match exchange {
            SaslExchange::LoginUsername => {
                self.sasl = Some(SaslExchange::LoginPassword);
                Step::Reply("334 UGFzc3dvcmQ6\r\n".to_owned())
            }
            SaslExchange::Plain | SaslExchange::LoginPassword => Step::Reply(AUTH_FAILED.to_owned()),
        }
    }

    /// ```text
    /// RFC 3030 §2: bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CRLF
    ///   The server MUST read the chunk even when it refuses the command.
    /// ```
    fn bdat(&mut self, args: &str) -> Step {
        let (size, _) = split_command(args.as_bytes());
        match size.parse::<u64>() {
            Ok(bytes) => Step::ReplyAfterSkipping {
                bytes,
                reply: "503 5.5.1 Error: need MAIL command\r\n".to_owned(),
            },
            Err(_) => self.error("501 5.5.4 Syntax: BDAT chunk-size [LAST]"),
        }
    }
}

const AUTH_FAILED: &str = "535 5.7.8 Authentication credentials invalid\r\n";

impl Dialogue for SmtpDialogue {
    /// 1000 octets including the CRLF (RFC 5321 §4.5.3.1.6).
    const MAX_LINE: usize = 998;

    fn greeting(&self) -> String {
        format!(
            "220-{host} ESMTP mailtls demo\r\n220 {host} a demonstration server on loopback; it accepts no mail\r\n",
            host = self.host
        )
    }

    fn on_line(&mut self, line: &[u8]) -> Step {
        if let Some(exchange) = self.sasl {
            return self.sasl_response(exchange, line);
        }
        let (verb, args) = split_command(line);
        match verb.to_ascii_uppercase().as_str() {
            "EHLO" if args.is_empty() => self.error("501 5.5.4 Syntax: EHLO hostname"),
            "EHLO" => {
                self.greeted = true;
                Step::Reply(self.ehlo_reply())
            }
            "HELO" if args.is_empty() => self.error("501 5.5.4 Syntax: HELO hostname"),
            "HELO" => {
                self.greeted = true;
                Step::Reply(format!("250 {}\r\n", self.host))
            }
            "STARTTLS" if self.tls => self.error("503 5.5.1 Error: TLS already active"),
            "STARTTLS" if !args.is_empty() => self.error("501 5.5.4 Syntax: STARTTLS"),
            "STARTTLS" => Step::StartTls("220 2.0.0 Ready to start TLS\r\n".to_owned()),
            "AUTH" => self.auth(&args),
            "MAIL" if !self.greeted => self.error("503 5.5.1 Error: send HELO/EHLO first"),
            "MAIL" if !args.to_ascii_uppercase().starts_with("FROM:") => {
                self.error("501 5.5.4 Syntax: MAIL FROM:<address>")
            }
            "MAIL" => Step::Reply("554 5.7.1 demo server accepts no mail\r\n".to_owned()),
            "RCPT" => self.error("503 5.5.1 Error: need MAIL command"),
            "DATA" => self.error("503 5.5.1 Error: need RCPT command"),
            "BDAT" => self.bdat(&args),
            "RSET" | "NOOP" => Step::Reply("250 2.0.0 Ok\r\n".to_owned()),
            "VRFY" => self.error("502 5.5.1 VRFY command is disabled"),
            "QUIT" => Step::Close("221 2.0.0 Bye\r\n".to_owned()),
            _ => self.error("500 5.5.2 Error: command not recognized"),
        }
    }

    fn on_line_too_long(&mut self) -> Step {
        self.sasl = None;
        self.error("500 5.5.2 Error: line too long")
    }

    fn on_tls_started(&mut self) {
        self.tls = true;
        self.greeted = false;
        self.sasl = None;
    }

    fn on_idle_timeout(&self) -> String {
        format!("421 4.4.2 {} Error: timeout exceeded\r\n", self.host)
    }
}

/// Formats a reply of one or more lines: `code-text` for all but the last,
/// `code text` for the last (RFC 5321 §4.2.1).
fn multiline_reply(code: u16, lines: &[String]) -> String {
    let last = lines.len().saturating_sub(1);
    lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let separator = if index == last { ' ' } else { '-' };
            format!("{code}{separator}{line}\r\n")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "mx1.demo.mailtls.test";

    fn reply(step: Step) -> String {
        match step {
            Step::Reply(text) => text,
            other => panic!("expected a reply, got {other:?}"),
        }
    }

    fn in_tls() -> SmtpDialogue {
        let mut dialogue = SmtpDialogue::new(HOST);
        dialogue.on_tls_started();
        dialogue
    }

    #[test]
    fn greeting_is_two_lines_naming_the_host() {
        assert_eq!(
            SmtpDialogue::new(HOST).greeting(),
            "220-mx1.demo.mailtls.test ESMTP mailtls demo\r\n\
             220 mx1.demo.mailtls.test a demonstration server on loopback; it accepts no mail\r\n"
        );
    }

    #[test]
    fn ehlo_in_plaintext_offers_starttls_and_no_auth() {
        assert_eq!(
            reply(SmtpDialogue::new(HOST).on_line(b"EHLO client.example")),
            "250-mx1.demo.mailtls.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n\
             250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n"
        );
    }

    #[test]
    fn ehlo_inside_tls_offers_auth_and_no_starttls() {
        assert_eq!(
            reply(in_tls().on_line(b"ehlo client.example")),
            "250-mx1.demo.mailtls.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n\
             250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n"
        );
    }

    #[test]
    fn starttls_asks_for_tls() {
        assert_eq!(
            SmtpDialogue::new(HOST).on_line(b"STARTTLS"),
            Step::StartTls("220 2.0.0 Ready to start TLS\r\n".to_owned())
        );
    }

    #[test]
    fn starttls_with_a_parameter_is_a_syntax_error() {
        assert_eq!(
            reply(SmtpDialogue::new(HOST).on_line(b"STARTTLS now")),
            "501 5.5.4 Syntax: STARTTLS\r\n"
        );
    }

    #[test]
    fn starttls_inside_tls_is_refused() {
        assert_eq!(
            reply(in_tls().on_line(b"STARTTLS")),
            "503 5.5.1 Error: TLS already active\r\n"
        );
    }

    #[test]
    fn auth_in_plaintext_requires_encryption() {
        let mut dialogue = SmtpDialogue::new(HOST);
        dialogue.on_line(b"EHLO client.example");
        assert_eq!(
            reply(dialogue.on_line(b"AUTH PLAIN AGFsaWNlAHNlY3JldA==")),
            "538 5.7.11 Encryption required for requested authentication mechanism\r\n"
        );
    }

    #[test]
    fn auth_plain_inside_tls_fails_the_credentials() {
        let mut dialogue = in_tls();
        dialogue.on_line(b"EHLO client.example");
        assert_eq!(reply(dialogue.on_line(b"AUTH PLAIN")), "334 \r\n");
        assert_eq!(reply(dialogue.on_line(b"AGFsaWNlAHNlY3JldA==")), AUTH_FAILED);
    }

    #[test]
    fn auth_login_asks_for_user_and_password() {
        let mut dialogue = in_tls();
        dialogue.on_line(b"EHLO client.example");
        assert_eq!(reply(dialogue.on_line(b"AUTH LOGIN")), "334 VXNlcm5hbWU6\r\n");
        assert_eq!(reply(dialogue.on_line(b"YWxpY2U=")), "334 UGFzc3dvcmQ6\r\n");
        assert_eq!(reply(dialogue.on_line(b"c2VjcmV0")), AUTH_FAILED);
        assert_eq!(reply(dialogue.on_line(b"NOOP")), "250 2.0.0 Ok\r\n");
    }

    #[test]
    fn sasl_exchange_is_cancelled_by_a_star() {
        let mut dialogue = in_tls();
        dialogue.on_line(b"EHLO client.example");
        dialogue.on_line(b"AUTH PLAIN");
        assert_eq!(
            reply(dialogue.on_line(b"*")),
            "501 5.7.0 Authentication aborted\r\n"
        );
    }

    #[test]
    fn tls_forgets_the_plaintext_ehlo() {
        let mut dialogue = SmtpDialogue::new(HOST);
        dialogue.on_line(b"EHLO client.example");
        dialogue.on_tls_started();
        assert_eq!(
            reply(dialogue.on_line(b"MAIL FROM:<a@example.org>")),
            "503 5.5.1 Error: send HELO/EHLO first\r\n"
        );
    }

    #[test]
    fn mail_is_refused_after_ehlo() {
        let mut dialogue = SmtpDialogue::new(HOST);
        dialogue.on_line(b"EHLO client.example");
        assert_eq!(
            reply(dialogue.on_line(b"MAIL FROM:<a@example.org> SIZE=100")),
            "554 5.7.1 demo server accepts no mail\r\n"
        );
    }

    #[test]
    fn helo_answers_with_the_host_name() {
        assert_eq!(
            reply(SmtpDialogue::new(HOST).on_line(b"HELO client.example")),
            "250 mx1.demo.mailtls.test\r\n"
        );
    }

    #[test]
    fn quit_closes_with_221() {
        assert_eq!(
            SmtpDialogue::new(HOST).on_line(b"QUIT"),
            Step::Close("221 2.0.0 Bye\r\n".to_owned())
        );
    }

    #[test]
    fn unknown_command_is_500() {
        assert_eq!(
            reply(SmtpDialogue::new(HOST).on_line(b"XYZZY plugh")),
            "500 5.5.2 Error: command not recognized\r\n"
        );
    }

    #[test]
    fn bdat_chunk_is_skipped_before_the_reply() {
        assert_eq!(
            SmtpDialogue::new(HOST).on_line(b"BDAT 1234 LAST"),
            Step::ReplyAfterSkipping {
                bytes: 1234,
                reply: "503 5.5.1 Error: need MAIL command\r\n".to_owned()
            }
        );
    }

    #[test]
    fn tenth_error_closes_the_connection_with_421() {
        let mut dialogue = SmtpDialogue::new(HOST);
        for _ in 0..9 {
            assert_eq!(
                reply(dialogue.on_line(b"BOGUS")),
                "500 5.5.2 Error: command not recognized\r\n"
            );
        }
        assert_eq!(
            dialogue.on_line(b"BOGUS"),
            Step::Close("421 4.7.0 mx1.demo.mailtls.test Error: too many errors\r\n".to_owned())
        );
    }

    #[test]
    fn invalid_utf8_is_an_unknown_command() {
        assert_eq!(
            reply(SmtpDialogue::new(HOST).on_line(&[0xff, 0xfe, 0x00, b' ', 0x80])),
            "500 5.5.2 Error: command not recognized\r\n"
        );
    }
}
