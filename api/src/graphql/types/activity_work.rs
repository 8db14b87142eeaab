//! What an activity holds: tracker, readiness target, document links, design
//! adoption, and the answers to its question bank with their history.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use opskit_entity::{answer, answer_revision, document_link};

use super::{
    catalog::Question,
    engagement::Activity,
    enums::{DesignAdoption, TrackerSystem},
    user::User,
};
use crate::{
    domain::{
        answers::AnswerValue as Value,
        ids::{AnswerId, DocumentLinkId, QuestionId},
    },
    graphql::{
        context::ContextExt,
        ids,
        loaders::{many, one},
    },
};

/// The ticket that tracks an activity, deviation or runbook in the customer's (or our) tracker.
#[derive(SimpleObject)]
pub struct Tracker {
    pub system: TrackerSystem,
    /// The ticket's key, e.g. `OPS-142`.
    pub key: String,
    pub url: Option<String>,
}

impl From<crate::domain::trackers::Tracker> for Tracker {
    fn from(t: crate::domain::trackers::Tracker) -> Self {
        Self { system: t.system.into(), key: t.key, url: t.url }
    }
}

/// What a linked ticket reported that the activity did not follow.
#[derive(SimpleObject)]
pub struct TrackerStatus {
    /// The ticket's status as its tracker names it, e.g. `Done`.
    pub status: String,
    /// Why the activity did not follow, e.g. a deviation without a mitigation plan.
    pub reason: Option<String>,
    pub reported_at: chrono::DateTime<chrono::Utc>,
}

/// How a Design activity adopts the recommended design.
#[derive(SimpleObject)]
pub struct DesignAdoptionInfo {
    pub adoption: DesignAdoption,
    /// The customer's solution, e.g. their COTS patch tool.
    pub solution_name: Option<String>,
}

/// A link to the customer's current documentation.
pub struct DocumentLink(pub document_link::Model);

#[Object]
impl DocumentLink {
    pub async fn id(&self) -> ID {
        ids::encode(DocumentLinkId(self.0.id))
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn url(&self) -> &str {
        &self.0.url
    }
    async fn added_at(&self) -> DateTime<Utc> {
        self.0.added_at
    }
    async fn added_by(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User(one(&ctx.loaders()?.user, self.0.added_by, "user").await?))
    }
    async fn activity(&self, ctx: &Context<'_>) -> Result<Activity> {
        Ok(Activity(one(&ctx.loaders()?.activity, self.0.activity_id, "activity").await?))
    }
}

/// An answer's value: exactly one field is set, matching the question's `answerKind`.
#[derive(SimpleObject)]
pub struct AnswerValue {
    pub text: Option<String>,
    pub yes_no: Option<bool>,
    pub choice: Option<String>,
    pub choices: Option<Vec<String>>,
    pub scale: Option<i32>,
    /// The value as one line of text.
    pub display: String,
}

impl AnswerValue {
    fn from_stored(json: &serde_json::Value) -> Option<Self> {
        let value: Value = serde_json::from_value(json.clone()).ok()?;
        let display = value.display();
        let mut out = AnswerValue { text: None, yes_no: None, choice: None, choices: None, scale: None, display };
        match value {
            Value::Text(t) => out.text = Some(t),
            Value::YesNo(b) => out.yes_no = Some(b),
            Value::Choice(c) => out.choice = Some(c),
            Value::Choices(c) => out.choices = Some(c),
            Value::Scale(n) => out.scale = Some(n),
        }
        Some(out)
    }
}

/// An activity's current answer to one question.
pub struct Answer(pub answer::Model);

#[Object]
impl Answer {
    pub async fn id(&self) -> ID {
        ids::encode(AnswerId(self.0.id))
    }
    async fn value(&self) -> Option<AnswerValue> {
        AnswerValue::from_stored(&self.0.value)
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    async fn answered_at(&self) -> DateTime<Utc> {
        self.0.answered_at
    }
    async fn answered_by(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User(one(&ctx.loaders()?.user, self.0.answered_by, "user").await?))
    }
    /// Increases with every change; pass it as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn question(&self, ctx: &Context<'_>) -> Result<Question> {
        Ok(Question::load(ctx, QuestionId(self.0.question_id))?)
    }
    async fn activity(&self, ctx: &Context<'_>) -> Result<Activity> {
        Ok(Activity(one(&ctx.loaders()?.activity, self.0.activity_id, "activity").await?))
    }
    /// Every value this answer has had, newest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<AnswerRevision>> {
        let mut rows = many(&ctx.loaders()?.revisions_by_answer, self.0.id).await?;
        rows.reverse();
        Ok(rows.into_iter().map(AnswerRevision).collect())
    }
}

/// One recorded value of an answer.
pub struct AnswerRevision(pub answer_revision::Model);

#[Object]
impl AnswerRevision {
    async fn value(&self) -> Option<AnswerValue> {
        AnswerValue::from_stored(&self.0.value)
    }
    /// The value it replaced; null for the first answer.
    async fn previous_value(&self) -> Option<AnswerValue> {
        self.0.previous_value.as_ref().and_then(AnswerValue::from_stored)
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    async fn answered_at(&self) -> DateTime<Utc> {
        self.0.answered_at
    }
    async fn answered_by(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User(one(&ctx.loaders()?.user, self.0.answered_by, "user").await?))
    }
}

/// A question of the activity's bank with the activity's current answer.
pub struct ActivityQuestion {
    pub question: Question,
    pub answer: Option<Answer>,
}

#[Object]
impl ActivityQuestion {
    async fn question(&self) -> &Question {
        &self.question
    }
    /// Null until the question is answered.
    async fn answer(&self) -> Option<&Answer> {
        self.answer.as_ref()
    }
}

/// How much of a question bank is answered.
#[derive(SimpleObject)]
pub struct QuestionCoverage {
    pub answered: i32,
    pub total: i32,
}
