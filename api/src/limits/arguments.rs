//! Bounds on what a query or subscription may pass as arguments, checked on
//! the parsed document before validation and before any SQL: every text at
//! most [`MAX_TEXT`] characters (a `search`: [`search::MAX_QUERY_CHARS`]), every
//! list at most [`MAX_ITEMS`] items, inside input objects too. Mutations are
//! left to their inputs' own limits (stated per field and answered in
//! `userErrors`), which can be longer (a runbook's body).

use std::collections::HashSet;

use async_graphql::{
    Name, ServerError, Value as ConstValue, Variables,
    parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet},
};

use crate::{domain::search, error::ErrorCode};

/// Most characters of a query argument's text, unless its description says less.
pub const MAX_TEXT: usize = 1_000;
/// Most items of a query argument's list (`nodes(ids:)` included).
pub const MAX_ITEMS: usize = 100;

/// Why an argument was refused: its code, a message and the bound it broke.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    pub code: ErrorCode,
    pub message: String,
    pub max: usize,
}

impl Refused {
    pub fn into_server_error(self) -> ServerError {
        super::cost::refusal(self.code, self.message, &[("max", self.max.into())])
    }
}

/// Checks every argument of every query and subscription operation in `doc`
/// (through fragments), with `variables` put in.
pub fn check(doc: &ExecutableDocument, variables: &Variables) -> Result<(), Refused> {
    let mut walk = Walk { doc, variables, seen: HashSet::new() };
    for (_, operation) in doc.operations.iter() {
        if operation.node.ty != OperationType::Mutation {
            walk.selection(&operation.node.selection_set.node)?;
        }
    }
    Ok(())
}

struct Walk<'a> {
    doc: &'a ExecutableDocument,
    variables: &'a Variables,
    seen: HashSet<&'a str>,
}

impl<'a> Walk<'a> {
    fn selection(&mut self, set: &'a SelectionSet) -> Result<(), Refused> {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    for (name, value) in &field.arguments {
                        let value = value.node.clone().into_const_with(|var| Ok::<_, ()>(self.variable(&var)));
                        let path = format!("{}.{}", field.name.node, name.node);
                        check_value(&path, name.node.as_str(), &value.unwrap_or(ConstValue::Null))?;
                    }
                    self.selection(&field.selection_set.node)?;
                }
                Selection::InlineFragment(inline) => self.selection(&inline.node.selection_set.node)?,
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if let Some(fragment) = self.doc.fragments.get(name)
                        && self.seen.insert(name.as_str())
                    {
                        self.selection(&fragment.node.selection_set.node)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn variable(&self, name: &Name) -> ConstValue {
        self.variables.get(name).cloned().unwrap_or(ConstValue::Null)
    }
}

/// Checks one argument's value (`path` names it for the message; `name` is
/// the argument or input field the value belongs to).
fn check_value(path: &str, name: &str, value: &ConstValue) -> Result<(), Refused> {
    match value {
        ConstValue::String(text) => {
            let (max, code) = if name == "search" {
                (search::MAX_QUERY_CHARS, ErrorCode::QueryTooLong)
            } else {
                (MAX_TEXT, ErrorCode::TooLong)
            };
            let length = text.chars().count();
            if length > max {
                return Err(Refused {
                    code,
                    message: format!("`{path}` is {length} characters; at most {max} are allowed"),
                    max,
                });
            }
            Ok(())
        }
        ConstValue::List(items) => {
            if items.len() > MAX_ITEMS {
                let message = format!("`{path}` has {} items; at most {MAX_ITEMS} are allowed", items.len());
                return Err(Refused { code: ErrorCode::TooMany, message, max: MAX_ITEMS });
            }
            items.iter().try_for_each(|item| check_value(path, name, item))
        }
        ConstValue::Object(fields) => {
            fields.iter().try_for_each(|(field, item)| check_value(&format!("{path}.{field}"), field.as_str(), item))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;
    use serde_json::json;

    use super::*;

    fn checked(query: &str, variables: serde_json::Value) -> Result<(), ErrorCode> {
        let doc = parse_query(query).unwrap_or_else(|e| panic!("{e}"));
        check(&doc, &Variables::from_json(variables)).map_err(|r| r.code)
    }

    #[test]
    fn texts_and_lists_are_bounded_in_queries_and_subscriptions_not_mutations() {
        let at = |n: usize| "x".repeat(n);
        assert_eq!(checked(&format!(r#"{{ kit(key: "{}") {{ id }} }}"#, at(MAX_TEXT)), json!({})), Ok(()));
        assert_eq!(
            checked(&format!(r#"{{ kit(key: "{}") {{ id }} }}"#, at(MAX_TEXT + 1)), json!({})),
            Err(ErrorCode::TooLong)
        );
        let ids: Vec<String> = (0..=MAX_ITEMS).map(|i| i.to_string()).collect();
        assert_eq!(
            checked("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": ids })),
            Err(ErrorCode::TooMany)
        );
        assert_eq!(
            checked("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": ids[..MAX_ITEMS] })),
            Ok(())
        );
        // Inside input objects and fragments; a search has its own bound.
        let filter = json!({ "f": { "search": at(search::MAX_QUERY_CHARS + 1) } });
        assert_eq!(
            checked(
                "query($f: EngagementFilter) { ...F } fragment F on Query { engagements(filter: $f) { totalCount } }",
                filter
            ),
            Err(ErrorCode::QueryTooLong)
        );
        let sub = format!(r#"subscription {{ engagementEvents(engagementId: "{}") {{ cursor }} }}"#, at(MAX_TEXT + 1));
        assert_eq!(checked(&sub, json!({})), Err(ErrorCode::TooLong));
        // A mutation's input is bounded per field by its own rules.
        let body = format!(r#"mutation {{ editRunbook(input: {{ body: "{}" }}) {{ __typename }} }}"#, at(MAX_TEXT * 5));
        assert_eq!(checked(&body, json!({})), Ok(()));
    }
}
