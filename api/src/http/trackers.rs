//! `POST /hooks/jira/{connectionId}` and `POST /hooks/servicenow/{connectionId}`:
//! the customer's tracker tells opskit a ticket moved. Jira signs the body
//! with the connection's inbound secret (`X-Hub-Signature`); ServiceNow sends
//! an opskit API key of the engagement as a bearer token. A bad signature or
//! key is 401 with nothing changed; anything accepted is 202 with what was
//! done (`APPLIED`, `RECORDED`, `IGNORED`, or `REPLAYED` for a delivery seen before).

use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::ID;
use opskit_entity::enums::{InboundOutcome, TrackerSystem};
use serde_json::json;

use super::{auth::authenticate, export::error_response, server::App};
use crate::{
    domain::{
        ids::TrackerConnectionId,
        trackers::{
            connections,
            inbound::{self, Received, jira, servicenow},
        },
    },
    error::Error,
};

/// A webhook from a Jira site.
pub async fn jira(req: HttpRequest, path: web::Path<String>, body: web::Bytes, app: web::Data<App>) -> HttpResponse {
    answer(jira_delivery(&req, &path, &body, &app).await)
}

async fn jira_delivery(req: &HttpRequest, id: &str, body: &[u8], app: &App) -> Result<Received, Error> {
    let connection = inbound::connection(&app.db, decode(id)?, TrackerSystem::Jira).await?;
    let secret = connections::inbound_secret(&connection)?.unwrap_or_default();
    let signature = header(req, "x-hub-signature");
    if secret.is_empty() || !jira::verify(&secret, body, signature) {
        return Err(Error::Unauthenticated("the `X-Hub-Signature` does not match the body".into()));
    }
    let moved = jira::parse(body, header(req, "x-atlassian-webhook-identifier")).map_err(Error::BadUserInput)?;
    let Some(moved) = moved else {
        return Ok(Received::Logged(InboundOutcome::Ignored, "the event is not about an issue".into()));
    };
    let actor = inbound::actor(&app.db, &connection).await?;
    inbound::receive(&app.db, &connection, &actor, moved).await
}

/// A webhook from a ServiceNow instance.
pub async fn servicenow(
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
    app: web::Data<App>,
) -> HttpResponse {
    answer(servicenow_delivery(&req, &path, &body, &app).await)
}

async fn servicenow_delivery(req: &HttpRequest, id: &str, body: &[u8], app: &App) -> Result<Received, Error> {
    let caller = authenticate(req, app).await?.viewer(app).await?;
    let connection = inbound::connection(&app.db, decode(id)?, TrackerSystem::Servicenow).await?;
    inbound::authorize(&app.db, &caller, &connection).await?;
    let table = connection.table_name.as_deref().unwrap_or("incident");
    let moved = servicenow::parse(body, header(req, "x-opskit-delivery"), table, &connection.done_transition)
        .map_err(Error::BadUserInput)?;
    // The caller may; the change is the connection's (and so not sent back out).
    let actor = inbound::actor(&app.db, &connection).await?;
    inbound::receive(&app.db, &connection, &actor, moved).await
}

fn decode(id: &str) -> Result<TrackerConnectionId, Error> {
    crate::graphql::decode_id::<TrackerConnectionId>(&ID(id.to_owned()))
        .map_err(|_| Error::NotFound("tracker connection"))
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

fn answer(received: Result<Received, Error>) -> HttpResponse {
    match received {
        Ok(Received::Logged(outcome, detail)) => {
            let outcome = match outcome {
                InboundOutcome::Applied => "APPLIED",
                InboundOutcome::Recorded => "RECORDED",
                InboundOutcome::Ignored => "IGNORED",
            };
            HttpResponse::Accepted().json(json!({ "outcome": outcome, "detail": detail }))
        }
        Ok(Received::Replayed) => HttpResponse::Accepted()
            .json(json!({ "outcome": "REPLAYED", "detail": "this delivery was received before: nothing changed" })),
        Err(err) => {
            if let Error::Internal(cause) = &err {
                tracing::error!("a tracker webhook failed: {cause:#}");
            }
            error_response(err)
        }
    }
}
