//! Input limits, read from the schema itself: every String and list field of
//! every mutation's input states its maximum in its description ("At most N
//! characters." / "At most N items."), and the server holds exactly that
//! maximum: N + 1 is refused with `TOO_LONG` / `TOO_MANY` in `userErrors`
//! before anything is loaded or written, and N itself is not "too long".
//! A new mutation or field is walked without anyone remembering to.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::common::{TestApp, global_id};

const INTROSPECTION: &str = r#"{ __schema {
    mutationType { fields { name args { name type { kind name ofType { kind name } } } } }
    types { name kind isOneOf enumValues { name }
      inputFields(includeDeprecated: true) { name description type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }"#;

/// A field's type with its wrappers taken off.
#[derive(Debug, Clone)]
struct Shape {
    required: bool,
    list: bool,
    kind: String,
    name: String,
}

fn shape(t: &Value) -> Shape {
    let (mut required, mut list, mut t) = (false, false, t);
    loop {
        match t["kind"].as_str().unwrap() {
            "NON_NULL" if !list => required = true,
            "NON_NULL" => {}
            "LIST" => list = true,
            kind => {
                return Shape { required, list, kind: kind.to_owned(), name: t["name"].as_str().unwrap().to_owned() };
            }
        }
        t = &t["ofType"];
    }
}

/// The maximum a description states, if any.
fn stated_max(description: &str) -> Option<(usize, &'static str)> {
    for unit in ["characters", "items"] {
        let Some(end) = description.find(&format!(" {unit}")) else { continue };
        let before = &description[..end];
        let Some(start) = before.rfind("At most ") else { continue };
        if let Ok(n) = before[start + 8..].replace(',', "").parse() {
            return Some((n, unit));
        }
    }
    None
}

struct Schema {
    types: BTreeMap<String, Value>,
}

impl Schema {
    fn input_fields(&self, type_name: &str) -> Vec<Value> {
        self.types[type_name]["inputFields"].as_array().cloned().unwrap_or_default()
    }

    /// A value of one item of `shape` that passes the schema (IDs name nothing).
    fn placeholder(&self, field: &str, shape: &Shape) -> Value {
        match (shape.kind.as_str(), shape.name.as_str()) {
            ("SCALAR", "ID") => json!(global_id(id_kind(field), 999_999_937)),
            ("SCALAR", "String") => json!("x"),
            ("SCALAR", "Int") => json!(1),
            ("SCALAR", "Float") => json!(1.0),
            ("SCALAR", "Boolean") => json!(true),
            ("SCALAR", "Date" | "NaiveDate") => json!("2026-12-08"),
            ("SCALAR", "DateTime") => json!("2026-12-08T10:00:00Z"),
            ("ENUM", name) => self.types[name]["enumValues"][0]["name"].clone(),
            ("INPUT_OBJECT", name) => self.object(name, None),
            other => panic!("no placeholder for {field}: {other:?}"),
        }
    }

    /// An object of input type `name` with its required fields (a oneOf: its first field, or `only`).
    fn object(&self, name: &str, only: Option<(&str, Value)>) -> Value {
        let mut out = Map::new();
        let one_of = self.types[name]["isOneOf"] == true;
        for field in self.input_fields(name) {
            let fname = field["name"].as_str().unwrap();
            let s = shape(&field["type"]);
            if one_of {
                if let Some((only, value)) = &only {
                    if *only == fname {
                        out.insert(fname.to_owned(), value.clone());
                    }
                    continue;
                }
                if out.is_empty() {
                    out.insert(fname.to_owned(), self.value(fname, &s));
                }
                continue;
            }
            if let Some((only, value)) = &only
                && *only == fname
            {
                out.insert(fname.to_owned(), value.clone());
                continue;
            }
            if s.required {
                out.insert(fname.to_owned(), self.value(fname, &s));
            }
        }
        Value::Object(out)
    }

    fn value(&self, field: &str, s: &Shape) -> Value {
        if s.list { json!([self.placeholder(field, s)]) } else { self.placeholder(field, s) }
    }
}

/// The kind of object an ID field names, from its name.
fn id_kind(field: &str) -> &'static str {
    let stem = field.trim_end_matches("Ids").trim_end_matches("Id");
    match stem {
        "engagement" => "Engagement",
        "activity" | "activitie" => "Activity",
        "member" | "attendeeMember" | "assignee" | "assigneeMember" => "EngagementMember",
        "runbook" => "Runbook",
        "deviation" => "Deviation",
        "session" => "WorkshopSession",
        "sprint" => "Sprint",
        "capability" => "Capability",
        "question" => "Question",
        "link" | "documentLink" => "DocumentLink",
        "assignment" => "RaciAssignment",
        "webhookEndpoint" => "WebhookEndpoint",
        "event" => "AuditEvent",
        "apiKey" => "ApiKey",
        "trackerConnection" => "TrackerConnection",
        other => panic!("which kind of object does `{field}` ({other}) name?"),
    }
}

