//! IMAP: the greeting, CAPABILITY and STARTTLS.
//!
//! ```text
//! RFC 9051 §7.1 / RFC 3501 §7.1
//!   greeting       = "*" SP (resp-cond-auth / resp-cond-bye) CRLF
//!   resp-cond-auth = ("OK" / "PREAUTH") SP resp-text
//!   resp-text      = ["[" resp-text-code "]" SP] text
//!   resp-text-code =/ capability-data
//!   capability-data = "CAPABILITY" *(SP capability) SP "IMAP4rev1" *(SP capability)
//! RFC 3501 §6.2.1: STARTTLS is answered "OK" and the client starts TLS at once;
//!   the client must discard cached capabilities and ask again inside TLS.
//! ```

use mailtls_core::DialogueObservation;

use crate::session::{Session, Stop};

/// What an untagged status line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Greeting {
    /// `* OK`: log in next.
    Ok,
    /// `* PREAUTH`: already authenticated, so STARTTLS is not allowed (RFC 9051 §6.2.1).
    Preauth,
    /// `* BYE`: the server refuses the session.
    Bye,
}

/// Parses a greeting line: its kind and any capabilities in a `[CAPABILITY …]` code.
pub fn parse_greeting(line: &str) -> Option<(Greeting, Option<Vec<String>>)> {
    let rest = line.strip_prefix("* ")?;
    let (word, text) = rest.split_once(' ').unwrap_or((rest, ""));
    let kind = match word.to_ascii_uppercase().as_str() {
        "OK" => Greeting::Ok,
        "PREAUTH" => Greeting::Preauth,
        "BYE" => Greeting::Bye,
        _ => return None,
    };
    Some((kind, capability_code(text)))
}

/// The atoms of a `[CAPABILITY …]` response code at the start of `text`.
fn capability_code(text: &str) -> Option<Vec<String>> {
    let inner = text.strip_prefix('[')?;
    let code = inner.get(..inner.find(']')?)?;
    let (name, atoms) = code.split_once(' ').unwrap_or((code, ""));
    name.eq_ignore_ascii_case("CAPABILITY")
        .then(|| atoms.split_whitespace().map(str::to_owned).collect())
}

/// The atoms of an untagged `* CAPABILITY …` line.
pub fn parse_capability_line(line: &str) -> Option<Vec<String>> {
    let rest = line.strip_prefix("* ")?;
    let (name, atoms) = rest.split_once(' ').unwrap_or((rest, ""));
    name.eq_ignore_ascii_case("CAPABILITY")
        .then(|| atoms.split_whitespace().map(str::to_owned).collect())
}

/// Whether a capability list holds `atom` (case-insensitive).
pub fn has_capability(capabilities: &[String], atom: &str) -> bool {
    capabilities.iter().any(|c| c.eq_ignore_ascii_case(atom))
}

/// Sends `tag command` and reads until the tagged reply; returns the capabilities
/// seen in untagged lines and the tagged line.
async fn command(session: &mut Session<'_>, tag: &str, command: &str) -> Result<(Vec<String>, String), Stop> {
    session.send(&format!("{tag} {command}")).await?;
    let mut capabilities = Vec::new();
    loop {
        let line = session.recv().await?;
        if let Some(atoms) = parse_capability_line(&line) {
            capabilities = atoms;
        } else if line.len() > tag.len()
            && line.get(..tag.len()).is_some_and(|t| t.eq_ignore_ascii_case(tag))
            && line.as_bytes().get(tag.len()) == Some(&b' ')
        {
            return Ok((capabilities, line));
        } else if line.to_ascii_uppercase().starts_with("* BYE") {
            return Err(Stop::NotTested(format!("the server ended the session: {line}")));
        }
    }
}

fn tagged_ok(tag: &str, line: &str) -> bool {
    line.get(tag.len() + 1..)
        .is_some_and(|rest| rest.to_ascii_uppercase().starts_with("OK"))
}

