//! What every test file shares, and the only place they import helpers from:
//! the harness (a database and a running server per test), GraphQL request
//! helpers, and fixtures that set up engagements and look up what they hold.

mod fixtures;
mod graphql;
mod harness;
mod live;
mod loopback;
mod postgres;
mod replica;
mod template;

pub use fixtures::*;
pub use graphql::*;
pub use harness::*;
pub use live::*;
pub use loopback::*;
pub use replica::*;
