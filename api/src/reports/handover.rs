//! `handover.html`: the close-out document, rendered from the
//! `handover.html` template with both charts inline.

use serde::Serialize;

use super::{charts, data::Reportable, templates};
use crate::{domain::progress::Progress, error::Result};

/// The headline figures of the summary.
#[derive(Serialize)]
pub struct Figures {
    pub activities_done: i64,
    pub activities_total: i64,
    pub questions_answered: i64,
    pub questions_total: i64,
    pub runbooks_baselined: i64,
    pub runbooks_planned: i64,
    pub open_deviations: i64,
}

impl From<&Progress> for Figures {
    fn from(p: &Progress) -> Self {
        Self {
            activities_done: p.activities_done,
            activities_total: p.activities_total,
            questions_answered: p.questions_answered,
            questions_total: p.questions_total,
            runbooks_baselined: p.runbooks_baselined,
            runbooks_planned: p.runbooks_planned,
            open_deviations: p.open_deviations,
        }
    }
}

/// The handover document as a printable HTML page.
pub fn html(data: &Reportable) -> Result<String> {
    templates::render(
        "handover.html",
        &serde_json::json!({
            "e": data.engagement,
            "p": Figures::from(&data.progress),
            "capabilities": data.capabilities,
            "deviations": data.deviations,
            "raci": data.raci,
            "runbooks": data.runbooks,
            "readiness_svg": charts::readiness(data)?,
            "burndown_svg": charts::burndown(data)?,
        }),
    )
}
