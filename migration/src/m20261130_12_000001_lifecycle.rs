//! The engagement lifecycle and the kit's remaining rules: an engagement's
//! end date and close-out record, retired runbooks, and the daily progress
//! snapshots behind `progressHistory`.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, id, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn t(name: &str) -> Alias {
    Alias::new(name)
}

const ENGAGEMENT_COLUMNS: [&str; 4] = ["ends_on", "closed_at", "closed_by", "close_reason"];
const RUNBOOK_COLUMNS: [&str; 4] = ["retired_at", "retired_by", "retired_reason", "replaced_by_id"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE; all are nullable.
        let engagement_columns = [
            date_null(t("ends_on")),
            timestamp_with_time_zone_null(t("closed_at")),
            big_integer_null(t("closed_by")),
            text_null(t("close_reason")),
        ];
        for mut column in engagement_columns {
            m.alter_table(Table::alter().table(t("engagements")).add_column(&mut column).take()).await?;
        }
        let runbook_columns = [
            timestamp_with_time_zone_null(t("retired_at")),
            big_integer_null(t("retired_by")),
            text_null(t("retired_reason")),
            big_integer_null(t("replaced_by_id")),
        ];
        for mut column in runbook_columns {
            m.alter_table(Table::alter().table(t("runbooks")).add_column(&mut column).take()).await?;
        }

        m.create_table(
            Table::create()
                .table(t("progress_snapshots"))
                .col(id(t("id")))
                .col(big_integer(t("engagement_id")))
                .col(date(t("day")))
                .col(big_integer(t("activities_done")))
                .col(big_integer(t("activities_total")))
                .col(big_integer(t("questions_answered")))
                .col(big_integer(t("questions_total")))
                .col(big_integer(t("runbooks_baselined")))
                .col(big_integer(t("runbooks_planned")))
                .col(big_integer(t("open_deviations")))
                .col(timestamp_with_time_zone(t("taken_at")))
                .foreign_key(&mut fk(
                    t("progress_snapshots"),
                    t("engagement_id"),
                    t("engagements"),
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index("ux_progress_snapshots_day", t("progress_snapshots"), &["engagement_id", "day"], true))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(t("progress_snapshots")).take()).await?;
        for column in RUNBOOK_COLUMNS {
            m.alter_table(Table::alter().table(t("runbooks")).drop_column(t(column)).take()).await?;
        }
        for column in ENGAGEMENT_COLUMNS {
            m.alter_table(Table::alter().table(t("engagements")).drop_column(t(column)).take()).await?;
        }
        Ok(())
    }
}
