//! The only module that talks to the server: typed GraphQL queries POSTed to `{api_base}/graphql`,
//! signed with the in-memory access token of [`session`].

mod assessment;
mod client;
mod files;
pub mod model;
mod queries;
mod responsibility;
mod session;

use graphql_client::GraphQLQuery;

pub use assessment::{fetch_assessment_index, fetch_assessment_results};
pub use client::ApiError;
use client::Partial;
pub use files::{download, evidence_problem, upload_evidence, EVIDENCE_ACCEPT};
use model::{
    DistrictOverview, HouseholdDetail, HouseholdPage, HouseholdSummary, Member, OverviewData,
    RuleOutcome, SiteDetail, SiteSummary,
};
pub use responsibility::{
    decide_deadline_extension, fetch_inbox, fetch_matrix, fetch_my_tasks, fetch_task,
    request_deadline_extension, review_progress_report, submit_progress_report,
};
use session::session_grant;
pub use session::{state as session_state, SessionState, SignOutReason};

/// The signed-in user, if any (not reactive: pages live only while someone is signed in).
pub fn signed_in_user() -> Option<std::sync::Arc<model::Me>> {
    match session::current() {
        SessionState::SignedIn(me) => Some(me),
        SessionState::Restoring | SessionState::SignedOut(_) => None,
    }
}

/// How many households one 加载更多 click fetches.
pub const HOUSEHOLD_PAGE_SIZE: i64 = 20;

/// Sends one operation with the access token. When the server says the sign-in is not valid
/// (HTTP 401, `UNAUTHENTICATED`, `SESSION_EXPIRED`, `TOKEN_*`), renews the token once and
/// retries; if that fails too, the session ends and the app shows the login page.
async fn run<Q: GraphQLQuery>(
    variables: Q::Variables,
) -> Result<Partial<Q::ResponseData>, ApiError> {
    let body = serde_json::to_string(&Q::build_query(variables))
        .map_err(|_| ApiError::UnexpectedResponse { status: 0 })?;
    run_body(body).await
}

/// Runs a query or mutation written out as text (the ledgers' and other generic pages'),
/// with the same token handling as [`run`]. The answer is the raw `data` with the paths of
/// fields withheld from the user (`FORBIDDEN_FIELD`); any other error fails it.
pub async fn run_raw(query: &str, variables: serde_json::Value) -> Result<RawData, ApiError> {
    let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
    let Partial { data, forbidden } = run_body::<serde_json::Value>(body).await?;
    Ok(RawData { data, forbidden })
}

/// The `data` of [`run_raw`], with where the server withheld fields.
pub struct RawData {
    pub data: serde_json::Value,
    forbidden: client::ForbiddenFields,
}

impl RawData {
    /// Whether the server withheld the field at `path` (`jobPostings.nodes.3.contactPhone`).
    pub fn is_forbidden(&self, path: &str) -> bool {
        self.forbidden.contains(path)
    }
}

async fn run_body<T: serde::de::DeserializeOwned>(body: String) -> Result<Partial<T>, ApiError> {
    let started = session::epoch();
    if session::renewal_due() {
        // A failure shows in the answer below.
        session::refresh().await;
    }
    let mut answer = client::post(&body, session::bearer().as_deref()).await?;
    if let Some(problem) = answer.sign_in_problem() {
        if !session::refresh().await {
            if session::epoch() == started {
                session::end(Some(SignOutReason::Expired));
            }
            return Err(problem);
        }
        answer = client::post(&body, session::bearer().as_deref()).await?;
        if let Some(problem) = answer.sign_in_problem() {
            if session::epoch() == started {
                session::end(Some(SignOutReason::Expired));
            }
            return Err(problem);
        }
    }
    let partial = answer.into_partial();
    if let Err(error) = &partial {
        if error.code() == Some("PASSWORD_CHANGE_REQUIRED") {
            session::require_password_change();
        }
    }
    partial
}

/// At start-up: resumes the session of the HttpOnly refresh cookie, if the browser has one.
pub async fn restore_session() {
    if !session::refresh().await && matches!(session::current(), SessionState::Restoring) {
        session::end(None);
    }
}

