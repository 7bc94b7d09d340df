//! The access policy: data domains, what each role may read and write in them (default deny),
//! how identity numbers are shown (full, masked, forbidden), and the separation of the three
//! administrators (三员).

/// Declares a `Copy` enum with stable codes and Chinese labels.
macro_rules! coded {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

coded! {
    /// A slice of personal or departmental data; every field that carries such data belongs to one.
    pub enum DataDomain {
        Identity => ("identity", "身份信息"),
        IdNumber => ("id_number", "身份证号"),
        Contact => ("contact", "联系方式"),
        Health => ("health", "健康医疗"),
        Education => ("education", "教育"),
        Employment => ("employment", "就业"),
        Training => ("training", "培训"),
        Insurance => ("insurance", "社会保险"),
        SocialAssistance => ("social_assistance", "社会救助"),
        HouseholdRegistration => ("household_registration", "户籍"),
        Party => ("party", "党建"),
        Land => ("land", "土地"),
        Industry => ("industry", "产业"),
        Finance => ("finance", "财政资金"),
        Governance => ("governance", "社区治理"),
        PublicServices => ("public_services", "公共服务"),
        Responsibility => ("responsibility", "责任清单"),
        Assessment => ("assessment", "考核"),
        Audit => ("audit", "审计日志"),
    }
}

impl DataDomain {
    /// Sensitive personal information under PIPL: every read is audited.
    pub fn is_sensitive(self) -> bool {
        matches!(
            self,
            DataDomain::IdNumber
                | DataDomain::Health
                | DataDomain::Party
                | DataDomain::SocialAssistance
        )
    }
}

coded! {
    /// The kinds of roles.
    pub enum RoleKind {
        Bureau => ("bureau", "区级部门"),
        Town => ("town", "镇办"),
        Provincial => ("provincial", "省级平台"),
        SystemAdmin => ("system_admin", "系统管理员"),
        SecurityAdmin => ("security_admin", "安全管理员"),
        Auditor => ("auditor", "安全审计员"),
    }
}

/// One policy row as the server stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub domain: DataDomain,
    pub can_read: bool,
    pub can_write: bool,
}

/// What a principal may do, from the policy rows of its roles. Default deny.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permissions {
    read: std::collections::BTreeSet<DataDomain>,
    write: std::collections::BTreeSet<DataDomain>,
}

impl Permissions {
    pub fn from_grants(grants: impl IntoIterator<Item = Grant>) -> Permissions {
        let mut permissions = Permissions::default();
        for grant in grants {
            if grant.can_read {
                permissions.read.insert(grant.domain);
            }
            // Writing without reading is meaningless here: a write right implies nothing more.
            if grant.can_write && grant.can_read {
                permissions.write.insert(grant.domain);
            }
        }
        permissions
    }

    pub fn can_read(&self, domain: DataDomain) -> bool {
        self.read.contains(&domain)
    }

    pub fn can_write(&self, domain: DataDomain) -> bool {
        self.write.contains(&domain)
    }
}

/// How an identity value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Full,
    Masked,
    Forbidden,
}

fn visibility(p: &Permissions, unmask_domain: DataDomain, reason_given: bool) -> Visibility {
    if !p.can_read(DataDomain::Identity) {
        Visibility::Forbidden
    } else if !reason_given {
        Visibility::Masked
    } else if p.can_read(unmask_domain) {
        Visibility::Full
    } else {
        Visibility::Forbidden
    }
}

/// ID numbers: identity shows them masked; the full value needs the id-number domain and a reason.
pub fn id_number_visibility(p: &Permissions, reason_given: bool) -> Visibility {
    visibility(p, DataDomain::IdNumber, reason_given)
}

/// Phone numbers: identity shows them masked; the full value needs the contact domain and a reason.
pub fn phone_visibility(p: &Permissions, reason_given: bool) -> Visibility {
    visibility(p, DataDomain::Contact, reason_given)
}

/// `610202********123X`: the first six and the last four characters.
pub fn mask_id_number(value: &str) -> String {
    mask(value, 6, 4)
}

/// `138****5678`: the first three and the last four digits.
pub fn mask_phone(value: &str) -> String {
    mask(value, 3, 4)
}

fn mask(value: &str, keep_start: usize, keep_end: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= keep_start + keep_end {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - keep_start - keep_end;
    let mut masked: String = chars[..keep_start].iter().collect();
    masked.push_str(&"*".repeat(hidden));
    masked.extend(&chars[chars.len() - keep_end..]);
    masked
}

/// One row of the default policy, with the clause that justifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyRow {
    pub role_code: &'static str,
    pub domain: DataDomain,
    pub can_read: bool,
    pub can_write: bool,
    pub reason: &'static str,
}

use DataDomain as D;

