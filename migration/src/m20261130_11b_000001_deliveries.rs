//! Outbound deliveries and webhook endpoints. The delivery machinery is
//! generic: a delivery is one event of the log (by position) for one target
//! (`target_kind`, `target_id`: a webhook endpoint, later a tracker
//! connection), with its attempts; a cursor per target says how far the log
//! was read for it. Webhook endpoints are the first kind of target.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, id, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn t(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(t("webhook_endpoints"))
                .col(id(t("id")))
                .col(big_integer(t("engagement_id")))
                .col(text(t("url")))
                .col(text_null(t("description")))
                // A JSON array of dotted event types; null for every type.
                .col(text_null(t("event_types")))
                .col(boolean(t("enabled")))
                .col(text_null(t("disabled_reason")))
                .col(text(t("secret")))
                .col(text_null(t("previous_secret")))
                .col(timestamp_with_time_zone_null(t("previous_secret_expires_at")))
                .col(big_integer(t("created_by")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .col(integer(t("version")))
                .foreign_key(&mut fk(
                    t("webhook_endpoints"),
                    t("engagement_id"),
                    t("engagements"),
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index("ix_webhook_endpoints_engagement", t("webhook_endpoints"), &["engagement_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table(t("delivery_cursors"))
                .col(string(t("target_kind")))
                .col(big_integer(t("target_id")))
                .col(big_integer(t("position")))
                .primary_key(Index::create().col(t("target_kind")).col(t("target_id")))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(t("deliveries"))
                .col(id(t("id")))
                .col(string(t("target_kind")))
                .col(big_integer(t("target_id")))
                .col(big_integer_null(t("engagement_id")))
                .col(big_integer(t("event_id")))
                .col(string(t("status")))
                .col(integer(t("attempts")))
                .col(timestamp_with_time_zone_null(t("next_attempt_at")))
                .col(timestamp_with_time_zone_null(t("failing_since")))
                .col(integer_null(t("last_http_status")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone_null(t("succeeded_at")))
                .take(),
        )
        .await?;
        m.create_index(index(
            "ux_deliveries_target_event",
            t("deliveries"),
            &["target_kind", "target_id", "event_id"],
            true,
        ))
        .await?;
        m.create_index(index("ix_deliveries_due", t("deliveries"), &["status", "next_attempt_at"], false)).await?;

        m.create_table(
            Table::create()
                .table(t("delivery_attempts"))
                .col(id(t("id")))
                .col(big_integer(t("delivery_id")))
                .col(integer(t("number")))
                .col(timestamp_with_time_zone(t("attempted_at")))
                .col(big_integer(t("duration_ms")))
                .col(string(t("outcome")))
                .col(integer_null(t("http_status")))
                .col(text_null(t("error")))
                .col(text_null(t("response_excerpt")))
                .foreign_key(&mut fk(
                    t("delivery_attempts"),
                    t("delivery_id"),
                    t("deliveries"),
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index("ix_delivery_attempts_delivery", t("delivery_attempts"), &["delivery_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["delivery_attempts", "deliveries", "delivery_cursors", "webhook_endpoints"] {
            m.drop_table(Table::drop().table(t(table)).take()).await?;
        }
        Ok(())
    }
}
