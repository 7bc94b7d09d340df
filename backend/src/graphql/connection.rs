//! Relay connection types with `totalCount`, built from keyset pages.
use async_graphql::{Context, Object, Result, SimpleObject};

use super::loaders::HouseholdCountOfSite;
use super::registry::{Household, Person, Site};
use super::{database, loader};
use crate::error::ApiError;
use crate::persistence::paging::{Cursor, PageDirection, PageRequest, MAX_PAGE_SIZE};
use crate::persistence::registry::{self, HouseholdFilter, Page, PersonFilter};

/// Relay page information.
#[derive(SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

/// What `totalCount` counts; computed only when asked for.
pub enum TotalCount {
    /// Sites, within the principal's towns when scoped.
    Sites(Option<Vec<i64>>),
    SiteHouseholds(HouseholdCountOfSite),
    Households(HouseholdFilter),
    Persons(Box<PersonFilter>),
}

impl TotalCount {
    async fn resolve(&self, ctx: &Context<'_>) -> Result<i64> {
        let count = match self {
            TotalCount::Sites(towns) => registry::count_sites(database(ctx), towns.as_deref())
                .await
                .map_err(ApiError::from)?,
            TotalCount::SiteHouseholds(key) => loader(ctx)
                .load_one(*key)
                .await
                .map_err(|error| ApiError::Internal(anyhow::anyhow!("{error}")))?
                .unwrap_or(0),
            TotalCount::Households(filter) => registry::count_households(database(ctx), filter)
                .await
                .map_err(ApiError::from)?,
            TotalCount::Persons(filter) => registry::count_persons(database(ctx), filter)
                .await
                .map_err(ApiError::from)?,
        };
        Ok(count as i64)
    }
}

/// The complexity of a connection field: its page size times the cost of one node, so that a
/// query asking for 100 × 100 nested rows costs what it will cost the database.
pub fn connection_complexity(
    child_complexity: usize,
    first: Option<i32>,
    last: Option<i32>,
) -> usize {
    let size = first
        .or(last)
        .unwrap_or(MAX_PAGE_SIZE as i32)
        .clamp(1, MAX_PAGE_SIZE as i32);
    (size as usize)
        .saturating_mul(child_complexity.max(1))
        .saturating_add(1)
}

macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ident, $model:ty) => {
        #[doc = concat!("An edge to a ", stringify!($node), " with its cursor.")]
        #[derive(SimpleObject)]
        pub struct $edge {
            pub cursor: String,
            pub node: $node,
        }

        #[doc = concat!("A page of ", stringify!($node), " records.")]
        pub struct $connection {
            edges: Vec<$edge>,
            page_info: PageInfo,
            total: TotalCount,
        }

        impl $connection {
            pub fn from_page(
                page: Page<$model>,
                request: &PageRequest,
                cursor_of: impl Fn(&$model) -> Cursor,
                wrap: fn($model) -> $node,
                total: TotalCount,
            ) -> $connection {
                let edges: Vec<$edge> = page
                    .rows
                    .into_iter()
                    .map(|row| $edge {
                        cursor: cursor_of(&row).encode(),
                        node: wrap(row),
                    })
                    .collect();
                let beyond_cursor = request.cursor.is_some();
                let (has_next_page, has_previous_page) = match request.direction {
                    PageDirection::Forward => (page.has_more, beyond_cursor),
                    PageDirection::Backward => (beyond_cursor, page.has_more),
                };
                let page_info = PageInfo {
                    has_next_page,
                    has_previous_page,
                    start_cursor: edges.first().map(|edge| edge.cursor.clone()),
                    end_cursor: edges.last().map(|edge| edge.cursor.clone()),
                };
                $connection {
                    edges,
                    page_info,
                    total,
                }
            }
        }

        #[Object]
        impl $connection {
            async fn edges(&self) -> &[$edge] {
                &self.edges
            }
            /// The nodes of the edges, for clients that need no cursors.
            async fn nodes(&self) -> Vec<&$node> {
                self.edges.iter().map(|edge| &edge.node).collect()
            }
            async fn page_info(&self) -> &PageInfo {
                &self.page_info
            }
            /// How many records the whole list has (all pages).
            async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
                self.total.resolve(ctx).await
            }
        }
    };
}

connection!(
    SiteConnection,
    SiteEdge,
    Site,
    crate::persistence::entities::site::Model
);
connection!(
    HouseholdConnection,
    HouseholdEdge,
    Household,
    crate::persistence::entities::household::Model
);
connection!(
    PersonConnection,
    PersonEdge,
    Person,
    crate::persistence::entities::person::Model
);
