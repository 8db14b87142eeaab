//! GraphQL over HTTP: requests, mutation documents and payloads, error codes,
//! and the parts of global IDs that tests look inside.

use opskit_api::graphql::ids;
use reqwest::{StatusCode, header::HeaderMap};
use serde_json::{Value, json};

use super::harness::{TestApp, install_id_key};

impl TestApp {
    /// POSTs a GraphQL request; returns status, headers and body.
    pub async fn post(&self, token: Option<&str>, query: &str, variables: Value) -> (StatusCode, HeaderMap, Value) {
        let mut req = self.http.post(self.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.json::<Value>().await.unwrap_or(Value::Null);
        (status, headers, body)
    }

    /// A GraphQL request that must succeed at the HTTP level; returns the body.
    pub async fn gql(&self, token: &str, query: &str, variables: Value) -> Value {
        let (status, _, body) = self.post(Some(token), query, variables).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// A GraphQL request that must have no errors; returns `data`.
    pub async fn data(&self, token: &str, query: &str, variables: Value) -> Value {
        let body = self.gql(token, query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// Reads `selection` of engagement `id`; returns the engagement.
    pub async fn engagement(&self, token: &str, id: &str, selection: &str) -> Value {
        let query = format!("query($id: ID!) {{ engagement(id: $id) {{ {selection} }} }}");
        self.data(token, &query, json!({ "id": id })).await["engagement"].clone()
    }

    /// Runs mutation `op` with `input`, selecting `selection` and the
    /// `userErrors`; returns its payload, or the whole body on a top-level error.
    pub async fn mutate(&self, token: &str, op: &str, selection: &str, input: Value) -> Value {
        let query = mutation(op, &format!("{selection} userErrors {{ field code message }}"));
        payload(self.gql(token, &query, json!({ "input": input })).await, op)
    }

    /// Runs mutation `op`, which must succeed without `userErrors`; returns its payload.
    pub async fn mutate_ok(&self, token: &str, op: &str, selection: &str, input: Value) -> Value {
        let payload = self.mutate(token, op, selection, input).await;
        assert!(payload.get("errors").is_none(), "{op}: {payload}");
        assert_eq!(payload["userErrors"], json!([]), "{op}: {payload}");
        payload
    }
}

/// The input type of mutation `op`.
pub fn input_type(op: &str) -> String {
    match op {
        "startActivity" | "completeActivity" | "reopenActivity" => "ActivityTransitionInput".into(),
        "startRunbook" | "submitRunbookForReview" | "baselineRunbook" | "reviseRunbook" => {
            "RunbookTransitionInput".into()
        }
        "startEngagement" | "reopenEngagement" => "EngagementTransitionInput".into(),
        _ => format!("{}{}Input", op[..1].to_uppercase(), &op[1..]),
    }
}

/// The document of mutation `op` taking `$input`, selecting `selection` of its payload.
pub fn mutation(op: &str, selection: &str) -> String {
    let input_type = input_type(op);
    format!("mutation($input: {input_type}!) {{ {op}(input: $input) {{ {selection} }} }}")
}

/// The payload of mutation `op` in `body`, or the whole body when it has top-level errors.
pub fn payload(body: Value, op: &str) -> Value {
    if body.get("errors").is_some() { body } else { body["data"][op].clone() }
}

/// `body` without `extensions.cost`, which differs between any two requests
/// (the budget's remaining points), and without `extensions` left empty.
pub fn without_cost(body: &Value) -> Value {
    let mut body = body.clone();
    if let Some(map) = body.as_object_mut()
        && let Some(extensions) = map.get_mut("extensions").and_then(Value::as_object_mut)
    {
        extensions.remove("cost");
        if extensions.is_empty() {
            map.remove("extensions");
        }
    }
    body
}

/// The `extensions.code` of the first top-level error.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {body}"))
}

/// `(field, code)` of each of a payload's `userErrors`; the field is the
/// input's field (`["input", field]`), empty when there is none.
pub fn codes(payload: &Value) -> Vec<(String, String)> {
    payload["userErrors"]
        .as_array()
        .unwrap_or_else(|| panic!("no userErrors in {payload}"))
        .iter()
        .map(|e| (e["field"][1].as_str().unwrap_or_default().to_owned(), e["code"].as_str().unwrap().to_owned()))
        .collect()
}

/// An expected entry of [`codes`].
pub fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

/// `base` with the fields of `changes` set over it (both JSON objects).
pub fn merge(mut base: Value, changes: Value) -> Value {
    if let (Value::Object(base), Value::Object(changes)) = (&mut base, changes) {
        base.extend(changes);
    }
    base
}

/// The global ID of row `id` of GraphQL type `kind`, made with the test
/// servers' ID key (tests only: clients treat IDs as opaque).
pub fn global_id(kind: &str, id: i64) -> String {
    install_id_key();
    ids::encode_named(kind, id).0
}

/// `(kind, row id)` inside a global ID.
fn parts(global: &str) -> (String, i64) {
    install_id_key();
    let (kind, id) = ids::decode_str(global).expect("a global ID of the test servers");
    (kind.name().to_owned(), id)
}

/// The GraphQL type inside a global ID.
pub fn kind_of(global: &str) -> String {
    parts(global).0
}

/// The row ID inside a global ID.
pub fn raw_id(global: &str) -> i64 {
    parts(global).1
}
