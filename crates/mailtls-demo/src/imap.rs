//! The IMAP server dialogue in the not-authenticated state, with STARTTLS.
//!
//! Enough of IMAP4rev1 to be probed like a real server: the greeting with a
//! capability response code, `CAPABILITY`, `NOOP`, `LOGOUT`, `ID`, `STARTTLS`,
//! and `LOGIN`/`AUTHENTICATE` that are refused in plaintext and fail inside TLS.
//!
//! ```text
//! RFC 3501 §9:
//!   command         = tag SP (command-any / command-auth / command-nonauth /
//!                     command-select) CRLF
//!   tag             = 1*<any ASTRING-CHAR except "+">
//!   ASTRING-CHAR    = ATOM-CHAR / resp-specials
//!   ATOM-CHAR       = <any CHAR except atom-specials>
//!   atom-specials   = "(" / ")" / "{" / SP / CTL / list-wildcards /
//!                     quoted-specials / resp-specials
//!   list-wildcards  = "%" / "*"
//!   quoted-specials = DQUOTE / "\"
//!   resp-specials   = "]"
//! RFC 3501 §6.2.1: STARTTLS -> tag OK Begin TLS negotiation now; the client MUST
//!   discard cached capabilities, the server sends no new greeting.
//! RFC 3501 §6.2.3: LOGINDISABLED -> the client MUST NOT issue LOGIN.
//! ```

use crate::session::{Dialogue, Step, split_command};

/// Protocol errors after which the server hangs up, as Dovecot does.
const MAX_ERRORS: u32 = 10;

/// The capabilities offered in plaintext.
const PLAINTEXT_CAPABILITIES: &str = "IMAP4rev1 STARTTLS LOGINDISABLED ID";
/// The capabilities offered inside TLS.
const TLS_CAPABILITIES: &str = "IMAP4rev1 AUTH=PLAIN ID";

/// The state of one IMAP connection.
#[derive(Debug, Clone, Default)]
pub(crate) struct ImapDialogue {
    tls: bool,
    /// The tag of an `AUTHENTICATE` waiting for the client's response.
    authenticating: Option<String>,
    errors: u32,
}

impl ImapDialogue {
    fn capabilities(&self) -> &'static str {
        if self.tls {
            TLS_CAPABILITIES
        } else {
            PLAINTEXT_CAPABILITIES
        }
    }

    /// A `BAD` response, or the goodbye once the error limit is reached.
    fn bad(&mut self, response: String) -> Step {
        self.errors += 1;
        if self.errors >= MAX_ERRORS {
            Step::Close(format!("{response}* BYE Too many invalid IMAP commands.\r\n"))
        } else {
            Step::Reply(response)
        }
    }

    fn command(&mut self, tag: &str, command: &str, args: &str) -> Step {
        let takes_no_arguments = args.is_empty();
        match command.to_ascii_uppercase().as_str() {
            "CAPABILITY" | "NOOP" | "LOGOUT" | "STARTTLS" if !takes_no_arguments => {
                self.bad(format!("{tag} BAD {command} takes no arguments\r\n"))
            }
            "CAPABILITY" => Step::Reply(format!(
                "* CAPABILITY {}\r\n{tag} OK CAPABILITY completed\r\n",
                self.capabilities()
            )),
            "NOOP" => Step::Reply(format!("{tag} OK NOOP completed\r\n")),
            "LOGOUT" => Step::Close(format!(
                "* BYE mailtls demo logging out\r\n{tag} OK LOGOUT completed\r\n"
            )),
            "STARTTLS" if self.tls => self.bad(format!("{tag} BAD TLS is already active\r\n")),
            "STARTTLS" => Step::StartTls(format!("{tag} OK Begin TLS negotiation now\r\n")),
            // RFC 2971 §3.1: id = "ID" SP id-params-list; id-params-list = "(" ... ")" / nil
            "ID" if args.is_empty() => self.bad(format!("{tag} BAD ID needs a parameter list or NIL\r\n")),
            "ID" => Step::Reply(format!(
                "* ID (\"name\" \"mailtls-demo\" \"version\" \"{}\")\r\n{tag} OK ID completed\r\n",
                env!("CARGO_PKG_VERSION")
            )),
            "LOGIN" | "AUTHENTICATE" if !self.tls => Step::Reply(format!(
                "{tag} NO [PRIVACYREQUIRED] Plaintext authentication is disabled until TLS is active\r\n"
            )),
            "LOGIN" if args.is_empty() => {
                self.bad(format!("{tag} BAD LOGIN needs a user name and a password\r\n"))
            }
            "LOGIN" => Step::Reply(format!(
                "{tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
            )),
            "AUTHENTICATE" => self.authenticate(tag, args),
            _ => self.bad(format!("{tag} BAD Unknown command\r\n")),
        }
    }

    /// ```text
    /// RFC 3501 §6.2.2: authenticate = "AUTHENTICATE" SP auth-type *(CRLF base64)
    ///   the server sends "+ " and reads one line; "*" cancels: tagged BAD.
    /// RFC 4959 (SASL-IR): the initial response may follow the mechanism.
    /// ```
    fn authenticate(&mut self, tag: &str, args: &str) -> Step {
        let (mechanism, initial_response) = split_command(args.as_bytes());
        if mechanism.is_empty() {
            return self.bad(format!("{tag} BAD AUTHENTICATE needs a mechanism\r\n"));
        }
        if !mechanism.eq_ignore_ascii_case("PLAIN") {
            return Step::Reply(format!("{tag} NO Unsupported authentication mechanism\r\n"));
        }
        if initial_response.is_empty() {
            self.authenticating = Some(tag.to_owned());
            Step::Reply("+ \r\n".to_owned())
        } else {
            Step::Reply(format!(
                "{tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
            ))
        }
    }
}

