//! `opskit demo`: seeds a realistic engagement mid-flight and a closed one
//! beside it, through the GraphQL API itself (in process, as the people of
//! the engagement), so the data obeys every rule a portal meets. It returns
//! one token per role for building against it.

mod client;
mod script;

use std::time::Duration;

use anyhow::Context;
use sea_orm::DatabaseConnection;

use crate::{
    Config,
    auth::{GlobalRole, TokenRequest, mint},
};

pub use client::Person;

/// The people of the demo: (subject, name, global roles, engagement role).
pub const PEOPLE: [(&str, &str, &[GlobalRole], &str); 4] = [
    ("demo-admin", "Ada Admin", &[GlobalRole::Admin], "ADMIN"),
    ("demo-consultant", "Carla Consultant", &[GlobalRole::Consultant], "CONSULTANT"),
    ("demo-workstream", "Wanda Workstream", &[], "WORKSTREAM_MEMBER"),
    ("demo-stakeholder", "Stan Stakeholder", &[], "STAKEHOLDER"),
];

/// What the demo made: the engagements and a token per role.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The engagement in flight (global ID).
    pub engagement: String,
    /// The closed engagement beside it (global ID).
    pub closed_engagement: String,
    /// (engagement role or `ADMIN`, token), in [`PEOPLE`] order.
    pub tokens: Vec<(String, String)>,
}

/// Seeds the demo into `db` (migrated, with the bundled kit) and mints tokens
/// valid for `ttl` with the configured HS256 secret.
pub async fn seed(db: &DatabaseConnection, config: &Config, ttl: Duration) -> anyhow::Result<Seeded> {
    let secret = config
        .jwt_secret
        .as_deref()
        .context("OPSKIT_JWT_SECRET is not set: the demo prints tokens signed with the configured HS256 secret")?;
    let mut people = Vec::new();
    // The admin only gets a token: the engagement's own people do the work.
    for (subject, name, roles, _) in &PEOPLE[1..] {
        people.push(Person::new(db, subject, name, roles).await?);
    }
    let [consultant, workstream, stakeholder] =
        <[Person; 3]>::try_from(people).map_err(|_| anyhow::anyhow!("the demo has three people at work"))?;
    let cast = script::Cast { consultant, workstream, stakeholder };
    let engagement = script::in_flight(&cast).await?;
    let closed_engagement = script::closed(&cast).await?;
    let mut tokens = Vec::new();
    for (subject, name, roles, role) in PEOPLE {
        let request = TokenRequest {
            subject: subject.to_owned(),
            name: Some(name.to_owned()),
            email: Some(format!("{subject}@demo.opskit.test")),
            roles: roles.to_vec(),
            ttl,
            issuer: config.jwt_issuer.clone(),
            audience: config.jwt_audience.clone(),
        };
        tokens.push((role.to_owned(), mint(secret, &request)?));
    }
    Ok(Seeded { engagement, closed_engagement, tokens })
}
