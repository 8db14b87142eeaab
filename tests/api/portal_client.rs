//! The typed client in examples/portal/: its operations are typed by GraphQL
//! Code Generator from schema.graphql and must type-check, so a schema change
//! that breaks a client operation fails here.

use std::{path::Path, process::Command};

fn run(dir: &Path, program: &str, args: &[&str]) {
    let out = Command::new(dir.join("node_modules/.bin").join(program))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (npm ci --prefix examples/portal): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore = "needs node and examples/portal's npm packages; .ci/run installs them"]
fn the_typed_client_type_checks_against_the_schema() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/portal");
    run(&dir, "graphql-codegen", &["--config", "codegen.yml"]);
    run(&dir, "tsc", &["--noEmit", "-p", "tsconfig.json"]);
}
