//! The demo's people, each calling the GraphQL schema in process with their
//! own identity, exactly as a request with their token would.

use async_graphql::{Request, Variables};
use sea_orm::DatabaseConnection;
use serde_json::Value;

use crate::{
    auth::{GlobalRole, Identity},
    domain::{Viewer, access_cache::AccessCache, events::Feed, kits::CatalogHandle, users},
    graphql::{self, AppSchema, RequestData},
    limits::Limits,
};

/// Someone taking part in the demo.
pub struct Person {
    db: DatabaseConnection,
    schema: AppSchema,
    viewer: Viewer,
    catalog: CatalogHandle,
}

impl Person {
    /// The person `subject`, stored as a user as a first request would.
    pub async fn new(db: &DatabaseConnection, subject: &str, name: &str, roles: &[GlobalRole]) -> anyhow::Result<Self> {
        let identity = Identity {
            subject: subject.to_owned(),
            name: Some(name.to_owned()),
            email: Some(format!("{subject}@demo.opskit.test")),
            roles: roles.to_vec(),
            // In process, with no token to expire.
            expires_at: i64::MAX,
        };
        let viewer = users::resolve_viewer(db, identity, &AccessCache::default()).await?;
        let catalog = CatalogHandle::load(db).await?;
        let feed = Feed::start(db.clone(), AccessCache::default()).await?;
        Ok(Self {
            db: db.clone(),
            schema: graphql::build(db.clone(), &Limits::default(), feed, Default::default()),
            viewer,
            catalog,
        })
    }

    /// Runs `query` with `variables`; any error (top-level or a `userErrors`
    /// entry of a mutation) stops the demo with its message.
    pub async fn run(&self, query: &str, variables: Value) -> anyhow::Result<Value> {
        let request = Request::new(query).variables(Variables::from_json(variables)).data(RequestData::new(
            self.db.clone(),
            self.viewer.clone(),
            self.catalog.clone(),
        ));
        let response = self.schema.execute(request).await;
        if let Some(error) = response.errors.first() {
            anyhow::bail!("demo step failed: {}\n{query}", error.message);
        }
        let data = response.data.into_json()?;
        let refused: Vec<&Value> = data
            .as_object()
            .into_iter()
            .flat_map(|o| o.values())
            .filter_map(|payload| payload.get("userErrors"))
            .filter(|errors| errors.as_array().is_some_and(|e| !e.is_empty()))
            .collect();
        if let Some(errors) = refused.first() {
            anyhow::bail!("demo step refused: {errors}\n{query}");
        }
        Ok(data)
    }

    /// Runs mutation `op` with `input`, selecting `selection` of its payload; returns the payload.
    pub async fn mutate(&self, op: &str, selection: &str, input: Value) -> anyhow::Result<Value> {
        let input_type = match op {
            "startActivity" | "completeActivity" | "reopenActivity" => "ActivityTransitionInput".to_owned(),
            "startRunbook" | "submitRunbookForReview" | "baselineRunbook" | "reviseRunbook" => {
                "RunbookTransitionInput".to_owned()
            }
            "startEngagement" | "reopenEngagement" => "EngagementTransitionInput".to_owned(),
            _ => format!("{}{}Input", op[..1].to_uppercase(), &op[1..]),
        };
        let query = format!(
            "mutation($input: {input_type}!) {{ {op}(input: $input) {{ {selection} userErrors {{ field code message }} }} }}"
        );
        let data = self.run(&query, serde_json::json!({ "input": input })).await?;
        Ok(data[op].clone())
    }
}
