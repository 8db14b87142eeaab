//! Tracker connections (a Jira site or a ServiceNow instance per engagement,
//! its credentials sealed) and the log of what their inbound webhooks brought.

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
                .table(t("tracker_connections"))
                .col(id(t("id")))
                .col(big_integer(t("engagement_id")))
                .col(string(t("system")))
                .col(string(t("name")))
                .col(text(t("base_url")))
                .col(string(t("username")))
                .col(text(t("credentials")))
                .col(text_null(t("inbound_secret")))
                .col(string(t("done_transition")))
                .col(string(t("reopen_transition")))
                .col(string_null(t("table_name")))
                .col(big_integer(t("actor_id")))
                .col(big_integer(t("created_by")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .col(integer(t("version")))
                .foreign_key(&mut fk(
                    t("tracker_connections"),
                    t("engagement_id"),
                    t("engagements"),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(t("tracker_connections"), t("actor_id"), t("users"), ForeignKeyAction::Restrict))
                .take(),
        )
        .await?;
        m.create_index(index(
            "ux_tracker_connections_system",
            t("tracker_connections"),
            &["engagement_id", "system"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(t("tracker_inbound_deliveries"))
                .col(id(t("id")))
                .col(big_integer(t("connection_id")))
                .col(big_integer(t("engagement_id")))
                .col(string(t("delivery_id")))
                .col(string_null(t("ticket_key")))
                .col(string_null(t("ticket_status")))
                .col(string(t("outcome")))
                .col(text(t("detail")))
                .col(big_integer_null(t("activity_id")))
                .col(timestamp_with_time_zone(t("received_at")))
                .foreign_key(&mut fk(
                    t("tracker_inbound_deliveries"),
                    t("connection_id"),
                    t("tracker_connections"),
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "ux_tracker_inbound_deliveries_delivery",
            t("tracker_inbound_deliveries"),
            &["connection_id", "delivery_id"],
            true,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(t("tracker_inbound_deliveries")).take()).await?;
        m.drop_table(Table::drop().table(t("tracker_connections")).take()).await?;
        Ok(())
    }
}
