//! POP3: the greeting, CAPA and STLS.
//!
//! ```text
//! RFC 1939 §3: responses start with "+OK" or "-ERR"; multi-line responses end
//!   with a line holding a single "."; lines starting with "." are byte-stuffed.
//! RFC 2449 §5: CAPA lists one capability per line.
//! RFC 2595 §4: "STLS" is answered "+OK" and TLS starts at once; capabilities
//!   must be asked again afterwards.
//! ```

use mailtls_core::DialogueObservation;

use crate::session::{Session, Stop};

/// Whether a response line is positive.
pub fn is_ok(line: &str) -> bool {
    line.get(..3)
        .is_some_and(|status| status.eq_ignore_ascii_case("+OK"))
}

/// Undoes byte-stuffing of one multi-line response line; `None` for the terminating ".".
pub fn unstuff(line: &str) -> Option<&str> {
    match line {
        "." => None,
        _ => Some(line.strip_prefix('.').unwrap_or(line)),
    }
}

/// Whether a CAPA list holds `name` (case-insensitive, arguments ignored).
pub fn has_capability(capabilities: &[String], name: &str) -> bool {
    capabilities.iter().any(|line| {
        line.split_whitespace()
            .next()
            .is_some_and(|word| word.eq_ignore_ascii_case(name))
    })
}

async fn capa(session: &mut Session<'_>) -> Result<Vec<String>, Stop> {
    session.send("CAPA").await?;
    let status = session.recv().await?;
    if !is_ok(&status) {
        return Ok(Vec::new());
    }
    let mut capabilities = Vec::new();
    loop {
        let line = session.recv().await?;
        match unstuff(&line) {
            Some(text) => capabilities.push(text.to_owned()),
            None => return Ok(capabilities),
        }
    }
}

async fn greeting(session: &mut Session<'_>, dialogue: &mut DialogueObservation) -> Result<(), Stop> {
    let line = session.recv().await?;
    dialogue.greeting = vec![line.clone()];
    if is_ok(&line) {
        Ok(())
    } else {
        Err(Stop::NotTested(format!(
            "the server did not greet with +OK: {line}"
        )))
    }
}

async fn quit(session: &mut Session<'_>) {
    if session.send("QUIT").await.is_ok() {
        let _ = session.recv().await;
    }
}

/// The plaintext phase: greeting, CAPA, STLS. Returns whether TLS may start now.
pub(crate) async fn before_tls(
    session: &mut Session<'_>,
    dialogue: &mut DialogueObservation,
) -> Result<bool, Stop> {
    greeting(session, dialogue).await?;
    dialogue.capabilities_before_tls = capa(session).await?;
    dialogue.starttls_offered = has_capability(&dialogue.capabilities_before_tls, "STLS");
    if !dialogue.starttls_offered {
        quit(session).await;
        return Ok(false);
    }
    session.send("STLS").await?;
    let reply = session.recv().await?;
    let ok = is_ok(&reply);
    dialogue.starttls_reply = Some(reply);
    if !ok {
        quit(session).await;
    }
    Ok(ok)
}

/// The phase inside TLS: the greeting (implicit TLS only), CAPA, QUIT.
pub(crate) async fn after_tls(
    session: &mut Session<'_>,
    dialogue: &mut DialogueObservation,
    expect_greeting: bool,
) -> Result<(), Stop> {
    if expect_greeting {
        greeting(session, dialogue).await?;
    }
    dialogue.capabilities_after_tls = capa(session).await?;
    quit(session).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words() {
        assert!(is_ok("+OK Dovecot ready."));
        assert!(is_ok("+ok"));
        assert!(!is_ok("-ERR no"));
        assert!(!is_ok("+O"));
    }

    #[test]
    fn byte_stuffing_is_undone_and_dot_ends() {
        assert_eq!(unstuff("STLS"), Some("STLS"));
        assert_eq!(unstuff("..hidden"), Some(".hidden"));
        assert_eq!(unstuff("."), None);
    }

    #[test]
    fn capability_names_ignore_arguments() {
        let capabilities = vec!["SASL PLAIN".to_owned(), "stls".to_owned()];
        assert!(has_capability(&capabilities, "STLS"));
        assert!(has_capability(&capabilities, "SASL"));
        assert!(!has_capability(&capabilities, "PLAIN"));
    }
}
