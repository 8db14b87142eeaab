//! `sessions.ics`: the engagement's scheduled workshop sessions as an
//! iCalendar feed (RFC 5545, with the `icalendar` crate) that Outlook and
//! Google Calendar import. Sessions without a time are not in the feed;
//! cancelled ones stay, marked `CANCELLED`, so calendars drop them.

use chrono::Duration;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

use super::data::Reportable;

/// The feed: one event per session with a start time, with a UID stable across exports.
pub fn render(data: &Reportable, host: &str) -> String {
    let mut calendar = Calendar::new();
    calendar.name(&format!("{} — {}", data.engagement.customer, data.engagement.name));
    for session in &data.sessions {
        let Some(starts) = session.starts_at else { continue };
        let mut event = Event::new();
        event
            .uid(&format!("session-{}-engagement-{}@{host}", session.id, data.id.0))
            .summary(&session.title)
            .starts(starts)
            .ends(starts + Duration::minutes(i64::from(session.duration_minutes)))
            .add_property("CATEGORIES", &session.phase)
            .status(match session.status.as_str() {
                "CANCELLED" => EventStatus::Cancelled,
                "HELD" => EventStatus::Confirmed,
                _ => EventStatus::Tentative,
            });
        if let Some(notes) = &session.notes {
            event.description(notes);
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}
