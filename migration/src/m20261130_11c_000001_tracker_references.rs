//! Tracker references on deviations and runbooks (activities have one since
//! the start), indexes to find what a ticket is linked to, and the status a
//! linked ticket last reported for an activity when the activity's own rules
//! kept it from following.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn t(name: &str) -> Alias {
    Alias::new(name)
}

const REFERENCE: [&str; 3] = ["tracker_system", "tracker_key", "tracker_url"];
const ACTIVITY_STATUS: [&str; 3] = ["tracker_status", "tracker_status_reason", "tracker_status_at"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE; all are nullable.
        for table in ["deviations", "runbooks"] {
            for mut column in
                [string_null(t("tracker_system")), string_null(t("tracker_key")), text_null(t("tracker_url"))]
            {
                m.alter_table(Table::alter().table(t(table)).add_column(&mut column).take()).await?;
            }
        }
        for mut column in [
            string_null(t("tracker_status")),
            text_null(t("tracker_status_reason")),
            timestamp_with_time_zone_null(t("tracker_status_at")),
        ] {
            m.alter_table(Table::alter().table(t("activities")).add_column(&mut column).take()).await?;
        }
        for table in ["activities", "deviations", "runbooks"] {
            let name = format!("ix_{table}_tracker");
            m.create_index(index(&name, t(table), &["tracker_key", "tracker_system"], false)).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["activities", "deviations", "runbooks"] {
            m.drop_index(Index::drop().name(format!("ix_{table}_tracker")).table(t(table)).to_owned()).await?;
        }
        for column in ACTIVITY_STATUS {
            m.alter_table(Table::alter().table(t("activities")).drop_column(t(column)).take()).await?;
        }
        for table in ["runbooks", "deviations"] {
            for column in REFERENCE {
                m.alter_table(Table::alter().table(t(table)).drop_column(t(column)).take()).await?;
            }
        }
        Ok(())
    }
}
