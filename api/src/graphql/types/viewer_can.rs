//! `viewerCan` on engagements, activities, deviations, runbooks and workshop
//! sessions: one Boolean per mutation, true exactly when the mutation would
//! be accepted from the caller now (its input aside). Each flag asks the same
//! permission table, workflow `next` function and stored-data rules as the
//! mutation, so a portal shows the buttons that work and no others.

use async_graphql::{Context, SimpleObject};
use opskit_entity::{activity, deviation, engagement, runbook, workshop_session};

use crate::{
    domain::{
        access, answers,
        deviations::{self, DeviationAction},
        engagements::{
            activities::{self, ActivityAction, DesignFacts},
            members,
        },
        ids::ArtifactTemplateId,
        kits::Catalog,
        permissions::{Permission, Role, allows},
        runbooks::{self, Facts, RunbookAction},
        workshops::{self, SessionAction},
    },
    error::Error,
    graphql::{
        context::ContextExt,
        loaders::{many, maybe},
    },
};

/// The caller's role in engagement `id` as the permission table sees it; `None` for a stranger.
async fn role_in(ctx: &Context<'_>, engagement_id: i64) -> Result<Option<Role>, Error> {
    let viewer = ctx.viewer()?;
    if let Some(grant) = viewer.key {
        return Ok((grant.engagement.0 == engagement_id).then(|| grant.role()));
    }
    let all = many(&ctx.loaders()?.members_by_engagement, engagement_id).await?;
    Ok(access::role_of(viewer.is_admin(), members::role_of(&all, viewer.user_id)))
}

/// What the caller may do to an engagement (true exactly when the mutation would be accepted).
#[derive(SimpleObject, Default)]
pub struct EngagementViewerCan {
    /// `addEngagementMember`, `changeEngagementMemberRole`, `removeEngagementMember`.
    pub manage_members: bool,
    /// `addSprint`, `updateSprint`.
    pub manage_sprints: bool,
    /// `createCustomRunbook`.
    pub create_custom_runbook: bool,
    /// `addWorkshopSession`.
    pub add_workshop_session: bool,
    /// `recordReadinessAssessment`, `setRaciAssignment`, `removeRaciAssignment`.
    pub assess_readiness: bool,
    /// `createWebhookEndpoint` and the other webhook mutations; reading `webhookEndpoints`.
    pub manage_integrations: bool,
}

impl EngagementViewerCan {
    pub async fn of(ctx: &Context<'_>, engagement: &engagement::Model) -> Result<Self, Error> {
        let Some(role) = role_in(ctx, engagement.id).await? else { return Ok(Self::default()) };
        Ok(Self {
            manage_members: allows(role, Permission::ManageMembers),
            manage_sprints: allows(role, Permission::ManageSprints),
            create_custom_runbook: allows(role, Permission::EditRunbooks),
            add_workshop_session: workshops::next(None, SessionAction::Add, role).is_ok(),
            assess_readiness: allows(role, Permission::AssessReadiness),
            manage_integrations: allows(role, Permission::ManageIntegrations),
        })
    }
}

/// What the caller may do to an activity (true exactly when the mutation would be accepted).
#[derive(SimpleObject, Default)]
pub struct ActivityViewerCan {
    /// `startActivity` (a Design also waits for its capability's Discovery & Analysis).
    pub start: bool,
    /// `completeActivity` (a Design also needs every deviation mitigated).
    pub complete: bool,
    /// `reopenActivity`.
    pub reopen: bool,
    /// `assignActivity`.
    pub assign: bool,
    /// `setActivityTracker`.
    pub set_tracker: bool,
    /// `answerQuestion` (not while the activity is done).
    pub answer: bool,
    /// `addDocumentLink`, `removeDocumentLink`.
    pub link_documents: bool,
}

impl ActivityViewerCan {
    pub async fn of(ctx: &Context<'_>, activity: &activity::Model) -> Result<Self, Error> {
        let Some(role) = role_in(ctx, activity.engagement_id).await? else { return Ok(Self::default()) };
        let loaders = ctx.loaders()?;
        let catalog = ctx.catalog()?;
        let template = Catalog::required(
            ArtifactTemplateId(activity.artifact_template_id),
            catalog.artifact(ArtifactTemplateId(activity.artifact_template_id)),
        )?;
        let capability_templates =
            template.capability_id.map(|id| catalog.artifacts_of_capability(id).to_vec()).unwrap_or_default();
        let facts = DesignFacts {
            capability_templates,
            activities: many(&loaders.activities_by_engagement, activity.engagement_id).await?,
            deviations: many(&loaders.deviations_by_activity, activity.id).await?,
        };
        let can = |action| activities::can(activity, action, role, &template, &facts);
        Ok(Self {
            start: can(ActivityAction::Start),
            complete: can(ActivityAction::Complete),
            reopen: can(ActivityAction::Reopen),
            assign: allows(role, Permission::AssignActivities),
            set_tracker: allows(role, Permission::SetTracker),
            answer: allows(role, Permission::AnswerQuestions) && answers::open_for_answers(activity),
            link_documents: activities::may_link(role, template.kind),
        })
    }
}