/// Whether `tag` is a valid IMAP tag (see the ABNF above).
fn is_valid_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag
            .bytes()
            .all(|byte| byte.is_ascii_graphic() && !b"(){%*\"\\+".contains(&byte))
}

impl Dialogue for ImapDialogue {
    /// Dovecot's default `imap_max_line_length` is 64 KiB; a not-authenticated
    /// session needs far less.
    const MAX_LINE: usize = 8192;

    fn greeting(&self) -> String {
        format!("* OK [CAPABILITY {}] mailtls demo ready\r\n", self.capabilities())
    }

    fn on_line(&mut self, line: &[u8]) -> Step {
        if let Some(tag) = self.authenticating.take() {
            return if line == b"*" {
                self.bad(format!("{tag} BAD Authentication cancelled\r\n"))
            } else {
                Step::Reply(format!(
                    "{tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
                ))
            };
        }
        let (tag, rest) = split_command(line);
        if !is_valid_tag(&tag) {
            return self.bad("* BAD Invalid tag\r\n".to_owned());
        }
        let (command, args) = split_command(rest.as_bytes());
        if command.is_empty() {
            return self.bad(format!("{tag} BAD Missing command\r\n"));
        }
        self.command(&tag, &command, &args)
    }

    fn on_line_too_long(&mut self) -> Step {
        self.authenticating = None;
        self.bad("* BAD Command line too long\r\n".to_owned())
    }

    fn on_tls_started(&mut self) {
        self.tls = true;
        self.authenticating = None;
    }

    fn on_idle_timeout(&self) -> String {
        "* BYE Disconnected for inactivity.\r\n".to_owned()
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

    fn in_tls() -> ImapDialogue {
        let mut dialogue = ImapDialogue::default();
        dialogue.on_tls_started();
        dialogue
    }

    #[test]
    fn plaintext_greeting_offers_starttls_and_disables_login() {
        assert_eq!(
            ImapDialogue::default().greeting(),
            "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED ID] mailtls demo ready\r\n"
        );
    }

    #[test]
    fn capability_inside_tls_offers_auth_plain_only() {
        assert_eq!(
            reply(in_tls().on_line(b"c1 CAPABILITY")),
            "* CAPABILITY IMAP4rev1 AUTH=PLAIN ID\r\nc1 OK CAPABILITY completed\r\n"
        );
    }

    #[test]
    fn starttls_echoes_the_tag() {
        assert_eq!(
            ImapDialogue::default().on_line(b"a.1 starttls"),
            Step::StartTls("a.1 OK Begin TLS negotiation now\r\n".to_owned())
        );
    }

    #[test]
    fn starttls_inside_tls_is_bad() {
        assert_eq!(
            reply(in_tls().on_line(b"a STARTTLS")),
            "a BAD TLS is already active\r\n"
        );
    }

    #[test]
    fn logout_says_bye_then_completes() {
        assert_eq!(
            ImapDialogue::default().on_line(b"z9 LOGOUT"),
            Step::Close("* BYE mailtls demo logging out\r\nz9 OK LOGOUT completed\r\n".to_owned())
        );
    }

    #[test]
    fn login_in_plaintext_is_refused() {
        assert_eq!(
            reply(ImapDialogue::default().on_line(b"l LOGIN alice secret")),
            "l NO [PRIVACYREQUIRED] Plaintext authentication is disabled until TLS is active\r\n"
        );
    }

    #[test]
    fn authenticate_plain_inside_tls_fails_after_the_continuation() {
        let mut dialogue = in_tls();
        assert_eq!(reply(dialogue.on_line(b"x AUTHENTICATE PLAIN")), "+ \r\n");
        assert_eq!(
            reply(dialogue.on_line(b"AGFsaWNlAHNlY3JldA==")),
            "x NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
        );
    }

    #[test]
    fn authenticate_is_cancelled_by_a_star() {
        let mut dialogue = in_tls();
        dialogue.on_line(b"x AUTHENTICATE PLAIN");
        assert_eq!(
            reply(dialogue.on_line(b"*")),
            "x BAD Authentication cancelled\r\n"
        );
    }

    #[test]
    fn unknown_command_is_bad_with_the_tag() {
        assert_eq!(
            reply(ImapDialogue::default().on_line(b"t1 SELECT INBOX")),
            "t1 BAD Unknown command\r\n"
        );
    }

    #[test]
    fn invalid_tag_is_an_untagged_bad() {
        assert_eq!(
            reply(ImapDialogue::default().on_line(b"+x NOOP")),
            "* BAD Invalid tag\r\n"
        );
        assert_eq!(
            reply(ImapDialogue::default().on_line(b"")),
            "* BAD Invalid tag\r\n"
        );
    }

    #[test]
    fn tag_without_command_is_bad() {
        assert_eq!(
            reply(ImapDialogue::default().on_line(b"t2")),
            "t2 BAD Missing command\r\n"
        );
    }

    #[test]
    fn id_answers_with_the_server_name() {
        assert_eq!(
            reply(ImapDialogue::default().on_line(b"i ID NIL")),
            format!(
                "* ID (\"name\" \"mailtls-demo\" \"version\" \"{}\")\r\ni OK ID completed\r\n",
                env!("CARGO_PKG_VERSION")
            )
        );
    }

    #[test]
    fn tenth_bad_command_ends_the_session() {
        let mut dialogue = ImapDialogue::default();
        for _ in 0..9 {
            reply(dialogue.on_line(b"a BOGUS"));
        }
        assert_eq!(
            dialogue.on_line(b"a BOGUS"),
            Step::Close("a BAD Unknown command\r\n* BYE Too many invalid IMAP commands.\r\n".to_owned())
        );
    }
}
