//! The guard every operation passes before it runs: at most
//! `max_mutation_fields` top-level fields in a mutation, a cost (computed
//! from the document, before any SQL) of at most `max_cost`, and enough
//! budget left to pay for it. Once it has run, the fields and list items in
//! its answer are its actual cost (counted off the answer rather than as each
//! field resolves: a per-field hook would put every field of every request
//! through one more boxed future and data lookup). It also records each
//! document's cost in the metrics.
//!
//! The cost model (GitHub/Shopify style), from the fields' `complexity`: a
//! field costs 1 plus what is selected inside it; a connection costs its page
//! size (`first`/`last`, or the default) times what each node selects;
//! `nodes(ids:)` costs the number of IDs times what each selects. Aliases
//! are separate fields and cost separately.

use std::{collections::HashSet, sync::Arc};

use async_graphql::{
    ErrorExtensionValues, Response, ServerError, ServerResult, ValidationResult, Value, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextValidation},
    parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet},
};

use super::{
    Limits,
    arguments::{self, Refused},
    meter::Meter,
};
use crate::error::ErrorCode;

/// The extension (and its factory: it keeps no per-request state).
#[derive(Debug, Clone, Copy)]
pub struct CostGuard {
    max_cost: u64,
    max_mutation_fields: usize,
}

impl CostGuard {
    pub fn new(limits: &Limits) -> Self {
        Self { max_cost: limits.max_cost, max_mutation_fields: limits.max_mutation_fields }
    }
}

impl ExtensionFactory for CostGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

#[async_trait::async_trait]
impl Extension for CostGuard {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        arguments::check(&doc, variables).map_err(Refused::into_server_error)?;
        for (_, operation) in doc.operations.iter() {
            if operation.node.ty != OperationType::Mutation {
                continue;
            }
            let fields = top_level_fields(&operation.node.selection_set.node, &doc, &mut HashSet::new());
            if fields > self.max_mutation_fields {
                return Err(refusal(
                    ErrorCode::TooManyOperations,
                    format!("a mutation may change at most {} things; this one has {fields}", self.max_mutation_fields),
                    &[("max", self.max_mutation_fields.into())],
                ));
            }
        }
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if let Some(metrics) = crate::metrics::get() {
            metrics.cost(result.complexity);
        }
        let cost = u64::try_from(result.complexity).unwrap_or(u64::MAX);
        if cost > self.max_cost {
            let message =
                format!("the operation costs {cost} points; at most {} are allowed per operation", self.max_cost);
            let extra = [("cost", cost.into()), ("maxCost", self.max_cost.into())];
            return Err(vec![refusal(ErrorCode::QueryTooCostly, message, &extra)]);
        }
        if let Some(meter) = ctx.data_opt::<Arc<Meter>>()
            && let Err(standing) = meter.spend(cost)
        {
            let message = format!(
                "the operation costs {cost} points and {} of {} are left until {}",
                standing.remaining,
                standing.limit,
                standing.resets_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            );
            let extra = [("cost", cost.into()), ("retryAfter", standing.seconds_to_reset().into())];
            return Err(vec![refusal(ErrorCode::RateLimited, message, &extra)]);
        }
        Ok(result)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let meter = ctx.data_opt::<Arc<Meter>>();
        if let (Some(meter), Some(name)) = (meter, operation_name) {
            meter.name(name);
        }
        let response = next.run(ctx, operation_name).await;
        if let Some(meter) = meter {
            meter.count_fields(answered(&response.data));
        }
        response
    }
}

/// The fields and list items in an answer (`__typename` is free): what was resolved.
fn answered(value: &Value) -> u64 {
    match value {
        Value::Object(fields) => {
            fields.iter().filter(|(name, _)| name.as_str() != "__typename").map(|(_, v)| 1 + answered(v)).sum()
        }
        Value::List(items) => items.iter().map(|item| 1 + answered(item)).sum(),
        _ => 0,
    }
}

/// The fields at the top of a selection, through fragments (each fragment once).
fn top_level_fields<'a>(set: &'a SelectionSet, doc: &'a ExecutableDocument, seen: &mut HashSet<&'a str>) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(_) => 1,
            Selection::InlineFragment(inline) => top_level_fields(&inline.node.selection_set.node, doc, seen),
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                match doc.fragments.get(&spread.node.fragment_name.node) {
                    Some(fragment) if seen.insert(name) => {
                        top_level_fields(&fragment.node.selection_set.node, doc, seen)
                    }
                    _ => 0,
                }
            }
        })
        .sum()
}

/// A top-level error with `extensions.code` and more.
pub(super) fn refusal(code: ErrorCode, message: String, extra: &[(&str, Value)]) -> ServerError {
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", code.as_str());
    for (name, value) in extra {
        extensions.set(name, value.clone());
    }
    let mut error = ServerError::new(message, None);
    error.extensions = Some(extensions);
    error
}
