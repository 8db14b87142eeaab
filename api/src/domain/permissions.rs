//! Who may do what (design.md §4), as one table: [`allows`] answers "may
//! this role do this" and nothing else in opskit decides by role. Rules that
//! need stored data on top of the role (a consultant may not approve their own
//! revision; stakeholders link documents to discovery activities only) are
//! checked by the operation after the table has said yes.

/// The caller as the table sees them: an engagement role, or a global admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A global `admin`: everything, in every engagement.
    Admin,
    /// Runs the engagement for the customer.
    Consultant,
    /// The customer's people doing the work.
    WorkstreamMember,
    /// Speaks and signs for the customer.
    Stakeholder,
    /// An `INTEGRATION` API key: a machine (a tracker, a pipeline) that reads
    /// its engagement, sets trackers and completes activities linked to a ticket.
    Integration,
    /// A `READ_ONLY` API key: a report script that reads its engagement.
    ReadOnly,
}

impl Role {
    /// Every role, in the table's column order.
    pub const ALL: [Role; 6] =
        [Role::Admin, Role::Consultant, Role::WorkstreamMember, Role::Stakeholder, Role::Integration, Role::ReadOnly];
}

/// Something a caller may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Import kit versions (global).
    ManageKits,
    /// Create an engagement (global: `admin` or the `consultant` claim).
    CreateEngagement,
    /// Read an engagement and everything in it.
    ReadEngagement,
    /// Start, update, close and reopen an engagement.
    ManageEngagement,
    /// Close an engagement whose close-out checks fail, for a recorded reason.
    ForceCloseEngagement,
    /// Add and remove members, change their roles.
    ManageMembers,
    /// Add sprints and change their dates and goals.
    ManageSprints,
    /// Manage the engagement's machine access: webhooks, API keys, tracker connections.
    ManageIntegrations,
    /// Assign and start activities.
    AssignActivities,
    /// Complete and reopen activities.
    CompleteActivities,
    /// Set the tracker reference of an activity, a deviation or a runbook.
    SetTracker,
    /// Agree an activity's readiness target and a Design's adoption.
    AgreeTargets,
    /// Answer an activity's questions.
    AnswerQuestions,
    /// Add and remove links to the customer's documentation.
    LinkDocuments,
    /// Create custom runbooks, start, edit and submit runbook drafts.
    EditRunbooks,
    /// Approve or request changes on a runbook in review.
    ReviewRunbooks,
    /// Baseline a signed-off runbook, or start revising a baselined one.
    BaselineRunbooks,
    /// Set a core runbook aside for a custom one.
    RetireRunbooks,
    /// Record and edit deviations from the recommended design.
    RecordDeviations,
    /// Accept a deviation's risk on the customer's behalf.
    AcceptDeviationRisk,
    /// Resolve a deviation.
    ResolveDeviations,
    /// Schedule, add and cancel workshop sessions.
    ScheduleSessions,
    /// Record a session's notes and outcome.
    RecordSessionNotes,
    /// Record readiness assessments and RACI assignments.
    AssessReadiness,
}

impl Permission {
    /// Every permission, in the table's row order.
    pub const ALL: &'static [Permission] = &[
        Permission::ManageKits,
        Permission::CreateEngagement,
        Permission::ReadEngagement,
        Permission::ManageEngagement,
        Permission::ForceCloseEngagement,
        Permission::ManageMembers,
        Permission::ManageSprints,
        Permission::ManageIntegrations,
        Permission::AssignActivities,
        Permission::CompleteActivities,
        Permission::SetTracker,
        Permission::AgreeTargets,
        Permission::AnswerQuestions,
        Permission::LinkDocuments,
        Permission::EditRunbooks,
        Permission::ReviewRunbooks,
        Permission::BaselineRunbooks,
        Permission::RetireRunbooks,
        Permission::RecordDeviations,
        Permission::AcceptDeviationRisk,
        Permission::ResolveDeviations,
        Permission::ScheduleSessions,
        Permission::RecordSessionNotes,
        Permission::AssessReadiness,
    ];

    /// What it is, for a `FORBIDDEN` message: "… is not allowed for your role".
    pub const fn describe(self) -> &'static str {
        match self {
            Permission::ManageKits => "managing kits",
            Permission::CreateEngagement => "creating an engagement",
            Permission::ReadEngagement => "reading this engagement",
            Permission::ManageEngagement => "managing the engagement",
            Permission::ForceCloseEngagement => "closing an engagement despite its close-out checks",
            Permission::ManageMembers => "managing members",
            Permission::ManageSprints => "managing sprints",
            Permission::ManageIntegrations => "managing integrations",
            Permission::AssignActivities => "assigning and starting activities",
            Permission::CompleteActivities => "completing and reopening activities",
            Permission::SetTracker => "setting an activity's tracker",
            Permission::AgreeTargets => "agreeing readiness targets and design adoption",
            Permission::AnswerQuestions => "answering questions",
            Permission::LinkDocuments => "linking documents",
            Permission::EditRunbooks => "editing runbooks",
            Permission::ReviewRunbooks => "reviewing runbooks",
            Permission::BaselineRunbooks => "baselining and revising runbooks",
            Permission::RetireRunbooks => "retiring runbooks",
            Permission::RecordDeviations => "recording deviations",
            Permission::AcceptDeviationRisk => "accepting a deviation's risk",
            Permission::ResolveDeviations => "resolving deviations",
            Permission::ScheduleSessions => "scheduling workshop sessions",
            Permission::RecordSessionNotes => "recording session notes",
            Permission::AssessReadiness => "recording readiness assessments and RACI",
        }
    }
}