/// One String or list field to walk: its path below `input`, shape and stated maximum.
struct Limited {
    /// `[field]`, or `[field, nested]` inside an input object.
    path: Vec<String>,
    shape: Shape,
    max: Option<(usize, &'static str)>,
}

fn limited(schema: &Schema, type_name: &str, prefix: &[String], out: &mut Vec<Limited>) {
    for field in schema.input_fields(type_name) {
        let name = field["name"].as_str().unwrap().to_owned();
        let s = shape(&field["type"]);
        let mut path = prefix.to_vec();
        path.push(name);
        if s.kind == "INPUT_OBJECT" && !s.list {
            limited(schema, &s.name, &path, out);
        } else if s.list || (s.kind == "SCALAR" && s.name == "String") {
            let max = stated_max(field["description"].as_str().unwrap_or_default());
            out.push(Limited { path, shape: s, max });
        }
    }
}

/// `base` with the field at `path` set to `value`.
fn with(schema: &Schema, input_type: &str, base: &Value, path: &[String], value: Value) -> Value {
    let mut input = base.clone();
    match path {
        [field] => {
            input[field.as_str()] = value;
        }
        [outer, inner] => {
            let outer_type = schema
                .input_fields(input_type)
                .into_iter()
                .find(|f| f["name"] == outer.as_str())
                .map(|f| shape(&f["type"]).name)
                .unwrap();
            input[outer.as_str()] = schema.object(&outer_type, Some((inner, value)));
        }
        _ => panic!("nested deeper than one level: {path:?}"),
    }
    input
}

/// A value of `n` characters or items for the field.
fn of_size(schema: &Schema, l: &Limited, n: usize) -> Value {
    let field = l.path.last().unwrap();
    if l.shape.list {
        let item = if l.shape.kind == "SCALAR" && l.shape.name == "String" {
            json!("x")
        } else {
            schema.placeholder(field, &l.shape)
        };
        Value::Array(vec![item; n])
    } else {
        json!("x".repeat(n))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_string_and_list_input_states_and_holds_its_maximum() {
    let app = TestApp::start().await;
    let admin = app.token("limits-admin", &["admin", "consultant"]);
    let data = app.data(&admin, INTROSPECTION, json!({})).await;
    let types = data["__schema"]["types"].as_array().unwrap();
    let schema = Schema { types: types.iter().map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone())).collect() };
    let before = app.count_rows("audit_events").await;

    let (mut undocumented, mut failures, mut walked) = (vec![], vec![], 0);
    for op in data["__schema"]["mutationType"]["fields"].as_array().unwrap() {
        let name = op["name"].as_str().unwrap();
        let input_type = shape(&op["args"][0]["type"]).name;
        let base = schema.object(&input_type, None);
        let mut fields = vec![];
        limited(&schema, &input_type, &[], &mut fields);
        for l in fields {
            let what = format!("{input_type}.{}", l.path.join("."));
            let Some((max, unit)) = l.max else {
                undocumented.push(what);
                continue;
            };
            let (code, expected_unit) = if l.shape.list { ("TOO_MANY", "items") } else { ("TOO_LONG", "characters") };
            assert_eq!(
                unit,
                expected_unit,
                "{what}: a {} states its maximum in {expected_unit}",
                if l.shape.list { "list" } else { "text" }
            );
            let query = format!(
                "mutation($input: {input_type}!) {{ {name}(input: $input) {{ userErrors {{ field code }} }} }}"
            );
            let refused_for = |body: &Value| -> bool {
                body["data"][name]["userErrors"].as_array().is_some_and(|errors| {
                    errors.iter().any(|e| e["code"] == code && e["field"][1] == l.path[0].as_str())
                })
            };
            let over = with(&schema, &input_type, &base, &l.path, of_size(&schema, &l, max + 1));
            let body = app.gql(&admin, &query, json!({ "input": over })).await;
            if !refused_for(&body) {
                failures.push(format!("{what}: {} {unit} not refused with {code}: {body}", max + 1));
            }
            let at_max = with(&schema, &input_type, &base, &l.path, of_size(&schema, &l, max));
            let body = app.gql(&admin, &query, json!({ "input": at_max })).await;
            if refused_for(&body) {
                failures.push(format!("{what}: {max} {unit} refused although the description allows it: {body}"));
            }
            walked += 1;
        }
    }
    assert!(undocumented.is_empty(), "state \"At most N characters/items.\" in the description of: {undocumented:#?}");
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(walked >= 40, "only {walked} fields walked");
    assert_eq!(app.count_rows("audit_events").await, before, "nothing was written");
}

/// The README's "Input limits" table: `(input type, field path, maximum)` rows.
fn readme_limits() -> Vec<(String, String, String)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("### Input limits").expect("the README has an \"Input limits\" section");
    let section = &readme[start..];
    let end = section[4..].find("\n#").map_or(section.len(), |i| i + 4);
    section[..end]
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<String> = l.split('|').map(|c| c.trim().replace('`', "")).collect();
            (cells[1].clone(), cells[2].clone(), cells[3].clone())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_lists_every_input_limit_as_the_schema_states_it() {
    let app = TestApp::start().await;
    let token = app.token("reader", &[]);
    let data = app.data(&token, INTROSPECTION, json!({})).await;
    let types = data["__schema"]["types"].as_array().unwrap();
    let schema = Schema { types: types.iter().map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone())).collect() };
    let mut rows = std::collections::BTreeSet::new();
    for op in data["__schema"]["mutationType"]["fields"].as_array().unwrap() {
        let input_type = shape(&op["args"][0]["type"]).name;
        let mut fields = vec![];
        limited(&schema, &input_type, &[], &mut fields);
        for l in fields {
            let max = l.max.map_or_else(|| "none stated".to_owned(), |(n, unit)| format!("{n} {unit}"));
            rows.insert((input_type.clone(), l.path.join("."), max));
        }
    }
    let table: String = rows.iter().map(|(t, f, max)| format!("| `{t}` | `{f}` | {max} |\n")).collect();
    let listed: std::collections::BTreeSet<_> = readme_limits().into_iter().collect();
    assert!(listed == rows, "the README's \"Input limits\" table should read:\n{table}");
}

