//! Industry support over GraphQL (annex 1): business entities that drive poverty reduction
//! (带贫主体) and their "3+X" industries, benefit linkages (利益联结) with relocated households,
//! their dues and whether they are honoured on time (按期履责履约 — an overdue agreement is an
//! alert, A1§2), e-commerce service points and other sales channels, and "五进" sales (A1§4).
//!
//! Everything here belongs to the `industry` data domain: the agriculture bureau writes it;
//! readers of the domain see it. Linkages are rows of households, so a town-scoped reader sees
//! only those of its own sites' households.
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use auth::policy::DataDomain;
use chrono::{DateTime, NaiveDate, Utc};
use domain::industry::{
    BenefitLinkageKind as DomainLinkageKind, BusinessEntityKind as DomainEntityKind,
    FiveChannel as DomainFiveChannel, FulfilmentStatus as DomainFulfilmentStatus,
    HonouredStatus as DomainHonouredStatus, IndustryCategory as DomainIndustryCategory,
};

use super::access::{principal, read};
use super::connection::{connection_complexity, PageInfo};
use super::ids::{decode_id, encode_id, NodeType};
use super::loaders::HouseholdKey;
use super::registry::Household;
use super::responsibility::{actor_of, text_field};
use super::{database, load_one};
use crate::access::{Principal, RowScope};
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::entities::{
    benefit_fulfilment, benefit_linkage, business_entity, five_channel_sale, industry,
    sales_channel,
};
use crate::persistence::industry::{
    self as store, BusinessEntityFilter, FiveChannelSaleFilter, LinkageFilter, NewBusinessEntity,
    NewFiveChannelSale, NewLinkage, NewSalesChannel, SalesChannelFilter,
};
use crate::persistence::paging::{PageDirection, PageRequest};
use crate::persistence::registry::{self, Page, RecordTable};

/// Declares a GraphQL enum mirroring a coded domain enum, with `code()` and `decode()`.
macro_rules! coded_mirror {
    ($(#[$meta:meta])* $name:ident mirrors $domain:ident { $($(#[$variant_meta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl From<$domain> for $name {
            fn from(value: $domain) -> $name {
                match value {
                    $($domain::$variant => $name::$variant),+
                }
            }
        }

        impl From<$name> for $domain {
            fn from(value: $name) -> $domain {
                match value {
                    $($name::$variant => $domain::$variant),+
                }
            }
        }

        #[allow(dead_code)]
        impl $name {
            /// The stored code.
            pub fn code(self) -> &'static str {
                $domain::from(self).code()
            }

            /// The variant of a stored code; an unknown code is an internal error.
            pub fn decode(column: &str, code: &str) -> Result<$name, crate::error::ApiError> {
                $domain::from_code(code).map($name::from).ok_or_else(|| {
                    crate::error::ApiError::Internal(anyhow::anyhow!(
                        "{column} holds the unknown code {code:?}"
                    ))
                })
            }
        }
    };
}
pub(crate) use coded_mirror;

/// Declares a Relay connection over a keyset page, with a lazily counted `totalCount`.
macro_rules! paged_connection {
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
            total: $crate::persistence::industry::Counter,
        }

        impl $connection {
            /// Wraps a page whose rows are `(id, node)` pairs in display order.
            pub fn new(
                rows: Vec<(i64, $node)>,
                has_more: bool,
                request: &$crate::persistence::paging::PageRequest,
                total: $crate::persistence::industry::Counter,
            ) -> $connection {
                let edges: Vec<$edge> = rows
                    .into_iter()
                    .map(|(id, node)| $edge {
                        cursor: $crate::persistence::paging::Cursor {
                            sort: "ID".into(),
                            key: None,
                            id,
                        }
                        .encode(),
                        node,
                    })
                    .collect();
                $connection {
                    page_info: $crate::graphql::industry::page_info(
                        request,
                        has_more,
                        edges.first().map(|edge| edge.cursor.clone()),
                        edges.last().map(|edge| edge.cursor.clone()),
                    ),
                    edges,
                    total,
                }
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
            async fn total_count(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::Result<i64> {
                let db = $crate::graphql::database(ctx).clone();
                let count = (self.total)(db)
                    .await
                    .map_err($crate::error::ApiError::from)?;
                Ok(count as i64)
            }
        }
    };
}
pub(crate) use paged_connection;

/// Relay page information of a keyset page.
pub(crate) fn page_info(
    request: &PageRequest,
    has_more: bool,
    start_cursor: Option<String>,
    end_cursor: Option<String>,
) -> PageInfo {
    let beyond_cursor = request.cursor.is_some();
    let (has_next_page, has_previous_page) = match request.direction {
        PageDirection::Forward => (has_more, beyond_cursor),
        PageDirection::Backward => (beyond_cursor, has_more),
    };
    PageInfo {
        has_next_page,
        has_previous_page,
        start_cursor,
        end_cursor,
    }
}