/// What the caller may do to a deviation (true exactly when the mutation would be accepted).
#[derive(SimpleObject, Default)]
pub struct DeviationViewerCan {
    /// `updateDeviation`.
    pub edit: bool,
    /// `acceptDeviationRisk` (needs a mitigation plan).
    pub accept_risk: bool,
    /// `resolveDeviation`.
    pub resolve: bool,
    /// `setDeviationTracker`.
    pub set_tracker: bool,
}

impl DeviationViewerCan {
    pub async fn of(ctx: &Context<'_>, deviation: &deviation::Model) -> Result<Self, Error> {
        let Some(role) = role_in(ctx, deviation.engagement_id).await? else { return Ok(Self::default()) };
        let can = |action| deviations::next(deviation.status, action, role).is_ok();
        let has_mitigation_plan = deviations::has_mitigation_plan(deviation);
        Ok(Self {
            edit: can(DeviationAction::Edit { changes_accepted_risk: false }),
            accept_risk: can(DeviationAction::AcceptRisk { has_mitigation_plan }),
            resolve: can(DeviationAction::Resolve),
            set_tracker: allows(role, Permission::SetTracker),
        })
    }
}

/// What the caller may do to a runbook (true exactly when the mutation would be accepted).
#[derive(SimpleObject, Default)]
pub struct RunbookViewerCan {
    /// `startRunbook`.
    pub start: bool,
    /// `editRunbook`.
    pub edit: bool,
    /// `submitRunbookForReview` (the current revision has text).
    pub submit: bool,
    /// `reviewRunbook` with `APPROVE` (not a revision the caller wrote).
    pub approve: bool,
    /// `reviewRunbook` with `REQUEST_CHANGES` (not a revision the caller wrote).
    pub request_changes: bool,
    /// `baselineRunbook` (both sides approved).
    pub baseline: bool,
    /// `reviseRunbook`.
    pub revise: bool,
    /// `setRunbookTracker`.
    pub set_tracker: bool,
}

impl RunbookViewerCan {
    pub async fn of(ctx: &Context<'_>, runbook: &runbook::Model) -> Result<Self, Error> {
        let Some(role) = role_in(ctx, runbook.engagement_id).await? else { return Ok(Self::default()) };
        let loaders = ctx.loaders()?;
        let current = match runbook.current_revision_id {
            Some(id) => maybe(&loaders.runbook_revision, id).await?,
            None => None,
        };
        let reviews = many(&loaders.reviews_by_runbook, runbook.id).await?;
        let facts = Facts { current: current.as_ref(), reviews: &reviews };
        let user = ctx.viewer()?.user_id;
        let can = |action| runbooks::can(runbook, action, role, user, &facts);
        Ok(Self {
            start: can(RunbookAction::Start),
            edit: can(RunbookAction::Edit),
            submit: can(RunbookAction::Submit),
            approve: can(RunbookAction::Approve),
            request_changes: can(RunbookAction::RequestChanges),
            baseline: can(RunbookAction::Baseline),
            revise: can(RunbookAction::Revise),
            set_tracker: allows(role, Permission::SetTracker),
        })
    }
}

/// What the caller may do to a workshop session (true exactly when the mutation would be accepted).
#[derive(SimpleObject, Default)]
pub struct WorkshopSessionViewerCan {
    /// `scheduleWorkshopSession`.
    pub schedule: bool,
    /// `recordWorkshopOutcome`.
    pub record_outcome: bool,
    /// `cancelWorkshopSession`.
    pub cancel: bool,
}

impl WorkshopSessionViewerCan {
    pub async fn of(ctx: &Context<'_>, session: &workshop_session::Model) -> Result<Self, Error> {
        let Some(role) = role_in(ctx, session.engagement_id).await? else { return Ok(Self::default()) };
        let can = |action| workshops::next(Some(session.status), action, role).is_ok();
        Ok(Self {
            schedule: can(SessionAction::Schedule),
            record_outcome: can(SessionAction::RecordOutcome),
            cancel: can(SessionAction::Cancel),
        })
    }
}