/// Signs in with a username and password.
pub async fn sign_in(username: String, password: String) -> Result<(), ApiError> {
    use queries::login::{LoginInput, Variables};
    let body = serde_json::to_string(&queries::Login::build_query(Variables {
        input: LoginInput { username, password },
    }))
    .map_err(|_| ApiError::UnexpectedResponse { status: 0 })?;
    let answer = client::post(&body, None).await?;
    let partial = answer.into_partial::<queries::login::ResponseData>()?;
    session::begin(session_grant!(partial.data.login));
    Ok(())
}

/// 退出登录: ends the session on the server (which also clears the refresh cookie) and forgets
/// it here, whatever the server answers.
pub async fn sign_out() {
    let _ = run::<queries::Logout>(queries::logout::Variables {}).await;
    session::end(Some(SignOutReason::LoggedOut));
}

/// Changes the signed-in user's password. The server ends every session, so the app signs in
/// again with the new password.
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), ApiError> {
    use queries::change_password::{ChangePasswordInput, Variables};
    let username = session::username();
    run::<queries::ChangePassword>(Variables {
        input: ChangePasswordInput {
            current_password,
            new_password: new_password.clone(),
        },
    })
    .await?;
    let signed_in_again = match username {
        Some(username) => sign_in(username, new_password).await.is_ok(),
        None => false,
    };
    if !signed_in_again {
        session::end(Some(SignOutReason::PasswordChanged));
    }
    Ok(())
}

/// The district numbers and every site, for 区级总览.
pub async fn fetch_district_overview() -> Result<OverviewData, ApiError> {
    let data = run::<queries::DistrictOverview>(queries::district_overview::Variables {})
        .await?
        .data;
    let numbers = data.district_overview;
    let sites = data
        .sites
        .nodes
        .into_iter()
        .map(|site| SiteSummary {
            id: site.id,
            name: site.name,
            town_name: site.town.name,
            community_name: site.community.name,
            household_count: site.household_count,
            population: site.population,
        })
        .collect();
    Ok(OverviewData {
        overview: DistrictOverview {
            site_count: numbers.site_count,
            household_count: numbers.household_count,
            population: numbers.population,
            labour_force_count: numbers.labour_force_count,
            employed_count: numbers.employed_count,
            zero_employment_household_count: numbers.zero_employment_household_count,
        },
        sites,
    })
}

/// One site with its counts and rule outcomes; `NotFound` when the id names no site.
pub async fn fetch_site(id: String) -> Result<SiteDetail, ApiError> {
    use queries::site_detail::{SiteDetailNode, Variables};
    let data = run::<queries::SiteDetail>(Variables { id }).await?.data;
    let Some(SiteDetailNode::Site(site)) = data.node else {
        return Err(ApiError::NotFound {
            what: "该安置点"
        });
    };
    Ok(SiteDetail {
        id: site.id,
        code: site.code,
        name: site.name,
        address: site.address,
        area_type: site.area_type,
        town_name: site.town.name,
        town_kind: site.town.kind,
        community_name: site.community.name,
        household_count: site.household_count,
        population: site.population,
        labour_force_count: site.labour_force_count,
        employed_count: site.employed_count,
        zero_employment_household_count: site.zero_employment_household_count,
        formal_party_member_count: site.formal_party_member_count,
        governance_unit: RuleOutcome {
            label: site.governance_unit.label,
            basis: site.governance_unit.basis,
            clause: site.governance_unit.clause,
        },
        party_organisation: RuleOutcome {
            label: site.party_organisation_requirement.label,
            basis: site.party_organisation_requirement.basis,
            clause: site.party_organisation_requirement.clause,
        },
    })
}

