//! The root mutation: one input, one payload with `userErrors`, per operation.

mod engagement;
mod kit;
mod members;
mod raci;
mod readiness;

#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(
    engagement::EngagementMutations,
    members::MemberMutations,
    kit::KitMutations,
    readiness::ReadinessMutations,
    raci::RaciMutations,
);
