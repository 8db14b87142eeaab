//! The stable codes clients match on. [`Code`] is the code of a `userErrors`
//! entry (a broken rule or bad input); [`ErrorCode`] is the `extensions.code`
//! of a top-level error. The README lists both; a test keeps them in step.

/// Declares a code enum with its wire spelling and the list of all values.
macro_rules! codes {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal => $message:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(#[doc = $message] $variant,)*
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The code as clients see it, e.g. `LAST_CONSULTANT`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// What the code means, for people: the message when nothing more specific is said.
            pub const fn message(self) -> &'static str {
                match self {
                    $($name::$variant => $message,)*
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

codes! {
    /// The code of a `userErrors` entry: what rule the input broke.
    Code {
        // Any input.
        Required = "REQUIRED" => "a required field is blank",
        TooLong = "TOO_LONG" => "a text is longer than its field allows",
        TooMany = "TOO_MANY" => "a list has more entries than its field allows",
        OutOfRange = "OUT_OF_RANGE" => "a number or date lies outside the accepted range",
        InvalidUrl = "INVALID_URL" => "not an absolute http(s) URL",
        LimitReached = "LIMIT_REACHED" => "a per-engagement limit on the number of objects is reached",
        NotFound = "NOT_FOUND" => "an ID in the input names nothing the caller can use here",
        IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED" => "the idempotency key was used in the last 24 hours with another input",
        // Kits, engagements, members.
        InvalidKit = "INVALID_KIT" => "the kit file does not parse or breaks a rule of the format",
        KitNotFound = "KIT_NOT_FOUND" => "no kit with that key and version",
        AlreadyMember = "ALREADY_MEMBER" => "the person is a member of the engagement already",
        LastConsultant = "LAST_CONSULTANT" => "the change would leave the engagement without a consultant",
        NotAMember = "NOT_A_MEMBER" => "the member named is not a member of this engagement",
        NotAConsultant = "NOT_A_CONSULTANT" => "the member named is not a consultant",
        OwnRole = "OWN_ROLE" => "nobody changes their own role in an engagement",
        // The engagement lifecycle.
        EngagementClosed = "ENGAGEMENT_CLOSED" => "the engagement is closed and read-only: reopen it to change anything",
        NotClosed = "NOT_CLOSED" => "the engagement is not closed, so it cannot be reopened",
        ActivityOpen = "ACTIVITY_OPEN" => "close-out: an activity is not done",
        RunbookOpen = "RUNBOOK_OPEN" => "close-out: a runbook is neither baselined nor retired",
        DeviationOpen = "DEVIATION_OPEN" => "close-out: a deviation is neither resolved nor its risk accepted",
        // Activities.
        AlreadyStarted = "ALREADY_STARTED" => "the engagement, activity or runbook is started already",
        NotStarted = "NOT_STARTED" => "the engagement, activity or runbook has not been started",
        AlreadyDone = "ALREADY_DONE" => "the activity is done already",
        NotDone = "NOT_DONE" => "the activity is not done, so it cannot be reopened",
        DiscoveryNotDone = "DISCOVERY_NOT_DONE" => "a Design activity waits for its capability's Discovery & Analysis",
        DeviationWithoutMitigation = "DEVIATION_WITHOUT_MITIGATION" => "a deviation of this Design has no mitigation plan yet",
        NotADesignActivity = "NOT_A_DESIGN_ACTIVITY" => "only Design activities have deviations and a design adoption",
        ReadinessTargetMissing = "READINESS_TARGET_MISSING" => "a discovery activity completes only once its readiness target is agreed",
        DesignInProgress = "DESIGN_IN_PROGRESS" => "the capability's Design has started, so its discovery cannot be reopened",
        // Answers.
        WrongAnswerKind = "WRONG_ANSWER_KIND" => "the value does not fit the question's answer kind",
        InvalidChoice = "INVALID_CHOICE" => "a choice the question does not offer",
        QuestionNotInActivity = "QUESTION_NOT_IN_ACTIVITY" => "the question belongs to another activity's bank",
        ActivityDone = "ACTIVITY_DONE" => "the activity is done: reopen it to change its answers",
        // Deviations.
        NoMitigationPlan = "NO_MITIGATION_PLAN" => "a risk is accepted only once there is a mitigation plan",
        AlreadyAccepted = "ALREADY_ACCEPTED" => "the deviation's risk is accepted already",
        DeviationResolved = "DEVIATION_RESOLVED" => "the deviation is resolved and can no longer change",
        // Sprints and workshop sessions.
        InvalidDates = "INVALID_DATES" => "an end before the start, or a span too long",
        SprintOverlap = "SPRINT_OVERLAP" => "sprints may not overlap",
        OutsideSprint = "OUTSIDE_SPRINT" => "a session must lie inside its sprint",
        SessionClosed = "SESSION_CLOSED" => "the session was held or cancelled and is closed",
        // RACI.
        AccountableExists = "ACCOUNTABLE_EXISTS" => "the capability has an accountable party already",
        NoSuchAssignment = "NO_SUCH_ASSIGNMENT" => "no such RACI assignment to remove",
        // Runbooks.
        InReview = "IN_REVIEW" => "the runbook is in review, so it cannot be edited or submitted again",
        NotInReview = "NOT_IN_REVIEW" => "the runbook is not in review",
        Baselined = "BASELINED" => "the runbook is baselined: revise it to change it",
        NotBaselined = "NOT_BASELINED" => "only a baselined runbook can be revised",
        EmptyBody = "EMPTY_BODY" => "the runbook has no text to review",
        OwnRevision = "OWN_REVISION" => "a consultant may not approve a revision they wrote",
        AlreadyApproved = "ALREADY_APPROVED" => "the reviewer approved in this review round already: one person counts once",
        ApprovalsMissing = "APPROVALS_MISSING" => "the revision under review lacks a consultant's or a stakeholder's approval",
        Retired = "RETIRED" => "the runbook is retired and can no longer change",
        NotACoreRunbook = "NOT_A_CORE_RUNBOOK" => "only a core runbook is retired",
        NotACustomRunbook = "NOT_A_CUSTOM_RUNBOOK" => "a runbook is replaced by a custom runbook of the same engagement",
        // Webhooks.
        UrlNotAllowed = "URL_NOT_ALLOWED" => "the URL's host is (or resolves to) a loopback, private or link-local address",
        UnknownEventType = "UNKNOWN_EVENT_TYPE" => "an event type that is not a dotted action name such as `runbook.baselined`",
        // Tracker connections.
        NotConnectable = "NOT_CONNECTABLE" => "opskit connects to Jira and ServiceNow (and only Jira signs its webhooks)",
        TrackerConnected = "TRACKER_CONNECTED" => "the engagement is connected to this tracker already",
        InvalidTable = "INVALID_TABLE" => "not a ServiceNow table name, or a table on a Jira connection",
    }
}

codes! {
    /// The `extensions.code` of a top-level error: why the request as a whole failed.
    ErrorCode {
        Unauthenticated = "UNAUTHENTICATED" => "no valid credentials (HTTP 401)",
        Forbidden = "FORBIDDEN" => "the caller's role does not allow this",
        NotFound = "NOT_FOUND" => "no such object, or the caller may not know it exists",
        Conflict = "CONFLICT" => "the object changed since the caller read it",
        BadUserInput = "BAD_USER_INPUT" => "malformed input the schema could not catch",
        QueryTooLong = "QUERY_TOO_LONG" => "a search of more than 200 characters or 16 terms",
        TooLong = "TOO_LONG" => "a query argument's text is longer than 1,000 characters",
        TooMany = "TOO_MANY" => "a query argument's list has more than 100 items",
        BadRequest = "BAD_REQUEST" => "the HTTP request itself is malformed (method, body, media type)",
        QueryTooCostly = "QUERY_TOO_COSTLY" => "the operation costs more than one operation may (`extensions.cost`)",
        TooManyOperations = "TOO_MANY_OPERATIONS" => "too many mutation fields in one operation, or operations in one batch",
        RateLimited = "RATE_LIMITED" => "the caller's budget for this window cannot pay for the operation (HTTP 429)",
        Timeout = "TIMEOUT" => "the request ran past its deadline and was cancelled",
        Unavailable = "UNAVAILABLE" => "no database connection came free in time (HTTP 503); retry later",
        TokenExpired = "TOKEN_EXPIRED" => "a subscription ended because the caller's token expired",
        AccessRevoked = "ACCESS_REVOKED" => "a subscription ended because the caller is no longer a member of its engagement",
        TooManySubscriptions = "TOO_MANY_SUBSCRIPTIONS" => "the limit of subscriptions per connection or connections per identity is reached",
        PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND" => "the persisted query's hash is unknown: send its text",
        Internal = "INTERNAL" => "anything else; the cause is logged, never shown",
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The README's "Error codes" section.
    fn readme_section() -> String {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap_or_default();
        let start = readme.find("## Error codes").unwrap_or(readme.len());
        let rest = &readme[start..];
        let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
        rest[..end].to_owned()
    }

    #[test]
    fn the_readme_lists_exactly_the_codes_of_the_enums() {
        let section = readme_section();
        let listed: BTreeSet<&str> = section
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|t| t.len() > 2 && t.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            .collect();
        let enums: BTreeSet<&str> =
            Code::ALL.iter().map(|c| c.as_str()).chain(ErrorCode::ALL.iter().map(|c| c.as_str())).collect();
        assert!(!listed.is_empty(), "the README has an \"Error codes\" section");
        assert_eq!(listed, enums, "README (left) and the enums (right) differ");
    }

    #[test]
    fn codes_are_unique_and_screaming_snake_case() {
        for all in [
            Code::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            ErrorCode::ALL.iter().map(|c| c.as_str()).collect(),
        ] {
            let unique: BTreeSet<_> = all.iter().collect();
            assert_eq!(unique.len(), all.len());
            assert!(all.iter().all(|c| c.chars().all(|ch| ch.is_ascii_uppercase() || ch == '_')));
        }
        assert!(Code::ALL.iter().all(|c| !c.message().is_empty()));
    }
}