/// A page request over a list in id order.
pub(crate) fn id_page_request(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<PageRequest, ApiError> {
    PageRequest::from_arguments(first, after, last, before, "ID")
}

pub(crate) fn optional_id(
    field: &str,
    expected: NodeType,
    id: &Option<ID>,
) -> Result<Option<i64>, ApiError> {
    id.as_ref()
        .map(|id| decode_id(field, expected, id))
        .transpose()
}

/// Refuses a record outside the principal's towns, as if it did not exist.
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

/// An amount in fen, never negative.
pub(crate) fn amount_fen(field: &str, value: i64) -> Result<i64, ApiError> {
    if value < 0 {
        return Err(ApiError::invalid(
            field,
            format!("must not be negative (amounts are in fen), got {value}"),
        ));
    }
    Ok(value)
}

/// An optional line: blank is none.
pub(crate) fn optional_line(
    field: &str,
    value: &Option<String>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    match value {
        None => Ok(None),
        Some(text) => domain::text::clean_optional_line(text, field, max)
            .map_err(|error| ApiError::invalid(field, error)),
    }
}

/// Multi-line text: blank is empty.
pub(crate) fn notes_field(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    if value.trim().is_empty() {
        return Ok(String::new());
    }
    domain::text::clean_multiline(value, field, max)
        .map_err(|error| ApiError::invalid(field, error))
}

coded_mirror! {
    /// The kinds of business entities that drive poverty reduction (A1§2).
    BusinessEntityKind mirrors DomainEntityKind {
        /// 农民专业合作社
        Cooperative,
        /// 家庭农场
        FamilyFarm,
        /// 龙头企业
        LeadingEnterprise,
        /// 社会化服务组织
        ServiceOrganisation,
        /// 村集体经济组织
        VillageCollective,
    }
}

coded_mirror! {
    /// Forms of benefit linkage (A1§2, A1§6; order farming A1§3).
    BenefitLinkageKind mirrors DomainLinkageKind {
        /// 土地入股
        LandShares,
        /// 土地流转
        LandTransfer,
        /// 资金入股
        CapitalShares,
        /// 合作种养
        JointFarming,
        /// 来料加工
        Processing,
        /// 反租倒包
        LeaseBack,
        /// 劳动务工
        WageWork,
        /// 入股分红
        Dividends,
        /// 技术服务
        TechnicalService,
        /// 代养
        CustodialBreeding,
        /// 托管
        Trusteeship,
        /// 订单农业
        OrderFarming,
    }
}

coded_mirror! {
    /// "3+X" (A1§1): a leading industry or a featured X.
    IndustryCategory mirrors DomainIndustryCategory { Leading, Featured }
}

coded_mirror! {
    /// The "五进" channels (A1§4).
    FiveChannel mirrors DomainFiveChannel {
        /// 进机关
        Agency,
        /// 进社区
        Community,
        /// 进学校
        School,
        /// 进超市
        Supermarket,
        /// 进食堂
        Canteen,
    }
}

coded_mirror! {
    /// How one due of a linkage stands.
    FulfilmentStatus mirrors DomainFulfilmentStatus { Due, OnTime, Late, Defaulted, Waived }
}

coded_mirror! {
    /// Whether a linkage's entity honours the agreement on time (A1§2).
    HonouredStatus mirrors DomainHonouredStatus { Pending, OnTime, Late, Defaulted }
}

/// Kinds of sales channel (A1§4).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SalesChannelKind {
    /// 电子商务服务点 at a site
    EcommerceServicePoint,
    /// a relocated household's online shop
    OnlineShop,
    /// 省移民(脱贫)搬迁开发集团社区服务平台
    ProvincialCommunityPlatform,
    /// 供销平台
    SupplyMarketingPlatform,
    /// 消费扶贫中心
    ConsumptionSupportCentre,
    Other,
}

const SALES_CHANNEL_KINDS: &[(SalesChannelKind, &str)] = &[
    (
        SalesChannelKind::EcommerceServicePoint,
        "ecommerce_service_point",
    ),
    (SalesChannelKind::OnlineShop, "online_shop"),
    (
        SalesChannelKind::ProvincialCommunityPlatform,
        "provincial_community_platform",
    ),
    (
        SalesChannelKind::SupplyMarketingPlatform,
        "supply_marketing_platform",
    ),
    (
        SalesChannelKind::ConsumptionSupportCentre,
        "consumption_support_centre",
    ),
    (SalesChannelKind::Other, "other"),
];

impl SalesChannelKind {
    fn code(self) -> &'static str {
        SALES_CHANNEL_KINDS
            .iter()
            .find(|(kind, _)| *kind == self)
            .map(|(_, code)| *code)
            .unwrap_or("other")
    }

    fn from_code(code: &str) -> SalesChannelKind {
        SALES_CHANNEL_KINDS
            .iter()
            .find(|(_, known)| *known == code)
            .map(|(kind, _)| *kind)
            .unwrap_or(SalesChannelKind::Other)
    }
}

/// A "3+X" industry (A1§1).
#[derive(SimpleObject, Clone)]
pub struct Industry {
    pub code: String,
    pub name: String,
    pub category: IndustryCategory,
}

impl Industry {
    fn new(model: &industry::Model) -> Result<Industry, ApiError> {
        Ok(Industry {
            code: model.code.clone(),
            name: model.name.clone(),
            category: IndustryCategory::decode("industry.category", &model.category)?,
        })
    }
}

/// The industries by id, loaded once per request.
struct Industries(HashMap<i64, Industry>);

impl Industries {
    async fn load(ctx: &Context<'_>) -> Result<Arc<Industries>, ApiError> {
        let mut by_id = HashMap::new();
        for model in store::all_industries(database(ctx)).await? {
            by_id.insert(model.id, Industry::new(&model)?);
        }
        Ok(Arc::new(Industries(by_id)))
    }

    fn get(&self, id: i64) -> Option<Industry> {
        self.0.get(&id).cloned()
    }

    fn id_by_code(&self, field: &str, code: &str) -> Result<i64, ApiError> {
        self.0
            .iter()
            .find(|(_, industry)| industry.code == code.trim())
            .map(|(id, _)| *id)
            .ok_or_else(|| {
                let known: Vec<&str> = self.0.values().map(|i| i.code.as_str()).collect();
                ApiError::invalid(
                    field,
                    format!(
                        "there is no industry with the code {code:?}; the \"3+X\" codes are {}",
                        known.join(", ")
                    ),
                )
            })
    }
}

/// A business entity that drives poverty reduction (带贫主体, A1§2).
pub struct BusinessEntity {
    model: business_entity::Model,
    industries: Vec<Industry>,
}

