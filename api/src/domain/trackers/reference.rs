//! `setActivityTracker`, `setDeviationTracker`, `setRunbookTracker`: the
//! ticket that tracks an object in the customer's tracker. One command serves
//! the three kinds of object, each of which says how it stores the reference.

use std::{future::Future, marker::PhantomData};

use opskit_entity::{activity, deviation, enums::TrackerSystem, runbook};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Set};

use crate::{
    domain::{
        Viewer,
        action::Action,
        engagements::activities,
        permissions::Permission,
        validate::{Checks, MAX_LABEL, MAX_URL},
        write::{self, Changes, Command, Done, On, Scope, Step, Versioned},
    },
    error::Result,
};

/// The ticket that tracks an object in the customer's (or our) tracker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracker {
    pub system: TrackerSystem,
    pub key: String,
    pub url: Option<String>,
}

/// A tracker reference as asked for: without a system it is cleared (the key
/// and URL are then ignored, once checked for length).
#[derive(Debug, Clone)]
pub struct TrackerChange {
    pub system: Option<TrackerSystem>,
    pub key: String,
    pub url: Option<String>,
}

/// A reference that passed its checks: a required key and, when given, an
/// http(s) URL. Clearing it (no system) still caps the key and URL it ignores.
pub fn check(change: TrackerChange) -> Result<Option<Tracker>> {
    let mut checks = Checks::new();
    let Some(system) = change.system else {
        let _ = checks.capped("key", &change.key, MAX_LABEL);
        let _ = change.url.as_deref().map(|url| checks.capped("url", url, MAX_URL));
        return checks.finish().map(|()| None);
    };
    let key = checks.label("key", &change.key);
    let url = match &change.url {
        Some(url) => checks.url("url", url).map(Some),
        None => Some(None),
    };
    let (key, url) = checks.done(key.zip(url))?;
    Ok(Some(Tracker { system, key, url }))
}

/// An object that a ticket can track: how it stores the reference and how
/// the audit trail names it.
pub trait Tracked: Scope + Versioned + Clone {
    /// The action recorded when its reference changes.
    const ACTION: Action;
    /// Its stored reference.
    fn tracker(&self) -> Option<Tracker>;
    /// The changes that store `tracker` (or clear it).
    fn store(tracker: Option<&Tracker>) -> Changes<Self>;
    /// What the audit summary calls it.
    fn title<C: ConnectionTrait>(&self, db: &C) -> impl Future<Output = Result<String>> + Send;
}

/// The stored reference of columns `system`, `key`, `url`.
fn stored(system: Option<TrackerSystem>, key: &Option<String>, url: &Option<String>) -> Option<Tracker> {
    Some(Tracker { system: system?, key: key.clone()?, url: url.clone() })
}

impl Tracked for activity::Model {
    const ACTION: Action = Action::ActivityTrackerSet;
    fn tracker(&self) -> Option<Tracker> {
        stored(self.tracker_system, &self.tracker_key, &self.tracker_url)
    }
    /// Another ticket's last status means nothing for this one: it is cleared too.
    fn store(tracker: Option<&Tracker>) -> Changes<Self> {
        activity::ActiveModel {
            tracker_system: Set(tracker.map(|t| t.system)),
            tracker_key: Set(tracker.map(|t| t.key.clone())),
            tracker_url: Set(tracker.and_then(|t| t.url.clone())),
            tracker_status: Set(None),
            tracker_status_reason: Set(None),
            tracker_status_at: Set(None),
            ..Default::default()
        }
    }
    async fn title<C: ConnectionTrait>(&self, db: &C) -> Result<String> {
        Ok(activities::template_of(db, self).await?.title)
    }
}

/// Declares a row with a title and the three tracker columns as [`Tracked`].
macro_rules! tracked_by_title {
    ($($module:ident => $action:ident,)*) => {$(
        impl Tracked for $module::Model {
            const ACTION: Action = Action::$action;
            fn tracker(&self) -> Option<Tracker> {
                stored(self.tracker_system, &self.tracker_key, &self.tracker_url)
            }
            fn store(tracker: Option<&Tracker>) -> Changes<Self> {
                $module::ActiveModel {
                    tracker_system: Set(tracker.map(|t| t.system)),
                    tracker_key: Set(tracker.map(|t| t.key.clone())),
                    tracker_url: Set(tracker.and_then(|t| t.url.clone())),
                    ..Default::default()
                }
            }
            async fn title<C: ConnectionTrait>(&self, _: &C) -> Result<String> {
                Ok(self.title.clone())
            }
        }
    )*};
}

tracked_by_title! {
    deviation => DeviationTrackerSet,
    runbook => RunbookTrackerSet,
}

/// Sets (or clears) the tracker reference of an `M`.
struct SetTracker<M> {
    tracker: Option<Tracker>,
    of: PhantomData<fn() -> M>,
}

impl<M> Command for SetTracker<M>
where
    M: Tracked + sea_orm::FromQueryResult,
    Changes<M>: Send,
    <<<M as Versioned>::Entity as EntityTrait>::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    type Target = M;
    type Output = M;

    fn permission(&self) -> Permission {
        Permission::SetTracker
    }

    async fn apply(&self, step: &Step<'_, M>) -> Result<Done<M>> {
        if step.target.tracker() == self.tracker {
            return Ok(Done::unchanged(step.target.clone()));
        }
        let title = step.target.title(step.tx).await?;
        let saved = step.save(M::store(self.tracker.as_ref())).await?;
        let summary = match &self.tracker {
            Some(t) => format!("tracked \"{title}\" as {}", t.key),
            None => format!("cleared the tracker of \"{title}\""),
        };
        Ok(Done::saved(saved, M::ACTION, summary))
    }
}

/// Sets (or without a system, clears) the tracker reference of the activity,
/// deviation or runbook `id`. Setting the reference it has changes nothing.
pub async fn set_tracker<M>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: <M as Scope>::Id,
    change: TrackerChange,
    expected_version: Option<i32>,
) -> Result<M>
where
    M: Tracked + sea_orm::FromQueryResult,
    Changes<M>: Send,
    <<<M as Versioned>::Entity as EntityTrait>::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    let tracker = check(change)?;
    write::run(db, viewer, On::versioned(id, expected_version), SetTracker::<M> { tracker, of: PhantomData }).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Code, Error};

    fn codes<T>(result: Result<T>) -> Vec<Code> {
        match result {
            Err(Error::User(errors)) => errors.iter().map(|e| e.code).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn a_tracker_needs_a_key_and_a_web_url() {
        let tracker = |system, key: &str, url: Option<&str>| TrackerChange {
            system,
            key: key.into(),
            url: url.map(str::to_owned),
        };
        let jira = Some(TrackerSystem::Jira);
        let ok = check(tracker(jira, " OPS-1 ", Some(" https://x.test/OPS-1 "))).ok().flatten().map(|t| (t.key, t.url));
        assert_eq!(ok, Some(("OPS-1".into(), Some("https://x.test/OPS-1".into()))));
        assert_eq!(codes(check(tracker(jira, "", Some("javascript:x")))), [Code::Required, Code::InvalidUrl]);
        assert!(check(tracker(jira, "OPS-1", None)).is_ok());
        assert!(check(tracker(None, "", Some("not a url"))).is_ok_and(|t| t.is_none()), "clearing ignores them");
        assert_eq!(codes(check(tracker(None, &"k".repeat(MAX_LABEL + 1), None))), [Code::TooLong]);
    }
}
