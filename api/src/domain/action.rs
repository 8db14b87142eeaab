//! What a change did: every audit event names one [`Action`]. Each has a
//! stable dotted name (`runbook.baselined`), which is also the event type
//! clients filter on, and the kind of object it changes.

use super::ids::Kind;

/// Declares the actions with their dotted name and the kind of object changed.
macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident = $name:literal on $kind:ident,)*) => {
        /// A kind of change, recorded in the audit trail.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $($(#[$doc])* $variant,)*
        }

        impl Action {
            /// Every action, in declaration order.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The stable dotted name, e.g. `runbook.baselined`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            /// The kind of object the action changes.
            pub const fn object(self) -> Kind {
                match self {
                    $(Action::$variant => Kind::$kind,)*
                }
            }

            /// The action with dotted name `name`.
            pub fn parse(name: &str) -> Option<Action> {
                Action::ALL.iter().copied().find(|a| a.name() == name)
            }
        }

        impl std::fmt::Display for Action {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

actions! {
    /// A kit version was imported.
    KitImported = "kit.imported" on Kit,
    /// An engagement was created from a kit version.
    EngagementCreated = "engagement.created" on Engagement,
    /// An engagement started: PLANNED → ACTIVE.
    EngagementStarted = "engagement.started" on Engagement,
    /// An engagement's name, customer, dates or sprint length changed.
    EngagementUpdated = "engagement.updated" on Engagement,
    /// An engagement was closed (handed over), its close-out checks passed.
    EngagementClosed = "engagement.closed" on Engagement,
    /// An admin closed an engagement despite its close-out checks, for a recorded reason.
    EngagementForceClosed = "engagement.force_closed" on Engagement,
    /// A closed engagement was reopened.
    EngagementReopened = "engagement.reopened" on Engagement,
    /// A person joined an engagement.
    MemberAdded = "member.added" on EngagementMember,
    /// A member's engagement role changed.
    MemberRoleChanged = "member.role_changed" on EngagementMember,
    /// A person left an engagement.
    MemberRemoved = "member.removed" on EngagementMember,
    /// An activity was assigned to a consultant, or unassigned.
    ActivityAssigned = "activity.assigned" on Activity,
    /// An activity started.
    ActivityStarted = "activity.started" on Activity,
    /// An activity was completed.
    ActivityCompleted = "activity.completed" on Activity,
    /// A completed activity was reopened.
    ActivityReopened = "activity.reopened" on Activity,
    /// An activity's tracker reference was set or cleared.
    ActivityTrackerSet = "activity.tracker_set" on Activity,
    /// A linked ticket moved but the activity's own rules kept it where it is: the ticket's status is recorded.
    ActivityTrackerStatusRecorded = "activity.tracker_status_recorded" on Activity,
    /// An activity's target readiness state was agreed.
    ActivityReadinessTargetSet = "activity.readiness_target_set" on Activity,
    /// How a Design activity adopts the recommended design was set.
    ActivityDesignAdoptionSet = "activity.design_adoption_set" on Activity,
    /// A link to the customer's documentation was added.
    DocumentLinkAdded = "document_link.added" on DocumentLink,
    /// A link to the customer's documentation was removed.
    DocumentLinkRemoved = "document_link.removed" on DocumentLink,
    /// A question was answered, or its answer changed.
    AnswerRecorded = "answer.recorded" on Answer,
    /// A deviation from the recommended design was recorded.
    DeviationRecorded = "deviation.recorded" on Deviation,
    /// A deviation was edited.
    DeviationUpdated = "deviation.updated" on Deviation,
    /// The customer accepted a deviation's risk.
    DeviationRiskAccepted = "deviation.risk_accepted" on Deviation,
    /// A deviation was resolved.
    DeviationResolved = "deviation.resolved" on Deviation,
    /// A deviation's tracker reference was set or cleared.
    DeviationTrackerSet = "deviation.tracker_set" on Deviation,
    /// A custom runbook was created.
    RunbookCreated = "runbook.created" on Runbook,
    /// A runbook's draft was started from its template.
    RunbookStarted = "runbook.started" on Runbook,
    /// A runbook draft got a new revision.
    RunbookEdited = "runbook.edited" on Runbook,
    /// A runbook was submitted for review.
    RunbookSubmitted = "runbook.submitted" on Runbook,
    /// A reviewer approved the revision under review.
    RunbookApproved = "runbook.approved" on Runbook,
    /// A reviewer requested changes: the runbook is a draft again.
    RunbookChangesRequested = "runbook.changes_requested" on Runbook,
    /// A runbook revision was baselined into the knowledge base.
    RunbookBaselined = "runbook.baselined" on Runbook,
    /// A baselined runbook got a new draft.
    RunbookRevised = "runbook.revised" on Runbook,
    /// A core runbook was set aside for the customer's own architecture.
    RunbookRetired = "runbook.retired" on Runbook,
    /// A runbook's tracker reference was set or cleared.
    RunbookTrackerSet = "runbook.tracker_set" on Runbook,
    /// A sprint was added.
    SprintAdded = "sprint.added" on Sprint,
    /// A sprint's dates or goal changed.
    SprintUpdated = "sprint.updated" on Sprint,
    /// A workshop session was added.
    SessionAdded = "session.added" on WorkshopSession,
    /// A workshop session was scheduled into a sprint.
    SessionScheduled = "session.scheduled" on WorkshopSession,
    /// A workshop session was held.
    SessionHeld = "session.held" on WorkshopSession,
    /// The notes or outcome of a held session changed.
    SessionOutcomeUpdated = "session.outcome_updated" on WorkshopSession,
    /// A workshop session was cancelled.
    SessionCancelled = "session.cancelled" on WorkshopSession,
    /// A capability's readiness was assessed.
    ReadinessAssessed = "readiness.assessed" on ReadinessAssessment,
    /// A party's RACI role for a capability was set.
    RaciSet = "raci.set" on RaciAssignment,
    /// A party's RACI role for a capability was removed.
    RaciRemoved = "raci.removed" on RaciAssignment,
    /// A webhook endpoint was added.
    WebhookEndpointCreated = "webhook_endpoint.created" on WebhookEndpoint,
    /// A webhook endpoint's URL, event types, description or enabled flag changed.
    WebhookEndpointUpdated = "webhook_endpoint.updated" on WebhookEndpoint,
    /// A webhook endpoint was deleted.
    WebhookEndpointDeleted = "webhook_endpoint.deleted" on WebhookEndpoint,
    /// A webhook endpoint got a new signing secret.
    WebhookSecretRotated = "webhook_endpoint.secret_rotated" on WebhookEndpoint,
    /// opskit disabled a webhook endpoint that kept failing.
    WebhookEndpointDisabled = "webhook_endpoint.disabled" on WebhookEndpoint,
    /// Someone asked for an event to be delivered again to a webhook endpoint.
    WebhookRedeliveryRequested = "webhook_endpoint.redelivery_requested" on WebhookEndpoint,
    /// An API key was created for the engagement.
    ApiKeyCreated = "api_key.created" on ApiKey,
    /// An API key was revoked.
    ApiKeyRevoked = "api_key.revoked" on ApiKey,
    /// An engagement was connected to the customer's Jira or ServiceNow.
    TrackerConnectionCreated = "tracker_connection.created" on TrackerConnection,
    /// A tracker connection's settings or credentials changed.
    TrackerConnectionUpdated = "tracker_connection.updated" on TrackerConnection,
    /// A tracker connection got a new inbound webhook secret.
    TrackerConnectionSecretRotated = "tracker_connection.secret_rotated" on TrackerConnection,
    /// A tracker connection was removed.
    TrackerConnectionDeleted = "tracker_connection.deleted" on TrackerConnection,
    /// Someone asked for an activity event to move its ticket again.
    TrackerRedeliveryRequested = "tracker_connection.redelivery_requested" on TrackerConnection,
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn names_are_unique_dotted_and_parse_back() {
        let mut seen = HashSet::new();
        for action in Action::ALL {
            let name = action.name();
            assert!(seen.insert(name), "{name} twice");
            let (object, verb) = name.split_once('.').unwrap_or_default();
            assert!(!object.is_empty() && !verb.is_empty() && !verb.contains('.'), "{name}");
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_'), "{name}");
            assert_eq!(Action::parse(name), Some(*action));
        }
    }
}
