//! `startRunbook`, `editRunbook`, `submitRunbookForReview`, `reviseRunbook`.

use crate::domain::action::Action;
use crate::error::Code;
use chrono::Utc;
use opskit_entity::{runbook, runbook_revision, runbook_template};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::Expr,
};

use super::{MAX_BODY, load_for, rules::RunbookAction, save};
use crate::{
    domain::{Viewer, audit},
    error::{Error, Result, UserError},
};

/// TEMPLATE → DRAFT: the first revision is the template's skeleton.
pub async fn start(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i64,
    expected_version: Option<i32>,
) -> Result<runbook::Model> {
    crate::transaction!(db, |tx| {
        let (current, access, next) = load_for(tx, viewer, id, expected_version, RunbookAction::Start).await?;
        let body = match current.runbook_template_id {
            Some(template_id) => runbook_template::Entity::find_by_id(template_id)
                .one(tx)
                .await?
                .map(|t| skeleton(&t))
                .unwrap_or_default(),
            None => format!("# {}\n", current.title),
        };
        let saved = save(tx, &current, vec![(runbook::Column::Status, Expr::value(next))]).await?;
        let (saved, _) = new_revision(tx, viewer, &saved, body, "Started from the kit's template".into()).await?;
        let summary = format!("started runbook \"{}\"", saved.title);
        audit::record_in(tx, viewer, &access, Action::RunbookStarted, saved.id, &summary).await?;
        Ok(saved)
    })
}

/// A new revision of a DRAFT runbook.
pub async fn edit(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i64,
    body: String,
    change_summary: String,
    expected_version: Option<i32>,
) -> Result<(runbook::Model, runbook_revision::Model)> {
    let mut errors = Vec::new();
    if body.chars().count() > MAX_BODY {
        errors.push(UserError::new("body", Code::TooLong, format!("a runbook body is at most {MAX_BODY} characters")));
    }
    if change_summary.trim().is_empty() {
        errors.push(UserError::new("changeSummary", Code::Required, "say what this revision changes"));
    }
    if !errors.is_empty() {
        return Err(Error::User(errors));
    }
    crate::transaction!(db, |tx| {
        let (current, access, _) = load_for(tx, viewer, id, expected_version, RunbookAction::Edit).await?;
        // The version bump comes first: it takes the row lock, so concurrent
        // editors serialize here and every one but the first gets CONFLICT.
        let saved = save(tx, &current, vec![]).await?;
        let (saved, revision) =
            new_revision(tx, viewer, &saved, body.clone(), change_summary.trim().to_owned()).await?;
        let summary =
            format!("edited runbook \"{}\" (revision {}): {}", saved.title, revision.number, revision.change_summary);
        audit::record_in(tx, viewer, &access, Action::RunbookEdited, saved.id, &summary).await?;
        Ok((saved, revision))
    })
}

/// DRAFT → IN_REVIEW, when the body is not empty.
pub async fn submit(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i64,
    expected_version: Option<i32>,
) -> Result<runbook::Model> {
    crate::transaction!(db, |tx| {
        let (current, access, next) = load_for(tx, viewer, id, expected_version, RunbookAction::Submit).await?;
        let body = current_body(tx, &current).await?;
        if body.trim().is_empty() {
            return Err(Error::user("runbookId", Code::EmptyBody, "write the runbook before submitting it"));
        }
        let saved = save(tx, &current, vec![(runbook::Column::Status, Expr::value(next))]).await?;
        let summary = format!("submitted runbook \"{}\" for review", saved.title);
        audit::record_in(tx, viewer, &access, Action::RunbookSubmitted, saved.id, &summary).await?;
        Ok(saved)
    })
}

/// BASELINE → DRAFT: a new draft from the baselined body; the baselined
/// revision stays in the knowledge base until a newer one is baselined.
pub async fn revise(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i64,
    expected_version: Option<i32>,
) -> Result<runbook::Model> {
    crate::transaction!(db, |tx| {
        let (current, access, next) = load_for(tx, viewer, id, expected_version, RunbookAction::Revise).await?;
        let body = current_body(tx, &current).await?;
        let saved = save(tx, &current, vec![(runbook::Column::Status, Expr::value(next))]).await?;
        let (saved, _) =
            new_revision(tx, viewer, &saved, body, "Started the next version from the baseline".into()).await?;
        let summary = format!("started revising baselined runbook \"{}\"", saved.title);
        audit::record_in(tx, viewer, &access, Action::RunbookRevised, saved.id, &summary).await?;
        Ok(saved)
    })
}

/// The body of the runbook's newest revision ("" before it starts).
async fn current_body<C: ConnectionTrait>(tx: &C, runbook: &runbook::Model) -> Result<String> {
    match runbook.current_revision_id {
        Some(id) => Ok(runbook_revision::Entity::find_by_id(id).one(tx).await?.map(|r| r.body).unwrap_or_default()),
        None => Ok(String::new()),
    }
}

/// Adds the next revision, written by `viewer`, and makes it the runbook's
/// current one (within the change already saved: the version stays).
pub(super) async fn new_revision<C: ConnectionTrait>(
    tx: &C,
    viewer: &Viewer,
    runbook: &runbook::Model,
    body: String,
    change_summary: String,
) -> Result<(runbook::Model, runbook_revision::Model)> {
    let last = runbook_revision::Entity::find()
        .filter(runbook_revision::Column::RunbookId.eq(runbook.id))
        .order_by_desc(runbook_revision::Column::Number)
        .one(tx)
        .await?;
    let revision = runbook_revision::ActiveModel {
        runbook_id: Set(runbook.id),
        number: Set(last.map_or(1, |r| r.number + 1)),
        body: Set(body),
        change_summary: Set(change_summary),
        author_id: Set(viewer.user_id.0),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    runbook::Entity::update_many()
        .col_expr(runbook::Column::CurrentRevisionId, Expr::value(revision.id))
        .filter(runbook::Column::Id.eq(runbook.id))
        .exec(tx)
        .await?;
    Ok((runbook::Model { current_revision_id: Some(revision.id), ..runbook.clone() }, revision))
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
