//! `answerQuestion`: records or changes an activity's answer to a question,
//! keeping the previous value in the history. The command acts on the
//! activity; the answer's own version is checked against `expectedVersion`.

use chrono::Utc;
use opskit_entity::{activity, answer, answer_revision, enums::ActivityStatus, question};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{validation, value::AnswerValue};
use crate::{
    db,
    domain::{
        Viewer,
        action::Action,
        ids::{ActivityId, QuestionId},
        permissions::Permission,
        write::{self, Command, Done, On, Step, Versioned},
    },
    error::{Code, Error, Result},
};

/// What a caller answers.
#[derive(Debug, Clone)]
pub struct AnswerInput {
    pub activity_id: ActivityId,
    pub question_id: QuestionId,
    pub value: AnswerValue,
    pub notes: Option<String>,
    /// The answer's version as last read; `Some(0)`: only if not answered yet.
    pub expected_version: Option<i32>,
}

/// Records the answer (consultants and workstream members).
pub async fn record(db: &DatabaseConnection, viewer: &Viewer, input: AnswerInput) -> Result<answer::Model> {
    let notes = validation::notes_and_size(input.notes.as_deref(), &input.value)?;
    let activity_id = input.activity_id;
    let outcome = write::run(db, viewer, On::id(activity_id), Checked(AnswerInput { notes, ..input })).await;
    // Two first answers at the same moment: the unique index lets one win.
    outcome.map_err(|err| {
        if db::is_unique_violation(&err) {
            Error::Conflict { message: "the question was answered at the same moment".into(), current_version: 1 }
        } else {
            err
        }
    })
}

/// An answer whose notes are checked; its value needs the question.
struct Checked(AnswerInput);

impl Command for Checked {
    type Target = activity::Model;
    type Output = answer::Model;

    fn permission(&self) -> Permission {
        Permission::AnswerQuestions
    }

    async fn apply(&self, step: &Step<'_, activity::Model>) -> Result<Done<answer::Model>> {
        let (input, activity) = (&self.0, &step.target);
        let question = question::Entity::find_by_id(input.question_id.0)
            .one(step.tx)
            .await?
            .filter(|q| q.artifact_template_id == activity.artifact_template_id)
            .ok_or_else(|| {
                Error::user("questionId", Code::QuestionNotInActivity, "the question is not in this activity's bank")
            })?;
        if !open_for_answers(activity) {
            return Err(Error::user(
                "activityId",
                Code::ActivityDone,
                "the activity is done: reopen it to change its answers",
            ));
        }
        let value = validation::value(&question, input.value.clone())?;
        let stored_value = serde_json::to_value(&value).map_err(Error::internal)?;
        let existing = answer::Entity::find()
            .filter(answer::Column::ActivityId.eq(activity.id))
            .filter(answer::Column::QuestionId.eq(question.id))
            .one(step.tx)
            .await?;
        // No answer yet is version 0.
        let current = existing.as_ref().map_or(0, |a| a.version);
        write::check_version(answer::Model::NOUN, current, input.expected_version)?;
        let now = Utc::now();
        let fields = answer::ActiveModel {
            value: Set(stored_value.clone()),
            notes: Set(input.notes.clone()),
            answered_by: Set(step.viewer.user_id.0),
            answered_at: Set(now),
            ..Default::default()
        };
        let (saved, previous) = match existing {
            Some(before) => (write::update(step.tx, &before, fields.clone()).await?, Some(before.value)),
            None => {
                let first = answer::ActiveModel {
                    activity_id: Set(activity.id),
                    question_id: Set(question.id),
                    version: Set(1),
                    ..fields.clone()
                };
                (first.insert(step.tx).await?, None)
            }
        };
        answer_revision::ActiveModel {
            answer_id: Set(saved.id),
            value: fields.value,
            previous_value: Set(previous),
            notes: fields.notes,
            answered_by: fields.answered_by,
            answered_at: fields.answered_at,
            ..Default::default()
        }
        .insert(step.tx)
        .await?;
        let summary = format!("answered {}: {}", question.key, truncate(&value.display(), 120));
        Ok(Done::saved(saved, Action::AnswerRecorded, summary))
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

/// Whether an activity's answers may change: not once it is done.
pub fn open_for_answers(activity: &activity::Model) -> bool {
    activity.status != ActivityStatus::Done
}
