//! Land linkage over GraphQL (annex 5, 城乡建设用地增减挂钩): old homesteads and their
//! reclamation, projects, savings quotas with their ledger, transfers through the provincial
//! platform, revenue and the debt-repayment reserve.
//!
//! Who may do what (from `auth::policy`'s default rows):
//! - reading needs the `land` domain (Natural Resources, Finance, Audit, Agriculture, the
//!   provincial quota platform); revenue and the reserve account are also open to `finance`
//!   readers;
//! - homesteads, projects, quotas and transfers are written by `land` writers (Natural
//!   Resources, A5); restoring to green needs Natural Resources' own certification (A5§3);
//! - revenue and its reserve entry are written by `finance` writers (区财政局: the joint account
//!   and the repayment reserve are Finance's, A5§11, A7§2) who can also read `land`.
//!
//! A revenue whose reserve is below 5 % is **refused** (INVALID_INPUT naming the amount needed),
//! not stored with a flag: the database refuses it too. Amounts of money are strings of yuan
//! with two decimals (`"200000.00"`), areas strings of mu with four (`"0.2500"`): exact on both
//! databases, never floats.
use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use auth::policy::DataDomain;
use chrono::NaiveDate;
use domain::land::{HomesteadStatus, QuotaHolding, QuotaLedgerKind, ReclaimedUse, TransferScope};
use domain::money::{Area, Money};
use domain::text::clean_line;

use super::access::principal;
use super::connection::PageInfo;
use super::database;
use super::ids::{decode_id, encode_id, NodeType};
use super::load_one;
use super::loaders::{HouseholdKey, TownKey, VillageKey};
use super::registry::{Household, Town, Village};
use crate::access::{Principal, RowScope};
use crate::error::ApiError;
use crate::persistence::entities::{
    homestead, land_linkage_project, land_quota, land_revenue, quota_transfer, quota_use_ledger,
    repayment_reserve_account, repayment_reserve_entry,
};
use crate::persistence::land::{
    self as store, HomesteadFilter, HomesteadStep, NewHomestead, NewProducedQuota, NewProject,
    NewRevenue, NewTransfer,
};
use crate::persistence::paging::{Cursor, PageDirection, PageRequest};
use crate::persistence::registry::{self, RecordTable};
use crate::persistence::registry_writes::Actor;

/// A Relay connection over records paged by id: edges, nodes, page info and `totalCount`
/// (counted only when asked for).
macro_rules! id_connection {
    ($connection:ident, $edge:ident, $node:ty) => {
        #[doc = concat!("An edge to a ", stringify!($node), " with its cursor.")]
        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            pub cursor: String,
            pub node: $node,
        }

        #[doc = concat!("A page of ", stringify!($node), " records.")]
        pub struct $connection {
            edges: Vec<$edge>,
            page_info: $crate::graphql::connection::PageInfo,
            total: Option<i64>,
        }

        impl $connection {
            pub fn build<M>(
                page: $crate::persistence::registry::Page<M>,
                request: &$crate::persistence::paging::PageRequest,
                id_of: impl Fn(&M) -> i64,
                mut wrap: impl FnMut(M) -> Result<$node, $crate::error::ApiError>,
                total: Option<i64>,
            ) -> Result<$connection, $crate::error::ApiError> {
                let ids: Vec<i64> = page.rows.iter().map(&id_of).collect();
                let page_info = $crate::graphql::land::page_info(&ids, page.has_more, request);
                let mut edges = Vec::with_capacity(ids.len());
                for (row, id) in page.rows.into_iter().zip(ids) {
                    edges.push($edge {
                        cursor: $crate::graphql::land::cursor_of(id),
                        node: wrap(row)?,
                    });
                }
                Ok($connection {
                    edges,
                    page_info,
                    total,
                })
            }
        }

        #[async_graphql::Object]
        impl $connection {
            async fn edges(&self) -> &[$edge] {
                &self.edges
            }
            /// The nodes of the edges, for clients that need no cursors.
            async fn nodes(&self) -> Vec<&$node> {
                self.edges.iter().map(|edge| &edge.node).collect()
            }
            async fn page_info(&self) -> &$crate::graphql::connection::PageInfo {
                &self.page_info
            }
            /// How many records the whole list has (all pages).
            async fn total_count(&self) -> i64 {
                self.total.unwrap_or_default()
            }
        }
    };
}
pub(crate) use id_connection;

/// The cursor of a row in an id-ordered list.
pub(crate) fn cursor_of(id: i64) -> String {
    Cursor {
        sort: "ID".into(),
        key: None,
        id,
    }
    .encode()
}

/// Page information of an id-ordered page.
pub(crate) fn page_info(ids: &[i64], has_more: bool, request: &PageRequest) -> PageInfo {
    let beyond_cursor = request.cursor.is_some();
    let (has_next_page, has_previous_page) = match request.direction {
        PageDirection::Forward => (has_more, beyond_cursor),
        PageDirection::Backward => (beyond_cursor, has_more),
    };
    PageInfo {
        has_next_page,
        has_previous_page,
        start_cursor: ids.first().map(|id| cursor_of(*id)),
        end_cursor: ids.last().map(|id| cursor_of(*id)),
    }
}

