//! The ceilings the benchmark compares opskit with: a bare async-graphql
//! schema on actix-web, no authentication, no database. It answers `{ hello }`
//! and, from data built in memory at start, the benchmark's list and kit
//! catalog shapes with the same fields, objects and sizes as opskit returns
//! them (100 engagements of one member and 16 activities; the bundled kit),
//! each field a plain read: what async-graphql itself costs for those shapes.
//! `hello [--bind 127.0.0.1:0] [--workers 2]` prints `listening on <addr>`.

use actix_web::{App, HttpServer, web};
use async_graphql::{EmptyMutation, EmptySubscription, Enum, ID, Object, Schema, SimpleObject};
use async_graphql_actix_web::{GraphQLRequest, GraphQLResponse};
use clap::Parser;
use opskit_api::kit::{BUNDLED_KIT, KitDoc, parse};

#[derive(Parser)]
struct Args {
    #[arg(long, default_value = "127.0.0.1:0")]
    bind: String,
    #[arg(long, default_value_t = 2)]
    workers: usize,
}

struct Query {
    engagements: &'static [Engagement],
    kit: &'static KitDoc,
}

#[Object]
impl Query {
    async fn hello(&self) -> &'static str {
        "world"
    }
    async fn engagements(&self, first: usize) -> Page<Engagement> {
        Page { nodes: &self.engagements[..first.min(self.engagements.len())] }
    }
    async fn kit(&self, key: String) -> Option<Kit> {
        (key == self.kit.key).then_some(Kit(self.kit))
    }
}

/// A connection's `nodes`.
struct Page<T: 'static> {
    nodes: &'static [T],
}

#[Object(name = "EngagementConnection")]
impl Page<Engagement> {
    async fn nodes(&self) -> &'static [Engagement] {
        self.nodes
    }
}

#[Object(name = "MemberConnection")]
impl Page<Member> {
    async fn nodes(&self) -> &'static [Member] {
        self.nodes
    }
}

#[Object(name = "ActivityConnection")]
impl Page<Activity> {
    async fn nodes(&self) -> &'static [Activity] {
        self.nodes
    }
}

struct Engagement {
    id: ID,
    name: String,
    members: &'static [Member],
    activities: &'static [Activity],
}

#[Object]
impl Engagement {
    async fn id(&self) -> &ID {
        &self.id
    }
    async fn name(&self) -> &str {
        &self.name
    }
    async fn members(&self, first: usize) -> Page<Member> {
        Page { nodes: &self.members[..first.min(self.members.len())] }
    }
    async fn activities(&self, first: usize) -> Page<Activity> {
        Page { nodes: &self.activities[..first.min(self.activities.len())] }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
enum Role {
    Consultant,
}

#[derive(SimpleObject)]
struct User {
    name: String,
}

#[derive(SimpleObject)]
struct Member {
    role: Role,
    user: User,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
enum Status {
    NotStarted,
    InProgress,
}

#[derive(SimpleObject, Clone, Copy)]
struct Coverage {
    answered: i32,
    total: i32,
}

struct Activity {
    id: ID,
    status: Status,
    title: &'static str,
    coverage: Coverage,
}

#[Object]
impl Activity {
    async fn id(&self) -> &ID {
        &self.id
    }
    async fn status(&self) -> Status {
        self.status
    }
    async fn title(&self) -> &str {
        self.title
    }
    async fn question_coverage(&self) -> Coverage {
        self.coverage
    }
}

struct Kit(&'static KitDoc);

#[Object]
impl Kit {
    async fn capabilities(&self) -> Vec<Capability> {
        self.0.capabilities.iter().map(Capability).collect()
    }
    async fn workshop_templates(&self) -> Vec<Titled> {
        self.0.workshops.iter().map(|w| Titled(&w.title)).collect()
    }
}

struct Capability(&'static opskit_api::kit::CapabilityDoc);

#[Object]
impl Capability {
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn discovery_and_analysis(&self) -> ArtifactTemplate {
        ArtifactTemplate(&self.0.discovery)
    }
    async fn runbook_templates(&self) -> Vec<RunbookTemplate> {
        vec![RunbookTemplate(&self.0.runbook)]
    }
}

struct ArtifactTemplate(&'static opskit_api::kit::ArtifactDoc);

#[Object]
impl ArtifactTemplate {
    async fn questions(&self) -> Vec<Question> {
        self.0.questions.iter().map(Question).collect()
    }
}

struct Question(&'static opskit_api::kit::QuestionDoc);

#[Object]
impl Question {
    async fn text(&self) -> &str {
        &self.0.text
    }
    async fn choices(&self) -> Option<&[String]> {
        self.0.choices.as_deref()
    }
}

struct RunbookTemplate(&'static opskit_api::kit::RunbookDoc);

#[Object]
impl RunbookTemplate {
    async fn sections(&self) -> Vec<Titled> {
        self.0.sections.iter().map(|s| Titled(&s.title)).collect()
    }
}

/// A workshop template or a runbook section: only its title is asked for.
struct Titled(&'static str);

#[Object(name = "Section")]
impl Titled {
    async fn title(&self) -> &str {
        self.0
    }
}

/// 100 engagements as the benchmark seeds them: one consultant member, 16
/// activities titled after the kit's artifacts, three of them started with
/// five answers each.
fn engagements(kit: &'static KitDoc) -> Vec<Engagement> {
    let titles: Vec<&'static str> =
        kit.artifacts().into_iter().map(|(_, _, artifact)| artifact.title.as_str()).collect();
    let mut next = 0;
    let mut id = |kind: &str| {
        next += 1;
        ID(format!("{kind}_{next:016x}"))
    };
    (0..100)
        .map(|i| Engagement {
            id: id("eng"),
            name: format!("Engagement {i:05}"),
            members: vec![Member { role: Role::Consultant, user: User { name: "Bench Consultant".into() } }].leak(),
            activities: (0..16)
                .map(|a| {
                    let started = a % 2 == 0 && a < 6;
                    Activity {
                        id: id("act"),
                        status: if started { Status::InProgress } else { Status::NotStarted },
                        title: titles[a % titles.len()],
                        coverage: Coverage { answered: if started { 5 } else { 0 }, total: 12 },
                    }
                })
                .collect::<Vec<_>>()
                .leak(),
        })
        .collect()
}

type HelloSchema = Schema<Query, EmptyMutation, EmptySubscription>;

async fn graphql(schema: web::Data<HelloSchema>, request: GraphQLRequest) -> GraphQLResponse {
    schema.execute(request.into_inner()).await.into()
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let kit: &'static KitDoc =
        Box::leak(Box::new(parse(BUNDLED_KIT, false).map_err(|e| anyhow::anyhow!("{}", e.join("; ")))?));
    let engagements: &'static [Engagement] = engagements(kit).leak();
    let schema = Schema::new(Query { engagements, kit }, EmptyMutation, EmptySubscription);
    let server = HttpServer::new(move || {
        App::new().app_data(web::Data::new(schema.clone())).route("/graphql", web::post().to(graphql))
    })
    .workers(args.workers.max(1))
    .bind(&args.bind)?;
    for addr in server.addrs() {
        println!("listening on {addr}");
    }
    server.run().await?;
    Ok(())
}