#[Object]
impl BusinessEntity {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::BusinessEntity, self.model.id)
    }
    async fn code(&self) -> &str {
        &self.model.code
    }
    /// 统一社会信用代码, when registered.
    async fn credit_code(&self) -> Option<&str> {
        self.model.credit_code.as_deref()
    }
    async fn name(&self) -> &str {
        &self.model.name
    }
    async fn kind(&self) -> Result<BusinessEntityKind> {
        Ok(BusinessEntityKind::decode(
            "business_entity.kind",
            &self.model.kind,
        )?)
    }
    /// Its "3+X" industries (A1§1).
    async fn industries(&self) -> &[Industry] {
        &self.industries
    }
    async fn town_id(&self) -> Option<ID> {
        self.model.town_id.map(|id| encode_id(NodeType::Town, id))
    }
    async fn legal_representative(&self) -> Option<&str> {
        self.model.legal_representative.as_deref()
    }
    /// The contact phone, masked (138****5678): minimum necessary.
    async fn contact_phone(&self) -> Option<String> {
        self.model
            .contact_phone
            .as_deref()
            .map(auth::policy::mask_phone)
    }
    async fn address(&self) -> &str {
        &self.model.address
    }
    /// Preservation and processing (A1§3).
    async fn does_processing(&self) -> bool {
        self.model.does_processing
    }
    /// Storage (A1§3).
    async fn does_storage(&self) -> bool {
        self.model.does_storage
    }
    /// Order farming (订单农业, A1§3).
    async fn does_order_farming(&self) -> bool {
        self.model.does_order_farming
    }
    async fn brand(&self) -> Option<&str> {
        self.model.brand.as_deref()
    }
    async fn status(&self) -> &str {
        &self.model.status
    }
    async fn version(&self) -> i32 {
        self.model.version
    }
}

/// One due payment or service of a linkage and how it was honoured.
#[derive(SimpleObject)]
pub struct BenefitDue {
    pub id: ID,
    pub due_on: NaiveDate,
    pub fulfilled_on: Option<NaiveDate>,
    /// Amount in fen.
    pub amount_fen: i64,
    pub status: FulfilmentStatus,
    /// Past its date, neither honoured nor waived (A1§2).
    pub overdue: bool,
    pub notes: String,
}

impl BenefitDue {
    fn new(model: &benefit_fulfilment::Model, today: NaiveDate) -> Result<BenefitDue, ApiError> {
        Ok(BenefitDue {
            // Dues have no node type of their own: `<linkage ID>.<row number>`.
            id: ID(format!(
                "{}.{}",
                encode_id(NodeType::BenefitLinkage, model.benefit_linkage_id).0,
                model.id
            )),
            due_on: model.due_on,
            fulfilled_on: model.fulfilled_on,
            amount_fen: model.amount_fen,
            status: FulfilmentStatus::decode("benefit_fulfilment.status", &model.status)?,
            overdue: store::due_of(model).is_overdue(today),
            notes: model.notes.clone(),
        })
    }
}

/// A benefit linkage (利益联结) between a business entity and a relocated household.
pub struct BenefitLinkage {
    model: benefit_linkage::Model,
    entity: Option<Arc<BusinessEntity>>,
    industry: Option<Industry>,
    dues: Vec<benefit_fulfilment::Model>,
    today: NaiveDate,
}

#[Object]
impl BenefitLinkage {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::BenefitLinkage, self.model.id)
    }
    async fn business_entity(&self) -> Option<&BusinessEntity> {
        self.entity.as_deref()
    }
    async fn household(&self, ctx: &Context<'_>) -> Result<Household> {
        Ok(Household(
            load_one(ctx, HouseholdKey(self.model.household_id), "household").await?,
        ))
    }
    async fn industry(&self) -> Option<&Industry> {
        self.industry.as_ref()
    }
    async fn kind(&self) -> Result<BenefitLinkageKind> {
        Ok(BenefitLinkageKind::decode(
            "benefit_linkage.kind",
            &self.model.kind,
        )?)
    }
    async fn agreement_no(&self) -> &str {
        &self.model.agreement_no
    }
    /// The agreement's terms.
    async fn terms(&self) -> &str {
        &self.model.terms
    }
    async fn starts_on(&self) -> NaiveDate {
        self.model.starts_on
    }
    async fn ends_on(&self) -> Option<NaiveDate> {
        self.model.ends_on
    }
    /// Land put in, in 0.0001 mu (land shares, land transfer, lease-back).
    async fn land_area_ten_thousandth_mu(&self) -> Option<i64> {
        self.model.land_area_ten_thousandth_mu
    }
    /// Capital put in, in fen (capital shares).
    async fn capital_fen(&self) -> Option<i64> {
        self.model.capital_fen
    }
    async fn expected_annual_income_fen(&self) -> Option<i64> {
        self.model.expected_annual_income_fen
    }
    async fn next_due_on(&self) -> Option<NaiveDate> {
        self.model.next_due_on
    }
    /// The record of honouring, as stored after the last due was settled.
    async fn honoured_status(&self) -> Result<HonouredStatus> {
        Ok(HonouredStatus::decode(
            "benefit_linkage.honoured_status",
            &self.model.honoured_status,
        )?)
    }
    /// Overdue today: a due not honoured by its date (A1§2 按期履责履约) — an alert.
    async fn overdue(&self) -> bool {
        let dues: Vec<_> = self.dues.iter().map(store::due_of).collect();
        domain::industry::linkage_overdue(
            self.model.status == "active",
            self.model.next_due_on,
            &dues,
            self.today,
        )
    }
    /// The dues of the agreement (its fulfilment record), by date.
    async fn dues(&self) -> Result<Vec<BenefitDue>> {
        let mut dues = Vec::with_capacity(self.dues.len());
        for due in &self.dues {
            dues.push(BenefitDue::new(due, self.today)?);
        }
        Ok(dues)
    }
    async fn status(&self) -> &str {
        &self.model.status
    }
    async fn version(&self) -> i32 {
        self.model.version
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.model.updated_at
    }
}

/// A sales channel (A1§4).
pub struct SalesChannel(sales_channel::Model);