/// Validated Relay arguments of an id-ordered list.
pub(crate) fn id_page(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<PageRequest, ApiError> {
    PageRequest::from_arguments(first, after, last, before, "ID")
}

/// Whether the client selected `totalCount` on the connection being resolved.
pub(crate) fn wants_total(ctx: &Context<'_>) -> bool {
    ctx.look_ahead().field("totalCount").exists()
}

pub(crate) fn actor_of(principal: &Principal) -> Actor {
    Actor {
        user_id: Some(principal.user_id),
        label: principal.username.clone(),
        role_codes: principal.role_codes(),
    }
}

pub(crate) fn optional_id(
    field: &str,
    node_type: NodeType,
    id: &Option<ID>,
) -> Result<Option<i64>, ApiError> {
    id.as_ref()
        .map(|id| decode_id(field, node_type, id))
        .transpose()
}

/// A one-line text of at most `max` characters.
pub(crate) fn line(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    clean_line(value, field, max).map_err(|error| ApiError::invalid(field, error))
}

/// An optional one-line text: blank is `None`.
pub(crate) fn optional_line(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    match value.map(str::trim).filter(|text| !text.is_empty()) {
        Some(text) => line(field, text, max).map(Some),
        None => Ok(None),
    }
}

/// Refuses a write to a record outside the principal's towns (as if it did not exist).
pub(crate) async fn ensure_in_scope(
    ctx: &Context<'_>,
    principal: &Principal,
    table: RecordTable,
    id: i64,
    what: &'static str,
) -> Result<(), ApiError> {
    if principal.scope == RowScope::District {
        return Ok(());
    }
    let town = registry::town_of_record(database(ctx), table, id).await?;
    if town.is_some_and(|town| principal.scope.allows_town(town)) {
        Ok(())
    } else {
        Err(ApiError::not_found(what, "with this ID"))
    }
}

fn parse_money(field: &str, text: &str) -> Result<Money, ApiError> {
    Money::parse(text).map_err(|error| ApiError::invalid(field, error))
}

fn parse_area(field: &str, text: &str) -> Result<Area, ApiError> {
    Area::parse(text).map_err(|error| ApiError::invalid(field, error))
}

fn unknown_code(what: &str, code: &str) -> ApiError {
    ApiError::Internal(anyhow::anyhow!(
        "unknown {what} code {code:?} in the database"
    ))
}

macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident mirrors $domain:ty { $($(#[$variant_meta:meta])* $variant:ident = $domain_variant:path),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl From<$domain> for $name {
            fn from(value: $domain) -> $name {
                match value {
                    $($domain_variant => $name::$variant),+
                }
            }
        }

        impl From<$name> for $domain {
            fn from(value: $name) -> $domain {
                match value {
                    $($name::$variant => $domain_variant),+
                }
            }
        }
    };
}

pub(crate) use mirror;

mirror! {
    /// Where an old homestead stands (A5§1, A5§3).
    HomesteadState mirrors HomesteadStatus {
        /// 未腾退
        Occupied = HomesteadStatus::Occupied,
        /// 已拆旧腾退 (with the household's consent, A5§5)
        Vacated = HomesteadStatus::Vacated,
        /// 已复垦为耕地
        ReclaimedToFarmland = HomesteadStatus::ReclaimedToFarmland,
        /// 已复垦为林地
        ReclaimedToForest = HomesteadStatus::ReclaimedToForest,
        /// 已复垦为草地
        ReclaimedToGrass = HomesteadStatus::ReclaimedToGrass,
        /// 已生态复绿 (certified by Natural Resources as not reclaimable)
        RestoredToGreen = HomesteadStatus::RestoredToGreen,
    }
}

mirror! {
    /// How the district holds a quota (A5§8).
    QuotaOrigin mirrors QuotaHolding {
        /// 本地复垦产生: may be transferred once.
        Produced = QuotaHolding::Produced,
        /// 流转受让: may not be transferred again.
        ReceivedByTransfer = QuotaHolding::ReceivedByTransfer,
    }
}

mirror! {
    /// Where a quota goes (A5§10).
    QuotaTransferScope mirrors TransferScope {
        /// 市域内跨区县: exactly 200,000 yuan per mu.
        WithinCity = TransferScope::WithinCity,
        /// 跨市: 180,000–220,000 yuan per mu.
        AcrossCities = TransferScope::AcrossCities,
    }
}

mirror! {
    /// A movement in the ledger of quota use (A5§9).
    QuotaLedgerEntryKind mirrors QuotaLedgerKind {
        Produced = QuotaLedgerKind::Produced,
        Received = QuotaLedgerKind::Received,
        TransferredOut = QuotaLedgerKind::TransferredOut,
        UsedLocally = QuotaLedgerKind::UsedLocally,
        ReturnedExpired = QuotaLedgerKind::ReturnedExpired,
        Cancelled = QuotaLedgerKind::Cancelled,
    }
}

/// The next step of an old homestead.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomesteadStepKind {
    /// Vacate and demolish: only with the household's consent on record (A5§5).
    Vacate,
    ReclaimToFarmland,
    ReclaimToForest,
    ReclaimToGrass,
    /// Restore to green: only with Natural Resources' certification (A5§3).
    RestoreToGreen,
}

/// An old homestead of a relocated household (一户一宅, A5§1).
pub struct Homestead(homestead::Model);

