//! The `opskit` command line: a thin layer over the `opskit-api` library.

// The schema's root types are deep async state machines once optimized.
#![recursion_limit = "256"]

use std::{path::PathBuf, time::Duration};

/// The server allocates and frees many small values per request; mimalloc
/// serves them faster than the system allocator and keeps less memory
/// resident afterwards (see BENCHMARKS.md). Without the `mimalloc` feature
/// the server uses the system allocator, which heap profilers can follow.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use opskit_api::{
    Config,
    auth::{GlobalRole, TokenRequest, mint},
    db,
    domain::kits::{self, ImportOutcome},
    http, kit, telemetry,
};

#[derive(Parser)]
#[command(name = "opskit", version, about = "GraphQL API for operations delivery kits and customer engagements")]
struct Cli {
    /// Database URL (overrides DATABASE_URL), e.g. sqlite://opskit.db?mode=rwc or postgres://user@host/db
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, load the bundled kit if absent, and serve the API.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Development mode: make up a JWT secret when none is configured and print an admin token.
        #[arg(long)]
        dev: bool,
        /// HTTP worker threads (default: one per core).
        #[arg(long)]
        workers: Option<usize>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage kits.
    Kit {
        #[command(subcommand)]
        command: KitCommand,
    },
    /// Mint a token signed with OPSKIT_JWT_SECRET (HS256), for scripts and local work.
    Token {
        /// The user ID (`sub` claim).
        #[arg(long)]
        sub: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// Global role; repeat for several.
        #[arg(long = "role", value_enum)]
        roles: Vec<RoleArg>,
        /// Lifetime, e.g. 1h, 30m, 7d.
        #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
        ttl: Duration,
    },
    /// Print the GraphQL schema (SDL); `schema.graphql` is its output.
    Schema,
    /// Seed a demo: an engagement mid-flight and a closed one beside it; prints
    /// their IDs and one token per role as shell variables (`eval "$(opskit demo)"`).
    Demo {
        /// Lifetime of the printed tokens, e.g. 12h, 7d.
        #[arg(long, default_value = "12h", value_parser = humantime::parse_duration)]
        ttl: Duration,
    },
}

#[derive(Subcommand)]
enum KitCommand {
    /// Import a kit version from a YAML or JSON file (same key and version twice is a no-op).
    Import { file: PathBuf },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Admin,
    Consultant,
}

impl From<RoleArg> for GlobalRole {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Admin => GlobalRole::Admin,
            RoleArg::Consultant => GlobalRole::Consultant,
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut config = Config::from_env()?;
    if let Some(url) = cli.database_url {
        config.database_url = url;
    }
    match cli.command {
        Command::Serve { bind, dev, workers } => serve(config, &bind, dev, workers).await,
        Command::Migrate => {
            let _telemetry = telemetry::init(&config);
            let db = db::connect(&config.database_url, &config.limits.without_deadline()).await?;
            db::migrate(&db).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Kit { command: KitCommand::Import { file } } => import(&config, &file).await,
        Command::Token { sub, name, email, roles, ttl } => {
            anyhow::ensure!(
                ttl <= config.jwt_max_lifetime,
                "--ttl {} is longer than the server accepts for shared-secret tokens ({}, OPSKIT_JWT_MAX_LIFETIME)",
                humantime::format_duration(ttl),
                humantime::format_duration(config.jwt_max_lifetime)
            );
            let secret = config
                .jwt_secret
                .as_deref()
                .context("OPSKIT_JWT_SECRET is not set: `opskit token` signs with the configured HS256 secret")?;
            let request = TokenRequest {
                subject: sub,
                name,
                email,
                roles: roles.into_iter().map(Into::into).collect(),
                ttl,
                issuer: config.jwt_issuer.clone(),
                audience: config.jwt_audience.clone(),
            };
            println!("{}", mint(secret, &request)?);
            Ok(())
        }
        Command::Schema => {
            print!("{}", opskit_api::graphql::sdl());
            Ok(())
        }
        Command::Demo { ttl } => demo(&config, ttl).await,
    }
}

async fn demo(config: &Config, ttl: Duration) -> anyhow::Result<()> {
    let _telemetry = telemetry::init(config);
    let db = http::prepare(config).await?;
    opskit_api::graphql::ids::install(config.id_key()?)?;
    let seeded = opskit_api::demo::seed(&db, config, ttl).await?;
    println!(
        "# opskit demo: an engagement in flight and a closed one; tokens valid for {}",
        humantime::format_duration(ttl)
    );
    println!("OPSKIT_DEMO_ENGAGEMENT={}", seeded.engagement);
    println!("OPSKIT_DEMO_CLOSED_ENGAGEMENT={}", seeded.closed_engagement);
    for (role, token) in &seeded.tokens {
        println!("OPSKIT_{role}_TOKEN={token}");
    }
    Ok(())
}

async fn serve(mut config: Config, bind: &str, dev: bool, workers: Option<usize>) -> anyhow::Result<()> {
    let _telemetry = telemetry::init(&config);
    if dev && config.jwt_secret.is_none() && config.jwt_public_keys.is_none() && config.jwt_jwks_url.is_none() {
        let secret = opskit_api::auth::random_secret();
        config.jwt_secret = Some(secret.clone());
        let token = mint(
            &secret,
            &TokenRequest {
                subject: "dev-admin".into(),
                name: Some("Development Admin".into()),
                email: None,
                roles: vec![GlobalRole::Admin, GlobalRole::Consultant],
                ttl: Duration::from_secs(12 * 3600),
                issuer: config.jwt_issuer.clone(),
                audience: config.jwt_audience.clone(),
            },
        )?;
        eprintln!(
            "\n  *** DEVELOPMENT MODE ***\n  A random JWT secret was made up for this run; tokens die with the process.\n  \
             Never use --dev in production: set OPSKIT_JWT_SECRET or OPSKIT_JWT_PUBLIC_KEYS instead.\n\n  \
             Admin token (12h):\n  {token}\n"
        );
    }
    let workers = workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let running = http::start(&config, bind, workers).await?;
    tracing::info!(addr = %running.addr, "opskit listening on http://{}/graphql", running.addr);
    running.server.await??;
    tracing::info!("opskit stopped");
    Ok(())
}

async fn import(config: &Config, file: &std::path::Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let json = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let doc = kit::parse(&text, json).map_err(|problems| {
        anyhow::anyhow!("{} is not a valid kit; nothing was imported:\n  {}", file.display(), problems.join("\n  "))
    })?;
    let db = db::connect(&config.database_url, &config.limits.without_deadline()).await?;
    db::migrate(&db).await?;
    match kits::import(&db, &doc).await? {
        ImportOutcome::Imported(_) => println!("imported kit {} {}", doc.key, doc.version),
        ImportOutcome::AlreadyPresent(_) => {
            println!("kit {} {} is already imported; nothing changed", doc.key, doc.version)
        }
    }
    Ok(())
}