/// (role, read-only domains, read-write domains, reason): from the duties of A7§2.
const DEFAULT_POLICY: &[(&str, &[DataDomain], &[DataDomain], &str)] = &[
    (
        "bureau:drc",
        &[
            D::Identity,
            D::Industry,
            D::Finance,
            D::Governance,
            D::PublicServices,
            D::Assessment,
        ],
        &[D::Responsibility],
        "A7§1–2: lead bureau, owns the responsibility list",
    ),
    (
        "bureau:poverty",
        &[
            D::Contact,
            D::Education,
            D::Health,
            D::Insurance,
            D::SocialAssistance,
            D::HouseholdRegistration,
            D::Industry,
        ],
        &[D::Identity, D::Employment],
        "A7§2: policy stacking for registered poor households; keeps the registry",
    ),
    (
        "bureau:education",
        &[D::Identity],
        &[D::Education],
        "A3§2: compulsory-education ledger",
    ),
    (
        "bureau:health",
        &[D::Identity, D::Contact, D::Insurance],
        &[D::Health],
        "A3§3: family doctors, chronic disease, health aid",
    ),
    (
        "bureau:agriculture",
        &[D::Identity, D::Land],
        &[D::Industry],
        "A1: business entities and benefit linkages",
    ),
    (
        "bureau:hrss",
        &[D::Identity, D::IdNumber, D::Contact],
        &[D::Employment, D::Training, D::Insurance],
        "A2, A3§4: jobs, training, pension insurance (enrolment needs ID numbers)",
    ),
    (
        "bureau:civil_affairs",
        &[D::Identity, D::IdNumber, D::Contact, D::Employment],
        &[D::SocialAssistance, D::Governance],
        "A3§4, A4: 低保/特困 eligibility checks need ID numbers; self-governance units",
    ),
    (
        "bureau:organization",
        &[D::Identity, D::Contact],
        &[D::Party],
        "A6: party organisations at the sites",
    ),
    (
        "bureau:housing",
        &[D::Identity],
        &[D::PublicServices],
        "A3§1: property services and housing quality",
    ),
    (
        "bureau:audit",
        &[D::Finance, D::Land],
        &[],
        "A7§2: supervision of fund use",
    ),
    (
        "bureau:finance",
        &[D::Land],
        &[D::Finance],
        "A5§11, A7§2: funds, the joint account and the repayment reserve",
    ),
    (
        "bureau:natural_resources",
        &[D::Identity, D::Finance],
        &[D::Land],
        "A5: homesteads, land linkage, quota transfers",
    ),
    (
        "bureau:transport",
        &[],
        &[D::PublicServices],
        "A7§2: roads of the 大配套",
    ),
    (
        "bureau:water",
        &[],
        &[D::PublicServices],
        "A7§2: drinking water of the 大配套",
    ),
    (
        "bureau:culture",
        &[],
        &[D::PublicServices],
        "A7§2: cultural facilities of the 大配套",
    ),
    (
        "bureau:power",
        &[],
        &[D::PublicServices],
        "A7§2: power supply of the 大配套",
    ),
    (
        "bureau:telecom",
        &[],
        &[D::PublicServices],
        "A7§2: telecom of the 大配套",
    ),
    (
        "bureau:public_security",
        &[D::Identity, D::IdNumber],
        &[D::HouseholdRegistration],
        "A3§5: 户籍 transfer and residence permits need ID numbers",
    ),
    (
        "bureau:poverty_office",
        &[D::Identity, D::Employment, D::Finance, D::Responsibility],
        &[D::Assessment],
        "A7§4: supervision and the special assessment",
    ),
    (
        "town:610202100",
        &[
            D::Contact,
            D::Education,
            D::Health,
            D::Insurance,
            D::SocialAssistance,
            D::HouseholdRegistration,
        ],
        &[
            D::Identity,
            D::Employment,
            D::PublicServices,
            D::Governance,
            D::Party,
        ],
        "A7§3: the town plans household by household (精准到户) for its own sites",
    ),
    (
        "town:610202004",
        &[
            D::Contact,
            D::Education,
            D::Health,
            D::Insurance,
            D::SocialAssistance,
            D::HouseholdRegistration,
        ],
        &[
            D::Identity,
            D::Employment,
            D::PublicServices,
            D::Governance,
            D::Party,
        ],
        "A7§3: the town plans household by household (精准到户) for its own sites",
    ),
    (
        "provincial:relocation_group",
        &[D::Identity, D::Employment, D::Industry, D::PublicServices],
        &[],
        "A1§4: the provincial community service platform",
    ),
    (
        "provincial:land_quota_platform",
        &[D::Land],
        &[],
        "A5§4, A5§8: the quota-transfer supervision platform",
    ),
    (
        "auditor",
        &[D::Audit],
        &[],
        "等保2.0 三员: the auditor reads the audit log and nothing else",
    ),
];

/// The default policy rows seeded into a new database (the security administrator edits them).
/// System and security administrators hold no personal data domain at all.
pub fn default_policy() -> Vec<PolicyRow> {
    let mut rows = Vec::new();
    for (role_code, read_only, read_write, reason) in DEFAULT_POLICY {
        for domain in *read_only {
            rows.push(PolicyRow {
                role_code,
                domain: *domain,
                can_read: true,
                can_write: false,
                reason,
            });
        }
        for domain in *read_write {
            rows.push(PolicyRow {
                role_code,
                domain: *domain,
                can_read: true,
                can_write: true,
                reason,
            });
        }
    }
    rows
}

