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
    // Invited: the name typed, and no email until they sign in.
    assert_eq!(
        data["addEngagementMember"]["member"]["user"],
        json!({ "subject": "sam", "name": "Sam Stake", "email": null })
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
    let admin = app.token("root", &["admin"]);
    let data = app.data(&admin, CHANGE, json!({ "input": { "memberId": me, "role": "WORKSTREAM_MEMBER" } })).await;
    assert_eq!(data["changeEngagementMemberRole"]["userErrors"][0]["code"], "LAST_CONSULTANT");
    assert!(data["changeEngagementMemberRole"]["member"].is_null());

    // With a second consultant, the first may be stepped down (never by themselves) and then be removed.
    app.add_member(&owner, &id, "second", "CONSULTANT").await;
    let second = app.token("second", &[]);
    let own = app.data(&owner, CHANGE, json!({ "input": { "memberId": me, "role": "WORKSTREAM_MEMBER" } })).await;
    assert_eq!(
        own["changeEngagementMemberRole"]["userErrors"],
        json!([{ "field": ["input", "memberId"], "code": "OWN_ROLE", "message": "someone else changes your role in this engagement" }])
    );
    let data = app
        .data(
            &second,
            CHANGE,
            json!({ "input": { "memberId": me, "role": "WORKSTREAM_MEMBER", "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(data["changeEngagementMemberRole"]["member"]["role"], "WORKSTREAM_MEMBER");
    assert_eq!(data["changeEngagementMemberRole"]["member"]["version"], 2);
    // Now a workstream member, the former owner can no longer manage members.
    let body = app.gql(&owner, REMOVE, json!({ "input": { "memberId": me } })).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
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

const MEMBERS: &str =
    "query($id: ID!) { engagement(id: $id) { members { nodes { invited joinedAt user { id subject name email } } } } }";

/// The member `subject` of engagement `id` as `token` sees it.
async fn seen(app: &TestApp, token: &str, id: &str, subject: &str) -> Value {
    let data = app.data(token, MEMBERS, json!({ "id": id })).await;
    let members = data["engagement"]["members"]["nodes"].as_array().unwrap().clone();
    members.into_iter().find(|m| m["user"]["subject"] == subject).unwrap_or_else(|| panic!("no {subject}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invited_members_show_only_what_their_inviter_typed_until_they_sign_in() {
    let app = TestApp::start().await;
    // Sam works with customer A and has signed in: opskit knows his profile ("User sam", sam@example.com).
    let ada = app.token("ada", &["consultant"]);
    let a = app.create_engagement_for(&ada, "A", "Customer A").await;
    app.add_member(&ada, &a, "sam", "STAKEHOLDER").await;
    let sam = app.token("sam", &[]);
    app.data(&sam, "{ viewer { name } }", json!({})).await;

    // Customer B's consultant adds him by subject, typing another name and email.
    let bob = app.token("bob", &["consultant"]);
    let b = app.create_engagement_for(&bob, "B", "Customer B").await;
    let input = json!({ "input": { "engagementId": b, "subject": "sam", "name": "S. typed by Bob", "email": "typed@b.test", "role": "STAKEHOLDER" } });
    let added = app.data(&bob, ADD, input).await;
    assert_eq!(
        added["addEngagementMember"]["member"]["user"],
        json!({ "subject": "sam", "name": "S. typed by Bob", "email": null }),
        "the profile from customer A's engagement is not shown"
    );
    let member = seen(&app, &bob, &b, "sam").await;
    assert_eq!((member["invited"].clone(), member["joinedAt"].clone()), (json!(true), Value::Null));
    assert_eq!(member["user"]["name"], "S. typed by Bob");
    let node = app
        .data(
            &bob,
            "query($id: ID!) { node(id: $id) { ... on User { name email } } }",
            json!({ "id": member["user"]["id"] }),
        )
        .await;
    assert_eq!(node["node"], json!({ "name": "S. typed by Bob", "email": null }), "not through node(id) either");
    let leaked =
        app.count_rows("audit_events WHERE summary LIKE '%User sam%' OR summary LIKE '%sam@example.com%'").await;
    assert_eq!(leaked, 0, "nor in B's audit trail");
    // Ada, who shares a joined engagement with Sam, still sees his profile.
    assert_eq!(seen(&app, &ada, &a, "sam").await["user"]["name"], "User sam");

    // What Bob typed never overwrote what the identity provider says.
    let me = app.data(&sam, "{ viewer { name email } }", json!({})).await;
    assert_eq!(me["viewer"], json!({ "name": "User sam", "email": "sam@example.com" }));
    // That request was Sam signing in: he joined B, and B now sees him as he is.
    let member = seen(&app, &bob, &b, "sam").await;
    assert_eq!(member["invited"], false, "{member}");
    assert!(member["joinedAt"].is_string());
    assert_eq!(member["user"]["name"], "User sam");
    assert_eq!(member["user"]["email"], "sam@example.com");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_one_inviter_types_is_never_shown_to_another() {
    let app = TestApp::start().await;
    let ada = app.token("ada", &["consultant"]);
    let bob = app.token("bob", &["consultant"]);
    let a = app.create_engagement_for(&ada, "A", "Customer A").await;
    let b = app.create_engagement_for(&bob, "B", "Customer B").await;
    // Nobody has seen Pat sign in; both consultants add them with a name of their own.
    for (token, id, name) in [(&ada, &a, "Pat from A"), (&bob, &b, "Pat from B")] {
        let input =
            json!({ "input": { "engagementId": id, "subject": "pat", "name": name, "role": "WORKSTREAM_MEMBER" } });
        app.data(token, ADD, input).await;
    }
    assert_eq!(seen(&app, &ada, &a, "pat").await["user"]["name"], "Pat from A");
    assert_eq!(seen(&app, &bob, &b, "pat").await["user"]["name"], "Pat from B");
    let none = app.count_rows("users WHERE subject = 'pat' AND (name IS NOT NULL OR email IS NOT NULL)").await;
    assert_eq!(none, 0, "a typed name is the membership's, never the user's");
    // The creator of an engagement, and someone adding themselves, are members at once.
    let me = seen(&app, &ada, &a, "ada").await;
    assert_eq!(me["invited"], false);
    let admin = app.token("root", &["admin"]);
    app.add_member(&admin, &a, "root", "CONSULTANT").await;
    assert_eq!(seen(&app, &ada, &a, "root").await["invited"], false);
}
