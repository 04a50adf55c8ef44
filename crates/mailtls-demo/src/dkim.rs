//! The demo zone's DKIM key: an RSA key generated at start, published as a key record.
//!
//! ```text
//! RFC 6376 §3.6.1: the DKIM key record is a tag list in a TXT record at
//!     <selector>._domainkey.<domain>
//!   v= Version of the DKIM key record (plain-text; RECOMMENDED, default is "DKIM1")
//!   k= Key type (plain-text; OPTIONAL, default is "rsa")
//!   p= Public-key data (base64; REQUIRED) ... the RSA public key as a
//!      DER-encoded SubjectPublicKeyInfo
//! RFC 8301 §3.2: signers MUST use RSA keys of at least 1024 bits and SHOULD use
//!   at least 2048 bits.
//! ```

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rcgen::{KeyPair, PKCS_RSA_SHA256, PublicKeyData as _};
use rustls_pki_types::PrivatePkcs8KeyDer;

use crate::error::DemoError;

/// The selector under which the key is published.
pub(crate) const SELECTOR: &str = "demo";

/// A 2048-bit RSA DKIM key.
pub(crate) struct DkimKey {
    private_key: PrivatePkcs8KeyDer<'static>,
    record: String,
}

impl DkimKey {
    /// Generates a new key. RSA key generation takes tens to hundreds of milliseconds, so
    /// callers run it on a blocking thread.
    pub(crate) fn generate() -> Result<Self, DemoError> {
        let key = KeyPair::generate_for(&PKCS_RSA_SHA256).map_err(|source| DemoError::Pki {
            what: "DKIM RSA key".to_owned(),
            source,
        })?;
        let record = format!(
            "v=DKIM1; k=rsa; p={}",
            STANDARD.encode(key.subject_public_key_info())
        );
        Ok(Self {
            private_key: PrivatePkcs8KeyDer::from(key.serialize_der()),
            record,
        })
    }

    /// The key record's text, before it is split into character-strings.
    pub(crate) fn record(&self) -> &str {
        &self.record
    }

    /// The private key, PKCS #8 DER.
    pub(crate) fn private_key(&self) -> &PrivatePkcs8KeyDer<'static> {
        &self.private_key
    }
}

impl fmt::Debug for DkimKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DkimKey")
            .field("record", &self.record)
            .finish_non_exhaustive()
    }
}
