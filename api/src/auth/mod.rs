//! Authentication: verifying bearer tokens (RFC 8725 practice: pinned
//! algorithms, required `exp`/`iss`/`aud`) and minting HS256 tokens for scripts.

mod claims;
mod jwks;
mod keys;
mod mint;

pub use claims::{Claims, GlobalRole, Identity};
pub use keys::{MIN_SECRET_BYTES, Verifier};
pub use mint::{TokenRequest, mint, random_secret};
