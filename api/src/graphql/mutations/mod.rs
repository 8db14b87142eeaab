//! The root mutation: one input, one payload with `userErrors`, per operation.

mod deviations;
mod engagement;
mod kit;
mod members;

#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(
    engagement::EngagementMutations,
    members::MemberMutations,
    kit::KitMutations,
    deviations::DeviationMutations,
);