#[test]
fn a_stated_maximum_is_read_from_the_description() {
    assert_eq!(stated_max("The title. At most 200 characters."), Some((200, "characters")));
    assert_eq!(stated_max("Criteria. At most 50 items, each at most 1000 characters."), Some((50, "items")));
    assert_eq!(stated_max("No limit here."), None);
}

const OUTPUT_TYPES: &str = r#"{ __schema { types { name kind interfaces { name }
    fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
      args { name description type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }"#;

/// A type as a variable declares it, e.g. `[ID!]!`.
fn type_ref(t: &Value) -> String {
    match t["kind"].as_str().unwrap() {
        "NON_NULL" => format!("{}!", type_ref(&t["ofType"])),
        "LIST" => format!("[{}]", type_ref(&t["ofType"])),
        _ => t["name"].as_str().unwrap().to_owned(),
    }
}

/// One query argument to walk: the type and field it belongs to, the
/// argument, the path inside it (for an input object) and the bound.
struct QueryArgument {
    owner: String,
    field: Value,
    arg: Value,
    inner: Vec<String>,
    shape: Shape,
    max: usize,
    code: &'static str,
}

/// Every text and list a query or subscription can be passed, with the
/// bound the README and `Query`'s description state (or the argument's own).
fn query_arguments(schema: &Schema, out_types: &[Value]) -> Vec<QueryArgument> {
    let mut out = vec![];
    // Mutations' inputs are walked above, with limits of their own.
    let walked =
        |t: &&Value| t["kind"] == "OBJECT" && t["name"] != "Mutation" && !t["name"].as_str().unwrap().starts_with("__");
    for t in out_types.iter().filter(walked) {
        for field in t["fields"].as_array().into_iter().flatten() {
            for arg in field["args"].as_array().into_iter().flatten() {
                let s = shape(&arg["type"]);
                let mut targets = vec![];
                if s.kind == "INPUT_OBJECT" && !s.list {
                    let mut inner = vec![];
                    limited(schema, &s.name, &[], &mut inner);
                    targets.extend(inner.into_iter().map(|l| (l.path, l.shape)));
                } else if s.list || (s.kind == "SCALAR" && matches!(s.name.as_str(), "String" | "ID")) {
                    targets.push((vec![], s));
                }
                for (inner, shape) in targets {
                    let name = inner.last().map_or(arg["name"].as_str().unwrap(), String::as_str);
                    let (max, code) = match (shape.list, name) {
                        (true, _) => (100, "TOO_MANY"),
                        (false, "search") => (200, "QUERY_TOO_LONG"),
                        (false, _) => (1_000, "TOO_LONG"),
                    };
                    let owner = t["name"].as_str().unwrap().to_owned();
                    out.push(QueryArgument { owner, field: field.clone(), arg: arg.clone(), inner, shape, max, code });
                }
            }
        }
    }
    out
}

