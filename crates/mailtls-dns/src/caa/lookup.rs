//! The names a CA consults for CAA.
//!
//! ```text
//! RFC 8659 §3
//!   ... the CA MUST determine the Relevant RRset ... by starting the search
//!   at the FQDN X and climbing the domain tree up to, but not including,
//!   the root zone:
//!     RelevantCAASet(domain):
//!       while domain is not ".":
//!         if CAA(domain) is not Empty:
//!           return CAA(domain)
//!         domain = Parent(domain)
//!       return Empty
//! ```

use mailtls_core::Domain;

/// `domain` and its parents, nearest first, without the root: the order in
/// which a CA looks for the relevant CAA set (the first non-empty one wins).
pub fn caa_lookup_names(domain: &Domain) -> Vec<Domain> {
    std::iter::successors(Some(domain.clone()), Domain::parent).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn climbs_to_the_top_level_domain() {
        let names = caa_lookup_names(&Domain::parse("mail.sub.example.com").unwrap());
        let names: Vec<&str> = names.iter().map(Domain::as_str).collect();
        assert_eq!(
            names,
            ["mail.sub.example.com", "sub.example.com", "example.com", "com"]
        );
    }

    #[test]
    fn single_label_is_its_own_list() {
        let names = caa_lookup_names(&Domain::parse("localhost").unwrap());
        assert_eq!(names, [Domain::parse("localhost").unwrap()]);
    }
}