#[Object]
impl SalesChannel {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::SalesChannel, self.0.id)
    }
    async fn kind(&self) -> SalesChannelKind {
        SalesChannelKind::from_code(&self.0.kind)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn site_id(&self) -> Option<ID> {
        self.0.site_id.map(|id| encode_id(NodeType::Site, id))
    }
    async fn household_id(&self) -> Option<ID> {
        self.0
            .household_id
            .map(|id| encode_id(NodeType::Household, id))
    }
    async fn business_entity_id(&self) -> Option<ID> {
        self.0
            .business_entity_id
            .map(|id| encode_id(NodeType::BusinessEntity, id))
    }
    async fn operator(&self) -> &str {
        &self.0.operator
    }
    async fn address_or_url(&self) -> &str {
        &self.0.address_or_url
    }
    async fn opened_on(&self) -> Option<NaiveDate> {
        self.0.opened_on
    }
    async fn closed_on(&self) -> Option<NaiveDate> {
        self.0.closed_on
    }
}

/// A "五进" sale (A1§4).
#[derive(SimpleObject)]
pub struct FiveChannelSale {
    pub channel: FiveChannel,
    pub buyer_name: String,
    pub business_entity_id: Option<ID>,
    pub sales_channel_id: Option<ID>,
    pub product: String,
    pub quantity: String,
    /// Amount in fen.
    pub amount_fen: i64,
    pub sold_on: NaiveDate,
}

impl FiveChannelSale {
    fn new(model: five_channel_sale::Model) -> Result<FiveChannelSale, ApiError> {
        Ok(FiveChannelSale {
            channel: FiveChannel::decode("five_channel_sale.channel", &model.channel)?,
            buyer_name: model.buyer_name,
            business_entity_id: model
                .business_entity_id
                .map(|id| encode_id(NodeType::BusinessEntity, id)),
            sales_channel_id: model
                .sales_channel_id
                .map(|id| encode_id(NodeType::SalesChannel, id)),
            product: model.product,
            quantity: model.quantity,
            amount_fen: model.amount_fen,
            sold_on: model.sold_on,
        })
    }
}

paged_connection!(BusinessEntityConnection, BusinessEntityEdge, BusinessEntity);
paged_connection!(BenefitLinkageConnection, BenefitLinkageEdge, BenefitLinkage);
paged_connection!(SalesChannelConnection, SalesChannelEdge, SalesChannel);
paged_connection!(
    FiveChannelSaleConnection,
    FiveChannelSaleEdge,
    FiveChannelSale
);

/// Builds entity nodes with their industries (one statement for the whole page).
async fn entity_nodes(
    ctx: &Context<'_>,
    models: Vec<business_entity::Model>,
    industries: &Industries,
) -> Result<Vec<(i64, BusinessEntity)>, ApiError> {
    let ids: Vec<i64> = models.iter().map(|model| model.id).collect();
    let mut of_entity = store::industries_of_entities(database(ctx), &ids).await?;
    Ok(models
        .into_iter()
        .map(|model| {
            let industries = of_entity
                .remove(&model.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|id| industries.get(id))
                .collect();
            (model.id, BusinessEntity { model, industries })
        })
        .collect())
}

/// Builds linkage nodes with their entities, industries and dues: three statements for the
/// whole page, whatever its size.
async fn linkage_nodes(
    ctx: &Context<'_>,
    models: Vec<benefit_linkage::Model>,
) -> Result<Vec<(i64, BenefitLinkage)>, ApiError> {
    let db = database(ctx);
    let industries = Industries::load(ctx).await?;
    let linkage_ids: Vec<i64> = models.iter().map(|model| model.id).collect();
    let mut entity_ids: Vec<i64> = models.iter().map(|m| m.business_entity_id).collect();
    entity_ids.sort_unstable();
    entity_ids.dedup();
    let entities = store::entities_by_ids(db, &entity_ids).await?;
    let entities: HashMap<i64, Arc<BusinessEntity>> =
        entity_nodes(ctx, entities.into_values().collect(), &industries)
            .await?
            .into_iter()
            .map(|(id, entity)| (id, Arc::new(entity)))
            .collect();
    let mut dues = store::fulfilments_of_linkages(db, &linkage_ids).await?;
    let today = today_in_china();
    Ok(models
        .into_iter()
        .map(|model| {
            let node = BenefitLinkage {
                entity: entities.get(&model.business_entity_id).cloned(),
                industry: model.industry_id.and_then(|id| industries.get(id)),
                dues: dues.remove(&model.id).unwrap_or_default(),
                today,
                model,
            };
            (node.model.id, node)
        })
        .collect())
}

/// Which business entities to list.
#[derive(InputObject, Default)]
pub struct BusinessEntityFilterInput {
    pub kind: Option<BusinessEntityKind>,
    pub town_id: Option<ID>,
    /// A "3+X" industry code, e.g. `fruit`.
    pub industry_code: Option<String>,
}

/// Which benefit linkages to list.
#[derive(InputObject, Default)]
pub struct BenefitLinkageFilterInput {
    pub business_entity_id: Option<ID>,
    pub household_id: Option<ID>,
    pub kind: Option<BenefitLinkageKind>,
    /// Only linkages overdue today (A1§2): the alert list.
    #[graphql(default = false)]
    pub overdue_only: bool,
}

#[derive(InputObject, Default)]
pub struct SalesChannelFilterInput {
    pub kind: Option<SalesChannelKind>,
    pub site_id: Option<ID>,
    pub business_entity_id: Option<ID>,
}

#[derive(InputObject, Default)]
pub struct FiveChannelSaleFilterInput {
    pub channel: Option<FiveChannel>,
    pub business_entity_id: Option<ID>,
    pub year: Option<i32>,
}

fn industry_reader<'a>(ctx: &Context<'a>, field: &str) -> Result<&'a Principal, ApiError> {
    read(ctx, DataDomain::Industry, field)
}

fn wrap_page<T, N>(
    page: Page<T>,
    id_of: impl Fn(&T) -> i64,
    wrap: impl Fn(T) -> Result<N, ApiError>,
) -> Result<(Vec<(i64, N)>, bool), ApiError> {
    let mut rows = Vec::with_capacity(page.rows.len());
    for row in page.rows {
        rows.push((id_of(&row), wrap(row)?));
    }
    Ok((rows, page.has_more))
}

