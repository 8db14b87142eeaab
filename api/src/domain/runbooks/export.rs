//! Markdown exports for people who hand deliverables over: one runbook, or
//! an engagement's whole knowledge base in one document.

use std::collections::HashMap;

use opskit_entity::{capability, engagement, runbook, runbook_revision, user};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    domain::{Viewer, access::engagement_access, ids::EngagementId},
    error::Result,
};

/// One runbook as Markdown: a heading, where it stands, and the revision's body
/// (its headings one level down, so the document has one title).
pub fn markdown(
    runbook: &runbook::Model,
    revision: Option<&runbook_revision::Model>,
    capability: &str,
    author: Option<&str>,
) -> String {
    let mut out = format!("# {}\n\n", runbook.title);
    out.push_str(&format!("- Capability: {capability}\n- Status: {:?}\n", runbook.status));
    if let Some(revision) = revision {
        out.push_str(&format!(
            "- Revision: {} of {}{}\n",
            revision.number,
            revision.created_at.format("%Y-%m-%d"),
            author.map(|a| format!(" by {a}")).unwrap_or_default()
        ));
    }
    if let Some(at) = runbook.baselined_at {
        out.push_str(&format!("- Baselined: {}\n", at.format("%Y-%m-%d")));
    }
    if let Some(reason) = &runbook.reason {
        out.push_str(&format!("- Why this architecture: {reason}\n"));
    }
    out.push('\n');
    if let Some(revision) = revision {
        out.push_str(&demote(strip_title(&revision.body, &runbook.title)));
    }
    out
}

/// Every baselined runbook of an engagement (its baselined revision) in one
/// document, with a table of contents.
pub async fn knowledge_base_markdown(db: &DatabaseConnection, viewer: &Viewer, id: EngagementId) -> Result<String> {
    let access = engagement_access(db, viewer, id).await?;
    let engagement: &engagement::Model = &access.engagement;
    let runbooks = runbook::Entity::find()
        .filter(runbook::Column::EngagementId.eq(id.0))
        .filter(runbook::Column::BaselineRevisionId.is_not_null())
        .order_by_asc(runbook::Column::Id)
        .all(db)
        .await?;
    let revisions: HashMap<i64, runbook_revision::Model> = runbook_revision::Entity::find()
        .filter(runbook_revision::Column::Id.is_in(runbooks.iter().filter_map(|r| r.baseline_revision_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let capabilities: HashMap<i64, String> = capability::Entity::find()
        .filter(capability::Column::KitId.eq(engagement.kit_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let authors: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(revisions.values().map(|r| r.author_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name.unwrap_or(u.subject)))
        .collect();

    let mut out = format!(
        "# {} — Knowledge base\n\nCustomer: {}\n\n{} baselined runbook(s).\n\n",
        engagement.name,
        engagement.customer_name,
        runbooks.len()
    );
    for r in &runbooks {
        out.push_str(&format!("- [{}](#{})\n", r.title, anchor(&r.title)));
    }
    for r in &runbooks {
        let revision = r.baseline_revision_id.and_then(|id| revisions.get(&id));
        let capability = capabilities.get(&r.capability_id).map_or("", String::as_str);
        let author = revision.and_then(|rev| authors.get(&rev.author_id)).map(String::as_str);
        out.push_str("\n---\n\n");
        out.push_str(&demote(&markdown(r, revision, capability, author)));
    }
    Ok(out)
}

/// Drops a leading `# Title` line that repeats the runbook's title.
fn strip_title<'a>(body: &'a str, title: &str) -> &'a str {
    let trimmed = body.trim_start();
    match trimmed.split_once('\n') {
        Some((first, rest)) if first.trim() == format!("# {title}") => rest.trim_start_matches('\n'),
        None if trimmed.trim() == format!("# {title}") => "",
        _ => body,
    }
}

/// Moves every Markdown heading one level down, outside code fences.
fn demote(text: &str) -> String {
    let mut fenced = false;
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The anchor most Markdown renderers give a heading.
fn anchor(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_move_down_outside_code() {
        let text = "# A\n## B\n```\n# not a heading\n```\nplain #1\n";
        assert_eq!(demote(text), "## A\n### B\n```\n# not a heading\n```\nplain #1\n");
        assert_eq!(strip_title("# Patch\n\nbody", "Patch"), "body");
        assert_eq!(strip_title("# Other\nbody", "Patch"), "# Other\nbody");
        assert_eq!(anchor("Patch Management Runbook"), "patch-management-runbook");
    }
}
