//! The ceiling the benchmark compares opskit with: a bare async-graphql schema
//! answering `{ hello }` on actix-web, no authentication, no database.
//! `hello [--bind 127.0.0.1:0] [--workers 2]` prints `listening on <addr>`.

use actix_web::{App, HttpServer, web};
use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};
use async_graphql_actix_web::{GraphQLRequest, GraphQLResponse};
use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value = "127.0.0.1:0")]
    bind: String,
    #[arg(long, default_value_t = 2)]
    workers: usize,
}

struct Query;

#[Object]
impl Query {
    async fn hello(&self) -> &'static str {
        "world"
    }
}

type HelloSchema = Schema<Query, EmptyMutation, EmptySubscription>;

async fn graphql(schema: web::Data<HelloSchema>, request: GraphQLRequest) -> GraphQLResponse {
    schema.execute(request.into_inner()).await.into()
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let schema = Schema::new(Query, EmptyMutation, EmptySubscription);
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
