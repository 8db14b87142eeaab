//! `addDocumentLink` / `removeDocumentLink`: the customer's current
//! documentation, linked on the activity it informs.

use chrono::Utc;
use opskit_entity::{activity, document_link, enums::ArtifactKind};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set};

use super::{
    access_through, template_of,
    validation::{self, Checked},
};
use crate::{
    domain::{
        Viewer,
        access::Access,
        action::Action,
        ids::{ActivityId, DocumentLinkId, TypedId},
        permissions::{Permission, Role, allows},
        write::{self, Command, Done, On, Scope, Step},
    },
    error::{Error, Result},
};

/// A link to add.
#[derive(Debug, Clone)]
pub struct NewDocumentLink {
    pub activity_id: ActivityId,
    pub title: String,
    /// An http or https URL.
    pub url: String,
}

/// Adds a document link to an activity.
pub async fn add_document_link(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewDocumentLink,
    idempotency_key: Option<&str>,
) -> Result<document_link::Model> {
    // The key is a limit like the link's own: refused before the link's other checks.
    write::idempotent::check_key(idempotency_key)?;
    let link = validation::document_link(input)?;
    write::run_once(db, viewer, On::id(link.activity_id), link, idempotency_key).await
}

impl Command for Checked<NewDocumentLink> {
    type Target = activity::Model;
    type Output = document_link::Model;

    fn permission(&self) -> Permission {
        Permission::LinkDocuments
    }

    async fn apply(&self, step: &Step<'_, activity::Model>) -> Result<Done<document_link::Model>> {
        check_linkable(step.tx, &step.access, &step.target).await?;
        let link = document_link::ActiveModel {
            activity_id: Set(step.target.id),
            title: Set(self.title.clone()),
            url: Set(self.url.clone()),
            added_by: Set(step.viewer.user_id.0),
            added_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(step.tx)
        .await?;
        let summary = format!("linked \"{}\" ({})", link.title, link.url);
        let id = link.id;
        Ok(Done::new(link, Action::DocumentLinkAdded, id, summary))
    }
}

/// Removes a document link; returns it as it was.
pub async fn remove_document_link(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: DocumentLinkId,
) -> Result<document_link::Model> {
    write::run(db, viewer, On::id(id), Remove).await
}

struct Remove;

impl Command for Remove {
    type Target = document_link::Model;
    type Output = document_link::Model;

    fn permission(&self) -> Permission {
        Permission::LinkDocuments
    }

    async fn apply(&self, step: &Step<'_, document_link::Model>) -> Result<Done<document_link::Model>> {
        let link = step.target.clone();
        let (activity, _) = activity::Model::load(step.tx, step.viewer, ActivityId(link.activity_id)).await?;
        check_linkable(step.tx, &step.access, &activity).await?;
        document_link::Entity::delete_by_id(link.id).exec(step.tx).await?;
        let summary = format!("unlinked \"{}\"", link.title);
        let id = link.id;
        Ok(Done::new(link, Action::DocumentLinkRemoved, id, summary))
    }
}

/// Whether `role`, which the permission table lets link documents, may link
/// them on an activity of `kind`: stakeholders link their own documentation
/// to discovery activities only.
pub fn may_link(role: Role, kind: ArtifactKind) -> bool {
    allows(role, Permission::LinkDocuments) && (role != Role::Stakeholder || kind == ArtifactKind::DiscoveryAndAnalysis)
}

/// `FORBIDDEN` unless [`may_link`] says yes for the caller on `activity`.
async fn check_linkable<C: ConnectionTrait>(db: &C, access: &Access, activity: &activity::Model) -> Result<()> {
    if may_link(access.role(), template_of(db, activity).await?.kind) {
        return Ok(());
    }
    Err(Error::Forbidden("stakeholders link documents to Discovery & Analysis activities only".to_owned()))
}

/// A document link the caller may see (`NOT_FOUND` otherwise).
pub async fn document_link(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: DocumentLinkId,
) -> Result<document_link::Model> {
    Ok(document_link::Model::load(db, viewer, id).await?.0)
}

/// A link is reached through its activity. Links are added and removed, never
/// edited, so they carry no version: every caller saw version 0.
impl Scope for document_link::Model {
    type Id = DocumentLinkId;

    async fn load<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: DocumentLinkId) -> Result<(Self, Access)> {
        let what = DocumentLinkId::KIND.noun();
        let link = document_link::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound(what))?;
        let access = access_through(db, viewer, link.activity_id, what).await?;
        Ok((link, access))
    }

    fn version(&self) -> i32 {
        0
    }
}
