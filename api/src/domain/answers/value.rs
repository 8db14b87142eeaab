//! Answer values: one value of exactly one kind, as stored and shown.

use opskit_entity::enums::AnswerKind;
use serde::{Deserialize, Serialize};

/// Lowest and highest value of a `SCALE` answer.
pub const SCALE: (i32, i32) = (1, 5);

/// One answer, of exactly one kind. Stored as `{"text": ...}`, `{"yesNo": ...}`, ...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AnswerValue {
    Text(String),
    YesNo(bool),
    Choice(String),
    Choices(Vec<String>),
    Scale(i32),
}

impl AnswerValue {
    /// The answer kind of questions this value answers.
    pub fn kind(&self) -> AnswerKind {
        match self {
            AnswerValue::Text(_) => AnswerKind::Text,
            AnswerValue::YesNo(_) => AnswerKind::YesNo,
            AnswerValue::Choice(_) => AnswerKind::SingleChoice,
            AnswerValue::Choices(_) => AnswerKind::MultipleChoice,
            AnswerValue::Scale(_) => AnswerKind::Scale,
        }
    }

    /// The value as one line of text, for summaries and exports.
    pub fn display(&self) -> String {
        match self {
            AnswerValue::Text(t) => t.clone(),
            AnswerValue::YesNo(true) => "Yes".into(),
            AnswerValue::YesNo(false) => "No".into(),
            AnswerValue::Choice(c) => c.clone(),
            AnswerValue::Choices(c) => c.join(", "),
            AnswerValue::Scale(n) => format!("{n} of {}", SCALE.1),
        }
    }
}
