//! Starting a runbook: its first draft is the kit template's skeleton (a
//! heading, for a runbook without a template).

use opskit_entity::{enums::RunbookStatus, runbook, runbook_template};
use sea_orm::EntityTrait;

use super::revisions;
use crate::{
    domain::{
        action::Action,
        write::{Done, Step},
    },
    error::Result,
};

/// TEMPLATE → DRAFT (`status`): the first revision is the template's skeleton.
pub(super) async fn start(step: &Step<'_, runbook::Model>, status: RunbookStatus) -> Result<Done<runbook::Model>> {
    let body = match step.target.runbook_template_id {
        Some(id) => {
            runbook_template::Entity::find_by_id(id).one(step.tx).await?.map(|t| skeleton(&t)).unwrap_or_default()
        }
        None => format!("# {}\n", step.target.title),
    };
    let (saved, _) = revisions::save_draft(step, status, body, "Started from the kit's template".into()).await?;
    let summary = format!("started runbook \"{}\"", saved.title);
    Ok(Done::saved(saved, Action::RunbookStarted, summary))
}

/// The Markdown a new draft starts from.
pub fn skeleton(template: &runbook_template::Model) -> String {
    #[derive(serde::Deserialize)]
    struct Section {
        title: String,
        guidance: String,
    }
    let sections: Vec<Section> = serde_json::from_value(template.sections.clone()).unwrap_or_default();
    let mut out = format!("# {}\n\n{}\n", template.title, template.summary);
    for section in sections {
        out.push_str(&format!("\n## {}\n\n_{}_\n", section.title, section.guidance));
    }
    out
}
