//! Question banks: answers checked against each question's kind, with history.

use serde_json::{Value, json};

use crate::common::{TestApp, activity_ids, agree_target, bank, error_code, first_of, payload, transition};

const ANSWER: &str = "mutation($input: AnswerQuestionInput!) { answerQuestion(input: $input) {
    answer { id version notes value { text yesNo choice choices scale display } answeredBy { subject }
      history { value { display } previousValue { display } answeredBy { subject } } }
    userErrors { field code message } } }";

async fn answer(
    app: &TestApp,
    token: &str,
    activity: &str,
    question: &Value,
    value: Value,
    version: Option<i64>,
) -> Value {
    let input = json!({ "input": { "activityId": activity, "questionId": question, "value": value, "notes": "from the workshop", "expectedVersion": version } });
    payload(app.gql(token, ANSWER, input).await, "answerQuestion")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_kind_is_checked() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Answers").await;
    app.add_member(&owner, &id, "wanda", "WORKSTREAM_MEMBER").await;
    let wanda = app.token("wanda", &[]);
    let acts = activity_ids(&app, &owner, &id).await;
    let dna = &acts["change-management/DISCOVERY_AND_ANALYSIS"];
    let qs = bank(&app, &owner, dna).await;

    let text = first_of(&qs, "TEXT");
    let yes_no = first_of(&qs, "YES_NO");
    let single = first_of(&qs, "SINGLE_CHOICE");
    let multi = first_of(&qs, "MULTIPLE_CHOICE");
    let scale = first_of(&qs, "SCALE");

    // Refusals first: nothing may be written by any of them.
    let refusals = [
        (&text["id"], json!({ "yesNo": true }), "WRONG_ANSWER_KIND"),
        (&text["id"], json!({ "text": "   " }), "REQUIRED"),
        (&yes_no["id"], json!({ "text": "yes" }), "WRONG_ANSWER_KIND"),
        (&single["id"], json!({ "choice": "Not a listed choice" }), "INVALID_CHOICE"),
        (&single["id"], json!({ "choices": [single["choices"][0].clone()] }), "WRONG_ANSWER_KIND"),
        (&multi["id"], json!({ "choices": [multi["choices"][0].clone(), "Bogus"] }), "INVALID_CHOICE"),
        (&multi["id"], json!({ "choices": [] }), "REQUIRED"),
        (&scale["id"], json!({ "scale": 0 }), "OUT_OF_RANGE"),
        (&scale["id"], json!({ "scale": 6 }), "OUT_OF_RANGE"),
        (&scale["id"], json!({ "text": "3" }), "WRONG_ANSWER_KIND"),
    ];
    for (question, value, code) in refusals {
        let p = answer(&app, &wanda, dna, question, value.clone(), None).await;
        assert_eq!(p["userErrors"][0]["code"], code, "{value}: {p}");
        assert_eq!(p["userErrors"][0]["field"], json!(["input", "value"]));
        assert!(p["answer"].is_null());
    }
    // Not exactly one field of the @oneOf input: refused by the schema.
    let body = app
        .gql(
            &wanda,
            ANSWER,
            json!({ "input": { "activityId": dna, "questionId": text["id"], "value": { "text": "a", "scale": 3 } } }),
        )
        .await;
    assert!(body["errors"].is_array(), "{body}");
    assert_eq!(app.count_rows("answers").await, 0);
    assert_eq!(app.count_rows("answer_revisions").await, 0);

    let p = answer(&app, &wanda, dna, &text["id"], json!({ "text": " CAB meets weekly on Tuesdays " }), None).await;
    assert_eq!(p["answer"]["value"]["text"], "CAB meets weekly on Tuesdays");
    assert_eq!(p["answer"]["answeredBy"]["subject"], "wanda");
    let p = answer(&app, &wanda, dna, &yes_no["id"], json!({ "yesNo": false }), None).await;
    assert_eq!(p["answer"]["value"]["display"], "No");
    let p = answer(&app, &owner, dna, &single["id"], json!({ "choice": single["choices"][1].clone() }), None).await;
    assert_eq!(p["answer"]["value"]["choice"], single["choices"][1]);
    let picked = json!([multi["choices"][2].clone(), multi["choices"][0].clone()]);
    let p = answer(&app, &owner, dna, &multi["id"], json!({ "choices": picked }), None).await;
    assert_eq!(
        p["answer"]["value"]["choices"],
        json!([multi["choices"][0].clone(), multi["choices"][2].clone()]),
        "kept in the bank's order"
    );
    let p = answer(&app, &owner, dna, &scale["id"], json!({ "scale": 3 }), None).await;
    assert_eq!(p["answer"]["value"]["scale"], 3);
    assert_eq!(p["answer"]["value"]["text"], Value::Null);

    let data = app
        .data(&owner, "query($id: ID!) { node(id: $id) { ... on Activity { questionCoverage { answered total } unansweredQuestions { id }
            answered: questions(answered: true) { question { id } answer { value { display } } } } } }", json!({ "id": dna }))
        .await;
    let total = qs.len();
    assert_eq!(data["node"]["questionCoverage"], json!({ "answered": 5, "total": total }));
    assert_eq!(data["node"]["unansweredQuestions"].as_array().unwrap().len(), total - 5);
    assert_eq!(data["node"]["answered"].as_array().unwrap().len(), 5);
    assert_eq!(app.count_rows("audit_events WHERE action = 'answer.recorded'").await, 5);

    // On a page, each activity's coverage is counted for it alone (one
    // statement for the page): the answered one and the untouched ones.
    let data = app
        .data(
            &owner,
            "query($id: ID!) { engagement(id: $id) { activities(first: 100) { nodes { id
            questionCoverage { answered total } questions(answered: true) { question { id } } } } } }",
            json!({ "id": id }),
        )
        .await;
    let nodes = data["engagement"]["activities"]["nodes"].as_array().unwrap();
    assert!(nodes.len() > 10, "{nodes:?}");
    for node in nodes {
        let answered: u64 = if node["id"] == *dna { 5 } else { 0 };
        assert_eq!(node["questionCoverage"]["answered"], answered, "{node}");
        assert_eq!(node["questions"].as_array().unwrap().len() as u64, answered, "{node}");
    }
    assert_eq!(nodes.iter().find(|n| n["id"] == *dna).unwrap()["questionCoverage"]["total"], total);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_keep_their_history_and_versions() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "History").await;
    app.add_member(&owner, &id, "wanda", "WORKSTREAM_MEMBER").await;
    let wanda = app.token("wanda", &[]);
    let acts = activity_ids(&app, &owner, &id).await;
    let dna = &acts["tag-management/DISCOVERY_AND_ANALYSIS"];
    let qs = bank(&app, &owner, dna).await;
    let text = first_of(&qs, "TEXT");

    let first = answer(&app, &owner, dna, &text["id"], json!({ "text": "Cost center only" }), None).await;
    assert_eq!(first["answer"]["version"], 1);
    let stale_first = answer(&app, &wanda, dna, &text["id"], json!({ "text": "x" }), Some(3)).await;
    assert_eq!(error_code(&stale_first), "CONFLICT");
    let second = answer(&app, &wanda, dna, &text["id"], json!({ "text": "Cost center and owner" }), Some(1)).await;
    assert_eq!(second["answer"]["id"], first["answer"]["id"], "one answer per question");
    assert_eq!(second["answer"]["version"], 2);
    let history = &second["answer"]["history"];
    assert_eq!(
        history,
        &json!([
            { "value": { "display": "Cost center and owner" }, "previousValue": { "display": "Cost center only" }, "answeredBy": { "subject": "wanda" } },
            { "value": { "display": "Cost center only" }, "previousValue": null, "answeredBy": { "subject": "owner" } }
        ])
    );
    let stale = answer(&app, &owner, dna, &text["id"], json!({ "text": "lost update" }), Some(1)).await;
    assert_eq!(error_code(&stale), "CONFLICT");
    assert_eq!(stale["errors"][0]["extensions"]["currentVersion"], 2);
    assert_eq!(app.count_rows("answer_revisions").await, 2);

    // The answer is a node, refetchable by members only.
    let answer_id = second["answer"]["id"].clone();
    let data = app
        .data(
            &wanda,
            "query($id: ID!) { node(id: $id) { ... on Answer { value { text } question { id } } } }",
            json!({ "id": answer_id }),
        )
        .await;
    assert_eq!(data["node"]["value"]["text"], "Cost center and owner");
    let stranger = app.token("stranger", &["consultant"]);
    let body = app.gql(&stranger, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": answer_id })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_answer_and_where() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Who").await;
    app.add_member(&owner, &id, "stan", "STAKEHOLDER").await;
    let acts = activity_ids(&app, &owner, &id).await;
    let dna = &acts["ami-management/DISCOVERY_AND_ANALYSIS"];
    let other_dna = &acts["patch-management/DISCOVERY_AND_ANALYSIS"];
    let qs = bank(&app, &owner, dna).await;
    let text = first_of(&qs, "TEXT");

    let stan = app.token("stan", &[]);
    let body = app
        .gql(
            &stan,
            ANSWER,
            json!({ "input": { "activityId": dna, "questionId": text["id"], "value": { "text": "x" } } }),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let stranger = app.token("stranger", &["consultant"]);
    let body = app
        .gql(
            &stranger,
            ANSWER,
            json!({ "input": { "activityId": dna, "questionId": text["id"], "value": { "text": "x" } } }),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND");

    let p = answer(&app, &owner, other_dna, &text["id"], json!({ "text": "x" }), None).await;
    assert_eq!(p["userErrors"][0]["code"], "QUESTION_NOT_IN_ACTIVITY");

    agree_target(&app, &owner, dna).await;
    transition(&app, &owner, "startActivity", dna, None).await;
    transition(&app, &owner, "completeActivity", dna, None).await;
    let p = answer(&app, &owner, dna, &text["id"], json!({ "text": "late" }), None).await;
    assert_eq!(p["userErrors"][0]["code"], "ACTIVITY_DONE");
    assert_eq!(app.count_rows("answers").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_answers_have_one_winner() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Race").await;
    let acts = activity_ids(&app, &owner, &id).await;
    let dna = &acts["configuration-management/DISCOVERY_AND_ANALYSIS"];
    let qs = bank(&app, &owner, dna).await;
    let text = first_of(&qs, "TEXT");

    // Version 0: "only if nobody has answered yet". Ten such answers at once.
    let answers = (0..10).map(|i| {
        let (app, owner, dna, question) = (&app, &owner, dna, &text["id"]);
        async move { answer(app, owner, dna, question, json!({ "text": format!("answer {i}") }), Some(0)).await }
    });
    let results = futures::future::join_all(answers).await;
    let winners = results.iter().filter(|r| r.get("errors").is_none()).count();
    assert_eq!(winners, 1, "{results:?}");
    for lost in results.iter().filter(|r| r.get("errors").is_some()) {
        assert_eq!(error_code(lost), "CONFLICT", "{lost}");
        assert_eq!(lost["errors"][0]["extensions"]["currentVersion"], 1);
    }
    assert_eq!(app.count_rows("answers").await, 1);
    assert_eq!(app.count_rows("answer_revisions").await, 1);
    assert_eq!(app.count_rows("audit_events WHERE action = 'answer.recorded'").await, 1);
}
