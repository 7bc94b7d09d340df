//! The change feed over GraphQL: `changes(after:, first:, types:)` pages through every
//! committed change the principal may see, and the `changes` and `alertCounts` subscriptions
//! stream them live over WebSocket (`http/subscriptions.rs`).
//!
//! Who sees what: the same data domains and row scope as the lists (a town official sees its
//! towns' records; a bureau the domains it reads), and the owning units of tasks, supervision
//! records and alerts (`persistence::change_feed::FeedVisibility`). An entry names the record
//! by its global ID: fetch it with `node(id:)` or the type's own query.
//!
//! Cursors are positions in one feed ordered by commit: "everything after my cursor" neither
//! loses nor repeats a change, however transactions interleave.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_graphql::futures_util::stream::{self, Stream, StreamExt};
use async_graphql::{Context, Enum, Object, Result, SimpleObject, Subscription, ID};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

use super::access::principal;
use super::connection::{connection_complexity, PageInfo};
use super::database;
use super::ids::{encode_id, NodeType};
use crate::access::Principal;
use crate::error::ApiError;
use crate::persistence::alerts::open_alert_counts;
use crate::persistence::change_feed::{
    self as store, FeedBatch, FeedPoller, FeedRow, FeedVisibility,
};
use crate::persistence::paging::{Cursor, PageRequest, MAX_PAGE_SIZE};

/// The sort name baked into feed cursors.
const CURSOR_SORT: &str = "POSITION";
/// How often a live subscription re-checks its token and session (and re-reads the policy).
pub const SESSION_CHECK_INTERVAL: Duration = Duration::from_secs(5);

/// Live subscriptions one WebSocket connection may hold at once.
pub const MAX_SUBSCRIPTIONS_PER_CONNECTION: usize = 10;

/// The bearer token a WebSocket connection was opened with (from `connection_init`): live
/// subscriptions re-check it, so a closed session or an expired token ends them. It also
/// counts the connection's live subscriptions.
#[derive(Clone)]
pub struct ConnectionToken {
    pub token: String,
    pub subscriptions: Arc<AtomicUsize>,
}

impl ConnectionToken {
    /// The token of a new connection, with no subscription yet.
    pub fn new(token: String) -> ConnectionToken {
        ConnectionToken {
            token,
            subscriptions: Arc::new(AtomicUsize::new(0)),
        }
    }
}

/// One live subscription of a connection, counted while it lives.
struct SubscriptionSlot(Arc<AtomicUsize>);

impl SubscriptionSlot {
    fn take(connection: &ConnectionToken) -> Result<SubscriptionSlot, ApiError> {
        let taken = connection.subscriptions.fetch_add(1, Ordering::SeqCst);
        let slot = SubscriptionSlot(Arc::clone(&connection.subscriptions));
        if taken >= MAX_SUBSCRIPTIONS_PER_CONNECTION {
            return Err(ApiError::invalid(
                "subscription",
                format!(
                    "a connection may hold {MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions at once; complete one first or open another connection"
                ),
            ));
        }
        Ok(slot)
    }
}

impl Drop for SubscriptionSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What happened to the record.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Updated,
    Deleted,
    /// Archived (kept, but no longer current: e.g. a household that moved away).
    Archived,
}

impl ChangeKind {
    fn of(code: &str) -> ChangeKind {
        match store::ChangeKind::from_code(code) {
            Some(store::ChangeKind::Created) => ChangeKind::Created,
            Some(store::ChangeKind::Deleted) => ChangeKind::Deleted,
            Some(store::ChangeKind::Archived) => ChangeKind::Archived,
            _ => ChangeKind::Updated,
        }
    }
}

