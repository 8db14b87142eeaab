//! What every report is drawn from: one engagement read with the caller's
//! access (a stranger gets `NOT_FOUND`), flattened into rows people read.
//! A report is one request, so the engagement is read with a fixed number of
//! statements, whatever its size.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use opskit_entity::{
    activity, answer, artifact_template, deviation, engagement, engagement_member,
    enums::{ActivityStatus, ArtifactKind, DesignAdoption, RunbookStatus},
    kit, raci_assignment, readiness_assessment, runbook, runbook_revision, user, workshop_session,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::{
    domain::{
        Viewer,
        access::engagement_access,
        answers::AnswerValue,
        ids::{EngagementId, KitId, QuestionId},
        kits::Catalog,
        progress::{self, Progress},
        progress_history::{self, MAX_DAYS, ProgressPoint},
        raci, readiness,
    },
    error::Result,
};

/// An engagement as its reports show it.
#[derive(Debug, Clone, Serialize)]
pub struct Engagement {
    pub name: String,
    pub customer: String,
    pub status: String,
    pub kit: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub closed_at: Option<String>,
    pub close_reason: Option<String>,
    pub generated_at: String,
}

/// One capability: its target, its assessment and how its design is adopted.
#[derive(Debug, Clone, Serialize)]
pub struct Capability {
    pub name: String,
    pub discovery: String,
    pub design: String,
    pub target: Option<String>,
    pub criteria: Vec<String>,
    /// `NOT_READY`, `PARTIALLY_READY`, `READY`, or `NOT_ASSESSED`.
    pub readiness: String,
    pub findings: Option<String>,
    pub adoption: Option<String>,
    pub solution: Option<String>,
}

/// A deviation of the register.
#[derive(Debug, Clone, Serialize)]
pub struct Deviation {
    pub capability: String,
    pub title: String,
    pub severity: String,
    pub status: String,
    pub description: String,
    pub risks: String,
    pub mitigation: Option<String>,
    pub owner: Option<String>,
}

/// A party's role for a capability.
#[derive(Debug, Clone, Serialize)]
pub struct RaciRow {
    pub capability: String,
    pub party: String,
    pub role: String,
}

/// A baselined runbook.
#[derive(Debug, Clone, Serialize)]
pub struct Runbook {
    pub capability: String,
    pub title: String,
    pub kind: String,
    pub revision: Option<i32>,
    pub baselined_on: Option<NaiveDate>,
}

/// An activity and where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub capability: String,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub assignee: Option<String>,
    pub tracker: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
}

/// An answered question.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub capability: String,
    pub activity: String,
    pub question_key: String,
    pub question: String,
    pub answer: String,
    pub notes: Option<String>,
    pub answered_by: String,
    pub answered_at: DateTime<Utc>,
}

/// A workshop session.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    pub id: i64,
    pub title: String,
    pub phase: String,
    pub status: String,
    pub starts_at: Option<DateTime<Utc>>,
    pub duration_minutes: i32,
    pub notes: Option<String>,
}

/// Everything the reports of one engagement show.
#[derive(Debug, Clone)]
pub struct Reportable {
    pub id: EngagementId,
    pub engagement: Engagement,
    pub progress: Progress,
    pub capabilities: Vec<Capability>,
    pub deviations: Vec<Deviation>,
    pub raci: Vec<RaciRow>,
    pub runbooks: Vec<Runbook>,
    pub activities: Vec<Activity>,
    pub answers: Vec<Answer>,
    pub sessions: Vec<Session>,
    /// Progress per day, from the engagement's creation to today (at most [`MAX_DAYS`]).
    pub history: Vec<ProgressPoint>,
}

