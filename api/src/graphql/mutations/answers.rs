//! `answerQuestion`.

use async_graphql::{Context, ID, InputObject, Object, OneofObject, Result, SimpleObject};

use crate::{
    domain::{
        answers::{self, AnswerInput, AnswerValue},
        ids::{ActivityId, QuestionId},
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
        types::activity_work::Answer,
    },
};

#[derive(Default)]
pub struct AnswerMutations;

/// An answer value: exactly one field, matching the question's `answerKind`.
#[derive(OneofObject)]
pub enum AnswerValueInput {
    /// For `TEXT` questions. At most 20000 characters.
    Text(String),
    /// For `YES_NO` questions.
    YesNo(bool),
    /// For `SINGLE_CHOICE` questions: one of the question's `choices`. At most 200 characters.
    Choice(String),
    /// For `MULTIPLE_CHOICE` questions: one or more of the question's `choices`.
    /// At most 50 items, each at most 200 characters.
    Choices(Vec<String>),
    /// For `SCALE` questions: within the question's `scale` (1–5).
    Scale(i32),
}

impl From<AnswerValueInput> for AnswerValue {
    fn from(value: AnswerValueInput) -> Self {
        match value {
            AnswerValueInput::Text(t) => AnswerValue::Text(t),
            AnswerValueInput::YesNo(b) => AnswerValue::YesNo(b),
            AnswerValueInput::Choice(c) => AnswerValue::Choice(c),
            AnswerValueInput::Choices(c) => AnswerValue::Choices(c),
            AnswerValueInput::Scale(n) => AnswerValue::Scale(n),
        }
    }
}

#[derive(InputObject)]
pub struct AnswerQuestionInput {
    pub activity_id: ID,
    /// A question of the activity's question bank.
    pub question_id: ID,
    pub value: AnswerValueInput,
    /// Notes on the answer; blank means none. At most 20000 characters.
    pub notes: Option<String>,
    /// The answer's `version` as last read; `0` answers only if nobody has yet. A stale
    /// value is a `CONFLICT`. Omit it to overwrite whatever is there.
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct AnswerQuestionPayload {
    pub answer: Option<Answer>,
    pub user_errors: Vec<UserError>,
}

#[Object]
impl AnswerMutations {
    /// Records the customer's answer to a question (consultants, workstream members
    /// and admins). The value is checked against the question's answer kind;
    /// the previous value stays in the answer's `history`.
    async fn answer_question(&self, ctx: &Context<'_>, input: AnswerQuestionInput) -> Result<AnswerQuestionPayload> {
        let new = AnswerInput {
            activity_id: ids::decode::<ActivityId>(&input.activity_id)?,
            question_id: ids::decode::<QuestionId>(&input.question_id)?,
            value: input.value.into(),
            notes: input.notes,
            expected_version: input.expected_version,
        };
        let (answer, user_errors) = payload(answers::record(ctx.db()?, ctx.viewer()?, new).await)?;
        Ok(AnswerQuestionPayload { answer: answer.map(Answer), user_errors })
    }
}