/// The record types of the feed, by their GraphQL names.
const FEED_NODE_TYPES: &[NodeType] = &[
    NodeType::Household,
    NodeType::Person,
    NodeType::JobPosting,
    NodeType::JobPush,
    NodeType::EmploymentSpell,
    NodeType::GuaranteedLoan,
    NodeType::TrainingInstitution,
    NodeType::TrainingClass,
    NodeType::TrainingEnrolment,
    NodeType::EntrepreneurshipTraining,
    NodeType::BusinessEntity,
    NodeType::BenefitLinkage,
    NodeType::SalesChannel,
    NodeType::SiteNeed,
    NodeType::PropertyTicket,
    NodeType::SiteFacility,
    NodeType::SchoolEnrolment,
    NodeType::InsuranceEnrolment,
    NodeType::FamilyDoctorContract,
    NodeType::ChronicCondition,
    NodeType::HealthFollowUp,
    NodeType::SocialAssistance,
    NodeType::HouseholdRegistration,
    NodeType::PublicDisclosure,
    NodeType::ConsultationMeeting,
    NodeType::DemocraticEvaluation,
    NodeType::SiteCouncil,
    NodeType::DisputeRoom,
    NodeType::DisputeCase,
    NodeType::Homestead,
    NodeType::LandLinkageProject,
    NodeType::LandQuota,
    NodeType::QuotaTransfer,
    NodeType::LandRevenue,
    NodeType::PartyOrganisation,
    NodeType::PartyMember,
    NodeType::PartyRelationTransfer,
    NodeType::PartyMeeting,
    NodeType::PartyVisit,
    NodeType::TownCommitteeReview,
    NodeType::ResponsibilityTask,
    NodeType::ProgressReport,
    NodeType::ExtensionRequest,
    NodeType::TaskAttachment,
    NodeType::Inspection,
    NodeType::InspectionFinding,
    NodeType::Interview,
    NodeType::Consequence,
    NodeType::AssessmentPlan,
    NodeType::AssessmentIndicator,
    NodeType::AssessmentPublication,
    NodeType::Alert,
];

fn node_type(record_type: &str) -> Option<NodeType> {
    FEED_NODE_TYPES
        .iter()
        .copied()
        .find(|node_type| node_type.name() == record_type)
}

fn encode_cursor(position: i64) -> String {
    Cursor {
        sort: CURSOR_SORT.into(),
        key: None,
        id: position,
    }
    .encode()
}

/// One committed change of a record.
#[derive(SimpleObject, Debug, Clone)]
pub struct Change {
    /// This change's place in the feed: pass it as `after` to continue after it.
    pub cursor: String,
    /// The GraphQL type of the record, e.g. `Household`, `JobPosting`, `Alert`.
    pub record_type: String,
    /// The record's global ID (for `node(id:)` or the type's own query).
    pub record_id: ID,
    pub kind: ChangeKind,
    pub occurred_at: DateTime<Utc>,
    /// Who made the change: the account's username, or `system` for the rules' alerts.
    pub actor: String,
}

impl Change {
    fn of(row: FeedRow) -> Change {
        let record_id = match node_type(&row.record_type) {
            Some(node_type) => encode_id(node_type, row.record_id),
            None => ID(format!("{}:{}", row.record_type, row.record_id)),
        };
        Change {
            cursor: encode_cursor(row.position),
            record_type: row.record_type,
            record_id,
            kind: ChangeKind::of(&row.kind),
            occurred_at: row.occurred_at,
            actor: row.actor_label,
        }
    }
}

/// An edge to a change with its cursor.
#[derive(SimpleObject)]
pub struct ChangeEdge {
    pub cursor: String,
    pub node: Change,
}

/// A page of the change feed.
#[derive(SimpleObject)]
pub struct ChangeConnection {
    pub edges: Vec<ChangeEdge>,
    pub nodes: Vec<Change>,
    /// `endCursor` is where to continue: the last change returned or, when `hasNextPage` is
    /// false, the feed's newest position as of this read (so that the changes you may not
    /// see are not scanned again).
    pub page_info: PageInfo,
}

/// Validates a `types` filter against the feed's record types.
fn record_types(field: &str, types: Option<Vec<String>>) -> Result<Option<Vec<String>>, ApiError> {
    let Some(types) = types else {
        return Ok(None);
    };
    let known = store::record_types();
    if let Some(unknown) = types.iter().find(|name| !known.contains(&name.as_str())) {
        return Err(ApiError::invalid(
            field,
            format!(
                "{unknown:?} is not a record type of the change feed; use one of {}",
                known.join(", ")
            ),
        ));
    }
    Ok(Some(types))
}

/// The position a cursor stands for (0: the beginning).
fn position_after(after: Option<String>, first: i32) -> Result<i64, ApiError> {
    let page = PageRequest::from_arguments(Some(first), after, None, None, CURSOR_SORT)?;
    Ok(page.cursor.map_or(0, |cursor| cursor.id.max(0)))
}

#[derive(Default)]
pub struct ChangesQuery;