#[Object]
impl Homestead {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::Homestead, self.0.id)
    }
    async fn household(&self, ctx: &Context<'_>) -> Result<Household> {
        Ok(Household(
            load_one(ctx, HouseholdKey(self.0.household_id), "household").await?,
        ))
    }
    async fn village(&self, ctx: &Context<'_>) -> Result<Option<Village>> {
        match self.0.village_id {
            Some(id) => Ok(Some(Village(
                load_one(ctx, VillageKey(id), "village").await?,
            ))),
            None => Ok(None),
        }
    }
    async fn project_id(&self) -> Option<ID> {
        self.0
            .project_id
            .map(|id| encode_id(NodeType::LandLinkageProject, id))
    }
    async fn location(&self) -> &str {
        &self.0.location
    }
    /// In mu, four decimals.
    async fn area_mu(&self) -> String {
        Area::from_ten_thousandths(self.0.area_ten_thousandth_mu).to_string()
    }
    async fn state(&self) -> Result<HomesteadState> {
        Ok(HomesteadStatus::from_code(&self.0.state)
            .ok_or_else(|| unknown_code("homestead state", &self.0.state))?
            .into())
    }
    /// When the household consented to vacate (A5§5: no forced demolition).
    async fn consent_recorded_on(&self) -> Option<NaiveDate> {
        self.0.consent_recorded_on
    }
    async fn vacated_on(&self) -> Option<NaiveDate> {
        self.0.vacated_on
    }
    async fn reclaimed_on(&self) -> Option<NaiveDate> {
        self.0.reclaimed_on
    }
    /// When Natural Resources certified that the land cannot be reclaimed (A5§3).
    async fn certified_on(&self) -> Option<NaiveDate> {
        self.0.certified_on
    }
    async fn registration_updated_on(&self) -> Option<NaiveDate> {
        self.0.registration_updated_on
    }
    /// Reclaimed or restored: the land counts towards quota (先垦后用, A5§3).
    async fn counts_towards_quota(&self) -> bool {
        HomesteadStatus::from_code(&self.0.state).is_some_and(HomesteadStatus::is_finished)
    }
    /// Send it back with a change: a stale version is refused with CONFLICT.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

id_connection!(HomesteadConnection, HomesteadEdge, Homestead);

/// A land-linkage project (增减挂钩项目).
pub struct LandLinkageProject(land_linkage_project::Model);

#[Object]
impl LandLinkageProject {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::LandLinkageProject, self.0.id)
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn town(&self, ctx: &Context<'_>) -> Result<Option<Town>> {
        match self.0.town_id {
            Some(id) => Ok(Some(Town(load_one(ctx, TownKey(id), "town").await?))),
            None => Ok(None),
        }
    }
    /// Its registration on the provincial supervision platform (A5§4).
    async fn platform_reference(&self) -> Option<&str> {
        self.0.platform_reference.as_deref()
    }
    async fn approved_on(&self) -> Option<NaiveDate> {
        self.0.approved_on
    }
    async fn accepted_on(&self) -> Option<NaiveDate> {
        self.0.accepted_on
    }
    async fn demolition_area_mu(&self) -> String {
        Area::from_ten_thousandths(self.0.demolition_area_ten_thousandth_mu).to_string()
    }
    async fn reclaimed_area_mu(&self) -> String {
        Area::from_ten_thousandths(self.0.reclaimed_area_ten_thousandth_mu).to_string()
    }
    /// planned, approved, reclaiming, accepted or closed.
    async fn status(&self) -> &str {
        &self.0.status
    }
}

id_connection!(
    LandLinkageProjectConnection,
    LandLinkageProjectEdge,
    LandLinkageProject
);

/// One movement in the ledger of quota use (台账, A5§9).
#[derive(SimpleObject)]
pub struct QuotaLedgerEntry {
    pub kind: QuotaLedgerEntryKind,
    pub area_mu: String,
    pub entry_on: NaiveDate,
    pub transfer_id: Option<ID>,
    pub used_for: String,
    pub notes: String,
}

impl QuotaLedgerEntry {
    fn new(entry: quota_use_ledger::Model) -> Result<QuotaLedgerEntry, ApiError> {
        Ok(QuotaLedgerEntry {
            kind: QuotaLedgerKind::from_code(&entry.kind)
                .ok_or_else(|| unknown_code("ledger", &entry.kind))?
                .into(),
            area_mu: Area::from_ten_thousandths(entry.area_ten_thousandth_mu).to_string(),
            entry_on: entry.entry_on,
            transfer_id: entry
                .transfer_id
                .map(|id| encode_id(NodeType::QuotaTransfer, id)),
            used_for: entry.used_for,
            notes: entry.notes,
        })
    }
}

/// A savings quota (节余指标) with what its ledger leaves (A5§8, A5§9).
pub struct LandQuota {
    quota: land_quota::Model,
    ledger: Vec<quota_use_ledger::Model>,
}

#[Object]
impl LandQuota {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::LandQuota, self.quota.id)
    }
    async fn code(&self) -> &str {
        &self.quota.code
    }
    async fn origin(&self) -> Result<QuotaOrigin> {
        Ok(QuotaHolding::from_code(&self.quota.origin)
            .ok_or_else(|| unknown_code("quota origin", &self.quota.origin))?
            .into())
    }
    async fn project_id(&self) -> Option<ID> {
        self.quota
            .project_id
            .map(|id| encode_id(NodeType::LandLinkageProject, id))
    }
    async fn area_mu(&self) -> String {
        Area::from_ten_thousandths(self.quota.area_ten_thousandth_mu).to_string()
    }
    /// The area its ledger leaves: the quota less every transfer, local use, return and
    /// write-off (A5§9).
    async fn remaining_area_mu(&self) -> Result<String> {
        Ok(store::remaining_area(&self.quota, &self.ledger)?.to_string())
    }
    /// Whether some of it may still be transferred: produced here (a received quota may not be
    /// transferred again, A5§8) and not used up.
    async fn transferable(&self) -> Result<bool> {
        let produced = self.quota.origin == QuotaHolding::Produced.code();
        Ok(produced && store::remaining_area(&self.quota, &self.ledger)?.is_positive())
    }
    async fn confirmed_on(&self) -> NaiveDate {
        self.quota.confirmed_on
    }
    async fn platform_reference(&self) -> Option<&str> {
        self.quota.platform_reference.as_deref()
    }
    async fn source_description(&self) -> &str {
        &self.quota.source_description
    }
    /// Its ledger (台账) in date order.
    async fn ledger(&self) -> Result<Vec<QuotaLedgerEntry>> {
        Ok(self
            .ledger
            .iter()
            .cloned()
            .map(QuotaLedgerEntry::new)
            .collect::<Result<_, _>>()?)
    }
    async fn version(&self) -> i32 {
        self.quota.version
    }
}

