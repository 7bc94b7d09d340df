//! OAuth 2.0 scopes of service clients, mapped onto the data-domain policy: a scope is
//! `<domain>:read` or `<domain>:write` (a domain code of [`DataDomain`]); `write` includes
//! reading, as a write right does in the policy. What a client may do is always the
//! intersection of what it was granted, what its token asked for and what its role allows.
use std::collections::BTreeMap;

use crate::policy::{DataDomain, Grant, Permissions};

/// How far a scope reaches into its domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Access {
    Read,
    /// Read and write.
    Write,
}

/// One scope: a data domain and how far into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope {
    pub domain: DataDomain,
    pub access: Access,
}

/// Why a scope was refused; each message names the scope and says what is accepted.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ScopeError {
    #[error("{0:?} is not a scope: write `<domain>:read` or `<domain>:write`, e.g. `land:read`")]
    Malformed(String),
    #[error("{0:?} names no data domain; the domains are: {domains}", domains = domain_codes())]
    UnknownDomain(String),
    #[error(
        "{0:?} names the audit log, which only the auditor reads (separation of duties, 三员)"
    )]
    NotDelegable(String),
}

fn domain_codes() -> String {
    DataDomain::ALL
        .iter()
        .filter(|domain| **domain != DataDomain::Audit)
        .map(|domain| domain.code())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Scope {
    /// Parses `<domain>:read` or `<domain>:write`. The audit log is never delegated.
    pub fn parse(text: &str) -> Result<Scope, ScopeError> {
        let text = text.trim();
        let Some((domain, access)) = text.split_once(':') else {
            return Err(ScopeError::Malformed(text.to_string()));
        };
        let access = match access {
            "read" => Access::Read,
            "write" => Access::Write,
            _ => return Err(ScopeError::Malformed(text.to_string())),
        };
        let domain = DataDomain::from_code(domain)
            .ok_or_else(|| ScopeError::UnknownDomain(text.to_string()))?;
        if domain == DataDomain::Audit {
            return Err(ScopeError::NotDelegable(text.to_string()));
        }
        Ok(Scope { domain, access })
    }

    /// The scope's text, e.g. `land:write`.
    pub fn code(&self) -> String {
        let access = match self.access {
            Access::Read => "read",
            Access::Write => "write",
        };
        format!("{}:{access}", self.domain.code())
    }
}

/// A set of scopes, normalised: per domain only the widest access is kept (`land:write`
/// covers `land:read`), in the order of the domain list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeSet(BTreeMap<DataDomain, Access>);

impl ScopeSet {
    /// Parses a list of scopes; on failure, the index of the first bad one and why.
    pub fn parse_list<'a>(
        items: impl IntoIterator<Item = &'a str>,
    ) -> Result<ScopeSet, (usize, ScopeError)> {
        let mut set = ScopeSet::default();
        for (index, item) in items.into_iter().enumerate() {
            set.insert(Scope::parse(item).map_err(|error| (index, error))?);
        }
        Ok(set)
    }

    /// Parses the `scope` parameter of RFC 6749 §3.3: scope tokens separated by spaces.
    pub fn parse_space_separated(text: &str) -> Result<ScopeSet, ScopeError> {
        ScopeSet::parse_list(text.split(' ').filter(|item| !item.is_empty()))
            .map_err(|(_, error)| error)
    }

    fn insert(&mut self, scope: Scope) {
        let entry = self.0.entry(scope.domain).or_insert(scope.access);
        *entry = (*entry).max(scope.access);
    }

    /// The scopes, e.g. `["employment:read", "land:write"]`.
    pub fn codes(&self) -> Vec<String> {
        self.scopes().map(|scope| scope.code()).collect()
    }

    /// The space-separated form of RFC 6749 §3.3 (and of the token's `scope` claim).
    pub fn to_space_separated(&self) -> String {
        self.codes().join(" ")
    }

    pub fn scopes(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().map(|(domain, access)| Scope {
            domain: *domain,
            access: *access,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the set covers the scope (a write scope covers the read one).
    pub fn covers(&self, scope: Scope) -> bool {
        self.0
            .get(&scope.domain)
            .is_some_and(|access| *access >= scope.access)
    }

    /// The first scope of `other` this set does not cover, if any.
    pub fn first_not_covered(&self, other: &ScopeSet) -> Option<Scope> {
        other.scopes().find(|scope| !self.covers(*scope))
    }

    /// What both sets allow.
    pub fn intersect(&self, other: &ScopeSet) -> ScopeSet {
        ScopeSet(
            self.0
                .iter()
                .filter_map(|(domain, access)| {
                    other
                        .0
                        .get(domain)
                        .map(|theirs| (*domain, (*access).min(*theirs)))
                })
                .collect(),
        )
    }

    /// The part of the set that a role's permissions allow: a write scope becomes a read
    /// scope where the role only reads, and a scope the role does not read disappears.
    pub fn capped_by(&self, permissions: &Permissions) -> ScopeSet {
        ScopeSet(
            self.0
                .iter()
                .filter_map(|(domain, access)| {
                    if *access == Access::Write && permissions.can_write(*domain) {
                        Some((*domain, Access::Write))
                    } else if permissions.can_read(*domain) {
                        Some((*domain, Access::Read))
                    } else {
                        None
                    }
                })
                .collect(),
        )
    }

    /// The permissions the set grants.
    pub fn permissions(&self) -> Permissions {
        Permissions::from_grants(self.scopes().map(|scope| Grant {
            domain: scope.domain,
            can_read: true,
            can_write: scope.access == Access::Write,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> ScopeSet {
        ScopeSet::parse_space_separated(text).unwrap()
    }

    #[test]
    fn scopes_name_a_domain_and_read_or_write() {
        assert_eq!(
            Scope::parse("land:read"),
            Ok(Scope {
                domain: DataDomain::Land,
                access: Access::Read
            })
        );
        assert_eq!(
            Scope::parse(" employment:write ").unwrap().code(),
            "employment:write"
        );
        for bad in [
            "land",
            "land:",
            "land:admin",
            ":read",
            "land:read:x",
            "LAND:read",
        ] {
            assert!(Scope::parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            Scope::parse("landscape:read"),
            Err(ScopeError::UnknownDomain(_))
        ));
        let message = Scope::parse("landscape:read").unwrap_err().to_string();
        assert!(message.contains("employment"), "{message}");
        assert!(!message.contains("audit"), "{message}");
    }

    #[test]
    fn the_audit_log_is_never_a_client_scope() {
        assert!(matches!(
            Scope::parse("audit:read"),
            Err(ScopeError::NotDelegable(_))
        ));
    }

    #[test]
    fn a_set_keeps_the_widest_access_per_domain_in_a_stable_order() {
        let scopes = set("land:read employment:read  land:write identity:read");
        assert_eq!(
            scopes.to_space_separated(),
            "identity:read employment:read land:write"
        );
        assert_eq!(set("land:write land:read"), set("land:write"));
        assert!(set("").is_empty());
        assert_eq!(
            ScopeSet::parse_list(["land:read", "nope"]).unwrap_err().0,
            1,
            "the index of the bad scope"
        );
    }

    #[test]
    fn write_covers_read_but_not_the_other_way() {
        let scopes = set("land:write employment:read");
        assert!(scopes.covers(Scope::parse("land:read").unwrap()));
        assert!(scopes.covers(Scope::parse("land:write").unwrap()));
        assert!(scopes.covers(Scope::parse("employment:read").unwrap()));
        assert!(!scopes.covers(Scope::parse("employment:write").unwrap()));
        assert!(!scopes.covers(Scope::parse("health:read").unwrap()));
        assert_eq!(
            scopes.first_not_covered(&set("land:read employment:write")),
            Some(Scope::parse("employment:write").unwrap())
        );
        assert_eq!(scopes.first_not_covered(&set("land:read")), None);
    }

    #[test]
    fn an_intersection_narrows_to_what_both_allow() {
        let granted = set("land:write employment:read identity:read");
        let asked = set("land:read employment:write health:read");
        assert_eq!(
            granted.intersect(&asked).to_space_separated(),
            "employment:read land:read"
        );
    }

    #[test]
    fn a_role_caps_the_scopes_and_write_needs_the_roles_write() {
        let role = Permissions::from_grants([
            Grant {
                domain: DataDomain::Land,
                can_read: true,
                can_write: false,
            },
            Grant {
                domain: DataDomain::Employment,
                can_read: true,
                can_write: true,
            },
        ]);
        let capped = set("land:write employment:write health:read").capped_by(&role);
        assert_eq!(capped.to_space_separated(), "employment:write land:read");
        let permissions = capped.permissions();
        assert!(permissions.can_read(DataDomain::Land));
        assert!(!permissions.can_write(DataDomain::Land));
        assert!(permissions.can_write(DataDomain::Employment));
        assert!(!permissions.can_read(DataDomain::Health));
    }
}
