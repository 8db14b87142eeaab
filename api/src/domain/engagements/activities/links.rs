//! `addDocumentLink` / `removeDocumentLink`: the customer's current
//! documentation, linked on the activity it informs.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use chrono::Utc;
use opskit_entity::document_link;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

use super::get;
use crate::{
    domain::{
        Viewer,
        access::access_via,
        audit,
        ids::ActivityId,
        validate::{check_label, check_url},
    },
    error::{Error, Result},
};

/// A link to add.
#[derive(Debug, Clone)]
pub struct NewDocumentLink {
    pub activity_id: ActivityId,
    pub title: String,
    pub url: String,
}

/// Adds a document link (consultants and workstream members).
pub async fn add_document_link(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewDocumentLink,
) -> Result<document_link::Model> {
    let mut errors = Vec::new();
    check_label(&mut errors, "title", &input.title);
    check_url(&mut errors, "url", &input.url);
    if !errors.is_empty() {
        return Err(Error::User(errors));
    }
    crate::transaction!(db, |tx| {
        let (activity, access) = get(tx, viewer, input.activity_id).await?;
        access.check(Permission::LinkDocuments)?;
        let link = document_link::ActiveModel {
            activity_id: Set(activity.id),
            title: Set(input.title.trim().to_owned()),
            url: Set(input.url.trim().to_owned()),
            added_by: Set(viewer.user_id.0),
            added_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        let summary = format!("linked \"{}\" ({})", link.title, link.url);
        audit::record_in(tx, viewer, &access, Action::DocumentLinkAdded, link.id, &summary).await?;
        Ok(link)
    })
}

/// Removes a document link; returns it as it was.
pub async fn remove_document_link(db: &DatabaseConnection, viewer: &Viewer, id: i64) -> Result<document_link::Model> {
    crate::transaction!(db, |tx| {
        let link = document_link::Entity::find_by_id(id).one(tx).await?.ok_or(Error::NotFound("document link"))?;
        let activity = opskit_entity::activity::Entity::find_by_id(link.activity_id)
            .one(tx)
            .await?
            .ok_or(Error::NotFound("document link"))?;
        let access = access_via(tx, viewer, activity.engagement_id, "document link").await?;
        access.check(Permission::LinkDocuments)?;
        document_link::Entity::delete_by_id(link.id).exec(tx).await?;
        let summary = format!("unlinked \"{}\"", link.title);
        audit::record_in(tx, viewer, &access, Action::DocumentLinkRemoved, link.id, &summary).await?;
        Ok(link)
    })
}

/// A document link the caller may see (`NOT_FOUND` otherwise).
pub async fn document_link(db: &DatabaseConnection, viewer: &Viewer, id: i64) -> Result<document_link::Model> {
    let link = document_link::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("document link"))?;
    get(db, viewer, ActivityId(link.activity_id)).await.map_err(|e| match e {
        Error::NotFound(_) => Error::NotFound("document link"),
        other => other,
    })?;
    Ok(link)
}
