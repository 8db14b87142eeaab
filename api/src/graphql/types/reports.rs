//! Where an engagement's reports are: paths on this server, fetched with the
//! same bearer token as GraphQL.

use async_graphql::Object;

use crate::reports::{Report, csv::Table};

/// The reports of one engagement, as paths relative to this server (e.g.
/// `/engagements/{id}/reports/handover.pdf`); GET them with the same
/// `Authorization: Bearer` token as GraphQL.
pub struct EngagementReports(pub String);

impl EngagementReports {
    fn path(&self, report: Report) -> String {
        report.path(&self.0)
    }
}

/// Where an engagement's reports are: paths on this server (prefix the
/// server's origin), fetched with the same bearer token as GraphQL.
#[Object]
impl EngagementReports {
    /// The handover document as a printable HTML page (summary, readiness per
    /// capability, design adoption, deviation register, RACI, baselined
    /// runbooks, charts).
    async fn handover_html(&self) -> String {
        self.path(Report::HandoverHtml)
    }
    /// The same handover document as a PDF.
    async fn handover_pdf(&self) -> String {
        self.path(Report::HandoverPdf)
    }
    /// Capability × readiness heatmap (SVG).
    async fn readiness_svg(&self) -> String {
        self.path(Report::ReadinessSvg)
    }
    /// Activities and runbooks remaining per day (SVG), from `progressHistory`.
    async fn burndown_svg(&self) -> String {
        self.path(Report::BurndownSvg)
    }
    /// Every answer, one row per question answered (CSV).
    async fn answers_csv(&self) -> String {
        self.path(Report::Csv(Table::Answers))
    }
    /// The deviation register (CSV).
    async fn deviations_csv(&self) -> String {
        self.path(Report::Csv(Table::Deviations))
    }
    /// The RACI matrix, one row per party and capability (CSV).
    async fn raci_csv(&self) -> String {
        self.path(Report::Csv(Table::Raci))
    }
    /// Every activity with its status, assignee and tracker key (CSV).
    async fn activities_csv(&self) -> String {
        self.path(Report::Csv(Table::Activities))
    }
    /// The scheduled workshop sessions as an iCalendar feed (Outlook, Google Calendar).
    async fn sessions_ics(&self) -> String {
        self.path(Report::SessionsIcs)
    }
}
