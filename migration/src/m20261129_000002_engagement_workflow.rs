//! The engagement workflow: activity details, document links, answers with
//! their history, deviations, sprints, workshop sessions, readiness
//! assessments and RACI assignments.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, id, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn t(name: &str) -> Alias {
    Alias::new(name)
}

const CASCADE: ForeignKeyAction = ForeignKeyAction::Cascade;
const RESTRICT: ForeignKeyAction = ForeignKeyAction::Restrict;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE; all are nullable.
        let activity_columns = [
            big_integer_null(t("assignee_member_id")),
            timestamp_with_time_zone_null(t("started_at")),
            timestamp_with_time_zone_null(t("completed_at")),
            string_null(t("tracker_system")),
            string_null(t("tracker_key")),
            string_null(t("tracker_url")),
            text_null(t("readiness_statement")),
            json_null(t("readiness_criteria")),
            string_null(t("design_adoption")),
            string_null(t("adopted_solution")),
        ];
        for mut column in activity_columns {
            m.alter_table(Table::alter().table(t("activities")).add_column(&mut column).take()).await?;
        }

        m.create_table(
            Table::create()
                .table(t("document_links"))
                .col(id(t("id")))
                .col(big_integer(t("activity_id")))
                .col(string(t("title")))
                .col(text(t("url")))
                .col(big_integer(t("added_by")))
                .col(timestamp_with_time_zone(t("added_at")))
                .foreign_key(&mut fk(t("document_links"), t("activity_id"), t("activities"), CASCADE))
                .take(),
        )
        .await?;
        m.create_index(index("ix_document_links_activity", t("document_links"), &["activity_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(t("answers"))
                .col(id(t("id")))
                .col(big_integer(t("activity_id")))
                .col(big_integer(t("question_id")))
                .col(json(t("value")))
                .col(text_null(t("notes")))
                .col(big_integer(t("answered_by")))
                .col(timestamp_with_time_zone(t("answered_at")))
                .col(integer(t("version")))
                .foreign_key(&mut fk(t("answers"), t("activity_id"), t("activities"), CASCADE))
                .foreign_key(&mut fk(t("answers"), t("question_id"), t("questions"), RESTRICT))
                .take(),
        )
        .await?;
        m.create_index(index("ux_answers_activity_question", t("answers"), &["activity_id", "question_id"], true))
            .await?;

        m.create_table(
            Table::create()
                .table(t("answer_revisions"))
                .col(id(t("id")))
                .col(big_integer(t("answer_id")))
                .col(json(t("value")))
                .col(json_null(t("previous_value")))
                .col(text_null(t("notes")))
                .col(big_integer(t("answered_by")))
                .col(timestamp_with_time_zone(t("answered_at")))
                .foreign_key(&mut fk(t("answer_revisions"), t("answer_id"), t("answers"), CASCADE))
                .take(),
        )
        .await?;
        m.create_index(index("ix_answer_revisions_answer", t("answer_revisions"), &["answer_id", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(t("deviations"))
                .col(id(t("id")))
                .col(big_integer(t("engagement_id")))
                .col(big_integer(t("activity_id")))
                .col(string(t("title")))
                .col(text(t("description")))
                .col(text(t("risks")))
                .col(string(t("severity")))
                .col(text_null(t("mitigation_plan")))
                .col(string_null(t("owner")))
                .col(string(t("status")))
                .col(big_integer_null(t("risk_accepted_by")))
                .col(timestamp_with_time_zone_null(t("risk_accepted_at")))
                .col(big_integer_null(t("resolved_by")))
                .col(timestamp_with_time_zone_null(t("resolved_at")))
                .col(big_integer(t("created_by")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .col(integer(t("version")))
                .foreign_key(&mut fk(t("deviations"), t("engagement_id"), t("engagements"), CASCADE))
                .foreign_key(&mut fk(t("deviations"), t("activity_id"), t("activities"), CASCADE))
                .take(),
        )
        .await?;
        m.create_index(index("ix_deviations_activity", t("deviations"), &["activity_id", "id"], false)).await?;
        m.create_index(index("ix_deviations_engagement", t("deviations"), &["engagement_id", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(t("sprints"))
                .col(id(t("id")))
                .col(big_integer(t("engagement_id")))
                .col(integer(t("number")))
                .col(date(t("starts_on")))
                .col(date(t("ends_on")))
                .col(text_null(t("goal")))
                .col(integer(t("version")))
                .foreign_key(&mut fk(t("sprints"), t("engagement_id"), t("engagements"), CASCADE))
                .take(),
        )
        .await?;
        m.create_index(index("ux_sprints_engagement_number", t("sprints"), &["engagement_id", "number"], true)).await?;

        m.create_table(
            Table::create()
                .table(t("workshop_sessions"))
                .col(id(t("id")))
                .col(big_integer(t("engagement_id")))
                .col(big_integer_null(t("workshop_template_id")))
                .col(integer(t("position")))
                .col(string(t("phase")))
                .col(string(t("title")))
                .col(string(t("audience")))
                .col(integer(t("duration_minutes")))
                .col(big_integer_null(t("capability_id")))
                .col(big_integer_null(t("sprint_id")))
                .col(timestamp_with_time_zone_null(t("starts_at")))
                .col(string(t("status")))
                .col(text_null(t("notes")))
                .col(json(t("outcomes")))
                .col(json(t("attendee_member_ids")))
                .col(json(t("activity_ids")))
                .col(text_null(t("cancel_reason")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .col(integer(t("version")))
                .foreign_key(&mut fk(t("workshop_sessions"), t("engagement_id"), t("engagements"), CASCADE))
                .foreign_key(&mut fk(
                    t("workshop_sessions"),
                    t("workshop_template_id"),
                    t("workshop_templates"),
                    RESTRICT,
                ))
                .foreign_key(&mut fk(t("workshop_sessions"), t("sprint_id"), t("sprints"), ForeignKeyAction::SetNull))
                .take(),
        )
        .await?;
        m.create_index(index(
            "ix_workshop_sessions_engagement",
            t("workshop_sessions"),
            &["engagement_id", "position"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(t("readiness_assessments"))
                .col(id(t("id")))
                .col(big_integer(t("engagement_id")))
                .col(big_integer(t("capability_id")))
                .col(string(t("level")))
                .col(text(t("findings")))
                .col(big_integer(t("assessed_by")))
                .col(timestamp_with_time_zone(t("assessed_at")))
                .col(integer(t("version")))
                .foreign_key(&mut fk(t("readiness_assessments"), t("engagement_id"), t("engagements"), CASCADE))
                .foreign_key(&mut fk(t("readiness_assessments"), t("capability_id"), t("capabilities"), RESTRICT))
                .take(),
        )
        .await?;
        m.create_index(index(
            "ux_readiness_engagement_capability",
            t("readiness_assessments"),
            &["engagement_id", "capability_id"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(t("raci_assignments"))
                .col(id(t("id")))
                .col(big_integer(t("engagement_id")))
                .col(big_integer(t("capability_id")))
                .col(string(t("party")))
                .col(string(t("role")))
                .col(big_integer(t("updated_by")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .foreign_key(&mut fk(t("raci_assignments"), t("engagement_id"), t("engagements"), CASCADE))
                .foreign_key(&mut fk(t("raci_assignments"), t("capability_id"), t("capabilities"), RESTRICT))
                .take(),
        )
        .await?;
        m.create_index(index(
            "ux_raci_engagement_capability_party",
            t("raci_assignments"),
            &["engagement_id", "capability_id", "party"],
            true,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "raci_assignments",
            "readiness_assessments",
            "workshop_sessions",
            "sprints",
            "deviations",
            "answer_revisions",
            "answers",
            "document_links",
        ] {
            m.drop_table(Table::drop().table(t(table)).take()).await?;
        }
        for column in [
            "assignee_member_id",
            "started_at",
            "completed_at",
            "tracker_system",
            "tracker_key",
            "tracker_url",
            "readiness_statement",
            "readiness_criteria",
            "design_adoption",
            "adopted_solution",
        ] {
            m.alter_table(Table::alter().table(t("activities")).drop_column(t(column)).take()).await?;
        }
        Ok(())
    }
}