#[Object]
impl ChangesQuery {
    /// The change feed: every committed change of a record the caller may see, oldest first,
    /// after `after` (from the beginning without it), at most `first` (≤ 100, default 100),
    /// of the record `types` given (all without it). Follow it by passing
    /// `pageInfo.endCursor` as the next `after`; `first: 0` answers only the cursor of the
    /// newest position, to follow from now on.
    #[graphql(complexity = "connection_complexity(child_complexity, first, None)")]
    async fn changes(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        first: Option<i32>,
        types: Option<Vec<String>>,
    ) -> Result<ChangeConnection> {
        let principal = principal(ctx)?;
        let first = first.unwrap_or(MAX_PAGE_SIZE as i32);
        let had_cursor = after.is_some();
        let after = position_after(after, first)?;
        let types = record_types("types", types)?;
        let db = database(ctx);
        // The head first: every position up to it is committed, so a page bounded by it that
        // comes back short has shown everything visible up to it.
        let head = store::head(db).await.map_err(ApiError::from)?.unwrap_or(0);
        let size = u64::try_from(first).unwrap_or(0);
        let mut rows = if size == 0 {
            Vec::new()
        } else {
            store::visible_page(
                db,
                &FeedVisibility::of(principal),
                types.as_deref(),
                after,
                Some(head),
                size + 1,
            )
            .await
            .map_err(ApiError::from)?
        };
        let has_next_page = rows.len() as u64 > size;
        rows.truncate(size as usize);
        let nodes: Vec<Change> = rows.into_iter().map(Change::of).collect();
        let end_cursor = match nodes.last() {
            Some(last) if has_next_page => last.cursor.clone(),
            _ => encode_cursor(head.max(after)),
        };
        Ok(ChangeConnection {
            edges: nodes
                .iter()
                .map(|change| ChangeEdge {
                    cursor: change.cursor.clone(),
                    node: change.clone(),
                })
                .collect(),
            page_info: PageInfo {
                has_next_page,
                has_previous_page: had_cursor,
                start_cursor: nodes.first().map(|change| change.cursor.clone()),
                end_cursor: Some(end_cursor),
            },
            nodes,
        })
    }
}

/// Open alerts the caller may see, live.
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct LiveAlertCounts {
    pub open: i64,
    pub critical: i64,
}

/// Follows the feed for one subscription: catches up from the table, then takes the
/// instance poller's batches, filtered by the caller's visibility; re-checks the token and
/// the session every [`SESSION_CHECK_INTERVAL`] and ends with the error when they fail.
struct Follower {
    db: DatabaseConnection,
    tokens: Arc<::auth::tokens::TokenService>,
    token: String,
    principal: Principal,
    visibility: FeedVisibility,
    types: Option<Vec<String>>,
    receiver: Receiver<FeedBatch>,
    /// The last position handled: delivered, or seen and not for this caller.
    last: i64,
    caught_up: bool,
    next_check: tokio::time::Instant,
    done: bool,
    _slot: SubscriptionSlot,
}

/// Rows read per catch-up query.
const CATCH_UP_PAGE: u64 = 100;

impl Follower {
    async fn start(
        ctx: &Context<'_>,
        after: Option<i64>,
        types: Option<Vec<String>>,
    ) -> Result<Follower, ApiError> {
        let connection = ctx
            .data_opt::<ConnectionToken>()
            .ok_or_else(ApiError::unauthenticated)?;
        let slot = SubscriptionSlot::take(connection)?;
        let token = connection.token.clone();
        let tokens = ctx
            .data_unchecked::<Arc<::auth::tokens::TokenService>>()
            .clone();
        let db = database(ctx).clone();
        // The connection may be older than the token: check it now.
        let principal = crate::access::sign_in::authenticate(&db, &tokens, None, &token).await?;
        let poller = ctx.data_unchecked::<Arc<FeedPoller>>();
        let receiver = poller.subscribe().await?;
        // Subscribed first, then read: what is committed later comes as a batch.
        let (last, caught_up) = match after {
            Some(after) => (after, false),
            None => (store::head(&db).await?.unwrap_or(0), true),
        };
        Ok(Follower {
            visibility: FeedVisibility::of(&principal),
            db,
            tokens,
            token,
            principal,
            types,
            receiver,
            last,
            caught_up,
            next_check: tokio::time::Instant::now() + SESSION_CHECK_INTERVAL,
            done: false,
            _slot: slot,
        })
    }

    fn wants(&self, row: &FeedRow) -> bool {
        self.types
            .as_ref()
            .is_none_or(|types| types.contains(&row.record_type))
            && self.visibility.allows(row)
    }

    /// The next non-empty batch of changes for this caller, an error that ends the stream,
    /// or the end.
    async fn next_batch(&mut self) -> Option<Result<Vec<FeedRow>, ApiError>> {
        if self.done {
            return None;
        }
        let outcome = self.wait_for_batch().await;
        if !matches!(outcome, Some(Ok(_))) {
            self.done = true;
        }
        outcome
    }

