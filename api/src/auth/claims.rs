//! What a verified token says about its bearer.

use serde::{Deserialize, Serialize};

/// A role granted by the identity provider, valid across all engagements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GlobalRole {
    /// Manages kits and may act in every engagement.
    Admin,
    /// May create engagements.
    Consultant,
}

impl GlobalRole {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "admin" => Some(Self::Admin),
            "consultant" => Some(Self::Consultant),
            _ => None,
        }
    }
}

/// The registered and private claims opskit reads and writes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iss: String,
    /// A string or an array of strings; checked by the verifier.
    pub aud: serde_json::Value,
    pub exp: i64,
    pub iat: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Unknown role names are ignored, so an identity provider may send others.
    #[serde(default)]
    pub roles: Vec<String>,
}

/// The verified caller, before it is matched to a stored user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub subject: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub roles: Vec<GlobalRole>,
    /// When the token expires (its `exp`, seconds since the epoch); live
    /// subscriptions end then.
    pub expires_at: i64,
}

impl From<Claims> for Identity {
    fn from(claims: Claims) -> Self {
        let mut roles: Vec<GlobalRole> = claims.roles.iter().filter_map(|r| GlobalRole::parse(r)).collect();
        roles.sort_by_key(|r| *r as u8);
        roles.dedup();
        Self { subject: claims.sub, name: claims.name, email: claims.email, roles, expires_at: claims.exp }
    }
}
