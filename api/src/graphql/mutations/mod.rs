//! The root mutation: one input, one payload with `userErrors`, per operation.

mod activities;
mod answers;
mod api_keys;
mod deviations;
mod engagement;
mod kit;
mod members;
mod raci;
mod readiness;
mod runbooks;
mod sprints;
mod tracker_connections;
pub(super) mod trackers;
mod webhooks;
mod workshops;

#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(
    engagement::EngagementMutations,
    members::MemberMutations,
    kit::KitMutations,
    activities::ActivityMutations,
    answers::AnswerMutations,
    runbooks::RunbookMutations,
    deviations::DeviationMutations,
    sprints::SprintMutations,
    workshops::WorkshopMutations,
    readiness::ReadinessMutations,
    raci::RaciMutations,
    webhooks::WebhookMutations,
    api_keys::ApiKeyMutations,
    trackers::TrackerMutations,
    tracker_connections::TrackerConnectionMutations,
);