/// One page of a site's households, starting after `after` (the previous page's end cursor).
pub async fn fetch_site_households(
    site_id: String,
    after: Option<String>,
) -> Result<HouseholdPage, ApiError> {
    use queries::site_households::{SiteHouseholdsNode, Variables};
    let variables = Variables {
        id: site_id,
        first: HOUSEHOLD_PAGE_SIZE,
        after,
    };
    let Partial { data, forbidden } = run::<queries::SiteHouseholds>(variables).await?;
    let Some(SiteHouseholdsNode::Site(site)) = data.node else {
        return Err(ApiError::NotFound {
            what: "该安置点"
        });
    };
    let connection = site.households;
    let next_cursor = if connection.page_info.has_next_page {
        connection.page_info.end_cursor
    } else {
        None
    };
    let households = connection
        .nodes
        .into_iter()
        .enumerate()
        .map(|(index, household)| {
            let at = |field: &str| format!("node.households.nodes.{index}.{field}");
            HouseholdSummary {
                id: household.id,
                code: forbidden.guard(household.code, &at("code")),
                flat_label: forbidden.guard(household.flat_label, &at("flatLabel")),
                head_name: forbidden.guard(household.head_name, &at("headName")),
                member_count: forbidden.guard(household.member_count, &at("memberCount")),
                registered_poor: forbidden.guard(household.registered_poor, &at("registeredPoor")),
                is_zero_employment: forbidden
                    .guard(household.is_zero_employment, &at("isZeroEmployment")),
            }
        })
        .collect();
    Ok(HouseholdPage {
        total_count: connection.total_count,
        next_cursor,
        households,
    })
}

/// One household with its members; `NotFound` when the id names no household. Fields the
/// user's roles may not read come back as [`model::Guarded::Forbidden`].
pub async fn fetch_household(id: String) -> Result<HouseholdDetail, ApiError> {
    use queries::household_detail::{HouseholdDetailNode, Variables};
    let Partial { data, forbidden } = run::<queries::HouseholdDetail>(Variables { id }).await?;
    let Some(HouseholdDetailNode::Household(household)) = data.node else {
        return Err(ApiError::NotFound {
            what: "该搬迁户"
        });
    };
    let at = |field: &str| format!("node.{field}");
    let members = household.members.map(|members| {
        members
            .into_iter()
            .enumerate()
            .map(|(index, member)| {
                let at = |field: &str| format!("node.members.{index}.{field}");
                Member {
                    id: member.id,
                    name: forbidden.guard(member.name, &at("name")),
                    relation: forbidden.guard(member.relation, &at("relation")),
                    sex: forbidden.guard(member.sex, &at("sex")),
                    age: forbidden.guard(member.age, &at("age")),
                    age_band: forbidden.guard(member.age_band, &at("ageBand")),
                    labour_capacity: forbidden.guard(member.labour_capacity, &at("labourCapacity")),
                    employment_status: forbidden
                        .guard(member.employment_status, &at("employmentStatus")),
                    id_number: forbidden.guard(member.id_number, &at("idNumber")),
                    phone: forbidden.guard(member.phone, &at("phone")),
                }
            })
            .collect()
    });
    Ok(HouseholdDetail {
        id: household.id,
        code: forbidden.guard(household.code, &at("code")),
        flat_label: forbidden.guard(household.flat_label, &at("flatLabel")),
        registered_poor: forbidden.guard(household.registered_poor, &at("registeredPoor")),
        relocated_on: forbidden.guard(household.relocated_on, &at("relocatedOn")),
        head_name: forbidden.guard(household.head_name, &at("headName")),
        member_count: forbidden.guard(household.member_count, &at("memberCount")),
        labour_force_count: forbidden.guard(household.labour_force_count, &at("labourForceCount")),
        employed_count: forbidden.guard(household.employed_count, &at("employedCount")),
        is_zero_employment: forbidden.guard(household.is_zero_employment, &at("isZeroEmployment")),
        archived: household.archived_at.is_some(),
        site_id: household.site.id,
        site_name: household.site.name,
        origin_village_name: forbidden.guard(
            household.origin_village.map(|village| village.name),
            &at("originVillage"),
        ),
        members: forbidden.guard(members, &at("members")),
    })
}

mod alerts;
pub use alerts::{
    alert_rule, alerts_export_path, fetch_alert_counts, fetch_alert_dashboard, fetch_alerts,
    fetch_site_alert_count, resolve_alert, unit_label, Alert, AlertCounts, AlertDashboard,
    AlertFilter, AlertState, AlertSubject, RuleAlertCount, SiteChoice, UnitAlertCount, ALERT_RULES,
};

mod imports;
pub use imports::{
    download_import_template, import_file_problem, upload_import, ImportKind, ImportReport,
    IMPORT_ACCEPT,
};