    async fn wait_for_batch(&mut self) -> Option<Result<Vec<FeedRow>, ApiError>> {
        loop {
            if !self.caught_up {
                let rows = match store::visible_page(
                    &self.db,
                    &self.visibility,
                    self.types.as_deref(),
                    self.last,
                    None,
                    CATCH_UP_PAGE,
                )
                .await
                {
                    Ok(rows) => rows,
                    Err(error) => return Some(Err(error.into())),
                };
                self.caught_up = (rows.len() as u64) < CATCH_UP_PAGE;
                if let Some(row) = rows.last() {
                    self.last = row.position;
                    return Some(Ok(rows));
                }
            }
            tokio::select! {
                received = self.receiver.recv() => match received {
                    Ok(batch) => {
                        let last = self.last;
                        let rows: Vec<FeedRow> = batch
                            .iter()
                            .filter(|row| row.position > last && self.wants(row))
                            .cloned()
                            .collect();
                        if let Some(row) = batch.last() {
                            self.last = self.last.max(row.position);
                        }
                        if !rows.is_empty() {
                            return Some(Ok(rows));
                        }
                    }
                    // Fell behind the broadcast: read the gap from the table.
                    Err(RecvError::Lagged(_)) => self.caught_up = false,
                    Err(RecvError::Closed) => return None,
                },
                () = tokio::time::sleep_until(self.next_check) => {
                    if let Err(error) = self.check_session().await {
                        return Some(Err(error));
                    }
                }
            }
        }
    }

    /// Re-authenticates the connection's token (session open, account enabled, token
    /// current) and re-reads the policy, as every HTTP request does.
    async fn check_session(&mut self) -> Result<(), ApiError> {
        let principal =
            crate::access::sign_in::authenticate(&self.db, &self.tokens, None, &self.token).await?;
        self.visibility = FeedVisibility::of(&principal);
        self.principal = principal;
        self.next_check = tokio::time::Instant::now() + SESSION_CHECK_INTERVAL;
        Ok(())
    }
}

#[derive(Default)]
pub struct ChangesSubscription;

#[Subscription]
impl ChangesSubscription {
    /// Every change the caller may see, as it commits (of the record `types` given; all
    /// without it): from just after `after`, or from now on without it. The stream ends with
    /// an error when the connection's session closes or its token expires: reconnect with a
    /// fresh token and the last cursor received, and nothing is lost.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        types: Option<Vec<String>>,
    ) -> Result<impl Stream<Item = Result<Change>>> {
        principal(ctx)?;
        let after = match after {
            Some(cursor) => Some(position_after(Some(cursor), 1)?),
            None => None,
        };
        let types = record_types("types", types)?;
        let follower = Follower::start(ctx, after, types).await?;
        let batches = stream::unfold(follower, |mut follower| async move {
            let batch = follower.next_batch().await?;
            Some((batch, follower))
        });
        Ok(batches.flat_map(|batch| {
            let items: Vec<Result<Change>> = match batch {
                Ok(rows) => rows.into_iter().map(|row| Ok(Change::of(row))).collect(),
                Err(error) => vec![Err(error.into())],
            };
            stream::iter(items)
        }))
    }

    /// The open alerts the caller may see (all of them, and the critical ones), now and after
    /// every change of an alert it may see; for dashboards. Ends like `changes`.
    async fn alert_counts(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = Result<LiveAlertCounts>>> {
        principal(ctx)?;
        let follower = Follower::start(ctx, None, Some(vec![store::ALERT.to_string()])).await?;
        let counts = stream::unfold((follower, true), |(mut follower, first)| async move {
            if !first {
                if let Err(error) = follower.next_batch().await? {
                    return Some((Err(error.into()), (follower, false)));
                }
            }
            let counts = count_open_alerts(&follower).await.map_err(Into::into);
            Some((counts, (follower, false)))
        });
        Ok(counts)
    }
}

async fn count_open_alerts(follower: &Follower) -> Result<LiveAlertCounts, ApiError> {
    let visibility = super::alerts::visibility_of(&follower.principal);
    let counts = open_alert_counts(&follower.db, &visibility, &[]).await?;
    Ok(LiveAlertCounts {
        open: counts.total,
        critical: counts.by_rule.values().map(|(_, critical)| critical).sum(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_type_of_the_feed_has_a_global_id() {
        for record_type in store::record_types() {
            assert!(
                node_type(record_type).is_some(),
                "{record_type} has no NodeType"
            );
        }
        assert_eq!(FEED_NODE_TYPES.len(), store::record_types().len());
    }

    #[test]
    fn cursors_are_opaque_positions() {
        let cursor = encode_cursor(42);
        assert!(!cursor.contains("42"));
        assert_eq!(position_after(Some(cursor), 10).unwrap(), 42);
        assert_eq!(position_after(None, 10).unwrap(), 0);
        assert!(position_after(Some("nonsense".into()), 10).is_err());
        assert!(position_after(None, 101).is_err());
    }
}