/// Administrative capabilities, separated by role kind (三员分立).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminCapability {
    ManageUsers,
    ManagePolicy,
    ReadAuditLog,
    UnlockUsers,
    ChangeData,
}

pub fn role_kind_has(kind: RoleKind, capability: AdminCapability) -> bool {
    use AdminCapability::*;
    match kind {
        RoleKind::SystemAdmin => matches!(capability, ManageUsers),
        RoleKind::SecurityAdmin => matches!(capability, ManagePolicy | UnlockUsers),
        RoleKind::Auditor => matches!(capability, ReadAuditLog),
        RoleKind::Bureau | RoleKind::Town | RoleKind::Provincial => {
            matches!(capability, ChangeData)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn permissions_of(role: &str) -> Permissions {
        Permissions::from_grants(
            default_policy()
                .into_iter()
                .filter(|row| row.role_code == role)
                .map(|row| Grant {
                    domain: row.domain,
                    can_read: row.can_read,
                    can_write: row.can_write,
                }),
        )
    }

    #[test]
    fn masks_keep_the_first_six_and_last_four_of_an_id_number() {
        assert_eq!(mask_id_number("61020219800101123X"), "610202********123X");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("123"), "***");
        assert_eq!(mask_id_number(""), "");
    }

    #[test]
    fn identity_shows_masked_values_and_unmasking_needs_the_right_and_a_reason() {
        let education = permissions_of("bureau:education");
        assert_eq!(id_number_visibility(&education, false), Visibility::Masked);
        assert_eq!(
            id_number_visibility(&education, true),
            Visibility::Forbidden
        );
        let police = permissions_of("bureau:public_security");
        assert_eq!(id_number_visibility(&police, false), Visibility::Masked);
        assert_eq!(id_number_visibility(&police, true), Visibility::Full);
        let audit = permissions_of("bureau:audit");
        assert_eq!(id_number_visibility(&audit, true), Visibility::Forbidden);
        assert_eq!(
            phone_visibility(&permissions_of("bureau:health"), true),
            Visibility::Full
        );
    }

    #[test]
    fn the_default_is_deny_and_admins_hold_no_personal_data() {
        assert_eq!(permissions_of("system_admin"), Permissions::default());
        assert_eq!(permissions_of("security_admin"), Permissions::default());
        let auditor = permissions_of("auditor");
        for domain in DataDomain::ALL {
            assert_eq!(
                auditor.can_read(*domain),
                *domain == DataDomain::Audit,
                "{domain:?}"
            );
        }
    }

    #[test]
    fn only_roles_whose_duty_needs_id_numbers_may_unmask_them() {
        let mut holders: Vec<&str> = default_policy()
            .into_iter()
            .filter(|row| row.domain == DataDomain::IdNumber && row.can_read)
            .map(|row| row.role_code)
            .collect();
        holders.sort();
        assert_eq!(
            holders,
            vec![
                "bureau:civil_affairs",
                "bureau:hrss",
                "bureau:public_security"
            ]
        );
    }

    #[test]
    fn every_bureau_of_a7_2_has_policy_rows() {
        for bureau in [
            "drc",
            "poverty",
            "education",
            "health",
            "agriculture",
            "hrss",
            "civil_affairs",
            "organization",
            "housing",
            "audit",
            "finance",
            "natural_resources",
            "transport",
            "water",
            "culture",
            "power",
            "telecom",
            "public_security",
            "poverty_office",
        ] {
            let role = format!("bureau:{bureau}");
            assert!(
                default_policy().iter().any(|row| row.role_code == role),
                "{role}"
            );
        }
    }

    #[test]
    fn the_three_administrators_are_separated() {
        use AdminCapability::*;
        assert!(role_kind_has(RoleKind::SystemAdmin, ManageUsers));
        assert!(!role_kind_has(RoleKind::SystemAdmin, ReadAuditLog));
        assert!(!role_kind_has(RoleKind::SystemAdmin, ChangeData));
        assert!(role_kind_has(RoleKind::SecurityAdmin, ManagePolicy));
        assert!(!role_kind_has(RoleKind::SecurityAdmin, ReadAuditLog));
        assert!(role_kind_has(RoleKind::Auditor, ReadAuditLog));
        assert!(!role_kind_has(RoleKind::Auditor, ChangeData));
        assert!(!role_kind_has(RoleKind::Auditor, ManageUsers));
    }

    #[test]
    fn codes_round_trip() {
        for domain in DataDomain::ALL {
            assert_eq!(DataDomain::from_code(domain.code()), Some(*domain));
        }
        for kind in RoleKind::ALL {
            assert_eq!(RoleKind::from_code(kind.code()), Some(*kind));
        }
    }
}
