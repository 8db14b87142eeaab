//! Answer values and their validation against a question's answer kind.

use crate::error::Code;
use opskit_entity::{enums::AnswerKind, question};
use serde::{Deserialize, Serialize};

use crate::error::UserError;

/// Lowest and highest value of a `SCALE` answer.
pub const SCALE: (i32, i32) = (1, 5);
/// Longest accepted text answer.
pub const MAX_TEXT: usize = 20_000;

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
    fn kind(&self) -> AnswerKind {
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

/// Checks `value` against `question`; returns it normalized (trimmed text,
/// choices in the question's order) or the `userErrors` entry refusing it.
pub fn check(question: &question::Model, value: AnswerValue) -> Result<AnswerValue, UserError> {
    let wrong = |message: String| UserError::new("value", Code::WrongAnswerKind, message);
    if value.kind() != question.answer_kind {
        return Err(wrong(format!("this question expects a {:?} answer", question.answer_kind)));
    }
    let choices: Vec<String> =
        question.choices.clone().and_then(|c| serde_json::from_value(c).ok()).unwrap_or_default();
    let invalid =
        |c: &str| UserError::new("value", Code::InvalidChoice, format!("`{c}` is not one of the question's choices"));
    match value {
        AnswerValue::Text(text) => {
            let text = text.trim().to_owned();
            if text.is_empty() {
                Err(UserError::new("value", Code::Required, "the answer must not be empty"))
            } else if text.chars().count() > MAX_TEXT {
                Err(UserError::new("value", Code::TooLong, format!("answers are at most {MAX_TEXT} characters")))
            } else {
                Ok(AnswerValue::Text(text))
            }
        }
        AnswerValue::YesNo(b) => Ok(AnswerValue::YesNo(b)),
        AnswerValue::Choice(choice) => match choices.iter().find(|c| **c == choice) {
            Some(c) => Ok(AnswerValue::Choice(c.clone())),
            None => Err(invalid(&choice)),
        },
        AnswerValue::Choices(picked) => {
            if picked.is_empty() {
                return Err(UserError::new("value", Code::Required, "pick at least one choice"));
            }
            if let Some(bad) = picked.iter().find(|p| !choices.contains(p)) {
                return Err(invalid(bad));
            }
            Ok(AnswerValue::Choices(choices.into_iter().filter(|c| picked.contains(c)).collect()))
        }
        AnswerValue::Scale(n) if (SCALE.0..=SCALE.1).contains(&n) => Ok(AnswerValue::Scale(n)),
        AnswerValue::Scale(_) => {
            Err(UserError::new("value", Code::OutOfRange, format!("the scale goes from {} to {}", SCALE.0, SCALE.1)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(kind: AnswerKind, choices: Option<Vec<&str>>) -> question::Model {
        question::Model {
            id: 1,
            artifact_template_id: 1,
            key: "q".into(),
            position: 0,
            category: opskit_entity::enums::QuestionCategory::Process,
            text: "?".into(),
            guidance: String::new(),
            answer_kind: kind,
            choices: choices.map(|c| serde_json::json!(c)),
        }
    }

    fn code(result: Result<AnswerValue, UserError>) -> Option<Code> {
        result.err().map(|e| e.code)
    }

    #[test]
    fn values_are_checked_against_the_kind() {
        let multi = question(AnswerKind::MultipleChoice, Some(vec!["A", "B", "C"]));
        assert_eq!(
            check(&multi, AnswerValue::Choices(vec!["C".into(), "A".into()])),
            Ok(AnswerValue::Choices(vec!["A".into(), "C".into()])),
            "kept in the question's order"
        );
        assert_eq!(code(check(&multi, AnswerValue::Choices(vec!["D".into()]))), Some(Code::InvalidChoice));
        assert_eq!(code(check(&multi, AnswerValue::Choices(vec![]))), Some(Code::Required));
        assert_eq!(code(check(&multi, AnswerValue::Choice("A".into()))), Some(Code::WrongAnswerKind));
        let single = question(AnswerKind::SingleChoice, Some(vec!["A", "B"]));
        assert_eq!(code(check(&single, AnswerValue::Choice("B".into()))), None);
        assert_eq!(code(check(&single, AnswerValue::Choice("b".into()))), Some(Code::InvalidChoice));
        let scale = question(AnswerKind::Scale, None);
        assert_eq!(code(check(&scale, AnswerValue::Scale(5))), None);
        assert_eq!(code(check(&scale, AnswerValue::Scale(0))), Some(Code::OutOfRange));
        assert_eq!(code(check(&scale, AnswerValue::Scale(6))), Some(Code::OutOfRange));
        let text = question(AnswerKind::Text, None);
        assert_eq!(check(&text, AnswerValue::Text("  x ".into())), Ok(AnswerValue::Text("x".into())));
        assert_eq!(code(check(&text, AnswerValue::Text("   ".into()))), Some(Code::Required));
        assert_eq!(code(check(&text, AnswerValue::YesNo(true))), Some(Code::WrongAnswerKind));
        let yes_no = question(AnswerKind::YesNo, None);
        assert_eq!(code(check(&yes_no, AnswerValue::YesNo(false))), None);
    }
}
