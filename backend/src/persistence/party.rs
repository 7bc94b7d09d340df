//! Queries and writes of party building (annex 6): organisations of the sites, members and their
//! relation transfers, committees, "三会一课" meetings and the monthly visits. Every write is one
//! transaction with its audit entry and the alert refresh; reads of membership are audited by
//! the caller (`graphql::party`).
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use domain::party::{RelationHeldAt, RelationTransferStatus};
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder,
    Select, Set,
};

use super::alerts::{refresh_alerts, AlertScope};
use super::database::begin_write;
use super::entities::{
    household, party_committee_member, party_meeting, party_member, party_organisation,
    party_relation_transfer, party_visit, person, site,
};
use super::land::page_by_id;
use super::paging::PageRequest;
use super::registry::Page;
use super::registry_writes::{audit, Actor};
use super::scope::sites_of_towns;
use crate::error::{ApiError, ApiResult};

/// Which sites a query covers: one site, the principal's towns, or both.
#[derive(Debug, Clone, Default)]
pub struct SiteScope {
    pub site_id: Option<i64>,
    pub town_ids: Option<Vec<i64>>,
}

impl SiteScope {
    fn sites(&self) -> Option<SelectStatement> {
        let mut query = Query::select();
        query.column(site::Column::Id).from(site::Entity);
        match (self.site_id, &self.town_ids) {
            (None, None) => return None,
            (Some(site_id), towns) => {
                query.and_where(site::Column::Id.eq(site_id));
                if let Some(towns) = towns {
                    query.and_where(site::Column::TownId.is_in(towns.iter().copied()));
                }
            }
            (None, Some(towns)) => return Some(sites_of_towns(towns)),
        }
        Some(query.to_owned())
    }
}

/// Members whose site is in `sites`: by the household of the person they are, or, for members
/// not registered as relocated persons, by their organisation's site.
fn members_at(sites: SelectStatement) -> Condition {
    let persons = Query::select()
        .column(person::Column::Id)
        .from(person::Entity)
        .and_where(
            person::Column::HouseholdId.in_subquery(
                Query::select()
                    .column(household::Column::Id)
                    .from(household::Entity)
                    .and_where(household::Column::SiteId.in_subquery(sites.clone()))
                    .to_owned(),
            ),
        )
        .to_owned();
    let organisations = Query::select()
        .column(party_organisation::Column::Id)
        .from(party_organisation::Entity)
        .and_where(party_organisation::Column::SiteId.in_subquery(sites))
        .to_owned();
    Condition::any()
        .add(party_member::Column::PersonId.in_subquery(persons))
        .add(
            Condition::all()
                .add(party_member::Column::PersonId.is_null())
                .add(party_member::Column::OrganisationId.in_subquery(organisations)),
        )
}

fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sites a principal may see, filtered to one if given, in id order (a district has a
/// handful).
pub async fn sites(db: &impl ConnectionTrait, scope: &SiteScope) -> ApiResult<Vec<site::Model>> {
    let mut select = site::Entity::find();
    if let Some(site_id) = scope.site_id {
        select = select.filter(site::Column::Id.eq(site_id));
    }
    if let Some(towns) = &scope.town_ids {
        select = select.filter(site::Column::TownId.is_in(towns.iter().copied()));
    }
    Ok(select.order_by_asc(site::Column::Id).all(db).await?)
}

/// Members per site and standing: (site, status) → count, in one statement. Archived persons
/// and households do not count.
pub async fn member_counts_by_site(
    db: &impl ConnectionTrait,
    site_ids: &[i64],
) -> ApiResult<HashMap<(i64, String), i64>> {
    #[derive(FromQueryResult)]
    struct Row {
        site_id: i64,
        status: String,
        members: i64,
    }
    if site_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT COALESCE(h.site_id, o.site_id) AS site_id, m.status AS status,
                CAST(COUNT(*) AS BIGINT) AS members
         FROM party_member m
         LEFT JOIN person p ON p.id = m.person_id
         LEFT JOIN household h ON h.id = p.household_id
         LEFT JOIN party_organisation o ON o.id = m.organisation_id
         WHERE (m.person_id IS NULL OR (p.archived_at IS NULL AND h.archived_at IS NULL))
           AND COALESCE(h.site_id, o.site_id) IN ({})
         GROUP BY COALESCE(h.site_id, o.site_id), m.status",
        id_list(site_ids)
    );
    let rows = Row::find_by_statement(sea_orm::Statement::from_string(
        db.get_database_backend(),
        sql,
    ))
    .all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ((row.site_id, row.status), row.members))
        .collect())
}

