//! The append-only audit log: who did what to which record, with which roles, and how it
//! ended; written in the same transaction as the change it records. It is also the one hook
//! of the change feed: every successful entry that stands for a change of a record appends
//! that change to `change_feed` in the same transaction (see `persistence::change_feed`).
use chrono::Utc;
use sea_orm::sea_query::{Alias, Query};
use sea_orm::ConnectionTrait;

use super::change_feed::{self, ChangeKind, ChangedRecords};
use crate::access::Principal;
use crate::error::ApiResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
}

/// One audit entry, built fluently.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    actor_user_id: Option<i64>,
    actor_label: String,
    role_codes: Option<String>,
    action: String,
    entity_type: String,
    entity_id: Option<String>,
    reason: Option<String>,
    detail: Option<String>,
    outcome: Outcome,
    /// The record number of `entity_id`, for the change feed.
    record_id: Option<i64>,
    /// Records a bulk write changed besides `entity_id` (the change feed reports each).
    changed: Vec<ChangedRecords>,
}

impl AuditEntry {
    /// An entry by the signed-in principal.
    pub fn by(
        principal: &Principal,
        action: &str,
        entity_type: &str,
        entity_id: Option<i64>,
    ) -> AuditEntry {
        AuditEntry {
            actor_user_id: Some(principal.user_id),
            actor_label: principal.username.clone(),
            role_codes: Some(principal.role_codes()),
            action: action.to_string(),
            entity_type: entity_type.to_string(),
            entity_id: entity_id.map(|id| id.to_string()),
            reason: None,
            detail: None,
            outcome: Outcome::Success,
            record_id: entity_id,
            changed: Vec::new(),
        }
    }

    /// An entry with no signed-in principal (sign-in attempts, start-up).
    pub fn system(action: &str, entity_type: &str, entity_id: Option<i64>) -> AuditEntry {
        AuditEntry {
            actor_user_id: None,
            actor_label: "system".into(),
            role_codes: None,
            action: action.to_string(),
            entity_type: entity_type.to_string(),
            entity_id: entity_id.map(|id| id.to_string()),
            reason: None,
            detail: None,
            outcome: Outcome::Success,
            record_id: entity_id,
            changed: Vec::new(),
        }
    }

    pub fn actor(mut self, user_id: Option<i64>, label: &str) -> AuditEntry {
        self.actor_user_id = user_id;
        self.actor_label = label.chars().take(100).collect();
        self
    }

    pub fn actor_label(mut self, label: &str) -> AuditEntry {
        self.actor_label = label.chars().take(100).collect();
        self
    }

    pub fn roles(mut self, role_codes: &str) -> AuditEntry {
        self.role_codes = Some(role_codes.to_string());
        self
    }

    pub fn outcome(mut self, outcome: Outcome) -> AuditEntry {
        self.outcome = outcome;
        self
    }

    pub fn reason(mut self, reason: impl Into<String>) -> AuditEntry {
        self.reason = Some(reason.into());
        self
    }

    /// Free text or JSON: e.g. the fields before and after a change.
    pub fn detail(mut self, detail: impl Into<String>) -> AuditEntry {
        self.detail = Some(detail.into());
        self
    }

    /// Names records of `entity_type` that a bulk write (an import) changed, so that the
    /// change feed reports each of them.
    pub fn changed(
        mut self,
        entity_type: &str,
        kind: ChangeKind,
        ids: impl IntoIterator<Item = i64>,
    ) -> AuditEntry {
        self.changed.push(ChangedRecords {
            entity_type: entity_type.to_string(),
            kind,
            ids: ids.into_iter().collect(),
        });
        self
    }
}

/// Appends the entry, and for a successful change of a record the change-feed entry too, on
/// `db` — the write's own transaction.
pub async fn record(db: &impl ConnectionTrait, entry: AuditEntry) -> ApiResult<()> {
    if entry.outcome == Outcome::Success {
        change_feed::append_for_audit(
            db,
            entry.actor_user_id,
            &entry.actor_label,
            &entry.action,
            &entry.entity_type,
            entry.record_id,
            &entry.changed,
        )
        .await?;
    }
    let statement = Query::insert()
        .into_table(Alias::new("audit_log"))
        .columns([
            Alias::new("occurred_at"),
            Alias::new("actor_user_id"),
            Alias::new("actor_label"),
            Alias::new("role_codes"),
            Alias::new("action"),
            Alias::new("entity_type"),
            Alias::new("entity_id"),
            Alias::new("reason"),
            Alias::new("detail"),
            Alias::new("outcome"),
        ])
        .values_panic([
            Utc::now().into(),
            entry.actor_user_id.into(),
            entry.actor_label.into(),
            entry.role_codes.into(),
            entry.action.into(),
            entry.entity_type.into(),
            entry.entity_id.into(),
            entry.reason.into(),
            entry.detail.into(),
            match entry.outcome {
                Outcome::Success => "success",
                Outcome::Failure => "failure",
            }
            .into(),
        ])
        .to_owned();
    db.execute(db.get_database_backend().build(&statement))
        .await?;
    Ok(())
}