#[derive(Default)]
pub struct IndustryQuery;

#[Object]
impl IndustryQuery {
    /// The "3+X" industries (A1§1).
    async fn industries(&self, ctx: &Context<'_>) -> Result<Vec<Industry>> {
        principal(ctx)?;
        let mut industries = Vec::new();
        for model in store::all_industries(database(ctx)).await? {
            industries.push(Industry::new(&model)?);
        }
        Ok(industries)
    }

    /// Business entities that drive poverty reduction, in id order.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn business_entities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<BusinessEntityFilterInput>,
    ) -> Result<BusinessEntityConnection> {
        industry_reader(ctx, "Query.businessEntities")?;
        let page = id_page_request(first, after, last, before)?;
        let industries = Industries::load(ctx).await?;
        let filter = filter.unwrap_or_default();
        let filter = BusinessEntityFilter {
            kind: filter.kind.map(BusinessEntityKind::code),
            town_id: optional_id("filter.townId", NodeType::Town, &filter.town_id)?,
            industry_id: filter
                .industry_code
                .as_deref()
                .map(|code| industries.id_by_code("filter.industryCode", code))
                .transpose()?,
        };
        let select = store::business_entity_select(&filter);
        let loaded = store::id_page(
            database(ctx),
            select.clone(),
            business_entity::Column::Id,
            &page,
        )
        .await
        .map_err(ApiError::from)?;
        let has_more = loaded.has_more;
        let rows = entity_nodes(ctx, loaded.rows, &industries).await?;
        Ok(BusinessEntityConnection::new(
            rows,
            has_more,
            &page,
            store::counter(select),
        ))
    }

    /// Benefit linkages in id order; `overdueOnly` lists the overdue agreements (A1§2 alerts).
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn benefit_linkages(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<BenefitLinkageFilterInput>,
    ) -> Result<BenefitLinkageConnection> {
        let principal = industry_reader(ctx, "Query.benefitLinkages")?;
        let page = id_page_request(first, after, last, before)?;
        let filter = filter.unwrap_or_default();
        let filter = LinkageFilter {
            business_entity_id: optional_id(
                "filter.businessEntityId",
                NodeType::BusinessEntity,
                &filter.business_entity_id,
            )?,
            household_id: optional_id(
                "filter.householdId",
                NodeType::Household,
                &filter.household_id,
            )?,
            kind: filter.kind.map(BenefitLinkageKind::code),
            overdue_on: filter.overdue_only.then(today_in_china),
            scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
        };
        let select = store::linkage_select(&filter);
        let loaded = store::id_page(
            database(ctx),
            select.clone(),
            benefit_linkage::Column::Id,
            &page,
        )
        .await
        .map_err(ApiError::from)?;
        let has_more = loaded.has_more;
        let rows = linkage_nodes(ctx, loaded.rows).await?;
        Ok(BenefitLinkageConnection::new(
            rows,
            has_more,
            &page,
            store::counter(select),
        ))
    }

    /// Sales channels (A1§4) in id order.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn sales_channels(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<SalesChannelFilterInput>,
    ) -> Result<SalesChannelConnection> {
        industry_reader(ctx, "Query.salesChannels")?;
        let page = id_page_request(first, after, last, before)?;
        let filter = filter.unwrap_or_default();
        let filter = SalesChannelFilter {
            kind: filter.kind.map(SalesChannelKind::code),
            site_id: optional_id("filter.siteId", NodeType::Site, &filter.site_id)?,
            business_entity_id: optional_id(
                "filter.businessEntityId",
                NodeType::BusinessEntity,
                &filter.business_entity_id,
            )?,
        };
        let select = store::sales_channel_select(&filter);
        let loaded = store::id_page(
            database(ctx),
            select.clone(),
            sales_channel::Column::Id,
            &page,
        )
        .await
        .map_err(ApiError::from)?;
        let (rows, has_more) = wrap_page(loaded, |row| row.id, |row| Ok(SalesChannel(row)))?;
        Ok(SalesChannelConnection::new(
            rows,
            has_more,
            &page,
            store::counter(select),
        ))
    }

    /// "五进" sales (A1§4) in id order.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn five_channel_sales(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<FiveChannelSaleFilterInput>,
    ) -> Result<FiveChannelSaleConnection> {
        industry_reader(ctx, "Query.fiveChannelSales")?;
        let page = id_page_request(first, after, last, before)?;
        let filter = filter.unwrap_or_default();
        let filter = FiveChannelSaleFilter {
            channel: filter.channel.map(FiveChannel::code),
            business_entity_id: optional_id(
                "filter.businessEntityId",
                NodeType::BusinessEntity,
                &filter.business_entity_id,
            )?,
            year: filter.year,
        };
        let select = store::five_channel_sale_select(&filter);
        let loaded = store::id_page(
            database(ctx),
            select.clone(),
            five_channel_sale::Column::Id,
            &page,
        )
        .await
        .map_err(ApiError::from)?;
        let (rows, has_more) = wrap_page(loaded, |row| row.id, FiveChannelSale::new)?;
        Ok(FiveChannelSaleConnection::new(
            rows,
            has_more,
            &page,
            store::counter(select),
        ))
    }
}

#[derive(InputObject)]
pub struct CreateBusinessEntityInput {
    /// Our code, e.g. `BE-07`.
    pub code: String,
    /// 统一社会信用代码 (18 characters), when registered.
    pub credit_code: Option<String>,
    pub name: String,
    pub kind: BusinessEntityKind,
    pub town_id: Option<ID>,
    pub site_id: Option<ID>,
    pub legal_representative: Option<String>,
    pub contact_phone: Option<String>,
    #[graphql(default)]
    pub address: String,
    /// "3+X" industry codes, e.g. `["fruit"]`.
    pub industry_codes: Vec<String>,
    #[graphql(default)]
    pub does_processing: bool,
    #[graphql(default)]
    pub does_storage: bool,
    #[graphql(default)]
    pub does_order_farming: bool,
    pub brand: Option<String>,
}

