//! The spreadsheet exports: `answers.csv`, `deviations.csv`, `raci.csv` and
//! `activities.csv`, written with the `csv` crate. A cell that a spreadsheet
//! would take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a
//! carriage return) is prefixed with `'`, so opening the file runs nothing.

use super::data::Reportable;
use crate::error::{Error, Result};

/// Which table to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Answers,
    Deviations,
    Raci,
    Activities,
}

/// The table as CSV: a header row, then one row per record.
pub fn render(table: Table, data: &Reportable) -> Result<Vec<u8>> {
    let (header, rows): (&[&str], Vec<Vec<String>>) = match table {
        Table::Answers => (
            &["capability", "activity", "question_key", "question", "answer", "notes", "answered_by", "answered_at"],
            data.answers
                .iter()
                .map(|a| {
                    vec![
                        a.capability.clone(),
                        a.activity.clone(),
                        a.question_key.clone(),
                        a.question.clone(),
                        a.answer.clone(),
                        a.notes.clone().unwrap_or_default(),
                        a.answered_by.clone(),
                        a.answered_at.to_rfc3339(),
                    ]
                })
                .collect(),
        ),
        Table::Deviations => (
            &["capability", "title", "severity", "status", "description", "risks", "mitigation_plan", "owner"],
            data.deviations
                .iter()
                .map(|d| {
                    vec![
                        d.capability.clone(),
                        d.title.clone(),
                        d.severity.clone(),
                        d.status.clone(),
                        d.description.clone(),
                        d.risks.clone(),
                        d.mitigation.clone().unwrap_or_default(),
                        d.owner.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        Table::Raci => (
            &["capability", "party", "role"],
            data.raci.iter().map(|r| vec![r.capability.clone(), r.party.clone(), r.role.clone()]).collect(),
        ),
        Table::Activities => (
            &["capability", "activity", "kind", "status", "assignee", "tracker_key", "started_on", "completed_on"],
            data.activities
                .iter()
                .map(|a| {
                    vec![
                        a.capability.clone(),
                        a.title.clone(),
                        a.kind.clone(),
                        a.status.clone(),
                        a.assignee.clone().unwrap_or_default(),
                        a.tracker.clone().unwrap_or_default(),
                        a.started_on.map(|d| d.to_string()).unwrap_or_default(),
                        a.completed_on.map(|d| d.to_string()).unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(Error::internal)?;
    for row in rows {
        writer.write_record(row.iter().map(|cell| safe(cell))).map_err(Error::internal)?;
    }
    writer.into_inner().map_err(|e| Error::internal(anyhow::anyhow!("{e}")))
}

/// The cell as a spreadsheet should show it: text, never a formula.
pub fn safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn formulas_become_text() {
        assert_eq!(safe("=HYPERLINK(\"http://evil\")"), "'=HYPERLINK(\"http://evil\")");
        for lead in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(safe(lead).starts_with('\''), "{lead:?}");
        }
        assert_eq!(safe("Plain text"), "Plain text");
        assert_eq!(safe(""), "");
    }
}
