//! `recordDeviation`, `updateDeviation`, `acceptDeviationRisk`, `resolveDeviation`.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};

use crate::{
    domain::{
        deviations::{self, DeviationChanges, NewDeviation},
        ids::{ActivityId, DeviationId},
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
        types::{deviation::Deviation, enums::Severity},
    },
};

#[derive(Default)]
pub struct DeviationMutations;

/// A deviation to document on a Design activity.
#[derive(InputObject)]
pub struct RecordDeviationInput {
    /// A Design activity (`NOT_A_DESIGN_ACTIVITY` otherwise).
    pub activity_id: ID,
    /// A short name. At most 200 characters.
    pub title: String,
    /// What differs from the recommended design. At most 20000 characters.
    pub description: String,
    /// Risks and concerns the deviation brings. At most 20000 characters.
    pub risks: String,
    pub severity: Severity,
    /// How the risks are reduced; blank or omitted means none yet. At most 20000 characters.
    pub mitigation_plan: Option<String>,
    /// Who carries the mitigation (a person or a team). At most 200 characters.
    pub owner: Option<String>,
    /// Makes a retry safe: the same key with the same input within 24 hours
    /// returns what the first request created and changes nothing; with
    /// another input it is `IDEMPOTENCY_KEY_REUSED`. At most 100 characters.
    pub idempotency_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct RecordDeviationPayload {
    /// The new deviation; null when `userErrors` is not empty.
    pub deviation: Option<Deviation>,
    pub user_errors: Vec<UserError>,
}

/// Changes to a deviation: omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateDeviationInput {
    pub deviation_id: ID,
    /// A short name. At most 200 characters.
    pub title: Option<String>,
    /// What differs from the recommended design. At most 20000 characters.
    pub description: Option<String>,
    /// Risks and concerns the deviation brings. At most 20000 characters.
    pub risks: Option<String>,
    pub severity: Option<Severity>,
    /// Null or a blank text removes the plan. At most 20000 characters.
    pub mitigation_plan: MaybeUndefined<String>,
    /// Null or a blank text removes the owner. At most 200 characters.
    pub owner: MaybeUndefined<String>,
    /// The deviation's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct UpdateDeviationPayload {
    pub deviation: Option<Deviation>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct AcceptDeviationRiskInput {
    pub deviation_id: ID,
    /// The deviation's `version` as last read: accept exactly what you reviewed.
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct AcceptDeviationRiskPayload {
    pub deviation: Option<Deviation>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct ResolveDeviationInput {
    pub deviation_id: ID,
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct ResolveDeviationPayload {
    pub deviation: Option<Deviation>,
    pub user_errors: Vec<UserError>,
}

fn patch(value: MaybeUndefined<String>) -> Option<Option<String>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(text) => Some(Some(text)),
    }
}

#[Object]
impl DeviationMutations {
    /// Documents a deviation from the recommended design on a Design activity
    /// (consultants, workstream members, admins). It starts `OPEN`.
    async fn record_deviation(&self, ctx: &Context<'_>, input: RecordDeviationInput) -> Result<RecordDeviationPayload> {
        let new = NewDeviation {
            activity_id: ids::decode::<ActivityId>(&input.activity_id)?,
            title: input.title,
            description: input.description,
            risks: input.risks,
            severity: input.severity.into(),
            mitigation_plan: input.mitigation_plan,
            owner: input.owner,
        };
        let (deviation, user_errors) =
            payload(deviations::record(ctx.db()?, ctx.viewer()?, new, input.idempotency_key.as_deref()).await)?;
        Ok(RecordDeviationPayload { deviation: deviation.map(Deviation), user_errors })
    }

    /// Edits a deviation that is not resolved (consultants, workstream members,
    /// admins). Changing the description, risks or severity of an accepted
    /// risk, or removing its mitigation plan, withdraws the acceptance: it is
    /// `OPEN` again. A request that changes nothing writes nothing.
    async fn update_deviation(&self, ctx: &Context<'_>, input: UpdateDeviationInput) -> Result<UpdateDeviationPayload> {
        let id = ids::decode::<DeviationId>(&input.deviation_id)?;
        let changes = DeviationChanges {
            title: input.title,
            description: input.description,
            risks: input.risks,
            severity: input.severity.map(Into::into),
            mitigation_plan: patch(input.mitigation_plan),
            owner: patch(input.owner),
        };
        let result = deviations::update(ctx.db()?, ctx.viewer()?, id, changes, input.expected_version).await;
        let (deviation, user_errors) = payload(result)?;
        Ok(UpdateDeviationPayload { deviation: deviation.map(Deviation), user_errors })
    }

    /// Accepts a deviation's risk on the customer's behalf (stakeholders,
    /// admins). It needs a mitigation plan.
    async fn accept_deviation_risk(
        &self,
        ctx: &Context<'_>,
        input: AcceptDeviationRiskInput,
    ) -> Result<AcceptDeviationRiskPayload> {
        let id = ids::decode::<DeviationId>(&input.deviation_id)?;
        let result = deviations::accept_risk(ctx.db()?, ctx.viewer()?, id, input.expected_version).await;
        let (deviation, user_errors) = payload(result)?;
        Ok(AcceptDeviationRiskPayload { deviation: deviation.map(Deviation), user_errors })
    }

    /// Resolves a deviation (consultants, admins): the design was aligned or
    /// the risk is mitigated in full. Resolved is final.
    async fn resolve_deviation(
        &self,
        ctx: &Context<'_>,
        input: ResolveDeviationInput,
    ) -> Result<ResolveDeviationPayload> {
        let id = ids::decode::<DeviationId>(&input.deviation_id)?;
        let result = deviations::resolve(ctx.db()?, ctx.viewer()?, id, input.expected_version).await;
        let (deviation, user_errors) = payload(result)?;
        Ok(ResolveDeviationPayload { deviation: deviation.map(Deviation), user_errors })
    }
}