#[derive(InputObject)]
pub struct BenefitDueInput {
    pub due_on: NaiveDate,
    /// Amount in fen.
    pub amount_fen: i64,
}

#[derive(InputObject)]
pub struct CreateBenefitLinkageInput {
    pub business_entity_id: ID,
    pub household_id: ID,
    pub industry_code: Option<String>,
    pub kind: BenefitLinkageKind,
    pub agreement_no: String,
    /// The agreement's terms (what is owed, when, how much).
    pub terms: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// Land put in, in 0.0001 mu: required for land shares, land transfer and lease-back.
    pub land_area_ten_thousandth_mu: Option<i64>,
    /// Capital put in, in fen: required for capital shares.
    pub capital_fen: Option<i64>,
    pub expected_annual_income_fen: Option<i64>,
    /// The dues the agreement sets.
    #[graphql(default)]
    pub dues: Vec<BenefitDueInput>,
}

#[derive(InputObject)]
pub struct ScheduleBenefitDueInput {
    pub linkage_id: ID,
    pub due_on: NaiveDate,
    pub amount_fen: i64,
}

#[derive(InputObject)]
pub struct RecordBenefitFulfilmentInput {
    /// The `id` of the due (from `BenefitLinkage.dues`).
    pub due_id: ID,
    /// The day it was honoured; on or before the due date is on time (A1§2).
    pub fulfilled_on: Option<NaiveDate>,
    /// Released by agreement of the household instead.
    #[graphql(default)]
    pub waived: bool,
    pub notes: Option<String>,
}

#[derive(InputObject)]
pub struct CreateSalesChannelInput {
    pub kind: SalesChannelKind,
    pub name: String,
    pub site_id: Option<ID>,
    pub household_id: Option<ID>,
    pub business_entity_id: Option<ID>,
    #[graphql(default)]
    pub operator: String,
    #[graphql(default)]
    pub address_or_url: String,
    pub opened_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct RecordFiveChannelSaleInput {
    pub channel: FiveChannel,
    pub buyer_name: String,
    pub business_entity_id: Option<ID>,
    pub household_id: Option<ID>,
    pub industry_code: Option<String>,
    pub sales_channel_id: Option<ID>,
    pub product: String,
    #[graphql(default)]
    pub quantity: String,
    /// Amount in fen.
    pub amount_fen: i64,
    pub sold_on: NaiveDate,
}

fn industry_writer<'a>(ctx: &Context<'a>, what: &str) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_write(DataDomain::Industry, what)?;
    Ok(principal)
}

/// A due's ID is `<linkage ID>.<row>`; the row number is what the store needs.
fn decode_due_id(field: &str, id: &ID) -> Result<(i64, i64), ApiError> {
    let invalid = || ApiError::invalid(field, "not the ID of a due from BenefitLinkage.dues");
    let (linkage, row) = id.0.rsplit_once('.').ok_or_else(invalid)?;
    let linkage = decode_id(field, NodeType::BenefitLinkage, linkage)?;
    let row = row.parse::<i64>().map_err(|_| invalid())?;
    Ok((linkage, row))
}

#[derive(Default)]
pub struct IndustryMutation;