id_connection!(LandQuotaConnection, LandQuotaEdge, LandQuota);

/// A transfer of quota through the provincial platform (A5§8, A5§10).
pub struct QuotaTransfer(quota_transfer::Model);

#[Object]
impl QuotaTransfer {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::QuotaTransfer, self.0.id)
    }
    async fn quota_id(&self) -> ID {
        encode_id(NodeType::LandQuota, self.0.quota_id)
    }
    async fn buyer_government(&self) -> &str {
        &self.0.buyer_government
    }
    async fn scope(&self) -> Result<QuotaTransferScope> {
        Ok(TransferScope::from_code(&self.0.scope)
            .ok_or_else(|| unknown_code("transfer scope", &self.0.scope))?
            .into())
    }
    /// Yuan per mu, two decimals.
    async fn price_per_mu(&self) -> String {
        Money::from_fen(self.0.price_per_mu_fen).to_string()
    }
    async fn area_mu(&self) -> String {
        Area::from_ten_thousandths(self.0.area_ten_thousandth_mu).to_string()
    }
    /// Area × price, to the fen.
    async fn amount(&self) -> String {
        Money::from_fen(self.0.amount_fen).to_string()
    }
    /// The provincial supervision platform's reference (A5§8).
    async fn platform_reference(&self) -> &str {
        &self.0.platform_reference
    }
    async fn contracted_on(&self) -> NaiveDate {
        self.0.contracted_on
    }
    /// registered, paid or cancelled.
    async fn status(&self) -> &str {
        &self.0.status
    }
}

id_connection!(QuotaTransferConnection, QuotaTransferEdge, QuotaTransfer);

/// Land-linkage revenue with the reserve set aside from it (A5§11).
pub struct LandRevenue {
    revenue: land_revenue::Model,
    booked: Option<repayment_reserve_entry::Model>,
}

#[Object]
impl LandRevenue {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::LandRevenue, self.revenue.id)
    }
    async fn transfer_id(&self) -> Option<ID> {
        self.revenue
            .transfer_id
            .map(|id| encode_id(NodeType::QuotaTransfer, id))
    }
    async fn project_id(&self) -> Option<ID> {
        self.revenue
            .project_id
            .map(|id| encode_id(NodeType::LandLinkageProject, id))
    }
    async fn payer(&self) -> &str {
        &self.revenue.payer
    }
    async fn received_on(&self) -> NaiveDate {
        self.revenue.received_on
    }
    async fn amount(&self) -> String {
        Money::from_fen(self.revenue.amount_fen).to_string()
    }
    /// The reserve set aside from it.
    async fn reserve(&self) -> String {
        Money::from_fen(self.revenue.reserve_fen).to_string()
    }
    /// At least 5 % of the amount, rounded up to the fen (A5§11).
    async fn required_reserve(&self) -> String {
        domain::land::required_reserve(Money::from_fen(self.revenue.amount_fen)).to_string()
    }
    /// How much the reserve falls short of 5 % ("0.00" when it does not).
    async fn reserve_shortfall(&self) -> String {
        domain::land::reserve_shortfall(
            Money::from_fen(self.revenue.amount_fen),
            Money::from_fen(self.revenue.reserve_fen),
        )
        .to_string()
    }
    /// The amount booked in the reserve account for it, if booked.
    async fn reserve_booked(&self) -> Option<String> {
        self.booked
            .as_ref()
            .map(|entry| Money::from_fen(entry.amount_fen).to_string())
    }
    async fn voucher_no(&self) -> Option<&str> {
        self.revenue.voucher_no.as_deref()
    }
}

id_connection!(LandRevenueConnection, LandRevenueEdge, LandRevenue);

/// An entry of the repayment-reserve account.
#[derive(SimpleObject)]
pub struct RepaymentReserveEntry {
    /// revenue_share, budget_allocation, interest or debt_repayment.
    pub kind: String,
    pub revenue_id: Option<ID>,
    pub amount: String,
    pub entry_on: NaiveDate,
    pub voucher_no: Option<String>,
    pub notes: String,
}

/// The dedicated account (专账) of the relocation-debt repayment reserve (A5§11).
#[derive(SimpleObject)]
pub struct RepaymentReserveAccount {
    pub account_no: String,
    pub name: String,
    pub bank: String,
    pub opened_on: NaiveDate,
    /// Revenue shares, budget allocations and interest, less debt repayments.
    pub balance: String,
    pub entries: Vec<RepaymentReserveEntry>,
}

fn account_of(
    account: repayment_reserve_account::Model,
    entries: Vec<repayment_reserve_entry::Model>,
) -> Result<RepaymentReserveAccount, ApiError> {
    let mut balance = Money::ZERO;
    for entry in &entries {
        let amount = Money::from_fen(entry.amount_fen);
        let next = if entry.kind == "debt_repayment" {
            balance.checked_sub(amount)
        } else {
            balance.checked_add(amount)
        };
        balance = next.ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "the balance of account {} overflows",
                account.id
            ))
        })?;
    }
    Ok(RepaymentReserveAccount {
        account_no: account.account_no,
        name: account.name,
        bank: account.bank,
        opened_on: account.opened_on,
        balance: balance.to_string(),
        entries: entries
            .into_iter()
            .map(|entry| RepaymentReserveEntry {
                kind: entry.kind,
                revenue_id: entry
                    .revenue_id
                    .map(|id| encode_id(NodeType::LandRevenue, id)),
                amount: Money::from_fen(entry.amount_fen).to_string(),
                entry_on: entry.entry_on,
                voucher_no: entry.voucher_no,
                notes: entry.notes,
            })
            .collect(),
    })
}

