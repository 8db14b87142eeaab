//! Kit files: the YAML or JSON document a kit author imports.

mod format;

pub use format::{
    ArtifactDoc, CapabilityDoc, KitDoc, QuestionDoc, RunbookDoc, ScopeDoc, SectionDoc, WorkshopDoc, parse,
};

/// The kit bundled with the binary and imported on first start.
pub const BUNDLED_KIT: &str = include_str!("../../../kits/aws-operations.yaml");
