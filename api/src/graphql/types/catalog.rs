//! The kit catalog: kits, capabilities, artifact templates, question banks,
//! runbook templates and workshop templates. A kit version never changes once
//! imported, so the lists inside it are plain lists in kit order, read from
//! the in-memory [`Catalog`](crate::domain::kits::Catalog) with no SQL.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use opskit_entity::{artifact_template, capability, kit, question, runbook_template, workshop_template};

use super::enums::{AnswerKind, ArtifactKind, Audience, QuestionCategory, WorkshopPhase};
use crate::{
    domain::{
        ids::{ArtifactTemplateId, CapabilityId, KitId, QuestionId, RunbookTemplateId, WorkshopTemplateId},
        kits::Catalog,
    },
    error::Error,
    graphql::{context::ContextExt, ids},
};

/// Wraps shared catalog rows in their GraphQL type.
fn wrap<T, W>(rows: &[Arc<T>], f: fn(Arc<T>) -> W) -> Vec<W> {
    rows.iter().cloned().map(f).collect()
}

/// What the kit list is sorted by (ties broken by ID, the import order).
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
pub enum KitOrderField {
    /// When the version was imported.
    ImportedAt,
    /// By kit key (code point order).
    Key,
    /// By name (code point order).
    Name,
}

/// Sort order of the kit list: a field and a direction.
pub type KitOrder = super::order::Order<KitOrderField>;

impl From<KitOrderField> for crate::domain::kits::KitSort {
    fn from(field: KitOrderField) -> Self {
        match field {
            KitOrderField::ImportedAt => Self::ImportedAt,
            KitOrderField::Key => Self::Key,
            KitOrderField::Name => Self::Name,
        }
    }
}

/// One imported version of a delivery kit.
pub struct Kit(pub Arc<kit::Model>);

impl Kit {
    /// The kit version `id` (the catalog is readable by every caller).
    pub fn load(ctx: &Context<'_>, id: KitId) -> Result<Kit, Error> {
        Ok(Kit(Catalog::required(id, ctx.catalog()?.kit(id))?))
    }
}

#[Object]
impl Kit {
    pub async fn id(&self) -> ID {
        ids::encode(KitId(self.0.id))
    }
    /// Stable key shared by all versions, e.g. `aws-operations`.
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn version(&self) -> &str {
        &self.0.version
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn imported_at(&self) -> DateTime<Utc> {
        self.0.imported_at
    }
    /// The operational areas, in kit order.
    async fn capabilities(&self, ctx: &Context<'_>) -> Result<Vec<Capability>> {
        Ok(wrap(ctx.catalog()?.capabilities_of(self.0.id), Capability))
    }
    /// One capability by key, e.g. `patch-management`.
    async fn capability(&self, ctx: &Context<'_>, key: String) -> Result<Option<Capability>> {
        Ok(ctx.catalog()?.capabilities_of(self.0.id).iter().find(|c| c.key == key).cloned().map(Capability))
    }
    /// Every artifact template of the kit (both per capability and overview), optionally of one kind.
    async fn artifact_templates(&self, ctx: &Context<'_>, kind: Option<ArtifactKind>) -> Result<Vec<ArtifactTemplate>> {
        let catalog = ctx.catalog()?;
        let kind = kind.map(opskit_entity::enums::ArtifactKind::from);
        let rows = catalog.artifacts_of(self.0.id).iter().filter(|a| kind.is_none_or(|k| a.kind == k));
        Ok(rows.cloned().map(ArtifactTemplate).collect())
    }
    /// The recommended workshop sessions, in kit order, optionally of one phase.
    async fn workshop_templates(
        &self,
        ctx: &Context<'_>,
        phase: Option<WorkshopPhase>,
    ) -> Result<Vec<WorkshopTemplate>> {
        let catalog = ctx.catalog()?;
        let phase = phase.map(opskit_entity::enums::WorkshopPhase::from);
        let rows = catalog.workshop_templates_of(self.0.id).iter().filter(|w| phase.is_none_or(|p| w.phase == p));
        Ok(rows.cloned().map(WorkshopTemplate).collect())
    }
}

/// An operational area (Change Management, Patch Management, ...).
pub struct Capability(pub Arc<capability::Model>);

impl Capability {
    /// The capability `id`.
    pub fn load(ctx: &Context<'_>, id: CapabilityId) -> Result<Capability, Error> {
        Ok(Capability(Catalog::required(id, ctx.catalog()?.capability(id))?))
    }