fn land_reader<'a>(ctx: &Context<'a>, field: &str) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_read(DataDomain::Land, field)?;
    Ok(principal)
}

/// Revenue and the reserve are open to land and finance readers.
fn money_reader<'a>(ctx: &Context<'a>, field: &str) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    if principal.permissions.can_read(DataDomain::Finance) {
        return Ok(principal);
    }
    principal.require_read(DataDomain::Land, field)?;
    Ok(principal)
}

#[derive(Default)]
pub struct LandQuery;

#[Object]
impl LandQuery {
    /// Old homesteads in id order, within the principal's towns (A5§1).
    #[allow(clippy::too_many_arguments)]
    async fn homesteads(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        site_id: Option<ID>,
        project_id: Option<ID>,
        state: Option<HomesteadState>,
    ) -> Result<HomesteadConnection> {
        let principal = land_reader(ctx, "Query.homesteads")?;
        let page = id_page(first, after, last, before)?;
        let filter = HomesteadFilter {
            site_id: optional_id("siteId", NodeType::Site, &site_id)?,
            project_id: optional_id("projectId", NodeType::LandLinkageProject, &project_id)?,
            state: state.map(|state| HomesteadStatus::from(state).code()),
            scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
        };
        let db = database(ctx);
        let rows = store::homestead_page(db, &filter, &page).await?;
        let total = match wants_total(ctx) {
            true => Some(store::count_homesteads(db, &filter).await?),
            false => None,
        };
        Ok(HomesteadConnection::build(
            rows,
            &page,
            |row| row.id,
            |row| Ok(Homestead(row)),
            total,
        )?)
    }