/// The site of each member (see [`members_at`]), in one statement.
pub async fn sites_of_members(
    db: &impl ConnectionTrait,
    member_ids: &[i64],
) -> ApiResult<HashMap<i64, i64>> {
    #[derive(FromQueryResult)]
    struct Row {
        member_id: i64,
        site_id: Option<i64>,
    }
    if member_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT m.id AS member_id, COALESCE(h.site_id, o.site_id) AS site_id
         FROM party_member m
         LEFT JOIN person p ON p.id = m.person_id
         LEFT JOIN household h ON h.id = p.household_id
         LEFT JOIN party_organisation o ON o.id = m.organisation_id
         WHERE m.id IN ({})",
        id_list(member_ids)
    );
    let rows = Row::find_by_statement(sea_orm::Statement::from_string(
        db.get_database_backend(),
        sql,
    ))
    .all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| row.site_id.map(|site| (row.member_id, site)))
        .collect())
}

/// The current (not dissolved) organisation of each site.
pub async fn current_organisations(
    db: &impl ConnectionTrait,
    site_ids: &[i64],
) -> ApiResult<HashMap<i64, party_organisation::Model>> {
    if site_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(party_organisation::Entity::find()
        .filter(party_organisation::Column::SiteId.is_in(site_ids.iter().copied()))
        .filter(party_organisation::Column::DissolvedOn.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|organisation| (organisation.site_id, organisation))
        .collect())
}

