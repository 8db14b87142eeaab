//! Reports people read rather than query: under
//! `/engagements/{id}/reports/{file}`, with the same authentication and
//! access as GraphQL. The handover document (HTML and PDF), the charts (SVG),
//! the spreadsheets (CSV) and the workshop calendar (iCalendar) are all drawn
//! from one read of the engagement ([`data::load`]).

mod calendar;
mod charts;
pub mod csv;
pub mod data;
mod handover;
mod pdf;
mod templates;

use sea_orm::DatabaseConnection;

use crate::{
    domain::{Viewer, ids::EngagementId, kits::Catalog},
    error::Result,
};

/// One report, named by its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    HandoverHtml,
    HandoverPdf,
    ReadinessSvg,
    BurndownSvg,
    Csv(csv::Table),
    SessionsIcs,
}

impl Report {
    /// Every report, in the order the API lists them.
    pub const ALL: [Report; 9] = [
        Report::HandoverHtml,
        Report::HandoverPdf,
        Report::ReadinessSvg,
        Report::BurndownSvg,
        Report::Csv(csv::Table::Answers),
        Report::Csv(csv::Table::Deviations),
        Report::Csv(csv::Table::Raci),
        Report::Csv(csv::Table::Activities),
        Report::SessionsIcs,
    ];

    /// Its file name under `/engagements/{id}/reports/`.
    pub const fn file_name(self) -> &'static str {
        match self {
            Report::HandoverHtml => "handover.html",
            Report::HandoverPdf => "handover.pdf",
            Report::ReadinessSvg => "readiness.svg",
            Report::BurndownSvg => "burndown.svg",
            Report::Csv(csv::Table::Answers) => "answers.csv",
            Report::Csv(csv::Table::Deviations) => "deviations.csv",
            Report::Csv(csv::Table::Raci) => "raci.csv",
            Report::Csv(csv::Table::Activities) => "activities.csv",
            Report::SessionsIcs => "sessions.ics",
        }
    }

    /// The report with file name `name`.
    pub fn parse(name: &str) -> Option<Report> {
        Report::ALL.into_iter().find(|r| r.file_name() == name)
    }

    /// Its media type.
    pub const fn content_type(self) -> &'static str {
        match self {
            Report::HandoverHtml => "text/html; charset=utf-8",
            Report::HandoverPdf => "application/pdf",
            Report::ReadinessSvg | Report::BurndownSvg => "image/svg+xml",
            Report::Csv(_) => "text/csv; charset=utf-8",
            Report::SessionsIcs => "text/calendar; charset=utf-8",
        }
    }

    /// Whether a browser should show it (`inline`) or save it (`attachment`).
    pub const fn inline(self) -> bool {
        matches!(self, Report::HandoverHtml | Report::HandoverPdf | Report::ReadinessSvg | Report::BurndownSvg)
    }

    /// Where it is served for engagement `id` (its GraphQL ID).
    pub fn path(self, id: &str) -> String {
        format!("/engagements/{id}/reports/{}", self.file_name())
    }
}

/// Renders `report` of engagement `id` for `viewer` (`NOT_FOUND` unless they may read it).
/// `host` names this server in calendar UIDs.
pub async fn render(
    db: &DatabaseConnection,
    catalog: &Catalog,
    viewer: &Viewer,
    id: EngagementId,
    report: Report,
    host: &str,
) -> Result<Vec<u8>> {
    let data = data::load(db, catalog, viewer, id).await?;
    Ok(match report {
        Report::HandoverHtml => handover::html(&data)?.into_bytes(),
        Report::HandoverPdf => pdf::render(&data)?,
        Report::ReadinessSvg => charts::readiness(&data)?.into_bytes(),
        Report::BurndownSvg => charts::burndown(&data)?.into_bytes(),
        Report::Csv(table) => csv::render(table, &data)?,
        Report::SessionsIcs => calendar::render(&data, host).into_bytes(),
    })
}

#[cfg(test)]
mod tests {
    use super::Report;

    #[test]
    fn file_names_parse_back() {
        for report in Report::ALL {
            assert_eq!(Report::parse(report.file_name()), Some(report));
        }
        assert_eq!(Report::parse("secrets.txt"), None);
    }
}
