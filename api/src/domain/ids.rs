//! Typed IDs, so an engagement's ID cannot be passed where a member's is
//! expected, each tied here, once, to the [`Kind`] of object it names. The
//! GraphQL layer encodes and decodes global IDs through [`TypedId::KIND`], so
//! decoding an ID of the wrong kind cannot be written.

/// Declares the kinds of objects with their GraphQL type name and the noun
/// used in messages ("workshop session not found").
macro_rules! kinds {
    ($($kind:ident => $noun:literal,)*) => {
        /// Every kind of object that has a global ID.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($kind,)*
        }

        impl Kind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [Kind] = &[$(Kind::$kind,)*];

            /// The GraphQL type name, e.g. `WorkshopSession`; also the audit trail's object type.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Kind::$kind => stringify!($kind),)*
                }
            }

            /// What people call it, e.g. `workshop session`.
            pub const fn noun(self) -> &'static str {
                match self {
                    $(Kind::$kind => $noun,)*
                }
            }

            /// The kind's place in [`Kind::ALL`] (what a global ID carries).
            pub fn index(self) -> u16 {
                Kind::ALL.iter().position(|k| *k == self).map_or(u16::MAX, |i| i as u16)
            }

            /// The kind at `index` in [`Kind::ALL`].
            pub fn from_index(index: u16) -> Option<Kind> {
                Kind::ALL.get(usize::from(index)).copied()
            }

            /// The kind with GraphQL type name `name`.
            pub fn parse(name: &str) -> Option<Kind> {
                Kind::ALL.iter().copied().find(|k| k.name() == name)
            }
        }
    };
}

// A kind's place in this list is part of every global ID of its objects:
// new kinds go at the end, and none is ever removed or moved.
kinds! {
    Kit => "kit",
    Capability => "capability",
    ArtifactTemplate => "artifact template",
    Question => "question",
    RunbookTemplate => "runbook template",
    WorkshopTemplate => "workshop template",
    Engagement => "engagement",
    EngagementMember => "member",
    Activity => "activity",
    User => "user",
    DocumentLink => "document link",
    Answer => "answer",
    Runbook => "runbook",
    RunbookRevision => "revision",
    RunbookReview => "review",
    Deviation => "deviation",
    Sprint => "sprint",
    WorkshopSession => "workshop session",
    ReadinessAssessment => "readiness assessment",
    RaciAssignment => "RACI assignment",
    AuditEvent => "audit event",
    WebhookEndpoint => "webhook endpoint",
    ApiKey => "API key",
    TrackerConnection => "tracker connection",
}

/// An ID of one kind of object.
pub trait TypedId: Copy + Send + Sync + 'static {
    /// The kind of object it names.
    const KIND: Kind;
    /// Wraps a stored primary key.
    fn from_raw(raw: i64) -> Self;
    /// The stored primary key.
    fn raw(self) -> i64;
}

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident => $kind:ident,)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl TypedId for $name {
            const KIND: Kind = Kind::$kind;
            fn from_raw(raw: i64) -> Self {
                Self(raw)
            }
            fn raw(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

typed_id! {
    /// A kit version.
    KitId => Kit,
    /// An operational area of a kit version.
    CapabilityId => Capability,
    /// A Discovery & Analysis, Design or overview artifact of a kit version.
    ArtifactTemplateId => ArtifactTemplate,
    /// A question of an artifact's question bank.
    QuestionId => Question,
    /// The core runbook template of a capability.
    RunbookTemplateId => RunbookTemplate,
    /// A workshop of a kit's workshop plan.
    WorkshopTemplateId => WorkshopTemplate,
    /// An engagement.
    EngagementId => Engagement,
    /// A membership of a user in an engagement.
    MemberId => EngagementMember,
    /// An activity of an engagement.
    ActivityId => Activity,
    /// A stored user.
    UserId => User,
    /// A link from an activity to the customer's documentation.
    DocumentLinkId => DocumentLink,
    /// An activity's answer to one question.
    AnswerId => Answer,
    /// A runbook of an engagement.
    RunbookId => Runbook,
    /// One revision of a runbook.
    RunbookRevisionId => RunbookRevision,
    /// One review of a runbook revision.
    RunbookReviewId => RunbookReview,
    /// A deviation from the recommended design, on a Design activity.
    DeviationId => Deviation,
    /// A numbered sprint of an engagement.
    SprintId => Sprint,
    /// A workshop session of an engagement.
    WorkshopSessionId => WorkshopSession,
    /// The readiness assessment of one capability in an engagement.
    ReadinessAssessmentId => ReadinessAssessment,
    /// One party's RACI role for one capability of an engagement.
    RaciAssignmentId => RaciAssignment,
    /// One recorded change in the audit trail.
    AuditEventId => AuditEvent,
    /// An engagement's webhook endpoint.
    WebhookEndpointId => WebhookEndpoint,
    /// An engagement-scoped API key.
    ApiKeyId => ApiKey,
    /// A connection of an engagement to the customer's Jira or ServiceNow.
    TrackerConnectionId => TrackerConnection,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_by_name() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.name()), Some(*kind));
        }
        assert_eq!(Kind::parse("Nope"), None);
        assert_eq!(WorkshopSessionId::KIND.noun(), "workshop session");
    }
}