/// Reads and records the greeting; returns capabilities announced in it.
async fn greeting(
    session: &mut Session<'_>,
    dialogue: &mut DialogueObservation,
) -> Result<Option<Vec<String>>, Stop> {
    let line = session.recv().await?;
    dialogue.greeting = vec![line.clone()];
    match parse_greeting(&line) {
        Some((Greeting::Ok, capabilities)) => Ok(capabilities),
        Some((Greeting::Preauth, capabilities)) => Ok(capabilities),
        Some((Greeting::Bye, _)) => Err(Stop::NotTested(format!("the server refused the session: {line}"))),
        None => Err(Stop::NotTested(format!("not an IMAP greeting: {line:?}"))),
    }
}

/// The plaintext phase: greeting, CAPABILITY (unless the greeting carried it),
/// STARTTLS. Returns whether TLS may start now.
pub(crate) async fn before_tls(
    session: &mut Session<'_>,
    dialogue: &mut DialogueObservation,
) -> Result<bool, Stop> {
    let announced = greeting(session, dialogue).await?;
    let capabilities = match announced {
        Some(capabilities) => capabilities,
        None => command(session, "a1", "CAPABILITY").await?.0,
    };
    dialogue.starttls_offered = has_capability(&capabilities, "STARTTLS");
    dialogue.capabilities_before_tls = capabilities;
    if !dialogue.starttls_offered {
        let _ = command(session, "a9", "LOGOUT").await;
        return Ok(false);
    }
    let (_, reply) = command(session, "a2", "STARTTLS").await?;
    let ok = tagged_ok("a2", &reply);
    dialogue.starttls_reply = Some(reply);
    if !ok {
        let _ = command(session, "a9", "LOGOUT").await;
    }
    Ok(ok)
}

/// The phase inside TLS: the greeting (implicit TLS only), CAPABILITY, LOGOUT.
pub(crate) async fn after_tls(
    session: &mut Session<'_>,
    dialogue: &mut DialogueObservation,
    expect_greeting: bool,
) -> Result<(), Stop> {
    if expect_greeting {
        greeting(session, dialogue).await?;
    }
    // Capabilities in an implicit-TLS greeting could be trusted, but asking keeps
    // one code path and costs one round trip.
    dialogue.capabilities_after_tls = command(session, "a3", "CAPABILITY").await?.0;
    let _ = command(session, "a4", "LOGOUT").await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greeting_with_capability_code() {
        let (kind, capabilities) =
            parse_greeting("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Dovecot ready.").unwrap();
        assert_eq!(kind, Greeting::Ok);
        assert_eq!(
            capabilities.unwrap(),
            vec!["IMAP4rev1", "STARTTLS", "LOGINDISABLED"]
        );
    }

    #[test]
    fn greeting_without_capability_code() {
        assert_eq!(parse_greeting("* OK IMAP ready"), Some((Greeting::Ok, None)));
        assert_eq!(parse_greeting("* OK [ALERT] hi"), Some((Greeting::Ok, None)));
    }

    #[test]
    fn preauth_and_bye() {
        assert_eq!(parse_greeting("* PREAUTH ok").unwrap().0, Greeting::Preauth);
        assert_eq!(parse_greeting("* bye go away").unwrap().0, Greeting::Bye);
        assert_eq!(parse_greeting("+OK POP3 ready"), None);
        assert_eq!(
            parse_greeting("* OK [CAPABILITY IMAP4rev1"),
            Some((Greeting::Ok, None))
        );
    }

    #[test]
    fn capability_line() {
        assert_eq!(
            parse_capability_line("* CAPABILITY IMAP4rev1 AUTH=PLAIN").unwrap(),
            vec!["IMAP4rev1", "AUTH=PLAIN"]
        );
        assert_eq!(parse_capability_line("* OK x"), None);
        assert!(has_capability(&["starttls".into()], "STARTTLS"));
    }

    #[test]
    fn tagged_ok_checks_the_status_word() {
        assert!(tagged_ok("a2", "a2 OK Begin TLS"));
        assert!(tagged_ok("a2", "a2 ok"));
        assert!(!tagged_ok("a2", "a2 BAD no"));
        assert!(!tagged_ok("a2", "a2"));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parsers_never_panic(line in "\\PC{0,60}") {
                let _ = parse_greeting(&line);
                let _ = parse_capability_line(&line);
                let _ = tagged_ok("a1", &line);
            }
        }
    }
}
