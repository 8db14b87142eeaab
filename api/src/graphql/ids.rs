//! Opaque global IDs: base64url of `Type:number`. Clients must treat them as
//! opaque strings; the encoding may change.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::error::{Error, Result};

/// The global ID of object `id` of GraphQL type `kind`.
pub fn encode(kind: &str, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{id}")))
}

/// Splits a global ID into its type and number.
pub fn decode_any(id: &ID) -> Result<(String, i64)> {
    let bad = || Error::BadUserInput(format!("`{}` is not a valid ID", id.as_str()));
    let text = URL_SAFE_NO_PAD.decode(id.as_str()).ok().and_then(|b| String::from_utf8(b).ok()).ok_or_else(bad)?;
    let (kind, number) = text.split_once(':').ok_or_else(bad)?;
    Ok((kind.to_owned(), number.parse().map_err(|_| bad())?))
}

/// The number inside a global ID of type `kind`; another type is `NOT_FOUND`.
pub fn decode(kind: &'static str, id: &ID) -> Result<i64> {
    let (found, number) = decode_any(id)?;
    if found == kind { Ok(number) } else { Err(Error::NotFound(kind_name(kind))) }
}

fn kind_name(kind: &'static str) -> &'static str {
    match kind {
        "Engagement" => "engagement",
        "EngagementMember" => "member",
        "Activity" => "activity",
        "Deviation" => "deviation",
        "Kit" => "kit",
        "Sprint" => "sprint",
        "WorkshopSession" => "workshop session",
        "Capability" => "capability",
        _ => "object",
    }
}
