//! Invitations: a member added by subject is invited until that person next
//! signs in. The membership keeps the name the inviter typed (never written
//! over the identity provider's profile), and a user knows whether they have
//! invitations to accept on their next request.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn t(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            ("engagement_members", text_null(t("invited_name"))),
            ("engagement_members", timestamp_with_time_zone_null(t("joined_at"))),
            ("users", boolean(t("pending_invitations")).default(false).take()),
        ];
        for (table, mut column) in columns {
            m.alter_table(Table::alter().table(t(table)).add_column(&mut column).take()).await?;
        }
        // Members from before count as joined when they were added.
        let joined = Query::update()
            .table(t("engagement_members"))
            .value(t("joined_at"), Expr::col(t("added_at")))
            .and_where(Expr::col(t("joined_at")).is_null())
            .to_owned();
        m.exec_stmt(joined).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            ("users", "pending_invitations"),
            ("engagement_members", "joined_at"),
            ("engagement_members", "invited_name"),
        ];
        for (table, column) in columns {
            m.alter_table(Table::alter().table(t(table)).drop_column(t(column)).take()).await?;
        }
        Ok(())
    }
}
