//! MTA-STS (RFC 8461): the TXT record and the policy file.
//!
//! The TXT record at `_mta-sts.<domain>` announces a policy and its id
//! ([`parse_txt`], [`parse_txt_rrset`]); the policy itself is a text file
//! served at `https://mta-sts.<domain>/.well-known/mta-sts.txt`
//! ([`parse_policy`]). [`mx_matches`] and [`policy_covers`] check MX host
//! names against the policy's `mx` patterns (RFC 8461 §4.1).
//!
//! # Issue ids
//!
//! | id | level | meaning |
//! | --- | --- | --- |
//! | `mta_sts.syntax.*` | | TXT tag-list syntax, see [`crate::tag_list`] |
//! | `mta_sts.version.missing` | Error | the TXT record does not start with `v=STSv1`: it is discarded |
//! | `mta_sts.id.missing` | Error | the TXT record has no `id`: senders assume no policy |
//! | `mta_sts.id.invalid` | Error | `id` is not 1 to 32 letters and digits |
//! | `mta_sts.record.missing` | Notice | no TXT record starts with `v=STSv1`: the domain has no MTA-STS |
//! | `mta_sts.record.multiple` | Error | more than one does: senders assume no policy |
//! | `mta_sts.policy.malformed_line` | Error | a policy line that is not `key: value`; it is ignored |
//! | `mta_sts.policy.empty_line` | Notice | a blank line between fields |
//! | `mta_sts.policy.duplicate_field` | Error | `version`, `mode` or `max_age` more than once; the first counts |
//! | `mta_sts.policy.unknown_field` | Notice | a field RFC 8461 does not define; senders ignore it |
//! | `mta_sts.version.invalid` | Error | the policy's `version` is not `STSv1` |
//! | `mta_sts.policy.version_missing`, `mta_sts.policy.mode_missing`, `mta_sts.policy.max_age_missing` | Error | a required field is absent: the policy is invalid |
//! | `mta_sts.mode.invalid` | Error | `mode` is not enforce, testing or none |
//! | `mta_sts.mode.testing` | Warning | `mode: testing`: failures are reported, not prevented |
//! | `mta_sts.mode.none` | Notice | `mode: none`: the domain withdraws its policy |
//! | `mta_sts.max_age.invalid` | Error | `max_age` is not 1 to 10 digits |
//! | `mta_sts.max_age.above_maximum` | Warning | above 31557600 seconds (one year) |
//! | `mta_sts.max_age.short` | Warning | below 86400 seconds: senders forget the policy within a day |
//! | `mta_sts.mx.invalid` | Error | an `mx` value that is not a host name or `*.` pattern; it is ignored |
//! | `mta_sts.mx.missing` | Error | no `mx` with mode enforce or testing: no MX can match |

mod mx_pattern;
mod policy;
mod txt;

pub use mx_pattern::{MxPattern, mx_matches, policy_covers};
pub use policy::{MAX_AGE_LIMIT, MtaStsMode, MtaStsPolicy, parse_policy};
pub use txt::{MtaStsRecord, parse_txt, parse_txt_rrset};
