//! SMTP and LMTP: replies, EHLO keywords, and the dialogue up to and after STARTTLS.
//!
//! ```text
//! RFC 5321 §4.2
//!   Greeting   = ( "220 " (Domain / address-literal) [ SP textstring ] CRLF ) /
//!                ( "220-" (Domain / address-literal) [ SP textstring ] CRLF
//!                 *( "220-" [ textstring ] CRLF )
//!                    "220" [ SP textstring ] CRLF )
//!   Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//!                   Reply-code [ SP textstring ] CRLF
//!   Reply-code = %x32-35 %x30-35 %x30-39
//! RFC 5321 §4.1.1.1
//!   ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
//!              / ( "250-" Domain [ SP ehlo-greet ] CRLF
//!                *( "250-" ehlo-line CRLF )
//!                   "250" SP ehlo-line CRLF )
//!   ehlo-line   = ehlo-keyword *( SP ehlo-param )
//! RFC 3207 §4: "STARTTLS" CRLF, answered 220 (ready), 454 (not available now)
//!   or 501; after 220 the client starts the TLS handshake at once.
//! ```

use std::time::Duration;

use mailtls_core::{DialogueObservation, InjectionTest};

use crate::session::{Session, Stop};

/// One complete (possibly multi-line) reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The three-digit code.
    pub code: u16,
    /// The text of each line, without the code and separator.
    pub lines: Vec<String>,
}

impl Reply {
    /// Whether the code is 2yz.
    pub fn is_positive(&self) -> bool {
        (200..300).contains(&self.code)
    }