pub async fn find_organisation(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<party_organisation::Model>> {
    Ok(party_organisation::Entity::find_by_id(id).one(db).await?)
}

pub async fn find_member(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<party_member::Model>> {
    Ok(party_member::Entity::find_by_id(id).one(db).await?)
}

pub async fn find_relation_transfer(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<party_relation_transfer::Model>> {
    Ok(party_relation_transfer::Entity::find_by_id(id)
        .one(db)
        .await?)
}

pub async fn members_by_id(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> ApiResult<HashMap<i64, party_member::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(party_member::Entity::find()
        .filter(party_member::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|member| (member.id, member))
        .collect())
}

/// Which members to list.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    pub sites: SiteScope,
    pub status: Option<&'static str>,
}

fn members(filter: &MemberFilter) -> Select<party_member::Entity> {
    let mut select = party_member::Entity::find();
    if let Some(sites) = filter.sites.sites() {
        select = select.filter(members_at(sites));
    }
    if let Some(status) = filter.status {
        select = select.filter(party_member::Column::Status.eq(status));
    }
    select
}

pub async fn member_page(
    db: &impl ConnectionTrait,
    filter: &MemberFilter,
    page: &PageRequest,
) -> ApiResult<Page<party_member::Model>> {
    Ok(page_by_id(db, members(filter), party_member::Column::Id, page).await?)
}

pub async fn count_members(db: &impl ConnectionTrait, filter: &MemberFilter) -> ApiResult<i64> {
    Ok(members(filter).count(db).await? as i64)
}

fn relation_transfers(
    sites: &SiteScope,
    status: Option<&'static str>,
) -> Select<party_relation_transfer::Entity> {
    let mut select = party_relation_transfer::Entity::find();
    if let Some(sites) = sites.sites() {
        select = select.filter(
            party_relation_transfer::Column::MemberId.in_subquery(
                Query::select()
                    .column(party_member::Column::Id)
                    .from(party_member::Entity)
                    .cond_where(members_at(sites))
                    .to_owned(),
            ),
        );
    }
    if let Some(status) = status {
        select = select.filter(party_relation_transfer::Column::Status.eq(status));
    }
    select
}

pub async fn relation_transfer_page(
    db: &impl ConnectionTrait,
    sites: &SiteScope,
    status: Option<&'static str>,
    page: &PageRequest,
) -> ApiResult<Page<party_relation_transfer::Model>> {
    Ok(page_by_id(
        db,
        relation_transfers(sites, status),
        party_relation_transfer::Column::Id,
        page,
    )
    .await?)
}

pub async fn count_relation_transfers(
    db: &impl ConnectionTrait,
    sites: &SiteScope,
    status: Option<&'static str>,
) -> ApiResult<i64> {
    Ok(relation_transfers(sites, status).count(db).await? as i64)
}

fn meetings(organisation_id: i64) -> Select<party_meeting::Entity> {
    party_meeting::Entity::find().filter(party_meeting::Column::OrganisationId.eq(organisation_id))
}

pub async fn meeting_page(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    page: &PageRequest,
) -> ApiResult<Page<party_meeting::Model>> {
    Ok(page_by_id(
        db,
        meetings(organisation_id),
        party_meeting::Column::Id,
        page,
    )
    .await?)
}

pub async fn count_meetings(db: &impl ConnectionTrait, organisation_id: i64) -> ApiResult<i64> {
    Ok(meetings(organisation_id).count(db).await? as i64)
}

fn visits(sites: &SiteScope, member_id: Option<i64>) -> Select<party_visit::Entity> {
    let mut select = party_visit::Entity::find();
    if let Some(sites) = sites.sites() {
        select = select.filter(
            party_visit::Column::HouseholdId.in_subquery(
                Query::select()
                    .column(household::Column::Id)
                    .from(household::Entity)
                    .and_where(household::Column::SiteId.in_subquery(sites))
                    .to_owned(),
            ),
        );
    }
    if let Some(member_id) = member_id {
        select = select.filter(party_visit::Column::MemberId.eq(member_id));
    }
    select
}

pub async fn visit_page(
    db: &impl ConnectionTrait,
    sites: &SiteScope,
    member_id: Option<i64>,
    page: &PageRequest,
) -> ApiResult<Page<party_visit::Model>> {
    Ok(page_by_id(db, visits(sites, member_id), party_visit::Column::Id, page).await?)
}

pub async fn count_visits(
    db: &impl ConnectionTrait,
    sites: &SiteScope,
    member_id: Option<i64>,
) -> ApiResult<i64> {
    Ok(visits(sites, member_id).count(db).await? as i64)
}

/// One committee seat of a site's current organisation, with its holder and visit dates.
#[derive(Debug, Clone)]
pub struct CommitteeSeat {
    pub seat: party_committee_member::Model,
    pub organisation: party_organisation::Model,
    pub member: party_member::Model,
    /// The holder's visit dates within the period asked for.
    pub visits: Vec<NaiveDate>,
}

/// The committee seats of the current organisations of `sites` with the holders' visits from
/// `from` through `through` (four statements, whatever the number of seats).
pub async fn committee_visits(
    db: &impl ConnectionTrait,
    sites: &SiteScope,
    from: NaiveDate,
    through: NaiveDate,
) -> ApiResult<Vec<CommitteeSeat>> {
    let mut organisations = party_organisation::Entity::find()
        .filter(party_organisation::Column::DissolvedOn.is_null());
    if let Some(sites) = sites.sites() {
        organisations = organisations.filter(party_organisation::Column::SiteId.in_subquery(sites));
    }
    let organisations: HashMap<i64, party_organisation::Model> = organisations
        .all(db)
        .await?
        .into_iter()
        .map(|organisation| (organisation.id, organisation))
        .collect();
    if organisations.is_empty() {
        return Ok(Vec::new());
    }
    let seats = party_committee_member::Entity::find()
        .filter(party_committee_member::Column::OrganisationId.is_in(organisations.keys().copied()))
        .filter(party_committee_member::Column::StartsOn.lte(through))
        .filter(
            Condition::any()
                .add(party_committee_member::Column::EndsOn.is_null())
                .add(party_committee_member::Column::EndsOn.gte(from)),
        )
        .order_by_asc(party_committee_member::Column::OrganisationId)
        .order_by_asc(party_committee_member::Column::Id)
        .all(db)
        .await?;
    let member_ids: Vec<i64> = seats.iter().map(|seat| seat.member_id).collect();
    let holders = members_by_id(db, &member_ids).await?;
    let mut dates: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    if !member_ids.is_empty() {
        let rows = party_visit::Entity::find()
            .filter(party_visit::Column::MemberId.is_in(member_ids.iter().copied()))
            .filter(party_visit::Column::VisitedOn.gte(from))
            .filter(party_visit::Column::VisitedOn.lte(through))
            .all(db)
            .await?;
        for visit in rows {
            dates
                .entry(visit.member_id)
                .or_default()
                .push(visit.visited_on);
        }
    }
    let mut result = Vec::with_capacity(seats.len());
    for seat in seats {
        let (Some(organisation), Some(member)) = (
            organisations.get(&seat.organisation_id).cloned(),
            holders.get(&seat.member_id).cloned(),
        ) else {
            continue;
        };
        result.push(CommitteeSeat {
            visits: dates.get(&seat.member_id).cloned().unwrap_or_default(),
            seat,
            organisation,
            member,
        });
    }
    Ok(result)
}

// ---------------------------------------------------------------------------------------------
// Writes

/// A member to record; the name is the registered person's.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub person_id: i64,
    pub organisation_id: Option<i64>,
    pub status: &'static str,
    pub joined_on: Option<NaiveDate>,
    pub became_formal_on: Option<NaiveDate>,
    pub relation_held_at: RelationHeldAt,
    pub relation_organisation_name: String,
}

/// The site of a registered person (`None` when the person does not exist).
pub async fn site_of_person(db: &impl ConnectionTrait, person_id: i64) -> ApiResult<Option<i64>> {
    let Some(found) = person::Entity::find_by_id(person_id).one(db).await? else {
        return Ok(None);
    };
    Ok(household::Entity::find_by_id(found.household_id)
        .one(db)
        .await?
        .map(|household| household.site_id))
}

pub async fn add_member(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewMember,
) -> ApiResult<party_member::Model> {
    let transaction = begin_write(db).await?;
    let found = person::Entity::find_by_id(new.person_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::invalid("input.personId", "this person does not exist"))?;
    if found.archived_at.is_some() {
        return Err(ApiError::Conflict(
            "this person is archived; an archived person is not recorded as a party member".into(),
        ));
    }
    let site_id = site_of_person(&transaction, new.person_id)
        .await?
        .ok_or_else(|| ApiError::invalid("input.personId", "this person does not exist"))?;
    if let Some(organisation_id) = new.organisation_id {
        let organisation = find_organisation(&transaction, organisation_id)
            .await?
            .ok_or_else(|| {
                ApiError::invalid(
                    "input.organisationId",
                    "this party organisation does not exist",
                )
            })?;
        if organisation.site_id != site_id || organisation.dissolved_on.is_some() {
            return Err(ApiError::invalid(
                "input.organisationId",
                "the organisation must be the current party organisation of the person's site",
            ));
        }
    }
    let already = party_member::Entity::find()
        .filter(party_member::Column::PersonId.eq(new.person_id))
        .count(&transaction)
        .await?;
    if already > 0 {
        return Err(ApiError::Conflict(
            "this person is already recorded as a party member, probationary member or activist"
                .into(),
        ));
    }
    let now = Utc::now();
    let stored = party_member::ActiveModel {
        person_id: Set(Some(new.person_id)),
        name: Set(found.name),
        organisation_id: Set(new.organisation_id),
        status: Set(new.status.to_string()),
        joined_on: Set(new.joined_on),
        became_formal_on: Set(new.became_formal_on),
        relation_held_at: Set(new.relation_held_at.code().to_string()),
        relation_organisation_name: Set(new.relation_organisation_name),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "party_member.create",
        "PartyMember",
        stored.id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Sites(vec![site_id])).await?;
    transaction.commit().await?;
    Ok(stored)
}

#[derive(Debug, Clone)]
pub struct NewRelationTransfer {
    pub member_id: i64,
    pub to_organisation_id: Option<i64>,
    pub to_organisation_name: String,
    pub requested_on: NaiveDate,
    pub reason: String,
}

/// Opens a transfer of a member's organisational relation; the member's relation is
/// "transferring" until it is settled.
pub async fn request_relation_transfer(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewRelationTransfer,
) -> ApiResult<party_relation_transfer::Model> {
    let transaction = begin_write(db).await?;
    let member = find_member(&transaction, new.member_id)
        .await?
        .ok_or_else(|| ApiError::not_found("PartyMember", "with this ID"))?;
    let open = party_relation_transfer::Entity::find()
        .filter(party_relation_transfer::Column::MemberId.eq(member.id))
        .filter(
            party_relation_transfer::Column::Status.eq(RelationTransferStatus::Requested.code()),
        )
        .count(&transaction)
        .await?;
    if open > 0 {
        return Err(ApiError::Conflict(
            "this member's relation is already being transferred: settle that transfer first"
                .into(),
        ));
    }
    let to_name = match new.to_organisation_id {
        Some(id) => {
            find_organisation(&transaction, id)
                .await?
                .ok_or_else(|| {
                    ApiError::invalid(
                        "input.toOrganisationId",
                        "this party organisation does not exist",
                    )
                })?
                .name
        }
        None => new.to_organisation_name,
    };
    let now = Utc::now();
    let stored = party_relation_transfer::ActiveModel {
        member_id: Set(member.id),
        from_organisation_id: Set(member.organisation_id),
        from_organisation_name: Set(member.relation_organisation_name.clone()),
        to_organisation_id: Set(new.to_organisation_id),
        to_organisation_name: Set(to_name),
        requested_on: Set(new.requested_on),
        completed_on: Set(None),
        status: Set(RelationTransferStatus::Requested.code().to_string()),
        reason: Set(new.reason),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    update_member_relation(
        &transaction,
        actor,
        &member,
        RelationHeldAt::Transferring,
        member.organisation_id,
        member.relation_organisation_name.clone(),
    )
    .await?;
    audit(
        &transaction,
        actor,
        "party_relation_transfer.create",
        "PartyRelationTransfer",
        stored.id,
        None,
    )
    .await?;
    let sites = sites_of_members(&transaction, &[member.id]).await?;
    refresh_alerts(
        &transaction,
        AlertScope::Sites(sites.into_values().collect()),
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

/// Completes or rejects a requested transfer; a completed one moves the member's relation to
/// the receiving organisation.
pub async fn settle_relation_transfer(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    outcome: RelationTransferStatus,
    settled_on: NaiveDate,
) -> ApiResult<party_relation_transfer::Model> {
    let transaction = begin_write(db).await?;
    let current = party_relation_transfer::Entity::find_by_id(id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("PartyRelationTransfer", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version(
            "party relation transfer",
            id,
            expected_version,
        ));
    }
    let status = RelationTransferStatus::from_code(&current.status).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "transfer {id} has the unknown status {}",
            current.status
        ))
    })?;
    let settled =
        domain::party::settle_relation_transfer(status, outcome, current.requested_on, settled_on)
            .map_err(|error| match error {
                domain::party::PartyRuleError::TransferEndsBeforeRequest { .. } => {
                    ApiError::invalid("input.settledOn", error)
                }
                _ => ApiError::Conflict(error.to_string()),
            })?;
    let result = party_relation_transfer::Entity::update_many()
        .col_expr(
            party_relation_transfer::Column::Status,
            Expr::value(settled.code()),
        )
        .col_expr(
            party_relation_transfer::Column::CompletedOn,
            Expr::value(settled_on),
        )
        .col_expr(
            party_relation_transfer::Column::Version,
            Expr::value(expected_version + 1),
        )
        .col_expr(
            party_relation_transfer::Column::UpdatedAt,
            Expr::value(Utc::now()),
        )
        .col_expr(
            party_relation_transfer::Column::UpdatedBy,
            Expr::value(actor.user_id),
        )
        .filter(party_relation_transfer::Column::Id.eq(id))
        .filter(party_relation_transfer::Column::Version.eq(expected_version))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version(
            "party relation transfer",
            id,
            expected_version,
        ));
    }
    let member = find_member(&transaction, current.member_id)
        .await?
        .ok_or_else(|| ApiError::not_found("PartyMember", "with this ID"))?;
    if settled == RelationTransferStatus::Completed {
        let held_at = match current.to_organisation_id {
            Some(_) => RelationHeldAt::SiteOrganisation,
            None => RelationHeldAt::LocalOrganisation,
        };
        update_member_relation(
            &transaction,
            actor,
            &member,
            held_at,
            current.to_organisation_id,
            current.to_organisation_name.clone(),
        )
        .await?;
    } else {
        let held_at = match current.from_organisation_id {
            Some(_) => RelationHeldAt::SiteOrganisation,
            None => RelationHeldAt::OriginOrganisation,
        };
        update_member_relation(
            &transaction,
            actor,
            &member,
            held_at,
            current.from_organisation_id,
            current.from_organisation_name.clone(),
        )
        .await?;
    }
    audit(
        &transaction,
        actor,
        "party_relation_transfer.settle",
        "PartyRelationTransfer",
        id,
        Some(settled.code().to_string()),
    )
    .await?;
    let sites = sites_of_members(&transaction, &[member.id]).await?;
    refresh_alerts(
        &transaction,
        AlertScope::Sites(sites.into_values().collect()),
    )
    .await?;
    let updated = party_relation_transfer::Entity::find_by_id(id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("PartyRelationTransfer", "with this ID"))?;
    transaction.commit().await?;
    Ok(updated)
}

