//! Typed IDs, so an engagement's ID cannot be passed where a member's is expected.

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

typed_id!(
    /// A stored user.
    UserId,
    /// A kit version.
    KitId,
    /// An engagement.
    EngagementId,
    /// A membership of a user in an engagement.
    MemberId,
    /// An activity of an engagement.
    ActivityId,
    /// A deviation from the recommended design, on a Design activity.
    DeviationId,
    /// A numbered sprint of an engagement.
    SprintId,
    /// A workshop session of an engagement.
    WorkshopSessionId,
    /// The readiness assessment of one capability in an engagement.
    ReadinessAssessmentId,
    /// One party's RACI role for one capability of an engagement.
    RaciAssignmentId,
    /// One recorded change in the audit trail.
    AuditEventId,
);