    /// The capability `id`, if there is one (overview artifacts and sessions have none).
    pub fn optional(ctx: &Context<'_>, id: Option<i64>) -> Result<Option<Capability>, Error> {
        id.map(|id| Capability::load(ctx, CapabilityId(id))).transpose()
    }
}

#[Object]
impl Capability {
    pub async fn id(&self) -> ID {
        ids::encode(CapabilityId(self.0.id))
    }
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn kit(&self, ctx: &Context<'_>) -> Result<Kit> {
        Ok(Kit::load(ctx, KitId(self.0.kit_id))?)
    }
    /// The Discovery & Analysis and Design artifact templates.
    async fn artifact_templates(&self, ctx: &Context<'_>) -> Result<Vec<ArtifactTemplate>> {
        Ok(wrap(ctx.catalog()?.artifacts_of_capability(self.0.id), ArtifactTemplate))
    }
    /// The Discovery & Analysis artifact template, with the question bank.
    async fn discovery_and_analysis(&self, ctx: &Context<'_>) -> Result<Option<ArtifactTemplate>> {
        self.artifact(ctx, opskit_entity::enums::ArtifactKind::DiscoveryAndAnalysis).await
    }
    /// The Design artifact template, with the recommended design.
    async fn design(&self, ctx: &Context<'_>) -> Result<Option<ArtifactTemplate>> {
        self.artifact(ctx, opskit_entity::enums::ArtifactKind::Design).await
    }
    /// The core runbook template(s) of this capability.
    async fn runbook_templates(&self, ctx: &Context<'_>) -> Result<Vec<RunbookTemplate>> {
        Ok(wrap(ctx.catalog()?.runbook_templates_of_capability(self.0.id), RunbookTemplate))
    }
    /// The workshop sessions about this capability.
    async fn workshop_templates(&self, ctx: &Context<'_>) -> Result<Vec<WorkshopTemplate>> {
        Ok(wrap(ctx.catalog()?.workshop_templates_of_capability(self.0.id), WorkshopTemplate))
    }
}

impl Capability {
    async fn artifact(
        &self,
        ctx: &Context<'_>,
        kind: opskit_entity::enums::ArtifactKind,
    ) -> Result<Option<ArtifactTemplate>> {
        let catalog = ctx.catalog()?;
        Ok(catalog.artifacts_of_capability(self.0.id).iter().find(|a| a.kind == kind).cloned().map(ArtifactTemplate))
    }
}

/// Scope guidance: the people, processes and tools involved.
#[derive(SimpleObject)]
pub struct Scope {
    pub people: String,
    pub processes: String,
    pub tools: String,
}

/// A Discovery & Analysis, Design or overview artifact of a kit.
pub struct ArtifactTemplate(pub Arc<artifact_template::Model>);

impl ArtifactTemplate {
    /// The artifact template `id`.
    pub fn load(ctx: &Context<'_>, id: ArtifactTemplateId) -> Result<ArtifactTemplate, Error> {
        Ok(ArtifactTemplate(Catalog::required(id, ctx.catalog()?.artifact(id))?))
    }
}

#[Object]
impl ArtifactTemplate {
    pub async fn id(&self) -> ID {
        ids::encode(ArtifactTemplateId(self.0.id))
    }
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn kind(&self) -> ArtifactKind {
        self.0.kind.into()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Introduces the topic, with general guidance.
    async fn overview(&self) -> &str {
        &self.0.overview
    }
    async fn scope(&self) -> Scope {
        Scope {
            people: self.0.scope_people.clone(),
            processes: self.0.scope_processes.clone(),
            tools: self.0.scope_tools.clone(),
        }
    }
    /// For Design artifacts: the AWS recommended design.
    async fn recommended_design(&self) -> Option<&str> {
        self.0.recommended_design.as_deref()
    }
    /// The capability; null for overview artifacts.
    async fn capability(&self, ctx: &Context<'_>) -> Result<Option<Capability>> {
        Ok(Capability::optional(ctx, self.0.capability_id)?)
    }
    async fn kit(&self, ctx: &Context<'_>) -> Result<Kit> {
        Ok(Kit::load(ctx, KitId(self.0.kit_id))?)
    }
    /// The question bank (Discovery & Analysis artifacts), optionally of one category.
    async fn questions(&self, ctx: &Context<'_>, category: Option<QuestionCategory>) -> Result<Vec<Question>> {
        let catalog = ctx.catalog()?;
        let category = category.map(opskit_entity::enums::QuestionCategory::from);
        let rows = catalog.questions_of(self.0.id).iter().filter(|q| category.is_none_or(|c| q.category == c));
        Ok(rows.cloned().map(Question).collect())
    }
}

/// The range of a `SCALE` answer.
#[derive(SimpleObject)]
pub struct ScaleRange {
    pub min: i32,
    pub max: i32,
}

/// Lowest and highest value of a `SCALE` question.
pub const SCALE: (i32, i32) = (1, 5);

/// A question of a Discovery & Analysis question bank.
pub struct Question(pub Arc<question::Model>);

impl Question {
    /// The question `id`.
    pub fn load(ctx: &Context<'_>, id: QuestionId) -> Result<Question, Error> {
        Ok(Question(Catalog::required(id, ctx.catalog()?.question(id))?))
    }
}

#[Object]
impl Question {
    pub async fn id(&self) -> ID {
        ids::encode(QuestionId(self.0.id))
    }
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn category(&self) -> QuestionCategory {
        self.0.category.into()
    }
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// What the consultant listens for, and why it matters.
    async fn guidance(&self) -> &str {
        &self.0.guidance
    }
    async fn answer_kind(&self) -> AnswerKind {
        self.0.answer_kind.into()
    }
    /// The allowed choices of `SINGLE_CHOICE` and `MULTIPLE_CHOICE` questions.
    async fn choices(&self) -> Option<Vec<String>> {
        self.0.choices.as_ref().and_then(|c| serde_json::from_value(c.clone()).ok())
    }
    /// The range of a `SCALE` question.
    async fn scale(&self) -> Option<ScaleRange> {
        (self.0.answer_kind == opskit_entity::enums::AnswerKind::Scale)
            .then_some(ScaleRange { min: SCALE.0, max: SCALE.1 })
    }
    async fn artifact_template(&self, ctx: &Context<'_>) -> Result<ArtifactTemplate> {
        Ok(ArtifactTemplate::load(ctx, ArtifactTemplateId(self.0.artifact_template_id))?)
    }
}

/// One section of a runbook skeleton.
#[derive(SimpleObject, serde::Deserialize)]
pub struct RunbookSection {
    pub title: String,
    /// What to write in this section.
    pub guidance: String,
}

/// The core runbook of a capability: reference architecture and section skeleton.
pub struct RunbookTemplate(pub Arc<runbook_template::Model>);

impl RunbookTemplate {
    /// The runbook template `id`.
    pub fn load(ctx: &Context<'_>, id: RunbookTemplateId) -> Result<RunbookTemplate, Error> {
        Ok(RunbookTemplate(Catalog::required(id, ctx.catalog()?.runbook_template(id))?))
    }
}

#[Object]
impl RunbookTemplate {
    pub async fn id(&self) -> ID {
        ids::encode(RunbookTemplateId(self.0.id))
    }
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The reference architecture, with the AWS services it uses.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    async fn sections(&self) -> Vec<RunbookSection> {
        serde_json::from_value(self.0.sections.clone()).unwrap_or_default()
    }
    /// The skeleton as Markdown: the body a new draft starts from.
    async fn skeleton(&self) -> String {
        crate::domain::runbooks::skeleton(&self.0)
    }
    async fn capability(&self, ctx: &Context<'_>) -> Result<Capability> {
        Ok(Capability::load(ctx, CapabilityId(self.0.capability_id))?)
    }
}

/// A recommended workshop session of a kit.
pub struct WorkshopTemplate(pub Arc<workshop_template::Model>);

impl WorkshopTemplate {
    /// The workshop template `id`.
    pub fn load(ctx: &Context<'_>, id: WorkshopTemplateId) -> Result<WorkshopTemplate, Error> {
        Ok(WorkshopTemplate(Catalog::required(id, ctx.catalog()?.workshop_template(id))?))
    }
}

#[Object]
impl WorkshopTemplate {
    pub async fn id(&self) -> ID {
        ids::encode(WorkshopTemplateId(self.0.id))
    }
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn phase(&self) -> WorkshopPhase {
        self.0.phase.into()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn audience(&self) -> Audience {
        self.0.audience.into()
    }
    async fn duration_minutes(&self) -> i32 {
        self.0.duration_minutes
    }
    /// ISO 8601 duration, e.g. `PT90M`, or `P4W` for the four-week Game Day.
    async fn duration(&self) -> String {
        iso_duration(self.0.duration_minutes)
    }
    /// The capability the session is about; null for overview sessions and the Game Day.
    async fn capability(&self, ctx: &Context<'_>) -> Result<Option<Capability>> {
        Ok(Capability::optional(ctx, self.0.capability_id)?)
    }
    /// The artifacts the session works on.
    async fn artifact_templates(&self, ctx: &Context<'_>) -> Result<Vec<ArtifactTemplate>> {
        let ids: Vec<i64> = serde_json::from_value(self.0.artifact_template_ids.clone()).unwrap_or_default();
        let catalog = ctx.catalog()?;
        let found = ids.into_iter().filter_map(|id| catalog.artifact(ArtifactTemplateId(id)).cloned());
        Ok(found.map(ArtifactTemplate).collect())
    }
}

/// `PT90M`, `PT2H`, `P1D`, `P4W`: the largest whole unit that fits.
fn iso_duration(minutes: i32) -> String {
    const DAY: i32 = 24 * 60;
    match minutes {
        m if m > 0 && m % (7 * DAY) == 0 => format!("P{}W", m / (7 * DAY)),
        m if m > 0 && m % DAY == 0 => format!("P{}D", m / DAY),
        m if m > 0 && m % 60 == 0 => format!("PT{}H", m / 60),
        m => format!("PT{m}M"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_use_the_largest_whole_unit() {
        assert_eq!(super::iso_duration(90), "PT90M");
        assert_eq!(super::iso_duration(60), "PT1H");
        assert_eq!(super::iso_duration(40320), "P4W");
    }
}
