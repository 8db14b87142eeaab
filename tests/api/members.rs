//! Membership rules: who may manage members, and the last consultant.

use serde_json::{Value, json};

use crate::common::{TestApp, error_code, member_id};

const CHANGE: &str = "mutation($input: ChangeEngagementMemberRoleInput!) { changeEngagementMemberRole(input: $input) {
    member { id role version } userErrors { field code message } } }";
const REMOVE: &str = "mutation($input: RemoveEngagementMemberInput!) { removeEngagementMember(input: $input) {
    removedMemberId engagement { members { totalCount } } userErrors { field code } } }";
const ADD: &str = "mutation($input: AddEngagementMemberInput!) { addEngagementMember(input: $input) {
    member { id role user { subject name email } } userErrors { field code } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consultants_add_members_who_then_read_the_engagement() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Team").await;

    let data = app
        .data(&owner, ADD, json!({ "input": { "engagementId": id, "subject": "sam", "name": "Sam Stake", "email": "sam@acme.test", "role": "STAKEHOLDER" } }))
        .await;
    assert_eq!(data["addEngagementMember"]["member"]["role"], "STAKEHOLDER");
    assert_eq!(
        data["addEngagementMember"]["member"]["user"],
        json!({ "subject": "sam", "name": "Sam Stake", "email": "sam@acme.test" })
    );

    // Added before first sign-in; their token later finds the same user.
    let sam = app.token("sam", &[]);
    let data = app.data(&sam, "query($id: ID!) { engagement(id: $id) { name viewerRole members { totalCount } } viewer { engagements { totalCount } } }", json!({ "id": id })).await;
    assert_eq!(data["engagement"]["viewerRole"], "STAKEHOLDER");
    assert_eq!(data["engagement"]["members"]["totalCount"], 2);
    assert_eq!(data["viewer"]["engagements"]["totalCount"], 1);

    let again =
        app.data(&owner, ADD, json!({ "input": { "engagementId": id, "subject": "sam", "role": "CONSULTANT" } })).await;
    assert_eq!(
        again["addEngagementMember"]["userErrors"],
        json!([{ "field": ["input", "subject"], "code": "ALREADY_MEMBER" }])
    );
    let blank =
        app.data(&owner, ADD, json!({ "input": { "engagementId": id, "subject": " ", "role": "CONSULTANT" } })).await;
    assert_eq!(blank["addEngagementMember"]["userErrors"][0]["code"], "REQUIRED");
    assert_eq!(app.count_rows("engagement_members").await, 2);
    assert_eq!(app.count_rows("audit_events WHERE action = 'member.added'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_consultants_and_admins_manage_members() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Roles").await;
    let owner_member = member_id(&app, &owner, &id, "owner").await;
    let ws_member = app.add_member(&owner, &id, "wanda", "WORKSTREAM_MEMBER").await;
    app.add_member(&owner, &id, "stan", "STAKEHOLDER").await;

    for (sub, roles) in [("wanda", &["consultant"][..]), ("stan", &[][..])] {
        let token = app.token(sub, roles);
        let body = app
            .gql(&token, ADD, json!({ "input": { "engagementId": id, "subject": "x", "role": "CONSULTANT" } }))
            .await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{sub} adds");
        let body =
            app.gql(&token, CHANGE, json!({ "input": { "memberId": owner_member, "role": "STAKEHOLDER" } })).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{sub} changes a role");
        let body = app.gql(&token, REMOVE, json!({ "input": { "memberId": owner_member } })).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{sub} removes");
    }
    // A non-member (even with the consultant claim) is told nothing exists.
    let outsider = app.token("outsider", &["consultant"]);
    let body =
        app.gql(&outsider, ADD, json!({ "input": { "engagementId": id, "subject": "x", "role": "CONSULTANT" } })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = app.gql(&outsider, REMOVE, json!({ "input": { "memberId": ws_member } })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    // An admin manages members without being one.
    let admin = app.token("root", &["admin"]);
    let data = app.data(&admin, CHANGE, json!({ "input": { "memberId": ws_member, "role": "CONSULTANT" } })).await;
    assert_eq!(data["changeEngagementMemberRole"]["member"]["role"], "CONSULTANT");
    assert_eq!(app.count_rows("engagement_members").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_consultant_stays() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Keep").await;
    let me = member_id(&app, &owner, &id, "owner").await;

    let data = app.data(&owner, REMOVE, json!({ "input": { "memberId": me } })).await;
    assert_eq!(
        data["removeEngagementMember"]["userErrors"],
        json!([{ "field": ["input", "memberId"], "code": "LAST_CONSULTANT" }])
    );
    assert!(data["removeEngagementMember"]["removedMemberId"].is_null());
    let data = app.data(&owner, CHANGE, json!({ "input": { "memberId": me, "role": "WORKSTREAM_MEMBER" } })).await;
    assert_eq!(data["changeEngagementMemberRole"]["userErrors"][0]["code"], "LAST_CONSULTANT");
    assert!(data["changeEngagementMemberRole"]["member"].is_null());

    // With a second consultant, the first may step down and then be removed.
    app.add_member(&owner, &id, "second", "CONSULTANT").await;
    let data = app
        .data(&owner, CHANGE, json!({ "input": { "memberId": me, "role": "WORKSTREAM_MEMBER", "expectedVersion": 1 } }))
        .await;
    assert_eq!(data["changeEngagementMemberRole"]["member"]["role"], "WORKSTREAM_MEMBER");
    assert_eq!(data["changeEngagementMemberRole"]["member"]["version"], 2);
    // Now a workstream member, the former owner can no longer manage members.
    let body = app.gql(&owner, REMOVE, json!({ "input": { "memberId": me } })).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let second = app.token("second", &[]);
    let data = app.data(&second, REMOVE, json!({ "input": { "memberId": me } })).await;
    assert_eq!(data["removeEngagementMember"]["removedMemberId"], Value::String(me.clone()));
    assert_eq!(data["removeEngagementMember"]["engagement"]["members"]["totalCount"], 1);
    // The removed member lost access.
    let body = app.gql(&owner, "query($id: ID!) { engagement(id: $id) { id } }", json!({ "id": id })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let actions = app.count_rows("audit_events WHERE action IN ('member.role_changed', 'member.removed')").await;
    assert_eq!(actions, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_version_is_a_conflict() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Versions").await;
    let member = app.add_member(&owner, &id, "w", "WORKSTREAM_MEMBER").await;
    let data = app
        .data(&owner, CHANGE, json!({ "input": { "memberId": member, "role": "STAKEHOLDER", "expectedVersion": 1 } }))
        .await;
    assert_eq!(data["changeEngagementMemberRole"]["member"]["version"], 2);
    let body = app
        .gql(&owner, CHANGE, json!({ "input": { "memberId": member, "role": "CONSULTANT", "expectedVersion": 1 } }))
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(body["errors"][0]["extensions"]["currentVersion"], 2);
    let body = app.gql(&owner, REMOVE, json!({ "input": { "memberId": member, "expectedVersion": 1 } })).await;
    assert_eq!(error_code(&body), "CONFLICT");
    let data = app
        .data(
            &owner,
            "query($id: ID!) { node(id: $id) { ... on EngagementMember { role version } } }",
            json!({ "id": member }),
        )
        .await;
    assert_eq!(data["node"], json!({ "role": "STAKEHOLDER", "version": 2 }));

    // IDs of the wrong type or shape.
    let body = app.gql(&owner, CHANGE, json!({ "input": { "memberId": id, "role": "CONSULTANT" } })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = app.gql(&owner, CHANGE, json!({ "input": { "memberId": "%%%", "role": "CONSULTANT" } })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}