#[Object]
impl IndustryMutation {
    /// Registers a business entity with its industries (agriculture bureau).
    async fn create_business_entity(
        &self,
        ctx: &Context<'_>,
        input: CreateBusinessEntityInput,
    ) -> Result<BusinessEntity> {
        let principal = industry_writer(ctx, "business entities")?;
        let industries = Industries::load(ctx).await?;
        let mut industry_ids = Vec::new();
        for (index, code) in input.industry_codes.iter().enumerate() {
            let id = industries.id_by_code(&format!("input.industryCodes[{index}]"), code)?;
            if !industry_ids.contains(&id) {
                industry_ids.push(id);
            }
        }
        if industry_ids.is_empty() {
            return Err(ApiError::invalid(
                "input.industryCodes",
                "name at least one \"3+X\" industry the entity works in (A1§1)",
            )
            .into());
        }
        let credit_code = optional_line("input.creditCode", &input.credit_code, 18)?;
        if let Some(code) = &credit_code {
            if code.chars().count() != 18 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(ApiError::invalid(
                    "input.creditCode",
                    "a unified social credit code has 18 letters and digits",
                )
                .into());
            }
        }
        let contact_phone = match optional_line("input.contactPhone", &input.contact_phone, 20)? {
            Some(phone) => Some(
                domain::phone::PhoneNumber::parse(&phone)
                    .map_err(|error| ApiError::invalid("input.contactPhone", error))?
                    .as_str()
                    .to_string(),
            ),
            None => None,
        };
        let new = NewBusinessEntity {
            code: text_field("input.code", &input.code, 32)?,
            credit_code,
            name: text_field("input.name", &input.name, 200)?,
            kind: input.kind.code(),
            town_id: optional_id("input.townId", NodeType::Town, &input.town_id)?,
            site_id: optional_id("input.siteId", NodeType::Site, &input.site_id)?,
            legal_representative: optional_line(
                "input.legalRepresentative",
                &input.legal_representative,
                40,
            )?,
            contact_phone,
            address: domain::text::clean_optional_line(&input.address, "input.address", 200)
                .map_err(|error| ApiError::invalid("input.address", error))?
                .unwrap_or_default(),
            does_processing: input.does_processing,
            does_storage: input.does_storage,
            does_order_farming: input.does_order_farming,
            brand: optional_line("input.brand", &input.brand, 100)?,
            industry_ids,
        };
        let stored =
            store::create_business_entity(database(ctx), &actor_of(principal), new).await?;
        let mut nodes = entity_nodes(ctx, vec![stored], &industries).await?;
        nodes
            .pop()
            .map(|(_, node)| node)
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("the stored entity vanished")).into())
    }

    /// Records a benefit linkage agreement with a relocated household and its dues.
    async fn create_benefit_linkage(
        &self,
        ctx: &Context<'_>,
        input: CreateBenefitLinkageInput,
    ) -> Result<BenefitLinkage> {
        let principal = industry_writer(ctx, "benefit linkages")?;
        let household_id = decode_id(
            "input.householdId",
            NodeType::Household,
            &input.household_id,
        )?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Household,
            household_id,
            "household",
        )
        .await?;
        if registry::town_of_record(database(ctx), RecordTable::Household, household_id)
            .await
            .map_err(ApiError::from)?
            .is_none()
        {
            return Err(
                ApiError::invalid("input.householdId", "this household does not exist").into(),
            );
        }
        let kind = DomainLinkageKind::from(input.kind);
        let land = match input.land_area_ten_thousandth_mu {
            Some(area) if area <= 0 => {
                return Err(ApiError::invalid(
                    "input.landAreaTenThousandthMu",
                    "the land put in must be a positive area in 0.0001 mu",
                )
                .into())
            }
            other => other,
        };
        if kind.puts_in_land() && land.is_none() {
            return Err(ApiError::invalid(
                "input.landAreaTenThousandthMu",
                format!(
                    "a {} linkage records the land put in (A1§2)",
                    kind.label_zh()
                ),
            )
            .into());
        }
        let capital = input
            .capital_fen
            .map(|fen| amount_fen("input.capitalFen", fen))
            .transpose()?;
        if kind.puts_in_capital() && capital.is_none() {
            return Err(ApiError::invalid(
                "input.capitalFen",
                "a 资金入股 linkage records the capital put in (A1§2)",
            )
            .into());
        }
        if let Some(ends_on) = input.ends_on {
            if ends_on < input.starts_on {
                return Err(ApiError::invalid(
                    "input.endsOn",
                    "the agreement cannot end before it starts",
                )
                .into());
            }
        }
        let mut dues = Vec::with_capacity(input.dues.len());
        for (index, due) in input.dues.iter().enumerate() {
            let field = format!("input.dues[{index}]");
            if dues.iter().any(|(on, _)| *on == due.due_on) {
                return Err(ApiError::invalid(
                    format!("{field}.dueOn"),
                    "two dues on the same day: merge them",
                )
                .into());
            }
            dues.push((
                due.due_on,
                amount_fen(&format!("{field}.amountFen"), due.amount_fen)?,
            ));
        }
        let industry_id = match input.industry_code.as_deref() {
            Some(code) => Some(
                Industries::load(ctx)
                    .await?
                    .id_by_code("input.industryCode", code)?,
            ),
            None => None,
        };
        let new = NewLinkage {
            business_entity_id: decode_id(
                "input.businessEntityId",
                NodeType::BusinessEntity,
                &input.business_entity_id,
            )?,
            household_id,
            industry_id,
            kind: kind.code(),
            agreement_no: text_field("input.agreementNo", &input.agreement_no, 64)?,
            terms: domain::text::clean_multiline(&input.terms, "input.terms", 4000)
                .map_err(|error| ApiError::invalid("input.terms", error))?,
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            land_area_ten_thousandth_mu: land,
            capital_fen: capital,
            expected_annual_income_fen: input
                .expected_annual_income_fen
                .map(|fen| amount_fen("input.expectedAnnualIncomeFen", fen))
                .transpose()?,
            dues,
        };
        let stored = store::create_linkage(database(ctx), &actor_of(principal), new).await?;
        single_linkage(ctx, stored).await
    }

    /// Adds a due to a linkage.
    async fn schedule_benefit_due(
        &self,
        ctx: &Context<'_>,
        input: ScheduleBenefitDueInput,
    ) -> Result<BenefitLinkage> {
        let principal = industry_writer(ctx, "benefit linkages")?;
        let linkage_id = decode_id(
            "input.linkageId",
            NodeType::BenefitLinkage,
            &input.linkage_id,
        )?;
        let linkage = scoped_linkage(ctx, principal, linkage_id).await?;
        let stored = store::schedule_due(
            database(ctx),
            &actor_of(principal),
            linkage.id,
            input.due_on,
            amount_fen("input.amountFen", input.amount_fen)?,
            today_in_china(),
        )
        .await?;
        single_linkage(ctx, stored).await
    }

    /// Records that a due was honoured (on time or late) or waived; the linkage's record of
    /// honouring and its alert follow (A1§2).
    async fn record_benefit_fulfilment(
        &self,
        ctx: &Context<'_>,
        input: RecordBenefitFulfilmentInput,
    ) -> Result<BenefitLinkage> {
        let principal = industry_writer(ctx, "benefit linkages")?;
        let (linkage_id, due_id) = decode_due_id("input.dueId", &input.due_id)?;
        scoped_linkage(ctx, principal, linkage_id).await?;
        let due = store::find_fulfilment(database(ctx), due_id)
            .await?
            .filter(|due| due.benefit_linkage_id == linkage_id)
            .ok_or_else(|| ApiError::not_found("BenefitDue", "with this ID"))?;
        let today = today_in_china();
        if input.fulfilled_on.is_some_and(|on| on > today) {
            return Err(ApiError::invalid(
                "input.fulfilledOn",
                "a due cannot be honoured in the future",
            )
            .into());
        }
        let notes = input
            .notes
            .as_deref()
            .map(|notes| notes_field("input.notes", notes, 1000))
            .transpose()?;
        let stored = store::record_fulfilment(
            database(ctx),
            &actor_of(principal),
            due.id,
            input.fulfilled_on,
            input.waived,
            notes,
            today,
        )
        .await?;
        single_linkage(ctx, stored).await
    }

    /// Opens a sales channel (A1§4).
    async fn create_sales_channel(
        &self,
        ctx: &Context<'_>,
        input: CreateSalesChannelInput,
    ) -> Result<SalesChannel> {
        let principal = industry_writer(ctx, "sales channels")?;
        let site_id = optional_id("input.siteId", NodeType::Site, &input.site_id)?;
        if let Some(site_id) = site_id {
            ensure_in_scope(ctx, principal, RecordTable::Site, site_id, "site").await?;
        }
        let household_id = optional_id(
            "input.householdId",
            NodeType::Household,
            &input.household_id,
        )?;
        if let Some(household_id) = household_id {
            ensure_in_scope(
                ctx,
                principal,
                RecordTable::Household,
                household_id,
                "household",
            )
            .await?;
        }
        let new = NewSalesChannel {
            kind: input.kind.code(),
            name: text_field("input.name", &input.name, 200)?,
            site_id,
            household_id,
            business_entity_id: optional_id(
                "input.businessEntityId",
                NodeType::BusinessEntity,
                &input.business_entity_id,
            )?,
            operator: domain::text::clean_optional_line(&input.operator, "input.operator", 100)
                .map_err(|error| ApiError::invalid("input.operator", error))?
                .unwrap_or_default(),
            address_or_url: domain::text::clean_optional_line(
                &input.address_or_url,
                "input.addressOrUrl",
                300,
            )
            .map_err(|error| ApiError::invalid("input.addressOrUrl", error))?
            .unwrap_or_default(),
            opened_on: input.opened_on,
        };
        Ok(SalesChannel(
            store::create_sales_channel(database(ctx), &actor_of(principal), new).await?,
        ))
    }

    /// Records a "五进" sale (A1§4).
    async fn record_five_channel_sale(
        &self,
        ctx: &Context<'_>,
        input: RecordFiveChannelSaleInput,
    ) -> Result<FiveChannelSale> {
        let principal = industry_writer(ctx, "五进 sales")?;
        let household_id = optional_id(
            "input.householdId",
            NodeType::Household,
            &input.household_id,
        )?;
        if let Some(household_id) = household_id {
            ensure_in_scope(
                ctx,
                principal,
                RecordTable::Household,
                household_id,
                "household",
            )
            .await?;
        }
        let industry_id = match input.industry_code.as_deref() {
            Some(code) => Some(
                Industries::load(ctx)
                    .await?
                    .id_by_code("input.industryCode", code)?,
            ),
            None => None,
        };
        let new = NewFiveChannelSale {
            channel: input.channel.code(),
            buyer_name: text_field("input.buyerName", &input.buyer_name, 200)?,
            business_entity_id: optional_id(
                "input.businessEntityId",
                NodeType::BusinessEntity,
                &input.business_entity_id,
            )?,
            household_id,
            industry_id,
            sales_channel_id: optional_id(
                "input.salesChannelId",
                NodeType::SalesChannel,
                &input.sales_channel_id,
            )?,
            product: text_field("input.product", &input.product, 100)?,
            quantity: domain::text::clean_optional_line(&input.quantity, "input.quantity", 60)
                .map_err(|error| ApiError::invalid("input.quantity", error))?
                .unwrap_or_default(),
            amount_fen: amount_fen("input.amountFen", input.amount_fen)?,
            sold_on: input.sold_on,
        };
        FiveChannelSale::new(
            store::record_five_channel_sale(database(ctx), &actor_of(principal), new).await?,
        )
        .map_err(Into::into)
    }
}