async fn update_member_relation(
    transaction: &DatabaseTransaction,
    actor: &Actor,
    member: &party_member::Model,
    held_at: RelationHeldAt,
    organisation_id: Option<i64>,
    organisation_name: String,
) -> ApiResult<()> {
    let result = party_member::Entity::update_many()
        .col_expr(
            party_member::Column::RelationHeldAt,
            Expr::value(held_at.code()),
        )
        .col_expr(
            party_member::Column::OrganisationId,
            Expr::value(organisation_id),
        )
        .col_expr(
            party_member::Column::RelationOrganisationName,
            Expr::value(organisation_name),
        )
        .col_expr(
            party_member::Column::Version,
            Expr::value(member.version + 1),
        )
        .col_expr(party_member::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(party_member::Column::UpdatedBy, Expr::value(actor.user_id))
        .filter(party_member::Column::Id.eq(member.id))
        .filter(party_member::Column::Version.eq(member.version))
        .exec(transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version(
            "party member",
            member.id,
            member.version,
        ));
    }
    audit(
        transaction,
        actor,
        "party_member.relation",
        "PartyMember",
        member.id,
        Some(held_at.code().to_string()),
    )
    .await
}

#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub organisation_id: i64,
    pub kind: &'static str,
    pub held_on: NaiveDate,
    pub topic: String,
    pub attendees_count: i32,
    pub notes: String,
}

