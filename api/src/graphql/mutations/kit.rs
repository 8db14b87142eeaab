//! `importKit`: kit authors (admins) import a kit version over the API.

use crate::domain::permissions::Permission;
use crate::error::Code;
use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject};

use crate::{
    domain::kits::{self, ImportOutcome},
    error::{Error, UserError as DomainUserError},
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        loaders::one,
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
    /// The kit document (the same format as `kits/aws-operations.yaml`).
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
        let viewer = ctx.viewer()?;
        viewer.check(Permission::ManageKits)?;
        let parsed = crate::kit::parse(&input.document, input.format == KitFormat::Json).map_err(|problems| {
            Error::User(problems.into_iter().map(|p| DomainUserError::new("document", Code::InvalidKit, p)).collect())
        });
        let result = match parsed {
            Ok(doc) => kits::import_as(ctx.db()?, viewer, &doc).await,
            Err(err) => Err(err),
        };
        let (outcome, user_errors) = payload(result)?;
        let (kit_id, created) = match outcome {
            Some(ImportOutcome::Imported(id)) => (Some(id), true),
            Some(ImportOutcome::AlreadyPresent(id)) => (Some(id), false),
            None => (None, false),
        };
        let kit = match kit_id {
            Some(id) => Some(Kit(one(&ctx.loaders()?.kit, id.0, "kit").await?)),
            None => None,
        };
        Ok(ImportKitPayload { kit, created, user_errors })
    }
}
