//! The benchmark's data: a fresh database, `direct` engagements made through
//! the domain (each with answers, started activities and runbooks in work),
//! then as many copies of those as it takes to reach the asked number, made
//! with `INSERT … SELECT` so that 10,000 engagements take seconds, not hours.

use std::time::Instant;

use anyhow::Context;
use opskit_api::{
    Config,
    auth::{GlobalRole, Identity},
    domain::{
        Viewer,
        answers::{self, AnswerInput, AnswerValue},
        engagements::{self, NewEngagement, activities},
        ids::{ActivityId, QuestionId, RunbookId},
        runbooks, users,
    },
    entity::{activity, enums::AnswerKind, question, runbook},
    http,
    sea_orm::{
        ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QueryOrder, Statement,
        TransactionTrait,
    },
};

/// The subject of the benchmark's caller, a consultant member of every engagement.
pub const SUBJECT: &str = "bench-consultant";

/// Engagements made through the domain; the rest are copies of them.
const DIRECT: usize = 100;

/// How far apart the IDs of two copies are.
const STRIDE: i64 = 10_000_000;

/// Tables copied, parents first; every row of them belongs to an engagement.
const TABLES: &[&str] = &[
    "engagements",
    "engagement_members",
    "sprints",
    "activities",
    "answers",
    "answer_revisions",
    "document_links",
    "deviations",
    "runbooks",
    "runbook_revisions",
    "runbook_reviews",
    "workshop_sessions",
    "readiness_assessments",
    "raci_assignments",
    "progress_snapshots",
];

/// Columns that point at a copied row, so a copy's points at the copy.
const SHIFTED: &[&str] = &[
    "id",
    "engagement_id",
    "activity_id",
    "answer_id",
    "runbook_id",
    "deviation_id",
    "current_revision_id",
    "baseline_revision_id",
    "replaced_by_id",
    "revision_id",
    "sprint_id",
    "assignee_member_id",
];

/// Migrates `url`, imports the bundled kit and seeds `n` engagements.
pub async fn database(url: &str, secret: &str, n: usize) -> anyhow::Result<()> {
    let mut config = Config::for_database(url, secret);
    config.limits = config.limits.without_deadline();
    let db = http::prepare(&config).await?;
    let identity = Identity {
        subject: SUBJECT.into(),
        name: Some("Bench Consultant".into()),
        email: None,
        roles: vec![GlobalRole::Consultant],
        expires_at: i64::MAX,
    };
    let viewer = users::resolve_viewer(&db, identity, &Default::default()).await?;
    anyhow::ensure!(
        n <= DIRECT || n.is_multiple_of(DIRECT),
        "--engagements above {DIRECT} must be a multiple of {DIRECT}"
    );
    let started = Instant::now();
    let direct = n.min(DIRECT);
    for i in 0..direct {
        engagement(&db, &viewer, i).await?;
    }
    for copy in 1..n / direct.max(1) {
        copy_engagements(&db, copy as i64 * STRIDE).await?;
    }
    // A database in service has its planner statistics; a bulk copy leaves
    // them stale until autovacuum comes by, which a run should not wait on.
    db.execute_unprepared("ANALYZE").await?;
    eprintln!("seeded {n} engagements ({direct} through the domain) in {:.1}s", started.elapsed().as_secs_f64());
    db.close().await?;
    Ok(())
}

/// One engagement with some of everything.
async fn engagement(db: &DatabaseConnection, viewer: &Viewer, i: usize) -> anyhow::Result<()> {
    let e = engagements::create(
        db,
        viewer,
        NewEngagement {
            name: format!("Engagement {i:05}"),
            customer_name: format!("Customer {}", i % 17),
            kit_key: "aws-operations".into(),
            kit_version: "1.0.0".into(),
            starts_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).context("date")?,
            sprint_length_days: 14,
        },
        None,
    )
    .await?;
    let acts: Vec<activity::Model> = activity::Entity::find()
        .filter(activity::Column::EngagementId.eq(e.id))
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await?;
    for (n, act) in acts.iter().step_by(2).take(3).enumerate() {
        activities::start(db, viewer, ActivityId(act.id), None).await?;
        let questions = question::Entity::find()
            .filter(question::Column::ArtifactTemplateId.eq(act.artifact_template_id))
            .filter(question::Column::AnswerKind.eq(AnswerKind::Text))
            .all(db)
            .await?;
        for q in questions.into_iter().take(5) {
            let input = AnswerInput {
                activity_id: ActivityId(act.id),
                question_id: QuestionId(q.id),
                value: AnswerValue::Text(format!("answer {n}")),
                notes: None,
                expected_version: None,
            };
            answers::record(db, viewer, input).await?;
        }
    }
    let books = runbook::Entity::find().filter(runbook::Column::EngagementId.eq(e.id)).all(db).await?;
    for book in books.into_iter().take(2) {
        runbooks::transition(db, viewer, RunbookId(book.id), runbooks::Transition::Start, None).await?;
    }
    Ok(())
}

/// Copies the engagements made through the domain, with everything in them,
/// their IDs moved by `offset`.
async fn copy_engagements(db: &DatabaseConnection, offset: i64) -> anyhow::Result<()> {
    let backend = db.get_database_backend();
    let tx = db.begin().await?;
    // Runbooks and their revisions point at each other: check references at commit.
    let defer = match backend {
        DbBackend::Postgres => "SET LOCAL session_replication_role = replica",
        _ => "PRAGMA defer_foreign_keys = ON",
    };
    tx.execute_unprepared(defer).await?;
    for table in TABLES {
        let columns = columns(&tx, table).await?;
        let select: Vec<String> = columns
            .iter()
            .map(|c| if SHIFTED.contains(&c.as_str()) { format!("{c} + {offset}") } else { c.clone() })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) SELECT {} FROM {table} WHERE id < {STRIDE}",
            columns.join(", "),
            select.join(", ")
        );
        tx.execute_unprepared(&sql).await.with_context(|| sql.clone())?;
    }
    tx.commit().await?;
    Ok(())
}

/// The columns of `table` a row is inserted with (not the generated ones).
async fn columns(db: &impl ConnectionTrait, table: &str) -> anyhow::Result<Vec<String>> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => format!(
            "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name = '{table}' AND is_generated = 'NEVER' ORDER BY ordinal_position"
        ),
        _ => format!("SELECT name FROM pragma_table_info('{table}')"),
    };
    let rows = db.query_all_raw(Statement::from_string(backend, sql)).await?;
    let names: Vec<String> = rows.iter().map(|r| r.try_get::<String>("", "name")).collect::<Result<_, _>>()?;
    anyhow::ensure!(!names.is_empty(), "no table {table}");
    Ok(names)
}