pub async fn record_meeting(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewMeeting,
) -> ApiResult<party_meeting::Model> {
    let transaction = begin_write(db).await?;
    let now = Utc::now();
    let stored = party_meeting::ActiveModel {
        organisation_id: Set(new.organisation_id),
        kind: Set(new.kind.to_string()),
        held_on: Set(new.held_on),
        topic: Set(new.topic),
        attendees_count: Set(new.attendees_count),
        notes: Set(new.notes),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "party_meeting.create",
        "PartyMeeting",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

#[derive(Debug, Clone)]
pub struct NewVisit {
    pub member_id: i64,
    pub household_id: i64,
    pub visited_on: NaiveDate,
    pub notes: String,
    pub problems_raised: String,
    pub resolved: bool,
}

/// Records a visit by a committee member of the household's site organisation (A6§2.2): the
/// member must hold a seat on that committee on the day of the visit.
pub async fn record_visit(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewVisit,
) -> ApiResult<party_visit::Model> {
    let transaction = begin_write(db).await?;
    let site_id = household::Entity::find_by_id(new.household_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::invalid("input.householdId", "this household does not exist"))?
        .site_id;
    let organisations: Vec<i64> = party_organisation::Entity::find()
        .filter(party_organisation::Column::SiteId.eq(site_id))
        .filter(party_organisation::Column::EstablishedOn.lte(new.visited_on))
        .filter(
            Condition::any()
                .add(party_organisation::Column::DissolvedOn.is_null())
                .add(party_organisation::Column::DissolvedOn.gte(new.visited_on)),
        )
        .all(&transaction)
        .await?
        .into_iter()
        .map(|organisation| organisation.id)
        .collect();
    let seats = party_committee_member::Entity::find()
        .filter(party_committee_member::Column::MemberId.eq(new.member_id))
        .filter(party_committee_member::Column::OrganisationId.is_in(organisations))
        .all(&transaction)
        .await?;
    if !seats
        .iter()
        .any(|seat| domain::party::serves_on(seat.starts_on, seat.ends_on, new.visited_on))
    {
        return Err(ApiError::invalid(
            "input.memberId",
            domain::party::PartyRuleError::NotACommitteeMember {
                visited_on: new.visited_on,
            },
        ));
    }
    let now = Utc::now();
    let stored = party_visit::ActiveModel {
        member_id: Set(new.member_id),
        household_id: Set(new.household_id),
        visited_on: Set(new.visited_on),
        notes: Set(new.notes),
        problems_raised: Set(new.problems_raised),
        resolved: Set(new.resolved),
        recorded_by_user_id: Set(actor.user_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "party_visit.create",
        "PartyVisit",
        stored.id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Sites(vec![site_id])).await?;
    transaction.commit().await?;
    Ok(stored)
}
