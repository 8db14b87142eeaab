//! Checking an answer: its notes and the size of its value before anything
//! is read, and its value against the question's answer kind once the
//! question is loaded.

use opskit_entity::question;

use super::value::{AnswerValue, SCALE};
use crate::{
    domain::validate::{Checks, MAX_ITEMS, MAX_LABEL, MAX_TEXT},
    error::{Code, Result},
};

/// The notes: optional, blank is none, at most [`MAX_TEXT`] characters; and
/// a value of bounded size: a text of at most [`MAX_TEXT`] characters, a
/// choice of at most [`MAX_LABEL`], at most [`MAX_ITEMS`] choices.
pub(super) fn notes_and_size(notes: Option<&str>, value: &AnswerValue) -> Result<Option<String>> {
    let mut checks = Checks::new();
    let notes = checks.optional("notes", notes, MAX_TEXT);
    let sized = match value {
        AnswerValue::Text(text) => checks.capped("value", text, MAX_TEXT).map(drop),
        AnswerValue::Choice(choice) => checks.capped("value", choice, MAX_LABEL).map(drop),
        AnswerValue::Choices(picked) => checks
            .count("value", picked, MAX_ITEMS)
            .and_then(|picked| picked.iter().try_for_each(|c| checks.capped("value", c, MAX_LABEL).map(drop))),
        AnswerValue::YesNo(_) | AnswerValue::Scale(_) => Some(()),
    };
    checks.done(notes.zip(sized).map(|(notes, ())| notes))
}

/// `value` checked against `question`, normalized: trimmed text, choices in
/// the question's order.
pub(super) fn value(question: &question::Model, value: AnswerValue) -> Result<AnswerValue> {
    let mut checks = Checks::new();
    let checked = if value.kind() == question.answer_kind {
        normalized(&mut checks, question, value)
    } else {
        let message = format!("this question expects a {:?} answer", question.answer_kind);
        checks.push("value", Code::WrongAnswerKind, message);
        None
    };
    checks.done(checked)
}

/// A value of the question's kind, normalized, or `None` with the error pushed.
fn normalized(checks: &mut Checks, question: &question::Model, value: AnswerValue) -> Option<AnswerValue> {
    let choices: Vec<String> =
        question.choices.clone().and_then(|c| serde_json::from_value(c).ok()).unwrap_or_default();
    match value {
        AnswerValue::Text(text) => checks.required("value", &text, MAX_TEXT).map(AnswerValue::Text),
        AnswerValue::YesNo(b) => Some(AnswerValue::YesNo(b)),
        AnswerValue::Choice(choice) => match choices.iter().find(|c| **c == choice) {
            Some(c) => Some(AnswerValue::Choice(c.clone())),
            None => invalid(checks, &choice),
        },
        AnswerValue::Choices(picked) => {
            if picked.is_empty() {
                checks.push("value", Code::Required, "pick at least one choice");
                return None;
            }
            if let Some(bad) = picked.iter().find(|p| !choices.contains(p)) {
                return invalid(checks, bad);
            }
            Some(AnswerValue::Choices(choices.into_iter().filter(|c| picked.contains(c)).collect()))
        }
        AnswerValue::Scale(n) if (SCALE.0..=SCALE.1).contains(&n) => Some(AnswerValue::Scale(n)),
        AnswerValue::Scale(_) => {
            checks.push("value", Code::OutOfRange, format!("the scale goes from {} to {}", SCALE.0, SCALE.1));
            None
        }
    }
}

/// `None`, with `INVALID_CHOICE` for `choice`.
fn invalid(checks: &mut Checks, choice: &str) -> Option<AnswerValue> {
    checks.push("value", Code::InvalidChoice, format!("`{choice}` is not one of the question's choices"));
    None
}

#[cfg(test)]
mod tests {
    use opskit_entity::enums::AnswerKind;

    use super::*;
    use crate::error::Error;

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

    fn code<T>(result: Result<T>) -> Option<Code> {
        match result {
            Err(Error::User(errors)) => errors.first().map(|e| e.code),
            _ => None,
        }
    }

    #[test]
    fn values_are_checked_against_the_kind() {
        let multi = question(AnswerKind::MultipleChoice, Some(vec!["A", "B", "C"]));
        assert_eq!(
            value(&multi, AnswerValue::Choices(vec!["C".into(), "A".into()])).ok(),
            Some(AnswerValue::Choices(vec!["A".into(), "C".into()])),
            "kept in the question's order"
        );
        assert_eq!(code(value(&multi, AnswerValue::Choices(vec!["D".into()]))), Some(Code::InvalidChoice));
        assert_eq!(code(value(&multi, AnswerValue::Choices(vec![]))), Some(Code::Required));
        assert_eq!(code(value(&multi, AnswerValue::Choice("A".into()))), Some(Code::WrongAnswerKind));
        let single = question(AnswerKind::SingleChoice, Some(vec!["A", "B"]));
        assert_eq!(code(value(&single, AnswerValue::Choice("B".into()))), None);
        assert_eq!(code(value(&single, AnswerValue::Choice("b".into()))), Some(Code::InvalidChoice));
        let scale = question(AnswerKind::Scale, None);
        assert_eq!(code(value(&scale, AnswerValue::Scale(5))), None);
        assert_eq!(code(value(&scale, AnswerValue::Scale(0))), Some(Code::OutOfRange));
        assert_eq!(code(value(&scale, AnswerValue::Scale(6))), Some(Code::OutOfRange));
        let text = question(AnswerKind::Text, None);
        assert_eq!(value(&text, AnswerValue::Text("  x ".into())).ok(), Some(AnswerValue::Text("x".into())));
        assert_eq!(code(value(&text, AnswerValue::Text("   ".into()))), Some(Code::Required));
        assert_eq!(code(value(&text, AnswerValue::Text("x".repeat(MAX_TEXT + 1)))), Some(Code::TooLong));
        assert_eq!(code(value(&text, AnswerValue::YesNo(true))), Some(Code::WrongAnswerKind));
        let yes_no = question(AnswerKind::YesNo, None);
        assert_eq!(code(value(&yes_no, AnswerValue::YesNo(false))), None);
    }

    #[test]
    fn blank_notes_are_none_and_long_ones_refused() {
        let yes = AnswerValue::YesNo(true);
        assert_eq!(notes_and_size(Some("  "), &yes).ok(), Some(None));
        assert_eq!(notes_and_size(Some(" seen "), &yes).ok(), Some(Some("seen".into())));
        let long = notes_and_size(Some(&"x".repeat(MAX_TEXT + 1)), &yes);
        assert!(matches!(long, Err(Error::User(e)) if e[0].code == Code::TooLong));
    }

    #[test]
    fn values_are_bounded_before_the_question_is_read() {
        let too_many = AnswerValue::Choices(vec!["a".into(); MAX_ITEMS + 1]);
        assert_eq!(code(notes_and_size(None, &too_many)), Some(Code::TooMany));
        let long_choice = AnswerValue::Choice("c".repeat(MAX_LABEL + 1));
        assert_eq!(code(notes_and_size(None, &long_choice)), Some(Code::TooLong));
        assert_eq!(code(notes_and_size(None, &AnswerValue::Text("t".repeat(MAX_TEXT)))), None);
    }
}
