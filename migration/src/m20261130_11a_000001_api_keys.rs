//! Machine access and safe retries: engagement-scoped API keys (stored only
//! as a hash, each with a user row of its own to act as), and the claims of
//! idempotency keys that make a retried create return its first result.

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
                .table(t("api_keys"))
                .col(id(t("id")))
                .col(big_integer(t("engagement_id")))
                .col(big_integer(t("user_id")))
                .col(text(t("name")))
                .col(text(t("role")))
                .col(text(t("prefix")))
                .col(text(t("secret_hash")))
                .col(big_integer(t("created_by")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone_null(t("expires_at")))
                .col(timestamp_with_time_zone_null(t("last_used_at")))
                .col(timestamp_with_time_zone_null(t("revoked_at")))
                .col(big_integer_null(t("revoked_by")))
                .col(integer(t("version")).default(1))
                .foreign_key(&mut fk(t("api_keys"), t("engagement_id"), t("engagements"), ForeignKeyAction::Cascade))
                .foreign_key(&mut fk(t("api_keys"), t("user_id"), t("users"), ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(index("ux_api_keys_secret_hash", t("api_keys"), &["secret_hash"], true)).await?;
        m.create_index(index("ix_api_keys_engagement", t("api_keys"), &["engagement_id", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(t("idempotency_keys"))
                .col(id(t("id")))
                .col(big_integer(t("user_id")))
                .col(text(t("key")))
                .col(text(t("fingerprint")))
                .col(big_integer_null(t("result_id")))
                .col(timestamp_with_time_zone(t("created_at")))
                .foreign_key(&mut fk(t("idempotency_keys"), t("user_id"), t("users"), ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(index("ux_idempotency_keys_claim", t("idempotency_keys"), &["user_id", "key"], true)).await?;
        m.create_index(index("ix_idempotency_keys_created", t("idempotency_keys"), &["created_at"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(t("idempotency_keys")).take()).await?;
        m.drop_table(Table::drop().table(t("api_keys")).take()).await?;
        Ok(())
    }
}
