//! The change feed: one ordered row per committed change of a record, with what is needed to
//! decide who may see it. Writes append through the audit hook (`persistence::change_feed`);
//! alerts, which the rules raise and resolve inside other writes, append through triggers.
//!
//! A row's `position` is what readers order and page by, and it must become visible in order:
//! a reader that has seen position 7 must never later find a 6. SQLite has one writer at a
//! time, so a trigger simply copies the row id. On PostgreSQL a deferred constraint trigger
//! numbers the transaction's rows at commit time, under a transaction-scoped advisory lock
//! that is held until the commit is visible: positions are handed out in commit order.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{index, one_of};

/// The key of the PostgreSQL advisory lock that serialises numbering (王益区 610202, migration 14).
pub const POSITION_LOCK_KEY: i64 = 610_202_000_014;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChangeFeed::Table)
                    .col(pk_auto(ChangeFeed::Id).big_integer())
                    // Null only inside the writing transaction on PostgreSQL (set at commit).
                    .col(big_integer_null(ChangeFeed::Position))
                    // The GraphQL type name of the record, e.g. `Household`, `Alert`.
                    .col(string_len(ChangeFeed::RecordType, 64))
                    .col(big_integer(ChangeFeed::RecordId))
                    .col(string_len(ChangeFeed::Kind, 16).check(one_of(
                        ChangeFeed::Kind,
                        &["created", "updated", "deleted", "archived"],
                    )))
                    .col(timestamp_with_time_zone(ChangeFeed::OccurredAt))
                    // No foreign key: the feed outlives accounts and records, and a key
                    // check would lock the referenced rows at commit.
                    .col(big_integer_null(ChangeFeed::ActorUserId))
                    .col(string_len(ChangeFeed::ActorLabel, 100))
                    .col(string_len(ChangeFeed::Action, 100))
                    // Who may see it: readers of `domain` within row scope (`town_id`; null is
                    // a district-level record), and with `unit_scoped` the owning units
                    // (`bureau_id`, `town_id`) whatever their domains.
                    .col(string_len_null(ChangeFeed::Domain, 32))
                    .col(big_integer_null(ChangeFeed::TownId))
                    .col(big_integer_null(ChangeFeed::BureauId))
                    .col(boolean(ChangeFeed::UnitScoped).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                ChangeFeed::Table,
                "change_feed_position_key",
                &["position"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                ChangeFeed::Table,
                "change_feed_record_type_position_idx",
                &["record_type", "position"],
                false,
            ))
            .await?;

        let db = manager.get_connection();
        let alert_row = |kind: &str, occurred_at: &str, actor: &str, action: &str| {
            format!(
                "INSERT INTO change_feed (record_type, record_id, kind, occurred_at, actor_user_id,
                     actor_label, action, domain, town_id, bureau_id, unit_scoped)
                 VALUES ('Alert', NEW.id, '{kind}', {occurred_at}, {actor},
                     COALESCE((SELECT username FROM \"user\" WHERE id = {actor}), 'system'),
                     '{action}', 'supervision', NEW.town_id, NEW.owning_bureau_id, TRUE)"
            )
        };
        match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                db.execute_unprepared("CREATE SEQUENCE change_feed_position_seq AS BIGINT")
                    .await?;
                // Runs at commit, after every statement of the transaction: the lock is held
                // only while numbering and committing, so it cannot deadlock with row locks.
                db.execute_unprepared(&format!(
                    "CREATE FUNCTION change_feed_number() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN
                         PERFORM pg_advisory_xact_lock({POSITION_LOCK_KEY});
                         UPDATE change_feed SET position = nextval('change_feed_position_seq')
                          WHERE id = NEW.id;
                         RETURN NULL;
                     END; $$"
                ))
                .await?;
                db.execute_unprepared(
                    "CREATE CONSTRAINT TRIGGER change_feed_number AFTER INSERT ON change_feed
                     DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION change_feed_number()",
                )
                .await?;
                db.execute_unprepared(&format!(
                    "CREATE FUNCTION change_feed_of_alert() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN
                         IF TG_OP = 'INSERT' THEN
                             {};
                         ELSE
                             {};
                         END IF;
                         RETURN NULL;
                     END; $$",
                    alert_row("created", "NEW.raised_at", "NULL::BIGINT", "alert.raise"),
                    alert_row(
                        "updated",
                        "NEW.updated_at",
                        "NEW.resolved_by_user_id",
                        "alert.update"
                    ),
                ))
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER change_feed_alert_insert AFTER INSERT ON alert
                     FOR EACH ROW EXECUTE FUNCTION change_feed_of_alert()",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER change_feed_alert_update AFTER UPDATE ON alert
                     FOR EACH ROW WHEN (NEW.version IS DISTINCT FROM OLD.version)
                     EXECUTE FUNCTION change_feed_of_alert()",
                )
                .await?;
            }
            _ => {
                // One writer at a time: the row id is already in commit order.
                db.execute_unprepared(
                    "CREATE TRIGGER change_feed_number AFTER INSERT ON change_feed
                     BEGIN UPDATE change_feed SET position = NEW.id WHERE id = NEW.id; END",
                )
                .await?;
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER change_feed_alert_insert AFTER INSERT ON alert
                     BEGIN {}; END",
                    alert_row("created", "NEW.raised_at", "NULL", "alert.raise")
                ))
                .await?;
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER change_feed_alert_update AFTER UPDATE ON alert
                     WHEN NEW.version IS NOT OLD.version
                     BEGIN {}; END",
                    alert_row(
                        "updated",
                        "NEW.updated_at",
                        "NEW.resolved_by_user_id",
                        "alert.update"
                    )
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS change_feed_alert_insert ON alert")
                    .await?;
                db.execute_unprepared("DROP TRIGGER IF EXISTS change_feed_alert_update ON alert")
                    .await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS change_feed_of_alert()")
                    .await?;
            }
            _ => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS change_feed_alert_insert")
                    .await?;
                db.execute_unprepared("DROP TRIGGER IF EXISTS change_feed_alert_update")
                    .await?;
            }
        }
        // Dropping the table drops its own triggers.
        manager
            .drop_table(Table::drop().table(ChangeFeed::Table).to_owned())
            .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            db.execute_unprepared("DROP FUNCTION IF EXISTS change_feed_number()")
                .await?;
            db.execute_unprepared("DROP SEQUENCE IF EXISTS change_feed_position_seq")
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum ChangeFeed {
    Table,
    Id,
    Position,
    RecordType,
    RecordId,
    Kind,
    OccurredAt,
    ActorUserId,
    ActorLabel,
    Action,
    Domain,
    TownId,
    BureauId,
    UnitScoped,
}
