//! The root mutation: one input, one payload with `userErrors`, per operation.

mod engagement;
mod kit;
mod members;
mod sprints;
mod workshops;

#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(
    engagement::EngagementMutations,
    members::MemberMutations,
    kit::KitMutations,
    sprints::SprintMutations,
    workshops::WorkshopMutations,
);