/// Whether `role` may do `permission`: the one table.
pub const fn allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    use Role::{Admin, Consultant, Integration, Stakeholder, WorkstreamMember};
    match (permission, role) {
        (_, Admin) => true,
        (ManageKits | ForceCloseEngagement, _) => false,
        (CreateEngagement, Consultant) => true,
        (ReadEngagement, _) => true,
        (
            ManageEngagement | ManageMembers | ManageSprints | ManageIntegrations | AssignActivities
            | CompleteActivities | SetTracker | AgreeTargets | BaselineRunbooks | RetireRunbooks | ResolveDeviations
            | ScheduleSessions | AssessReadiness,
            Consultant,
        ) => true,
        // Only activities linked to a ticket: the operation checks the link.
        (CompleteActivities | SetTracker, Integration) => true,
        (
            AnswerQuestions | LinkDocuments | EditRunbooks | RecordDeviations | RecordSessionNotes,
            Consultant | WorkstreamMember,
        ) => true,
        (LinkDocuments, Stakeholder) => true,
        (ReviewRunbooks, Consultant | Stakeholder) => true,
        (AcceptDeviationRisk, Stakeholder) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{Permission::*, *};

    /// design.md §4, written out: the roles that may, per permission.
    /// Columns: admin, consultant, workstream member, stakeholder, integration key, read-only key.
    const TABLE: &[(Permission, [bool; 6])] = &[
        (ManageKits, [true, false, false, false, false, false]),
        (CreateEngagement, [true, true, false, false, false, false]),
        (ReadEngagement, [true, true, true, true, true, true]),
        (ManageEngagement, [true, true, false, false, false, false]),
        (ForceCloseEngagement, [true, false, false, false, false, false]),
        (ManageMembers, [true, true, false, false, false, false]),
        (ManageSprints, [true, true, false, false, false, false]),
        (ManageIntegrations, [true, true, false, false, false, false]),
        (AssignActivities, [true, true, false, false, false, false]),
        (CompleteActivities, [true, true, false, false, true, false]),
        (SetTracker, [true, true, false, false, true, false]),
        (AgreeTargets, [true, true, false, false, false, false]),
        (AnswerQuestions, [true, true, true, false, false, false]),
        (LinkDocuments, [true, true, true, true, false, false]),
        (EditRunbooks, [true, true, true, false, false, false]),
        (ReviewRunbooks, [true, true, false, true, false, false]),
        (BaselineRunbooks, [true, true, false, false, false, false]),
        (RetireRunbooks, [true, true, false, false, false, false]),
        (RecordDeviations, [true, true, true, false, false, false]),
        (AcceptDeviationRisk, [true, false, false, true, false, false]),
        (ResolveDeviations, [true, true, false, false, false, false]),
        (ScheduleSessions, [true, true, false, false, false, false]),
        (RecordSessionNotes, [true, true, true, false, false, false]),
        (AssessReadiness, [true, true, false, false, false, false]),
    ];

    #[test]
    fn every_role_and_permission_matches_the_design() {
        assert_eq!(TABLE.len(), Permission::ALL.len(), "every permission has a row");
        for (row, (permission, expected)) in TABLE.iter().enumerate() {
            assert_eq!(Permission::ALL[row], *permission, "rows in the order of Permission::ALL");
            for (column, role) in Role::ALL.iter().enumerate() {
                assert_eq!(allows(*role, *permission), expected[column], "{role:?} {permission:?}");
            }
        }
    }

    /// The README's "Who may do what" table says the same as [`allows`].
    #[test]
    fn the_readme_table_is_this_table() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap_or_default();
        let start = readme.find("## Who may do what").unwrap_or(readme.len());
        let section = readme[start..].split("\n## ").next().unwrap_or_default();
        let mut seen = Vec::new();
        for line in section.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| permission")) {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let Some(permission) = Permission::ALL
                .iter()
                .copied()
                .find(|p| cells[0] == p.describe() || cells[0].starts_with(&format!("{} (", p.describe())))
            else {
                continue;
            };
            let yes: Vec<bool> = cells[1..].iter().map(|c| *c == "yes").collect();
            let expected: Vec<bool> = Role::ALL.iter().map(|r| allows(*r, permission)).collect();
            assert_eq!(yes, expected, "README row for {permission:?}");
            seen.push(permission);
        }
        assert_eq!(seen, Permission::ALL, "one README row per permission, in order");
    }
}
