//! The `Subscription` root: live events of an engagement. The transports
//! (graphql-transport-ws and SSE, in `http`) attach [`Live`] to the connection.

use std::{borrow::Cow, sync::Arc};

use async_graphql::{
    Context, ContextSelectionSet, ID, Object, OutputType, Positioned, ServerResult, Subscription as SubscriptionRoot,
    Value, parser::types::Field, registry::Registry,
};
use futures::{Stream, StreamExt};

use super::{
    context::{ContextExt, Live},
    ids,
    node::{self, Node},
    shared::{Resolutions, SelectionKey},
    types::audit_event::AuditEvent,
};
use crate::{
    domain::{
        access::engagement_access,
        events::{self, Event, Feed, Follow},
        ids::EngagementId,
    },
    error::Error,
};

/// The subscription root.
#[derive(Default)]
pub struct Subscription;

#[SubscriptionRoot]
impl Subscription {
    /// The changes of an engagement as they commit: first those after `after`
    /// (so a client that reconnects with its last cursor misses nothing and
    /// sees nothing twice), then each new one. Members and admins only
    /// (`NOT_FOUND` for others). The subscription ends with `TOKEN_EXPIRED` when
    /// the token expires and with `ACCESS_REVOKED` when the caller stops being a
    /// member; more than the configured subscriptions per connection is
    /// `TOO_MANY_SUBSCRIPTIONS`.
    async fn engagement_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The engagement to follow.")] engagement_id: ID,
        #[graphql(desc = "Replay the events after this cursor (an event's `cursor`); omitted: only new events.")]
        after: Option<String>,
        #[graphql(
            desc = "Only events of these types, e.g. `[\"runbook.baselined\"]`; omitted: all types. At most 100 items."
        )]
        types: Option<Vec<String>>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Delivered>> + use<>> {
        let viewer = ctx.viewer()?.clone();
        let db = ctx.db()?.clone();
        let live = ctx.data::<Live>().map_err(|_| Error::BadUserInput("subscribe over WebSocket or SSE".into()))?;
        let feed = ctx.data::<Feed>().map_err(|_| Error::internal(anyhow::anyhow!("no event feed in the schema")))?;
        let engagement = ids::decode::<EngagementId>(&engagement_id)?;
        let after = after.as_deref().map(events::decode_cursor).transpose()?;
        if let Some(types) = &types {
            events::check_types(types)?;
        }
        let permit = live.slots.clone().try_acquire_owned().map_err(|_| {
            Error::TooMany("this connection runs as many subscriptions as it may; close one first".into())
        })?;
        let after = {
            let _one_at_a_time = live.starting.acquire().await.map_err(Error::internal)?;
            // async-graphql keeps this resolver's future inside the
            // subscription's stream for as long as it runs: boxing the
            // database reads keeps that space small.
            Box::pin(engagement_access(&db, &viewer, engagement)).await?;
            match after {
                Some(position) => position,
                None => Box::pin(events::head(&db)).await?,
            }
        };
        let resolutions = ctx
            .data::<Arc<Resolutions>>()
            .map_err(|_| Error::internal(anyhow::anyhow!("no shared resolutions in the schema")))?
            .clone();
        let selection = SelectionKey::of(ctx, &viewer);
        let follow = Follow { engagement, after, types, expires_at: live.expires_at };
        Ok(events::follow(db, feed, viewer, follow).map(move |item| {
            // The slot is free again when the subscription ends.
            let _held = &permit;
            let event = EngagementEvent(item?);
            Ok(Delivered { event, selection, resolutions: resolutions.clone() })
        }))
    }
}

/// One committed change of an engagement, delivered live.
pub struct EngagementEvent(pub Arc<Event>);

/// An [`EngagementEvent`] on its way to one subscription: resolved once for
/// all the subscriptions with the same [`SelectionKey`] (see [`super::shared`]).
/// The schema knows it as `EngagementEvent`.
pub struct Delivered {
    event: EngagementEvent,
    selection: SelectionKey,
    resolutions: Arc<Resolutions>,
}

impl OutputType for Delivered {
    fn type_name() -> Cow<'static, str> {
        EngagementEvent::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        EngagementEvent::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, field: &Positioned<Field>) -> ServerResult<Value> {
        let own = OutputType::resolve(&self.event, ctx, field);
        // Boxed: async-graphql keeps room for this future in every
        // subscription's stream, used or not, for the subscription's life.
        Box::pin(self.resolutions.resolve(self.event.0.id, self.selection, ctx, own)).await
    }
}

#[Object]
impl EngagementEvent {
    /// This event's place in the log: subscribe again with `after` set to it to resume.
    async fn cursor(&self) -> String {
        events::encode_cursor(self.0.id)
    }
    /// The stable dotted type, e.g. `runbook.baselined`; what `types` filters on.
    #[graphql(name = "type")]
    async fn kind(&self) -> &str {
        &self.0.action
    }
    /// The changed object as it is now; null once it is removed.
    async fn object(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Node>> {
        match node::resolve(ctx, &ids::encode_named(&self.0.object_type, self.0.object_id)).await {
            Ok(node) => Ok(Some(node)),
            Err(Error::NotFound(_)) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }
    /// The recorded change: who, when, what, to which object (its `objectId`).
    async fn event(&self) -> AuditEvent {
        AuditEvent(Event::clone(&self.0))
    }
}