    /// Land-linkage projects in id order.
    async fn land_linkage_projects(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<LandLinkageProjectConnection> {
        land_reader(ctx, "Query.landLinkageProjects")?;
        let page = id_page(first, after, last, before)?;
        let db = database(ctx);
        let rows = store::project_page(db, &page).await?;
        let total = match wants_total(ctx) {
            true => Some(store::count_projects(db).await?),
            false => None,
        };
        Ok(LandLinkageProjectConnection::build(
            rows,
            &page,
            |row| row.id,
            |row| Ok(LandLinkageProject(row)),
            total,
        )?)
    }

    /// Savings quotas in id order, each with its ledger (one statement for the page's ledgers).
    async fn land_quotas(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<LandQuotaConnection> {
        land_reader(ctx, "Query.landQuotas")?;
        let page = id_page(first, after, last, before)?;
        let db = database(ctx);
        let rows = store::quota_page(db, &page).await?;
        let ids: Vec<i64> = rows.rows.iter().map(|quota| quota.id).collect();
        let mut ledgers = store::ledger_of_quotas(db, &ids).await?;
        let total = match wants_total(ctx) {
            true => Some(store::count_quotas(db).await?),
            false => None,
        };
        Ok(LandQuotaConnection::build(
            rows,
            &page,
            |row| row.id,
            |quota| {
                Ok(LandQuota {
                    ledger: ledgers.remove(&quota.id).unwrap_or_default(),
                    quota,
                })
            },
            total,
        )?)
    }

    /// Quota transfers in id order, of one quota if given.
    async fn quota_transfers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        quota_id: Option<ID>,
    ) -> Result<QuotaTransferConnection> {
        land_reader(ctx, "Query.quotaTransfers")?;
        let page = id_page(first, after, last, before)?;
        let quota_id = optional_id("quotaId", NodeType::LandQuota, &quota_id)?;
        let db = database(ctx);
        let rows = store::transfer_page(db, quota_id, &page).await?;
        let total = match wants_total(ctx) {
            true => Some(store::count_transfers(db, quota_id).await?),
            false => None,
        };
        Ok(QuotaTransferConnection::build(
            rows,
            &page,
            |row| row.id,
            |row| Ok(QuotaTransfer(row)),
            total,
        )?)
    }

    /// Land-linkage revenue in id order, with the reserve each set aside (A5§11).
    async fn land_revenues(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<LandRevenueConnection> {
        money_reader(ctx, "Query.landRevenues")?;
        let page = id_page(first, after, last, before)?;
        let db = database(ctx);
        let rows = store::revenue_page(db, &page).await?;
        let ids: Vec<i64> = rows.rows.iter().map(|revenue| revenue.id).collect();
        let mut booked = store::reserve_entries_of_revenues(db, &ids).await?;
        let total = match wants_total(ctx) {
            true => Some(store::count_revenues(db).await?),
            false => None,
        };
        Ok(LandRevenueConnection::build(
            rows,
            &page,
            |row| row.id,
            |revenue| {
                Ok(LandRevenue {
                    booked: booked.remove(&revenue.id),
                    revenue,
                })
            },
            total,
        )?)
    }

    /// The repayment-reserve accounts (a handful) with their entries and balance (A5§11).
    async fn repayment_reserve_accounts(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<RepaymentReserveAccount>> {
        money_reader(ctx, "Query.repaymentReserveAccounts")?;
        let db = database(ctx);
        let accounts = store::reserve_accounts(db).await?;
        let ids: Vec<i64> = accounts.iter().map(|account| account.id).collect();
        let mut entries = store::entries_of_accounts(db, &ids).await?;
        let mut result = Vec::with_capacity(accounts.len());
        for account in accounts {
            let of_account = entries.remove(&account.id).unwrap_or_default();
            result.push(account_of(account, of_account)?);
        }
        Ok(result)
    }
}

#[derive(InputObject)]
pub struct RecordHomesteadInput {
    pub household_id: ID,
    pub village_id: Option<ID>,
    pub project_id: Option<ID>,
    #[graphql(default)]
    pub location: String,
    /// In mu, at most four decimals, e.g. "0.3200".
    pub area_mu: String,
}

#[derive(InputObject)]
pub struct RecordHomesteadConsentInput {
    pub id: ID,
    pub version: i32,
    /// The day the household consented to vacate (A5§5).
    pub consented_on: NaiveDate,
}

#[derive(InputObject)]
pub struct AdvanceHomesteadInput {
    pub id: ID,
    pub version: i32,
    pub step: HomesteadStepKind,
    /// The day of the step.
    pub on: NaiveDate,
    /// For RESTORE_TO_GREEN: Natural Resources certifies the land cannot be reclaimed (A5§3).
    #[graphql(default)]
    pub certified_not_reclaimable: bool,
}

#[derive(InputObject)]
pub struct CreateLandLinkageProjectInput {
    /// 2–32 of A–Z, 0–9 and '-', e.g. LP-2027-01.
    pub code: String,
    pub name: String,
    /// The town's division code, e.g. 610202100.
    pub town_code: Option<String>,
    pub platform_reference: Option<String>,
    pub approved_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct RecordProducedQuotaInput {
    pub project_id: ID,
    pub code: String,
    /// In mu; at most what the project's finished homesteads reclaimed (A5§3).
    pub area_mu: String,
    pub confirmed_on: NaiveDate,
    pub platform_reference: Option<String>,
    #[graphql(default)]
    pub source_description: String,
}

#[derive(InputObject)]
pub struct RegisterQuotaTransferInput {
    pub quota_id: ID,
    pub buyer_government: String,
    pub scope: QuotaTransferScope,
    /// Yuan per mu: 200000 within the city, 180000–220000 across cities (A5§10).
    pub price_per_mu: String,
    /// In mu, at most what the quota's ledger leaves (A5§9).
    pub area_mu: String,
    /// The provincial supervision platform's reference (A5§8).
    pub platform_reference: String,
    pub contracted_on: NaiveDate,
}

#[derive(InputObject)]
pub struct RecordLandRevenueInput {
    pub transfer_id: Option<ID>,
    pub project_id: Option<ID>,
    pub payer: String,
    pub received_on: NaiveDate,
    /// Yuan, e.g. "1234567.89".
    pub amount: String,
    /// The share set aside for the repayment reserve: at least 5 % of the amount, to the fen
    /// rounded up (A5§11).
    pub reserve_amount: String,
    pub voucher_no: Option<String>,
    /// The reserve account; may be left out while only one is open.
    pub account_no: Option<String>,
}

/// A revenue as booked, with its reserve entry.
#[derive(SimpleObject)]
pub struct RecordedLandRevenue {
    pub revenue: LandRevenue,
    pub reserve_entry: RepaymentReserveEntry,
}

fn land_writer<'a>(ctx: &Context<'a>, what: &str) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_write(DataDomain::Land, what)?;
    Ok(principal)
}

fn project_code(value: &str) -> Result<String, ApiError> {
    let code = value.trim().to_string();
    let valid = (2..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    if valid {
        Ok(code)
    } else {
        Err(ApiError::invalid(
            "input.code",
            format!("{value:?} is not a code: use 2–32 of A–Z, 0–9 and '-', e.g. LP-2027-01"),
        ))
    }
}

#[derive(Default)]
pub struct LandMutation;

#[Object]
impl LandMutation {
    /// Records a relocated household's old homestead (one per household, A5§1), occupied
    /// until vacated with consent.
    async fn record_homestead(
        &self,
        ctx: &Context<'_>,
        input: RecordHomesteadInput,
    ) -> Result<Homestead> {
        let principal = land_writer(ctx, "homesteads")?;
        let household_id = decode_id(
            "input.householdId",
            NodeType::Household,
            &input.household_id,
        )?;
        let area = parse_area("input.areaMu", &input.area_mu)?;
        if !area.is_positive() {
            return Err(
                ApiError::invalid("input.areaMu", "the area must be more than zero mu").into(),
            );
        }
        let new = NewHomestead {
            household_id,
            village_id: optional_id("input.villageId", NodeType::Village, &input.village_id)?,
            project_id: optional_id(
                "input.projectId",
                NodeType::LandLinkageProject,
                &input.project_id,
            )?,
            location: optional_line("input.location", Some(&input.location), 200)?
                .unwrap_or_default(),
            area,
        };
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Household,
            household_id,
            "household",
        )
        .await?;
        let stored = store::create_homestead(database(ctx), &actor_of(principal), new).await?;
        Ok(Homestead(stored))
    }

    /// Records the household's consent to vacate its homestead (A5§5: no forced demolition).
    async fn record_homestead_consent(
        &self,
        ctx: &Context<'_>,
        input: RecordHomesteadConsentInput,
    ) -> Result<Homestead> {
        let principal = land_writer(ctx, "homesteads")?;
        let id = decode_id("input.id", NodeType::Homestead, &input.id)?;
        ensure_homestead_in_scope(ctx, principal, id).await?;
        let updated = store::record_homestead_consent(
            database(ctx),
            &actor_of(principal),
            id,
            input.version,
            input.consented_on,
        )
        .await?;
        Ok(Homestead(updated))
    }

    /// Moves a homestead on: vacate (only with consent on record, A5§5), reclaim to farmland,
    /// forest or grass, or restore to green (only with Natural Resources' certification, A5§3).
    async fn advance_homestead(
        &self,
        ctx: &Context<'_>,
        input: AdvanceHomesteadInput,
    ) -> Result<Homestead> {
        let principal = land_writer(ctx, "homesteads")?;
        let id = decode_id("input.id", NodeType::Homestead, &input.id)?;
        if input.on > crate::clock::today_in_china() {
            return Err(
                ApiError::invalid("input.on", format!("{} is in the future", input.on)).into(),
            );
        }
        let step = match input.step {
            HomesteadStepKind::Vacate => HomesteadStep::Vacate,
            HomesteadStepKind::ReclaimToFarmland => HomesteadStep::Reclaim(ReclaimedUse::Farmland),
            HomesteadStepKind::ReclaimToForest => HomesteadStep::Reclaim(ReclaimedUse::Forest),
            HomesteadStepKind::ReclaimToGrass => HomesteadStep::Reclaim(ReclaimedUse::Grass),
            HomesteadStepKind::RestoreToGreen => HomesteadStep::RestoreToGreen {
                certified_by_bureau_id: match input.certified_not_reclaimable {
                    true => Some(natural_resources_of(ctx, principal).await?),
                    false => None,
                },
            },
        };
        ensure_homestead_in_scope(ctx, principal, id).await?;
        let updated = store::advance_homestead(
            database(ctx),
            &actor_of(principal),
            id,
            input.version,
            step,
            input.on,
        )
        .await?;
        Ok(Homestead(updated))
    }

    /// Registers a land-linkage project.
    async fn create_land_linkage_project(
        &self,
        ctx: &Context<'_>,
        input: CreateLandLinkageProjectInput,
    ) -> Result<LandLinkageProject> {
        let principal = land_writer(ctx, "land-linkage projects")?;
        let town_id = match input.town_code.as_deref() {
            Some(code) => Some(
                registry::all_towns(database(ctx))
                    .await
                    .map_err(ApiError::from)?
                    .into_iter()
                    .find(|town| town.division_code == code.trim())
                    .map(|town| town.id)
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "input.townCode",
                            format!("there is no town with the division code {code:?}"),
                        )
                    })?,
            ),
            None => None,
        };
        let new = NewProject {
            code: project_code(&input.code)?,
            name: line("input.name", &input.name, 200)?,
            town_id,
            platform_reference: optional_line(
                "input.platformReference",
                input.platform_reference.as_deref(),
                64,
            )?,
            approved_on: input.approved_on,
        };
        let stored = store::create_project(database(ctx), &actor_of(principal), new).await?;
        Ok(LandLinkageProject(stored))
    }

    /// Confirms a savings quota produced by a project, within what its finished homesteads
    /// reclaimed (先垦后用, A5§3); the ledger gets its first entry (A5§9).
    async fn record_produced_quota(
        &self,
        ctx: &Context<'_>,
        input: RecordProducedQuotaInput,
    ) -> Result<LandQuota> {
        let principal = land_writer(ctx, "land quotas")?;
        let new = NewProducedQuota {
            project_id: decode_id(
                "input.projectId",
                NodeType::LandLinkageProject,
                &input.project_id,
            )?,
            code: project_code(&input.code).map_err(|_| {
                ApiError::invalid(
                    "input.code",
                    format!(
                        "{:?} is not a quota code: use 2–32 of A–Z, 0–9 and '-', e.g. LQ-2027-001",
                        input.code
                    ),
                )
            })?,
            area: parse_area("input.areaMu", &input.area_mu)?,
            confirmed_on: input.confirmed_on,
            platform_reference: optional_line(
                "input.platformReference",
                input.platform_reference.as_deref(),
                64,
            )?,
            source_description: input.source_description.trim().chars().take(2000).collect(),
        };
        let stored = store::record_produced_quota(database(ctx), &actor_of(principal), new).await?;
        let ledger = store::ledger_of_quotas(database(ctx), &[stored.id])
            .await?
            .remove(&stored.id)
            .unwrap_or_default();
        Ok(LandQuota {
            quota: stored,
            ledger,
        })
    }

    /// Registers a transfer of part of a produced quota through the provincial platform: the
    /// price is exactly 200,000 yuan per mu within the city and 180,000–220,000 across cities
    /// (A5§10); a received quota is never transferred again (A5§8); the area stays within what
    /// the ledger leaves (A5§9).
    async fn register_quota_transfer(
        &self,
        ctx: &Context<'_>,
        input: RegisterQuotaTransferInput,
    ) -> Result<QuotaTransfer> {
        let principal = land_writer(ctx, "quota transfers")?;
        let scope = TransferScope::from(input.scope);
        let price_per_mu = parse_money("input.pricePerMu", &input.price_per_mu)?;
        domain::land::validate_quota_price(scope, price_per_mu)
            .map_err(|error| ApiError::invalid("input.pricePerMu", error))?;
        let new = NewTransfer {
            quota_id: decode_id("input.quotaId", NodeType::LandQuota, &input.quota_id)?,
            buyer_government: line("input.buyerGovernment", &input.buyer_government, 100)?,
            scope,
            price_per_mu,
            area: parse_area("input.areaMu", &input.area_mu)?,
            platform_reference: optional_line(
                "input.platformReference",
                Some(&input.platform_reference),
                64,
            )?
            .unwrap_or_default(),
            contracted_on: input.contracted_on,
        };
        let stored = store::register_transfer(database(ctx), &actor_of(principal), new).await?;
        Ok(QuotaTransfer(stored))
    }

    /// Books a land-linkage revenue and its share in the repayment reserve (Finance). A reserve
    /// below 5 % of the amount is refused with the amount needed (A5§11).
    async fn record_land_revenue(
        &self,
        ctx: &Context<'_>,
        input: RecordLandRevenueInput,
    ) -> Result<RecordedLandRevenue> {
        let principal = principal(ctx)?;
        principal.require_write(
            DataDomain::Finance,
            "land-linkage revenue and the repayment reserve",
        )?;
        principal.require_read(DataDomain::Land, "Mutation.recordLandRevenue")?;
        let amount = parse_money("input.amount", &input.amount)?;
        if !amount.is_positive() {
            return Err(ApiError::invalid(
                "input.amount",
                "the revenue must be more than zero yuan",
            )
            .into());
        }
        let reserve = parse_money("input.reserveAmount", &input.reserve_amount)?;
        domain::land::validate_reserve(amount, reserve)
            .map_err(|error| ApiError::invalid("input.reserveAmount", error))?;
        let new = NewRevenue {
            transfer_id: optional_id(
                "input.transferId",
                NodeType::QuotaTransfer,
                &input.transfer_id,
            )?,
            project_id: optional_id(
                "input.projectId",
                NodeType::LandLinkageProject,
                &input.project_id,
            )?,
            payer: line("input.payer", &input.payer, 100)?,
            received_on: input.received_on,
            amount,
            reserve,
            voucher_no: optional_line("input.voucherNo", input.voucher_no.as_deref(), 64)?,
            account_no: optional_line("input.accountNo", input.account_no.as_deref(), 64)?,
        };
        let (revenue, entry) =
            store::record_revenue(database(ctx), &actor_of(principal), new).await?;
        let reserve_entry = RepaymentReserveEntry {
            kind: entry.kind.clone(),
            revenue_id: entry
                .revenue_id
                .map(|id| encode_id(NodeType::LandRevenue, id)),
            amount: Money::from_fen(entry.amount_fen).to_string(),
            entry_on: entry.entry_on,
            voucher_no: entry.voucher_no.clone(),
            notes: entry.notes.clone(),
        };
        Ok(RecordedLandRevenue {
            revenue: LandRevenue {
                revenue,
                booked: Some(entry),
            },
            reserve_entry,
        })
    }
}

