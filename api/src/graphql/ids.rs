//! Opaque global IDs: base64url of `Type:number`. Clients must treat them as
//! opaque strings; the encoding may change. The type comes from the typed ID
//! ([`TypedId::KIND`]), so an ID of one kind cannot be decoded as another.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::{
    domain::ids::{Kind, TypedId},
    error::{Error, Result},
};

/// The global ID of `id`.
pub fn encode<T: TypedId>(id: T) -> ID {
    encode_named(T::KIND.name(), id.raw())
}

/// The global ID of an object whose kind is stored as its GraphQL type name
/// (the audit trail's `object_type`).
pub fn encode_named(kind: &str, raw: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{raw}")))
}

/// The kind and number inside a global ID; an unknown kind is `NOT_FOUND`.
pub fn decode_any(id: &ID) -> Result<(Kind, i64)> {
    let bad = || Error::BadUserInput(format!("`{}` is not a valid ID", id.as_str()));
    let text = URL_SAFE_NO_PAD.decode(id.as_str()).ok().and_then(|b| String::from_utf8(b).ok()).ok_or_else(bad)?;
    let (kind, number) = text.split_once(':').ok_or_else(bad)?;
    let number = number.parse().map_err(|_| bad())?;
    Ok((Kind::parse(kind).ok_or(Error::NotFound("node"))?, number))
}

/// The typed ID inside a global ID; an ID of another kind is `NOT_FOUND`.
pub fn decode<T: TypedId>(id: &ID) -> Result<T> {
    let (kind, number) = decode_any(id)?;
    if kind == T::KIND { Ok(T::from_raw(number)) } else { Err(Error::NotFound(T::KIND.noun())) }
}
