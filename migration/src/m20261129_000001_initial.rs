//! The first schema: users, the kit catalog, engagements with members and
//! activities, and the audit trail.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, id, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(id(Users::Id))
                .col(string_uniq(Users::Subject))
                .col(string_null(Users::Name))
                .col(string_null(Users::Email))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::LastSeenAt))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Kits::Table)
                .col(id(Kits::Id))
                .col(string(Kits::Key))
                .col(string(Kits::Version))
                .col(string(Kits::Name))
                .col(text(Kits::Description))
                .col(timestamp_with_time_zone(Kits::ImportedAt))
                .take(),
        )
        .await?;
        m.create_index(index("ux_kits_key_version", Kits::Table, &["key", "version"], true)).await?;

        m.create_table(
            Table::create()
                .table(Capabilities::Table)
                .col(id(Capabilities::Id))
                .col(big_integer(Capabilities::KitId))
                .col(string(Capabilities::Key))
                .col(string(Capabilities::Name))
                .col(text(Capabilities::Summary))
                .col(integer(Capabilities::Position))
                .foreign_key(&mut fk(Capabilities::Table, Capabilities::KitId, Kits::Table, ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(index("ux_capabilities_kit_key", Capabilities::Table, &["kit_id", "key"], true)).await?;

        m.create_table(
            Table::create()
                .table(ArtifactTemplates::Table)
                .col(id(ArtifactTemplates::Id))
                .col(big_integer(ArtifactTemplates::KitId))
                .col(big_integer_null(ArtifactTemplates::CapabilityId))
                .col(string(ArtifactTemplates::Key))
                .col(string(ArtifactTemplates::Kind))
                .col(string(ArtifactTemplates::Title))
                .col(text(ArtifactTemplates::Overview))
                .col(text(ArtifactTemplates::ScopePeople))
                .col(text(ArtifactTemplates::ScopeProcesses))
                .col(text(ArtifactTemplates::ScopeTools))
                .col(text_null(ArtifactTemplates::RecommendedDesign))
                .col(integer(ArtifactTemplates::Position))
                .foreign_key(&mut fk(
                    ArtifactTemplates::Table,
                    ArtifactTemplates::KitId,
                    Kits::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    ArtifactTemplates::Table,
                    ArtifactTemplates::CapabilityId,
                    Capabilities::Table,
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index("ux_artifact_templates_kit_key", ArtifactTemplates::Table, &["kit_id", "key"], true))
            .await?;
        m.create_index(index("ix_artifact_templates_capability", ArtifactTemplates::Table, &["capability_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table(Questions::Table)
                .col(id(Questions::Id))
                .col(big_integer(Questions::ArtifactTemplateId))
                .col(string(Questions::Key))
                .col(integer(Questions::Position))
                .col(string(Questions::Category))
                .col(text(Questions::Text))
                .col(text(Questions::Guidance))
                .col(string(Questions::AnswerKind))
                .col(json_null(Questions::Choices))
                .foreign_key(&mut fk(
                    Questions::Table,
                    Questions::ArtifactTemplateId,
                    ArtifactTemplates::Table,
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "ix_questions_artifact_template",
            Questions::Table,
            &["artifact_template_id", "position"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(RunbookTemplates::Table)
                .col(id(RunbookTemplates::Id))
                .col(big_integer(RunbookTemplates::KitId))
                .col(big_integer(RunbookTemplates::CapabilityId))
                .col(string(RunbookTemplates::Key))
                .col(string(RunbookTemplates::Title))
                .col(text(RunbookTemplates::Summary))
                .col(json(RunbookTemplates::Sections))
                .foreign_key(&mut fk(
                    RunbookTemplates::Table,
                    RunbookTemplates::KitId,
                    Kits::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    RunbookTemplates::Table,
                    RunbookTemplates::CapabilityId,
                    Capabilities::Table,
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index("ix_runbook_templates_capability", RunbookTemplates::Table, &["capability_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table(WorkshopTemplates::Table)
                .col(id(WorkshopTemplates::Id))
                .col(big_integer(WorkshopTemplates::KitId))
                .col(big_integer_null(WorkshopTemplates::CapabilityId))
                .col(string(WorkshopTemplates::Key))
                .col(integer(WorkshopTemplates::Position))
                .col(string(WorkshopTemplates::Phase))
                .col(string(WorkshopTemplates::Title))
                .col(string(WorkshopTemplates::Audience))
                .col(integer(WorkshopTemplates::DurationMinutes))
                .col(json(WorkshopTemplates::ArtifactTemplateIds))
                .foreign_key(&mut fk(
                    WorkshopTemplates::Table,
                    WorkshopTemplates::KitId,
                    Kits::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    WorkshopTemplates::Table,
                    WorkshopTemplates::CapabilityId,
                    Capabilities::Table,
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index("ix_workshop_templates_kit", WorkshopTemplates::Table, &["kit_id", "position"], false))
            .await?;

        m.create_table(
            Table::create()
                .table(Engagements::Table)
                .col(id(Engagements::Id))
                .col(big_integer(Engagements::KitId))
                .col(string(Engagements::Name))
                .col(string(Engagements::CustomerName))
                .col(string(Engagements::Status))
                .col(date(Engagements::StartsOn))
                .col(integer(Engagements::SprintLengthDays))
                .col(big_integer(Engagements::CreatedBy))
                .col(timestamp_with_time_zone(Engagements::CreatedAt))
                .col(timestamp_with_time_zone(Engagements::UpdatedAt))
                .col(integer(Engagements::Version))
                .foreign_key(&mut fk(Engagements::Table, Engagements::KitId, Kits::Table, ForeignKeyAction::Restrict))
                .foreign_key(&mut fk(
                    Engagements::Table,
                    Engagements::CreatedBy,
                    Users::Table,
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;
        m.create_index(index("ix_engagements_name", Engagements::Table, &["name", "id"], false)).await?;
        m.create_index(index("ix_engagements_created_at", Engagements::Table, &["created_at", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table(EngagementMembers::Table)
                .col(id(EngagementMembers::Id))
                .col(big_integer(EngagementMembers::EngagementId))
                .col(big_integer(EngagementMembers::UserId))
                .col(string(EngagementMembers::Role))
                .col(timestamp_with_time_zone(EngagementMembers::AddedAt))
                .col(integer(EngagementMembers::Version))
                .foreign_key(&mut fk(
                    EngagementMembers::Table,
                    EngagementMembers::EngagementId,
                    Engagements::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    EngagementMembers::Table,
                    EngagementMembers::UserId,
                    Users::Table,
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "ux_members_engagement_user",
            EngagementMembers::Table,
            &["engagement_id", "user_id"],
            true,
        ))
        .await?;
        m.create_index(index("ix_members_user", EngagementMembers::Table, &["user_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(Activities::Table)
                .col(id(Activities::Id))
                .col(big_integer(Activities::EngagementId))
                .col(big_integer(Activities::ArtifactTemplateId))
                .col(string(Activities::Status))
                .col(timestamp_with_time_zone(Activities::CreatedAt))
                .col(timestamp_with_time_zone(Activities::UpdatedAt))
                .col(integer(Activities::Version))
                .foreign_key(&mut fk(
                    Activities::Table,
                    Activities::EngagementId,
                    Engagements::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    Activities::Table,
                    Activities::ArtifactTemplateId,
                    ArtifactTemplates::Table,
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "ux_activities_engagement_template",
            Activities::Table,
            &["engagement_id", "artifact_template_id"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(AuditEvents::Table)
                .col(id(AuditEvents::Id))
                .col(big_integer_null(AuditEvents::EngagementId))
                .col(big_integer_null(AuditEvents::ActorId))
                .col(string(AuditEvents::Action))
                .col(string(AuditEvents::ObjectType))
                .col(big_integer(AuditEvents::ObjectId))
                .col(text(AuditEvents::Summary))
                .col(timestamp_with_time_zone(AuditEvents::OccurredAt))
                .take(),
        )
        .await?;
        m.create_index(index("ix_audit_events_engagement", AuditEvents::Table, &["engagement_id", "id"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvents::Table.into_iden(),
            Activities::Table.into_iden(),
            EngagementMembers::Table.into_iden(),
            Engagements::Table.into_iden(),
            WorkshopTemplates::Table.into_iden(),
            RunbookTemplates::Table.into_iden(),
            Questions::Table.into_iden(),
            ArtifactTemplates::Table.into_iden(),
            Capabilities::Table.into_iden(),
            Kits::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Subject,
    Name,
    Email,
    CreatedAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum Kits {
    Table,
    Id,
    Key,
    Version,
    Name,
    Description,
    ImportedAt,
}

#[derive(DeriveIden)]
enum Capabilities {
    Table,
    Id,
    KitId,
    Key,
    Name,
    Summary,
    Position,
}

#[derive(DeriveIden)]
enum ArtifactTemplates {
    Table,
    Id,
    KitId,
    CapabilityId,
    Key,
    Kind,
    Title,
    Overview,
    ScopePeople,
    ScopeProcesses,
    ScopeTools,
    RecommendedDesign,
    Position,
}

#[derive(DeriveIden)]
enum Questions {
    Table,
    Id,
    ArtifactTemplateId,
    Key,
    Position,
    Category,
    Text,
    Guidance,
    AnswerKind,
    Choices,
}

#[derive(DeriveIden)]
enum RunbookTemplates {
    Table,
    Id,
    KitId,
    CapabilityId,
    Key,
    Title,
    Summary,
    Sections,
}

#[derive(DeriveIden)]
enum WorkshopTemplates {
    Table,
    Id,
    KitId,
    CapabilityId,
    Key,
    Position,
    Phase,
    Title,
    Audience,
    DurationMinutes,
    ArtifactTemplateIds,
}

#[derive(DeriveIden)]
enum Engagements {
    Table,
    Id,
    KitId,
    Name,
    CustomerName,
    Status,
    StartsOn,
    SprintLengthDays,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum EngagementMembers {
    Table,
    Id,
    EngagementId,
    UserId,
    Role,
    AddedAt,
    Version,
}

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    EngagementId,
    ArtifactTemplateId,
    Status,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    EngagementId,
    ActorId,
    Action,
    ObjectType,
    ObjectId,
    Summary,
    OccurredAt,
}