/// A linkage the principal may see (its household in the principal's towns), or NOT_FOUND.
async fn scoped_linkage(
    ctx: &Context<'_>,
    principal: &Principal,
    linkage_id: i64,
) -> Result<benefit_linkage::Model, ApiError> {
    let linkage = store::find_linkage(database(ctx), linkage_id)
        .await?
        .ok_or_else(|| ApiError::not_found("BenefitLinkage", "with this ID"))?;
    ensure_in_scope(
        ctx,
        principal,
        RecordTable::Household,
        linkage.household_id,
        "BenefitLinkage",
    )
    .await?;
    Ok(linkage)
}

async fn single_linkage(
    ctx: &Context<'_>,
    model: benefit_linkage::Model,
) -> Result<BenefitLinkage> {
    linkage_nodes(ctx, vec![model])
        .await?
        .pop()
        .map(|(_, node)| node)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("the stored linkage vanished")).into())
}

/// `node(id:)` for this annex's records, with their lists' access rules: readers of `industry`;
/// a linkage through `benefitLinkages`' own select, so a town sees its households' only.
pub(super) async fn resolve_node(
    ctx: &Context<'_>,
    node_type: NodeType,
    id: i64,
) -> Result<Option<super::node::Node>> {
    use super::node::{page_at, the_row, Node};
    let principal = industry_reader(ctx, "Query.node")?;
    let db = database(ctx);
    Ok(match node_type {
        NodeType::BusinessEntity => {
            let select = store::business_entity_select(&BusinessEntityFilter::default());
            let loaded = store::id_page(db, select, business_entity::Column::Id, &page_at(id))
                .await
                .map_err(ApiError::from)?;
            let Some(model) = the_row(loaded.rows, id, |row| row.id) else {
                return Ok(None);
            };
            let industries = Industries::load(ctx).await?;
            entity_nodes(ctx, vec![model], &industries)
                .await?
                .pop()
                .map(|(_, entity)| Node::BusinessEntity(entity))
        }
        NodeType::BenefitLinkage => {
            let select = store::linkage_select(&LinkageFilter {
                scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
                ..LinkageFilter::default()
            });
            let loaded = store::id_page(db, select, benefit_linkage::Column::Id, &page_at(id))
                .await
                .map_err(ApiError::from)?;
            match the_row(loaded.rows, id, |row| row.id) {
                Some(model) => Some(Node::BenefitLinkage(single_linkage(ctx, model).await?)),
                None => None,
            }
        }
        NodeType::SalesChannel => {
            let select = store::sales_channel_select(&SalesChannelFilter::default());
            let loaded = store::id_page(db, select, sales_channel::Column::Id, &page_at(id))
                .await
                .map_err(ApiError::from)?;
            the_row(loaded.rows, id, |row| row.id).map(|row| Node::SalesChannel(SalesChannel(row)))
        }
        _ => None,
    })
}
