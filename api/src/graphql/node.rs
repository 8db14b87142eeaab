//! The `Node` interface and `node(id)` resolution. Every object with an ID is
//! refetchable; engagement objects go through the same access checks as any
//! other read, so a stranger's `node(id)` is `NOT_FOUND`.

use async_graphql::{Context, ID, Interface};

use super::{
    context::ContextExt,
    ids,
    loaders::one,
    types::{
        audit_event::AuditEvent,
        catalog::{ArtifactTemplate, Capability, Kit, Question, RunbookTemplate, WorkshopTemplate},
        engagement::{Activity, Engagement, EngagementMember},
        raci::RaciAssignment,
        readiness::ReadinessAssessment,
        user::User,
    },
};
use crate::{
    domain::{
        audit_trail,
        engagements::{self, activities, members},
        ids::{ActivityId, AuditEventId, EngagementId, MemberId, RaciAssignmentId, ReadinessAssessmentId, UserId},
        raci, readiness, users,
    },
    error::{Error, Result},
};

/// An object with a global ID, refetchable with `node(id)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global ID."))]
pub enum Node {
    Kit(Kit),
    Capability(Capability),
    ArtifactTemplate(ArtifactTemplate),
    Question(Question),
    RunbookTemplate(RunbookTemplate),
    WorkshopTemplate(WorkshopTemplate),
    Engagement(Engagement),
    EngagementMember(EngagementMember),
    Activity(Activity),
    User(User),
    ReadinessAssessment(ReadinessAssessment),
    RaciAssignment(RaciAssignment),
    AuditEvent(AuditEvent),
}

/// Resolves a global ID the caller may see.
pub async fn resolve(ctx: &Context<'_>, id: &ID) -> Result<Node> {
    let (kind, number) = ids::decode_any(id)?;
    let loaders = ctx.loaders()?;
    let viewer = ctx.viewer()?;
    let db = ctx.db()?;
    Ok(match kind.as_str() {
        "Kit" => Node::Kit(Kit(one(&loaders.kit, number, "node").await?)),
        "Capability" => Node::Capability(Capability(one(&loaders.capability, number, "node").await?)),
        "ArtifactTemplate" => {
            Node::ArtifactTemplate(ArtifactTemplate(one(&loaders.artifact_template, number, "node").await?))
        }
        "Question" => Node::Question(Question(catalog_row::<opskit_entity::question::Entity>(db, number).await?)),
        "RunbookTemplate" => Node::RunbookTemplate(RunbookTemplate(
            catalog_row::<opskit_entity::runbook_template::Entity>(db, number).await?,
        )),
        "WorkshopTemplate" => Node::WorkshopTemplate(WorkshopTemplate(
            catalog_row::<opskit_entity::workshop_template::Entity>(db, number).await?,
        )),
        "Engagement" => {
            Node::Engagement(Engagement(engagements::get(db, viewer, EngagementId(number)).await?.engagement))
        }
        "EngagementMember" => {
            Node::EngagementMember(EngagementMember(members::get(db, viewer, MemberId(number)).await?.0))
        }
        "Activity" => Node::Activity(Activity(activities::get(db, viewer, ActivityId(number)).await?.0)),
        "User" => Node::User(User(users::visible(db, viewer, UserId(number)).await?)),
        "ReadinessAssessment" => Node::ReadinessAssessment(ReadinessAssessment(
            readiness::get(db, viewer, ReadinessAssessmentId(number)).await?.0,
        )),
        "RaciAssignment" => {
            Node::RaciAssignment(RaciAssignment(raci::get(db, viewer, RaciAssignmentId(number)).await?.0))
        }
        "AuditEvent" => Node::AuditEvent(AuditEvent(audit_trail::get(db, viewer, AuditEventId(number)).await?)),
        _ => return Err(Error::NotFound("node")),
    })
}

/// A catalog row by primary key: the catalog is readable by every caller.
async fn catalog_row<E>(db: &sea_orm::DatabaseConnection, id: i64) -> Result<E::Model>
where
    E: sea_orm::EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    E::find_by_id(id).one(db).await?.ok_or(Error::NotFound("node"))
}