/// Reads engagement `id` for its reports, its kit from `catalog`; a caller
/// who may not read it gets `NOT_FOUND`.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    catalog: &Catalog,
    viewer: &Viewer,
    id: EngagementId,
) -> Result<Reportable> {
    let access = engagement_access(db, viewer, id).await?;
    let e = access.engagement;
    let kit = Catalog::required(KitId(e.kit_id), catalog.kit(KitId(e.kit_id)))?;
    let capabilities = catalog.capabilities_of(e.kit_id);
    let cap_name: HashMap<i64, String> = capabilities.iter().map(|c| (c.id, c.name.clone())).collect();
    let templates: HashMap<i64, &artifact_template::Model> =
        catalog.artifacts_of(e.kit_id).iter().map(|t| (t.id, &**t)).collect();
    let activities = activity::Entity::find()
        .filter(activity::Column::EngagementId.eq(e.id))
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await?;
    let members =
        engagement_member::Entity::find().filter(engagement_member::Column::EngagementId.eq(e.id)).all(db).await?;
    let stored_answers = answer::Entity::find()
        .filter(answer::Column::ActivityId.is_in(activities.iter().map(|a| a.id)))
        .all(db)
        .await?;
    let people = members.iter().map(|m| m.user_id).chain(stored_answers.iter().map(|a| a.answered_by));
    let users: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(people))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let person = |user_id: i64| users.get(&user_id).map_or_else(String::new, display_name);
    let member_user: HashMap<i64, i64> = members.iter().map(|m| (m.id, m.user_id)).collect();
    let capability_of = |a: &activity::Model| {
        templates.get(&a.artifact_template_id).and_then(|t| t.capability_id).and_then(|c| cap_name.get(&c)).cloned()
    };
    let title_of =
        |a: &activity::Model| templates.get(&a.artifact_template_id).map(|t| t.title.clone()).unwrap_or_default();

    let assessments = readiness_assessment::Entity::find()
        .filter(readiness_assessment::Column::EngagementId.eq(e.id))
        .all(db)
        .await?;
    let capability_rows = capabilities
        .iter()
        .map(|c| {
            let of_kind = |kind: ArtifactKind| {
                activities.iter().find(|a| {
                    templates
                        .get(&a.artifact_template_id)
                        .is_some_and(|t| t.capability_id == Some(c.id) && t.kind == kind)
                })
            };
            let discovery = of_kind(ArtifactKind::DiscoveryAndAnalysis);
            let design = of_kind(ArtifactKind::Design);
            let target = discovery.and_then(readiness::target_of);
            let assessment = assessments.iter().find(|a| a.capability_id == c.id);
            Capability {
                name: c.name.clone(),
                discovery: discovery.map_or("–", |a| activity_status(a.status)).to_owned(),
                design: design.map_or("–", |a| activity_status(a.status)).to_owned(),
                target: target.as_ref().and_then(|t| t.statement.clone()),
                criteria: target.map(|t| t.criteria).unwrap_or_default(),
                readiness: assessment.map_or_else(|| "NOT_ASSESSED".to_owned(), |a| screaming(&a.level)),
                findings: assessment.map(|a| a.findings.clone()),
                adoption: design.and_then(|a| a.design_adoption).map(|d| adoption(d).to_owned()),
                solution: design.and_then(|a| a.adopted_solution.clone()),
            }
        })
        .collect();

    let deviations = deviation::Entity::find()
        .filter(deviation::Column::EngagementId.eq(e.id))
        .order_by_asc(deviation::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|d| Deviation {
            capability: activities.iter().find(|a| a.id == d.activity_id).and_then(capability_of).unwrap_or_default(),
            title: d.title,
            severity: screaming(&d.severity),
            status: screaming(&d.status),
            description: d.description,
            risks: d.risks,
            mitigation: d.mitigation_plan,
            owner: d.owner,
        })
        .collect();

    let assignments =
        raci_assignment::Entity::find().filter(raci_assignment::Column::EngagementId.eq(e.id)).all(db).await?;
    let raci = raci::matrix(capabilities, assignments)
        .into_iter()
        .flat_map(|row| {
            let name = row.capability.name.clone();
            row.assignments.into_iter().map(move |a| RaciRow {
                capability: name.clone(),
                party: a.party,
                role: screaming(&a.role),
            })
        })
        .collect();

    let runbook_rows = runbook::Entity::find()
        .filter(runbook::Column::EngagementId.eq(e.id))
        .filter(runbook::Column::BaselineRevisionId.is_not_null())
        .order_by_asc(runbook::Column::Id)
        .all(db)
        .await?;
    let revisions: HashMap<i64, i32> = runbook_revision::Entity::find()
        .filter(runbook_revision::Column::Id.is_in(runbook_rows.iter().filter_map(|r| r.baseline_revision_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.number))
        .collect();
    let runbooks = runbook_rows
        .into_iter()
        .filter(|r| r.status != RunbookStatus::Retired)
        .map(|r| Runbook {
            capability: cap_name.get(&r.capability_id).cloned().unwrap_or_default(),
            kind: screaming(&r.kind),
            revision: r.baseline_revision_id.and_then(|id| revisions.get(&id).copied()),
            baselined_on: r.baselined_at.map(|t| t.date_naive()),
            title: r.title,
        })
        .collect();

    let activity_rows = activities
        .iter()
        .map(|a| Activity {
            capability: capability_of(a).unwrap_or_default(),
            title: title_of(a),
            kind: templates.get(&a.artifact_template_id).map(|t| screaming(&t.kind)).unwrap_or_default(),
            status: screaming(&a.status),
            assignee: a.assignee_member_id.and_then(|m| member_user.get(&m)).map(|u| person(*u)),
            tracker: a.tracker_key.clone(),
            started_on: a.started_at.map(|t| t.date_naive()),
            completed_on: a.completed_at.map(|t| t.date_naive()),
        })
        .collect();

    let mut answers: Vec<(i64, i32, Answer)> = stored_answers
        .into_iter()
        .filter_map(|a| {
            let activity = activities.iter().find(|x| x.id == a.activity_id)?;
            let question = catalog.question(QuestionId(a.question_id))?;
            let value = serde_json::from_value::<AnswerValue>(a.value.clone()).map(|v| v.display()).unwrap_or_default();
            let row = Answer {
                capability: capability_of(activity).unwrap_or_default(),
                activity: title_of(activity),
                question_key: question.key.clone(),
                question: question.text.clone(),
                answer: value,
                notes: a.notes,
                answered_by: person(a.answered_by),
                answered_at: a.answered_at,
            };
            Some((activity.id, question.position, row))
        })
        .collect();
    answers.sort_by_key(|(activity, position, _)| (*activity, *position));

    let sessions = workshop_session::Entity::find()
        .filter(workshop_session::Column::EngagementId.eq(e.id))
        .order_by_asc(workshop_session::Column::Position)
        .order_by_asc(workshop_session::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| Session {
            id: s.id,
            title: s.title,
            phase: screaming(&s.phase),
            status: screaming(&s.status),
            starts_at: s.starts_at,
            duration_minutes: s.duration_minutes,
            notes: s.notes,
        })
        .collect();

    let today = Utc::now().date_naive();
    let first = e.created_at.date_naive().max(today - chrono::Duration::days(MAX_DAYS - 1));
    let history = progress_history::history(db, id, first.min(today), today).await?;
    let progress = progress::for_engagements(db, catalog, &[id]).await?.remove(&id).unwrap_or_default();
    Ok(Reportable {
        id,
        engagement: summary(&e, &kit),
        progress,
        capabilities: capability_rows,
        deviations,
        raci,
        runbooks,
        activities: activity_rows,
        answers: answers.into_iter().map(|(_, _, a)| a).collect(),
        sessions,
        history,
    })
}

fn summary(e: &engagement::Model, kit: &kit::Model) -> Engagement {
    Engagement {
        name: e.name.clone(),
        customer: e.customer_name.clone(),
        status: screaming(&e.status),
        kit: format!("{} {}", kit.name, kit.version),
        starts_on: e.starts_on,
        ends_on: e.ends_on,
        closed_at: e.closed_at.map(|t| t.format("%Y-%m-%d").to_string()),
        close_reason: e.close_reason.clone(),
        generated_at: Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// A person as reports name them: their name, else their subject.
fn display_name(u: &user::Model) -> String {
    u.name.clone().unwrap_or_else(|| u.subject.clone())
}

/// A stored enum value as clients see it (`IN_PROGRESS`), from its serde form.
fn screaming<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn activity_status(status: ActivityStatus) -> &'static str {
    match status {
        ActivityStatus::NotStarted => "Not started",
        ActivityStatus::InProgress => "In progress",
        ActivityStatus::Done => "Done",
    }
}

fn adoption(a: DesignAdoption) -> &'static str {
    match a {
        DesignAdoption::AsRecommended => "As recommended",
        DesignAdoption::Adapted => "Adapted",
        DesignAdoption::CustomerSolution => "Customer's own solution",
    }
}
