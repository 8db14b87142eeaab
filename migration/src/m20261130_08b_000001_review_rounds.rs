//! Review rounds: a runbook counts the rounds `submitRunbookForReview` opens;
//! each review belongs to the round it was given in, and an approval is
//! voided when its reviewer's role changes or they leave the engagement.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn t(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE. Rows from before share round 0,
        // which is the open round of a runbook in review at upgrade time.
        let columns = [
            ("runbooks", integer(t("review_round")).default(0).take()),
            ("runbook_reviews", integer(t("round")).default(0).take()),
            ("runbook_reviews", timestamp_with_time_zone_null(t("voided_at"))),
        ];
        for (table, mut column) in columns {
            m.alter_table(Table::alter().table(t(table)).add_column(&mut column).take()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in
            [("runbook_reviews", "voided_at"), ("runbook_reviews", "round"), ("runbooks", "review_round")]
        {
            m.alter_table(Table::alter().table(t(table)).drop_column(t(column)).take()).await?;
        }
        Ok(())
    }
}