/// The natural-resources bureau the principal acts for: only it certifies that land cannot be
/// reclaimed (A5§3).
async fn natural_resources_of(ctx: &Context<'_>, principal: &Principal) -> Result<i64, ApiError> {
    let bureaus = registry::all_bureaus(database(ctx)).await?;
    bureaus
        .into_iter()
        .find(|bureau| {
            bureau.code == "natural_resources" && principal.bureau_ids.contains(&bureau.id)
        })
        .map(|bureau| bureau.id)
        .ok_or_else(|| {
            ApiError::Forbidden(
                "only the natural-resources bureau certifies that land cannot be reclaimed (A5§3)"
                    .into(),
            )
        })
}

async fn ensure_homestead_in_scope(
    ctx: &Context<'_>,
    principal: &Principal,
    id: i64,
) -> Result<(), ApiError> {
    if principal.scope == RowScope::District {
        return Ok(());
    }
    let homestead = store::find_homestead(database(ctx), id)
        .await?
        .ok_or_else(|| ApiError::not_found("Homestead", "with this ID"))?;
    ensure_in_scope(
        ctx,
        principal,
        RecordTable::Household,
        homestead.household_id,
        "Homestead",
    )
    .await
}

/// `node(id:)` for this annex's records, through their lists' own pages: readers of `land`
/// (revenue also of `finance`), a town its own sites' homesteads only.
pub(super) async fn resolve_node(
    ctx: &Context<'_>,
    node_type: NodeType,
    id: i64,
) -> Result<Option<super::node::Node>> {
    use super::node::{page_at, the_row, Node};
    let db = database(ctx);
    let page = page_at(id);
    Ok(match node_type {
        NodeType::Homestead => {
            let principal = land_reader(ctx, "Query.node")?;
            let filter = HomesteadFilter {
                scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
                ..HomesteadFilter::default()
            };
            let rows = store::homestead_page(db, &filter, &page).await?.rows;
            the_row(rows, id, |row| row.id).map(|row| Node::Homestead(Homestead(row)))
        }
        NodeType::LandLinkageProject => {
            land_reader(ctx, "Query.node")?;
            let rows = store::project_page(db, &page).await?.rows;
            the_row(rows, id, |row| row.id)
                .map(|row| Node::LandLinkageProject(LandLinkageProject(row)))
        }
        NodeType::LandQuota => {
            land_reader(ctx, "Query.node")?;
            let rows = store::quota_page(db, &page).await?.rows;
            match the_row(rows, id, |row| row.id) {
                Some(quota) => {
                    let mut ledgers = store::ledger_of_quotas(db, &[id]).await?;
                    Some(Node::LandQuota(LandQuota {
                        ledger: ledgers.remove(&id).unwrap_or_default(),
                        quota,
                    }))
                }
                None => None,
            }
        }
        NodeType::QuotaTransfer => {
            land_reader(ctx, "Query.node")?;
            let rows = store::transfer_page(db, None, &page).await?.rows;
            the_row(rows, id, |row| row.id).map(|row| Node::QuotaTransfer(QuotaTransfer(row)))
        }
        NodeType::LandRevenue => {
            money_reader(ctx, "Query.node")?;
            let rows = store::revenue_page(db, &page).await?.rows;
            match the_row(rows, id, |row| row.id) {
                Some(revenue) => {
                    let mut booked = store::reserve_entries_of_revenues(db, &[id]).await?;
                    Some(Node::LandRevenue(LandRevenue {
                        booked: booked.remove(&id),
                        revenue,
                    }))
                }
                None => None,
            }
        }
        _ => None,
    })
}