/// A query or subscription that passes `value` to the argument (through
/// `node(id:)` or `viewer` for fields below the root), other required
/// arguments a placeholder.
fn query_for(schema: &Schema, out_types: &[Value], a: &QueryArgument, value: Value) -> (String, Value) {
    let fname = a.field["name"].as_str().unwrap();
    let mut declared = vec![];
    let mut passed = vec![];
    let mut variables = Map::new();
    for arg in a.field["args"].as_array().unwrap() {
        let aname = arg["name"].as_str().unwrap();
        let s = shape(&arg["type"]);
        let v = if aname == a.arg["name"] {
            if a.inner.is_empty() {
                value.clone()
            } else {
                with(schema, &s.name, &schema.object(&s.name, None), &a.inner, value.clone())
            }
        } else if s.required {
            match (s.kind.as_str(), s.name.as_str()) {
                ("SCALAR", "ID") => json!(global_id("Engagement", 999_999_937)),
                _ => schema.value(aname, &s),
            }
        } else {
            continue;
        };
        declared.push(format!("${aname}: {}", type_ref(&arg["type"])));
        passed.push(format!("{aname}: ${aname}"));
        variables.insert(aname.to_owned(), v);
    }
    let returns = shape(&a.field["type"]);
    let selection =
        if matches!(returns.kind.as_str(), "OBJECT" | "INTERFACE" | "UNION") { " { __typename }" } else { "" };
    let call = format!("{fname}({}){selection}", passed.join(", "));
    let is_node = out_types
        .iter()
        .find(|t| t["name"] == a.owner.as_str())
        .is_some_and(|t| t["interfaces"].as_array().is_some_and(|i| i.iter().any(|i| i["name"] == "Node")));
    let (kind, body) = match a.owner.as_str() {
        "Query" => ("query", call),
        "Subscription" => ("subscription", call),
        "Viewer" => ("query", format!("viewer {{ {call} }}")),
        owner if is_node => {
            variables.insert("node".into(), json!(global_id(owner, 999_999_937)));
            declared.push("$node: ID!".into());
            ("query", format!("node(id: $node) {{ ... on {owner} {{ {call} }} }}"))
        }
        owner => panic!("{owner}.{fname} has arguments but is reached neither from the root, `viewer` nor `node`"),
    };
    let declared = if declared.is_empty() { String::new() } else { format!("({})", declared.join(", ")) };
    (format!("{kind}{declared} {{ {body} }}"), Value::Object(variables))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_query_argument_holds_its_maximum_before_anything_runs() {
    let app = TestApp::start().await;
    let admin = app.token("limits-admin", &["admin", "consultant"]);
    let data = app.data(&admin, INTROSPECTION, json!({})).await;
    let types = data["__schema"]["types"].as_array().unwrap();
    let schema = Schema { types: types.iter().map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone())).collect() };
    let out_types = app.data(&admin, OUTPUT_TYPES, json!({})).await["__schema"]["types"].as_array().unwrap().clone();

    let (mut failures, mut walked) = (vec![], 0);
    for a in query_arguments(&schema, &out_types) {
        let what = format!("{}.{}({}{})", a.owner, a.field["name"], a.arg["name"], a.inner.join("."));
        let sized = |n: usize| {
            if a.shape.list {
                let item = if a.shape.kind == "SCALAR" { json!("x") } else { schema.placeholder("x", &a.shape) };
                Value::Array(vec![item; n])
            } else {
                json!("x".repeat(n))
            }
        };
        let (query, variables) = query_for(&schema, &out_types, &a, sized(a.max + 1));
        let body = app.gql(&admin, &query, variables).await;
        if body["errors"][0]["extensions"]["code"] != a.code || body["errors"][0]["extensions"]["max"] != a.max {
            failures.push(format!("{what}: {} not refused with {}: {query} → {body}", a.max + 1, a.code));
        }
        let (query, variables) = query_for(&schema, &out_types, &a, sized(a.max));
        let body = app.gql(&admin, &query, variables).await;
        if body["errors"][0]["extensions"]["code"] == a.code {
            failures.push(format!("{what}: {} refused although it is the maximum: {body}", a.max));
        }
        walked += 1;
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(walked >= 30, "only {walked} query arguments walked");
}
