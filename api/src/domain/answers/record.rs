//! `answerQuestion`: records or changes an activity's answer to a question,
//! keeping the previous value in the history.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use crate::error::Code;
use chrono::Utc;
use opskit_entity::{answer, answer_revision, enums::ActivityStatus, question};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, sea_query::Expr};

use super::value::{AnswerValue, check};
use crate::{
    db,
    domain::{Viewer, audit, engagements::activities, ids::ActivityId, write},
    error::{Error, Result},
};

/// Longest accepted notes.
const MAX_NOTES: usize = 20_000;

/// What a caller answers.
#[derive(Debug, Clone)]
pub struct AnswerInput {
    pub activity_id: ActivityId,
    pub question_id: i64,
    pub value: AnswerValue,
    pub notes: Option<String>,
    /// The answer's version as last read; `Some(0)`: only if not answered yet.
    pub expected_version: Option<i32>,
}

/// Records the answer (consultants and workstream members).
pub async fn record(db: &DatabaseConnection, viewer: &Viewer, input: AnswerInput) -> Result<answer::Model> {
    let notes = input.notes.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    if notes.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTES) {
        return Err(Error::user("notes", Code::TooLong, format!("notes are at most {MAX_NOTES} characters")));
    }
    let outcome = crate::transaction!(db, |tx| {
        let (activity, access) = activities::get(tx, viewer, input.activity_id).await?;
        access.check(Permission::AnswerQuestions)?;
        let question = question::Entity::find_by_id(input.question_id)
            .one(tx)
            .await?
            .filter(|q| q.artifact_template_id == activity.artifact_template_id)
            .ok_or_else(|| {
                Error::user("questionId", Code::QuestionNotInActivity, "the question is not in this activity's bank")
            })?;
        if activity.status == ActivityStatus::Done {
            return Err(Error::user(
                "activityId",
                Code::ActivityDone,
                "the activity is done: reopen it to change its answers",
            ));
        }
        let value = check(&question, input.value.clone()).map_err(|e| Error::User(vec![e]))?;
        let stored_value = serde_json::to_value(&value).map_err(Error::internal)?;
        let now = Utc::now();
        let existing = answer::Entity::find()
            .filter(answer::Column::ActivityId.eq(activity.id))
            .filter(answer::Column::QuestionId.eq(question.id))
            .one(tx)
            .await?;
        let (saved, previous) = match existing {
            Some(current) => {
                write::check_version("answer", current.version, input.expected_version)?;
                let result = answer::Entity::update_many()
                    .col_expr(answer::Column::Value, Expr::value(stored_value.clone()))
                    .col_expr(answer::Column::Notes, Expr::value(notes.clone()))
                    .col_expr(answer::Column::AnsweredBy, Expr::value(viewer.user_id.0))
                    .col_expr(answer::Column::AnsweredAt, Expr::value(now))
                    .col_expr(answer::Column::Version, Expr::value(current.version + 1))
                    .filter(answer::Column::Id.eq(current.id))
                    .filter(answer::Column::Version.eq(current.version))
                    .exec(tx)
                    .await?;
                let stored = answer::Entity::find_by_id(current.id).one(tx).await?.ok_or(Error::NotFound("answer"))?;
                if result.rows_affected == 0 {
                    return Err(Error::Conflict {
                        message: "the answer changed while you edited it".into(),
                        current_version: stored.version,
                    });
                }
                (stored, Some(current.value))
            }
            None => {
                if let Some(seen) = input.expected_version.filter(|v| *v != 0) {
                    return Err(Error::Conflict {
                        message: format!("the question has no answer yet, not version {seen}"),
                        current_version: 0,
                    });
                }
                let row = answer::ActiveModel {
                    activity_id: Set(activity.id),
                    question_id: Set(question.id),
                    value: Set(stored_value.clone()),
                    notes: Set(notes.clone()),
                    answered_by: Set(viewer.user_id.0),
                    answered_at: Set(now),
                    version: Set(1),
                    ..Default::default()
                }
                .insert(tx)
                .await?;
                (row, None)
            }
        };
        answer_revision::ActiveModel {
            answer_id: Set(saved.id),
            value: Set(stored_value.clone()),
            previous_value: Set(previous),
            notes: Set(notes.clone()),
            answered_by: Set(viewer.user_id.0),
            answered_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        let summary = format!("answered {}: {}", question.key, truncate(&value.display(), 120));
        audit::record_in(tx, viewer, &access, Action::AnswerRecorded, saved.id, &summary).await?;
        Ok(saved)
    });
    // Two first answers at the same moment: the unique index lets one win.
    outcome.map_err(|err| {
        if db::is_unique_violation(&err) {
            Error::Conflict { message: "the question was answered at the same moment".into(), current_version: 1 }
        } else {
            err
        }
    })
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}
