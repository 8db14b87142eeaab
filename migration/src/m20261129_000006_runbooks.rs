//! Runbooks with their revisions and reviews.

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
                .table(t("runbooks"))
                .col(id(t("id")))
                .col(big_integer(t("engagement_id")))
                .col(big_integer_null(t("runbook_template_id")))
                .col(big_integer(t("capability_id")))
                .col(string(t("kind")))
                .col(string(t("title")))
                .col(text_null(t("reason")))
                .col(big_integer_null(t("deviation_id")))
                .col(string(t("status")))
                .col(big_integer_null(t("current_revision_id")))
                .col(big_integer_null(t("baseline_revision_id")))
                .col(timestamp_with_time_zone_null(t("baselined_at")))
                .col(big_integer(t("created_by")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .col(integer(t("version")))
                .foreign_key(&mut fk(t("runbooks"), t("engagement_id"), t("engagements"), ForeignKeyAction::Cascade))
                .foreign_key(&mut fk(
                    t("runbooks"),
                    t("runbook_template_id"),
                    t("runbook_templates"),
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(t("runbooks"), t("capability_id"), t("capabilities"), ForeignKeyAction::Restrict))
                .foreign_key(&mut fk(t("runbooks"), t("deviation_id"), t("deviations"), ForeignKeyAction::SetNull))
                .take(),
        )
        .await?;
        m.create_index(index("ix_runbooks_engagement", t("runbooks"), &["engagement_id", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(t("runbook_revisions"))
                .col(id(t("id")))
                .col(big_integer(t("runbook_id")))
                .col(integer(t("number")))
                .col(text(t("body")))
                .col(text(t("change_summary")))
                .col(big_integer(t("author_id")))
                .col(timestamp_with_time_zone(t("created_at")))
                .foreign_key(&mut fk(t("runbook_revisions"), t("runbook_id"), t("runbooks"), ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(index("ux_runbook_revisions_number", t("runbook_revisions"), &["runbook_id", "number"], true))
            .await?;

        m.create_table(
            Table::create()
                .table(t("runbook_reviews"))
                .col(id(t("id")))
                .col(big_integer(t("runbook_id")))
                .col(big_integer(t("revision_id")))
                .col(big_integer(t("reviewer_id")))
                .col(string(t("reviewer_side")))
                .col(string(t("verdict")))
                .col(text_null(t("comment")))
                .col(timestamp_with_time_zone(t("created_at")))
                .foreign_key(&mut fk(t("runbook_reviews"), t("runbook_id"), t("runbooks"), ForeignKeyAction::Cascade))
                .foreign_key(&mut fk(
                    t("runbook_reviews"),
                    t("revision_id"),
                    t("runbook_revisions"),
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index("ix_runbook_reviews_runbook", t("runbook_reviews"), &["runbook_id", "id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["runbook_reviews", "runbook_revisions", "runbooks"] {
            m.drop_table(Table::drop().table(t(table)).take()).await?;
        }
        Ok(())
    }
}
