//! `schema.graphql` is exactly what `opskit schema` prints.

#[test]
fn committed_schema_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).unwrap();
    let generated = opskit_api::graphql::sdl();
    assert!(
        committed == generated,
        "schema.graphql is out of date: run `cargo run -- schema > schema.graphql` and commit it"
    );
}

#[test]
fn cli_prints_the_same_schema() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opskit")).arg("schema").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), opskit_api::graphql::sdl());
}
