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

impl RoleKind {
    /// The kind of a role code: `bureau:hrss` → Bureau, `town:610202100` → Town,
    /// `provincial:…` → Provincial, and the three administrators by their bare codes.
    pub fn of_role_code(role_code: &str) -> Option<RoleKind> {
        match role_code.split_once(':') {
            Some((prefix, rest)) if !rest.is_empty() => match RoleKind::from_code(prefix)? {
                kind @ (RoleKind::Bureau | RoleKind::Town | RoleKind::Provincial) => Some(kind),
                _ => None,
            },
            Some(_) => None,
            None => match RoleKind::from_code(role_code)? {
                kind @ (RoleKind::SystemAdmin | RoleKind::SecurityAdmin | RoleKind::Auditor) => {
                    Some(kind)
                }
                _ => None,
            },
        }
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
            // A write is checked against the record before and after, so it needs the read
            // right too; a row that grants write alone grants nothing.
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
            D::Education,
            D::Health,
            D::Insurance,
            D::SocialAssistance,
            D::HouseholdRegistration,
        ],
        &[
            D::Identity,
            D::Contact,
            D::Employment,
            D::PublicServices,
            D::Governance,
            D::Party,
        ],
        "A7§3, A6§2.2: the town keeps its own sites' households and plans each one (精准到户); field visits update contacts",
    ),
    (
        "town:610202004",
        &[
            D::Education,
            D::Health,
            D::Insurance,
            D::SocialAssistance,
            D::HouseholdRegistration,
        ],
        &[
            D::Identity,
            D::Contact,
            D::Employment,
            D::PublicServices,
            D::Governance,
            D::Party,
        ],
        "A7§3, A6§2.2: the town keeps its own sites' households and plans each one (精准到户); field visits update contacts",
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
///
/// In brief (R = read, W = read and write; everything else is denied):
///
/// | role | W | R |
/// |---|---|---|
/// | bureau:drc | responsibility | identity, industry, finance, governance, public_services, assessment |
/// | bureau:poverty | identity, employment | contact, education, health, insurance, social_assistance, household_registration, industry |
/// | bureau:education | education | identity |
/// | bureau:health | health | identity, contact, insurance |
/// | bureau:agriculture | industry | identity, land |
/// | bureau:hrss | employment, training, insurance | identity, **id_number**, contact |
/// | bureau:civil_affairs | social_assistance, governance | identity, **id_number**, contact, employment |
/// | bureau:organization | party | identity, contact |
/// | bureau:housing | public_services | identity |
/// | bureau:audit | — | finance, land |
/// | bureau:finance | finance | land |
/// | bureau:natural_resources | land | identity, finance |
/// | bureau:transport, water, culture, power, telecom | public_services | — |
/// | bureau:public_security | household_registration | identity, **id_number** |
/// | bureau:poverty_office | assessment | identity, employment, finance, responsibility |
/// | town:610202100, town:610202004 | identity, contact, employment, public_services, governance, party | education, health, insurance, social_assistance, household_registration (own sites only: row scope) |
/// | provincial:relocation_group | — | identity, employment, industry, public_services |
/// | provincial:land_quota_platform | — | land |
/// | auditor | — | audit |
/// | system_admin, security_admin | — | — (no rows: 三员 hold no personal data) |
///
/// The full ID number is a duty of three bureaus only: public security (户籍 transfer is keyed
/// by it, A3§5), civil affairs (低保/特困 eligibility is checked against other registers by ID
/// number, A3§4) and HR & social security (pension-insurance enrolment, A3§4). Everyone else
/// with identity sees it masked.
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
    fn masks_agree_with_the_domain_types_on_valid_values() {
        let id = domain::id_number::IdNumber::parse("610202198001011232").unwrap();
        assert_eq!(mask_id_number("610202198001011232"), id.masked());
        let phone = domain::phone::PhoneNumber::parse("13812345678").unwrap();
        assert_eq!(mask_phone("13812345678"), phone.masked());
    }

    #[test]
    fn odd_lengths_and_non_ascii_values_are_masked_without_panicking() {
        assert_eq!(mask_id_number("610202800101123"), "610202*****1123");
        assert_eq!(mask_id_number("6102021234"), "**********");
        assert_eq!(mask_id_number("61020212345"), "610202*2345");
        assert_eq!(mask_phone("+8613812345678"), "+86*******5678");
        assert_eq!(mask_phone("1381234567"), "138***4567");
        assert_eq!(mask_phone("一二三四五六七八"), "一二三*五六七八");
        assert_eq!(mask_id_number("é"), "*");
    }

    #[test]
    fn nothing_of_an_id_number_shows_without_the_identity_domain() {
        let only_numbers = Permissions::from_grants([
            Grant {
                domain: DataDomain::IdNumber,
                can_read: true,
                can_write: false,
            },
            Grant {
                domain: DataDomain::Contact,
                can_read: true,
                can_write: false,
            },
        ]);
        assert_eq!(
            id_number_visibility(&only_numbers, true),
            Visibility::Forbidden
        );
        assert_eq!(phone_visibility(&only_numbers, true), Visibility::Forbidden);
        let nobody = Permissions::default();
        assert_eq!(id_number_visibility(&nobody, false), Visibility::Forbidden);
    }

    #[test]
    fn a_town_sees_phones_masked_and_in_full_with_a_reason_but_never_full_id_numbers() {
        let town = permissions_of("town:610202100");
        assert_eq!(phone_visibility(&town, false), Visibility::Masked);
        assert_eq!(phone_visibility(&town, true), Visibility::Full);
        assert_eq!(id_number_visibility(&town, false), Visibility::Masked);
        assert_eq!(id_number_visibility(&town, true), Visibility::Forbidden);
    }

    #[test]
    fn permissions_of_several_roles_add_up_and_write_needs_read() {
        let grant = |domain, can_read, can_write| Grant {
            domain,
            can_read,
            can_write,
        };
        let permissions = Permissions::from_grants([
            grant(DataDomain::Education, true, true),
            grant(DataDomain::Identity, true, false),
            grant(DataDomain::Health, false, true),
        ]);
        assert!(permissions.can_read(DataDomain::Education));
        assert!(permissions.can_write(DataDomain::Education));
        assert!(permissions.can_read(DataDomain::Identity));
        assert!(!permissions.can_write(DataDomain::Identity));
        assert!(!permissions.can_read(DataDomain::Health));
        assert!(!permissions.can_write(DataDomain::Health));
        assert!(!permissions.can_read(DataDomain::Party));
        let default = Permissions::default();
        assert!(DataDomain::ALL
            .iter()
            .all(|domain| !default.can_read(*domain) && !default.can_write(*domain)));
    }

    #[test]
    fn only_id_numbers_health_party_and_social_assistance_are_sensitive() {
        let sensitive: Vec<&str> = DataDomain::ALL
            .iter()
            .filter(|domain| domain.is_sensitive())
            .map(|domain| domain.code())
            .collect();
        assert_eq!(
            sensitive,
            vec!["id_number", "health", "social_assistance", "party"]
        );
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
    fn every_row_names_a_known_role_and_cites_its_clause_once_per_domain() {
        let mut seen = std::collections::BTreeSet::new();
        for row in default_policy() {
            assert!(
                RoleKind::of_role_code(row.role_code).is_some(),
                "{}",
                row.role_code
            );
            assert!(
                row.reason.contains('A') || row.reason.contains("等保"),
                "{}: {}",
                row.role_code,
                row.reason
            );
            assert!(row.can_read, "{} {:?}", row.role_code, row.domain);
            assert!(
                seen.insert((row.role_code, row.domain)),
                "{} {:?} twice",
                row.role_code,
                row.domain
            );
        }
        for role in [
            "town:610202100",
            "town:610202004",
            "provincial:relocation_group",
            "provincial:land_quota_platform",
        ] {
            assert!(seen.iter().any(|(code, _)| *code == role), "{role}");
        }
    }

    #[test]
    fn only_the_auditor_reads_the_audit_log_and_the_administrators_have_no_rows() {
        for row in default_policy() {
            let kind = RoleKind::of_role_code(row.role_code);
            assert!(
                !matches!(kind, Some(RoleKind::SystemAdmin | RoleKind::SecurityAdmin)),
                "{}",
                row.role_code
            );
            assert_eq!(
                row.domain == DataDomain::Audit,
                row.role_code == "auditor",
                "{} {:?}",
                row.role_code,
                row.domain
            );
        }
    }

    #[test]
    fn role_codes_tell_their_kind() {
        assert_eq!(
            RoleKind::of_role_code("bureau:hrss"),
            Some(RoleKind::Bureau)
        );
        assert_eq!(
            RoleKind::of_role_code("town:610202100"),
            Some(RoleKind::Town)
        );
        assert_eq!(
            RoleKind::of_role_code("provincial:relocation_group"),
            Some(RoleKind::Provincial)
        );
        assert_eq!(
            RoleKind::of_role_code("security_admin"),
            Some(RoleKind::SecurityAdmin)
        );
        for nonsense in ["bureau", "bureau:", "auditor:x", "root", "", ":"] {
            assert_eq!(RoleKind::of_role_code(nonsense), None, "{nonsense}");
        }
    }

    #[test]
    fn each_role_kind_has_exactly_its_capabilities() {
        use AdminCapability::*;
        let all = [
            ManageUsers,
            ManagePolicy,
            ReadAuditLog,
            UnlockUsers,
            ChangeData,
        ];
        let expected = |kind| -> &'static [AdminCapability] {
            match kind {
                RoleKind::SystemAdmin => &[ManageUsers],
                RoleKind::SecurityAdmin => &[ManagePolicy, UnlockUsers],
                RoleKind::Auditor => &[ReadAuditLog],
                RoleKind::Bureau | RoleKind::Town | RoleKind::Provincial => &[ChangeData],
            }
        };
        for kind in RoleKind::ALL {
            for capability in all {
                assert_eq!(
                    role_kind_has(*kind, capability),
                    expected(*kind).contains(&capability),
                    "{kind:?} {capability:?}"
                );
            }
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
