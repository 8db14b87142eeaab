//! `importKit`: kit authors (admins) import a kit version over the API.

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject};

use crate::{
    domain::kits::{self, ImportOutcome, KitSource},
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        types::catalog::Kit,
    },
};

#[derive(Default)]
pub struct KitMutations;

/// The syntax of a kit document.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum KitFormat {
    Yaml,
    Json,
}

#[derive(InputObject)]
pub struct ImportKitInput {
    /// The kit document (the same format as `kits/aws-operations.yaml`). At most 1000000 characters.
    pub document: String,
    pub format: KitFormat,
}

#[derive(SimpleObject)]
pub struct ImportKitPayload {
    pub kit: Option<Kit>,
    /// False when this key and version were already imported (nothing was written).
    pub created: bool,
    pub user_errors: Vec<UserError>,
}

#[Object]
impl KitMutations {
    /// Imports a kit version (admins). Importing an existing key and version is a no-op.
    async fn import_kit(&self, ctx: &Context<'_>, input: ImportKitInput) -> Result<ImportKitPayload> {
        let source = KitSource { text: input.document, json: input.format == KitFormat::Json };
        let catalog = &ctx.request()?.catalog;
        let (outcome, user_errors) = payload(kits::import_source(ctx.db()?, ctx.viewer()?, catalog, source).await)?;
        let (kit, created) = match outcome {
            Some(ImportOutcome::Imported(id)) => (Some(Kit::load(ctx, id)?), true),
            Some(ImportOutcome::AlreadyPresent(id)) => (Some(Kit::load(ctx, id)?), false),
            None => (None, false),
        };
        Ok(ImportKitPayload { kit, created, user_errors })
    }
}
