//! `createEngagement`.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;

use crate::{
    domain::engagements::{self, NewEngagement},
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        types::engagement::Engagement,
    },
};

#[derive(Default)]
pub struct EngagementMutations;

/// A new engagement from an imported kit version.
#[derive(InputObject)]
pub struct CreateEngagementInput {
    /// The engagement's name. At most 200 characters.
    pub name: String,
    /// The customer's name. At most 200 characters.
    pub customer_name: String,
    /// Key of an imported kit, e.g. `aws-operations`. At most 200 characters.
    pub kit_key: String,
    /// Version of that kit, e.g. `1.0.0`. At most 200 characters.
    pub kit_version: String,
    /// First day of the first sprint.
    pub starts_on: NaiveDate,
    /// Sprint length in days (1–90).
    pub sprint_length_days: i32,
}

#[derive(SimpleObject)]
pub struct CreateEngagementPayload {
    /// The new engagement; null when `userErrors` is not empty.
    pub engagement: Option<Engagement>,
    pub user_errors: Vec<UserError>,
}

#[Object]
impl EngagementMutations {
    /// Creates an engagement (admins and holders of the `consultant` claim). The
    /// caller becomes its first CONSULTANT, and it gets one NOT_STARTED activity
    /// per artifact template of the kit version.
    async fn create_engagement(
        &self,
        ctx: &Context<'_>,
        input: CreateEngagementInput,
    ) -> Result<CreateEngagementPayload> {
        let new = NewEngagement {
            name: input.name,
            customer_name: input.customer_name,
            kit_key: input.kit_key,
            kit_version: input.kit_version,
            starts_on: input.starts_on,
            sprint_length_days: input.sprint_length_days,
        };
        let (engagement, user_errors) = payload(engagements::create(ctx.db()?, ctx.viewer()?, new).await)?;
        Ok(CreateEngagementPayload { engagement: engagement.map(Engagement), user_errors })
    }
}