    /// The reply as the server sent it, lines joined by " / " for evidence.
    pub fn summary(&self) -> String {
        self.lines
            .iter()
            .map(|line| format!("{} {line}", self.code))
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

/// A reply line that breaks RFC 5321 §4.2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplyError {
    /// The line does not start with a three-digit code followed by SP, "-" or the end.
    #[error("not an SMTP reply line: {line:?}")]
    Malformed {
        /// The line.
        line: String,
    },
    /// A continuation line with another code than the first line.
    #[error("reply code changed from {expected} to {found} within one reply: {line:?}")]
    CodeChanged {
        /// The first line's code.
        expected: u16,
        /// This line's code.
        found: u16,
        /// The line.
        line: String,
    },
}

/// Collects reply lines into complete replies.
#[derive(Debug, Default)]
pub struct ReplyParser {
    code: Option<u16>,
    lines: Vec<String>,
}

impl ReplyParser {
    /// Adds one line; returns the reply when this line ends it.
    pub fn push_line(&mut self, line: &str) -> Result<Option<Reply>, ReplyError> {
        let malformed = || ReplyError::Malformed {
            line: line.to_owned(),
        };
        let bytes = line.as_bytes();
        let digits = bytes.get(..3).ok_or_else(malformed)?;
        if !digits.iter().all(u8::is_ascii_digit)
            || !digits.first().is_some_and(|d| (b'2'..=b'5').contains(d))
        {
            return Err(malformed());
        }
        let code = digits.iter().fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'));
        let (last, text) = match bytes.get(3) {
            None => (true, ""),
            Some(b' ') => (true, line.get(4..).unwrap_or_default()),
            Some(b'-') => (false, line.get(4..).unwrap_or_default()),
            Some(_) => return Err(malformed()),
        };
        match self.code {
            Some(expected) if expected != code => {
                return Err(ReplyError::CodeChanged {
                    expected,
                    found: code,
                    line: line.to_owned(),
                });
            }
            _ => self.code = Some(code),
        }
        self.lines.push(text.to_owned());
        if last {
            self.code = None;
            return Ok(Some(Reply {
                code,
                lines: std::mem::take(&mut self.lines),
            }));
        }
        Ok(None)
    }
}

/// The EHLO keywords of a 250 reply: every line after the first, as sent.
pub fn ehlo_capabilities(reply: &Reply) -> Vec<String> {
    reply
        .lines
        .iter()
        .skip(1)
        .map(|line| line.trim().to_owned())
        .collect()
}

/// Whether an EHLO keyword list contains `keyword` (case-insensitive, params ignored).
pub fn has_keyword(capabilities: &[String], keyword: &str) -> bool {
    capabilities.iter().any(|line| {
        line.split_whitespace()
            .next()
            .is_some_and(|k| k.eq_ignore_ascii_case(keyword))
    })
}

/// Reads one complete reply.
pub(crate) async fn read_reply(session: &mut Session<'_>) -> Result<Reply, Stop> {
    let mut parser = ReplyParser::default();
    loop {
        let line = session.recv().await?;
        match parser.push_line(&line) {
            Ok(Some(reply)) => return Ok(reply),
            Ok(None) => {}
            Err(error) => {
                return Err(Stop::NotTested(format!(
                    "the server broke the SMTP reply syntax: {error}"
                )));
            }
        }
    }
}

/// Classifies a greeting that is not 220 (RFC 5321 §3.1, §4.3.2).
fn refused_greeting(reply: &Reply) -> Stop {
    let why = match reply.code {
        421 => {
            return Stop::Throttled(format!(
                "the server is not accepting connections now (421; throttling or overload): {}",
                reply.summary()
            ));
        }
        450 | 451 => "the server deferred the session (greylisting or a temporary block)",
        554 => "the server refused the session (554; a block list or policy refusal)",
        _ => "the server did not greet with 220",
    };
    Stop::NotTested(format!("{why}: {}", reply.summary()))
}

/// Reads and records the greeting; anything but 220 ends the probe.
async fn greeting(session: &mut Session<'_>, dialogue: &mut DialogueObservation) -> Result<(), Stop> {
    let greeting = read_reply(session).await?;
    dialogue.greeting = greeting
        .lines
        .iter()
        .map(|line| format!("{} {line}", greeting.code))
        .collect();
    if greeting.code != 220 {
        return Err(refused_greeting(&greeting));
    }
    Ok(())
}

/// Sends EHLO (or LHLO) and returns the keywords of a positive reply.
async fn hello(
    session: &mut Session<'_>,
    hello: &str,
    ehlo_name: &str,
    phase: &str,
) -> Result<Vec<String>, Stop> {
    session.send(&format!("{hello} {ehlo_name}")).await?;
    let reply = read_reply(session).await?;
    if !reply.is_positive() {
        let why = format!("the server refused {hello}{phase}: {}", reply.summary());
        // 421 may answer any command when the server closes the session
        // (RFC 5321 §3.8).
        return Err(if reply.code == 421 {
            Stop::Throttled(why)
        } else {
            Stop::NotTested(why)
        });
    }
    Ok(ehlo_capabilities(&reply))
}

/// The plaintext phase: greeting, EHLO (LHLO for LMTP), STARTTLS.
/// Returns whether TLS may start now.
pub(crate) async fn before_tls(
    session: &mut Session<'_>,
    dialogue: &mut DialogueObservation,
    hello_command: &str,
    ehlo_name: &str,
    test_injection: bool,
) -> Result<bool, Stop> {
    greeting(session, dialogue).await?;
    dialogue.capabilities_before_tls = hello(session, hello_command, ehlo_name, "").await?;
    dialogue.starttls_offered = has_keyword(&dialogue.capabilities_before_tls, "STARTTLS");
    if !dialogue.starttls_offered {
        quit(session).await;
        return Ok(false);
    }
    if !test_injection {
        session.send("STARTTLS").await?;
    } else if has_keyword(&dialogue.capabilities_before_tls, "PIPELINING") {
        // The injection test rides on this connection: a NOOP in the same
        // segment as STARTTLS must be discarded by the server (RFC 3207 §4.2,
        // RFC 2920 §3.1), never answered inside TLS.
        session.send_together(&["STARTTLS", "NOOP"]).await?;
    } else {
        session.send("STARTTLS").await?;
        dialogue.starttls_injection = Some(InjectionTest::NotTested {
            reason: "the server does not offer PIPELINING, so commands after STARTTLS cannot be sent \
                     without breaking the protocol"
                .into(),
        });
    }
    let reply = read_reply(session).await?;
    dialogue.starttls_reply = Some(reply.summary());
    if reply.code != 220 {
        dialogue.starttls_injection = None;
        quit(session).await;
        return Ok(false);
    }
    Ok(true)
}

/// How long to wait inside TLS for an answer to the injected NOOP.
const INJECTION_WAIT: Duration = Duration::from_millis(300);

/// The phase inside TLS: the greeting (implicit TLS only), EHLO again, QUIT.
pub(crate) async fn after_tls(
    session: &mut Session<'_>,
    dialogue: &mut DialogueObservation,
    hello_command: &str,
    ehlo_name: &str,
    expect_greeting: bool,
) -> Result<(), Stop> {
    if expect_greeting {
        greeting(session, dialogue).await?;
    } else if dialogue.starttls_injection.is_none() {
        let unasked = session.unasked_within(INJECTION_WAIT).await?;
        dialogue.starttls_injection = Some(if unasked.is_empty() {
            InjectionTest::NotVulnerable
        } else {
            InjectionTest::Vulnerable { evidence: unasked }
        });
    }
    dialogue.capabilities_after_tls = hello(session, hello_command, ehlo_name, " inside TLS").await?;
    quit(session).await;
    Ok(())
}

/// Says goodbye; a server that drops the line instead is no matter.
async fn quit(session: &mut Session<'_>) {
    if session.send("QUIT").await.is_ok() {
        let _ = read_reply(session).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(lines: &[&str]) -> Result<Vec<Reply>, ReplyError> {
        let mut parser = ReplyParser::default();
        let mut replies = Vec::new();
        for line in lines {
            if let Some(reply) = parser.push_line(line)? {
                replies.push(reply);
            }
        }
        Ok(replies)
    }

    #[test]
    fn multiline_greeting_is_one_reply() {
        let replies = parse_all(&["220-mx.example ESMTP", "220-no UCE", "220 ready"]).unwrap();
        assert_eq!(
            replies,
            vec![Reply {
                code: 220,
                lines: vec!["mx.example ESMTP".into(), "no UCE".into(), "ready".into()]
            }]
        );
    }

    #[test]
    fn bare_code_ends_a_reply() {
        assert_eq!(
            parse_all(&["250"]).unwrap(),
            vec![Reply {
                code: 250,
                lines: vec![String::new()]
            }]
        );
    }

    #[test]
    fn code_change_inside_a_reply_is_an_error() {
        assert_eq!(
            parse_all(&["250-a", "251 b"]),
            Err(ReplyError::CodeChanged {
                expected: 250,
                found: 251,
                line: "251 b".into()
            })
        );
    }

    #[test]
    fn non_reply_lines_are_malformed() {
        for line in ["", "25", "abc def", "250x", "650 no", "SSH-2.0-OpenSSH_9.2"] {
            assert_eq!(
                parse_all(&[line]),
                Err(ReplyError::Malformed { line: line.into() }),
                "{line:?}"
            );
        }
    }

    #[test]
    fn ehlo_keywords_are_matched_case_insensitively() {
        let reply = parse_all(&[
            "250-mx.example",
            "250-starttls",
            "250-AUTH PLAIN LOGIN",
            "250 SIZE 1000",
        ])
        .unwrap()
        .remove(0);
        let capabilities = ehlo_capabilities(&reply);
        assert_eq!(capabilities, vec!["starttls", "AUTH PLAIN LOGIN", "SIZE 1000"]);
        assert!(has_keyword(&capabilities, "STARTTLS"));
        assert!(has_keyword(&capabilities, "auth"));
        assert!(!has_keyword(&capabilities, "PLAIN"));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn push_line_never_panics(lines in prop::collection::vec("\\PC{0,20}", 0..10)) {
                let mut parser = ReplyParser::default();
                for line in &lines {
                    let _ = parser.push_line(line);
                }
            }

            #[test]
            fn formatted_replies_parse_back(code in 200u16..600, texts in prop::collection::vec("[ -~]{0,30}", 1..6)) {
                let last = texts.len() - 1;
                let lines: Vec<String> = texts
                    .iter()
                    .enumerate()
                    .map(|(i, text)| format!("{code}{}{text}", if i == last { ' ' } else { '-' }))
                    .collect();
                let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
                let replies = parse_all(&refs).unwrap();
                prop_assert_eq!(replies, vec![Reply { code, lines: texts }]);
            }
        }
    }
}
