//! Reading an engagement's activities (filtered and paged in kit order) and an
//! activity's question bank with its answers. The rows come from DataLoaders
//! (all of one engagement or activity at once), so these are pure functions.

use std::{collections::HashMap, sync::Arc};

use opskit_entity::{
    activity, answer,
    enums::{ActivityStatus, ArtifactKind, QuestionCategory},
    question,
};

use crate::{
    domain::{
        ids::{ArtifactTemplateId, CapabilityId},
        kits::Catalog,
        page::{self, Cursor, Page, PageArgs, SortValue},
    },
    error::Result,
};

/// Narrowing an engagement's activities; every given criterion must match.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    /// Only activities in this state.
    pub status: Option<ActivityStatus>,
    /// Only activities of this kind of artifact.
    pub kind: Option<ArtifactKind>,
    /// Only activities of this capability; `Some(None)` when the key named no
    /// capability of the kit, which matches nothing (nor do overview activities).
    pub capability: Option<Option<CapabilityId>>,
}

/// What activities are sorted by; ties are broken by ID.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ActivitySort {
    /// Kit order (the default), which is the order they were created in.
    #[default]
    KitOrder,
    /// When last changed.
    UpdatedAt,
    /// NOT_STARTED, IN_PROGRESS, DONE.
    Status,
}

impl ActivitySort {
    /// The position of `a` in this order.
    pub fn cursor(self, a: &activity::Model) -> Cursor {
        let value = match self {
            ActivitySort::KitOrder => SortValue::I(a.id),
            ActivitySort::UpdatedAt => SortValue::T(a.updated_at),
            ActivitySort::Status => SortValue::I(a.status as i64),
        };
        Cursor(value, a.id)
    }
}

/// One page of `activities` (all of one engagement) matching `filter`, in
/// `sort` order; their artifact templates come from `catalog`.
pub fn list(
    activities: Vec<activity::Model>,
    catalog: &Catalog,
    filter: &ActivityFilter,
    (sort, descending): (ActivitySort, bool),
    args: &PageArgs,
) -> Result<Page<activity::Model>> {
    let rows = activities
        .into_iter()
        .filter(|a| filter.status.is_none_or(|s| a.status == s))
        .filter(|a| {
            let template = catalog.artifact(ArtifactTemplateId(a.artifact_template_id));
            filter.kind.is_none_or(|k| template.is_some_and(|t| t.kind == k))
                && filter.capability.is_none_or(|wanted| {
                    template.is_some_and(|t| t.capability_id.is_some() && t.capability_id == wanted.map(|c| c.0))
                })
        })
        .collect();
    page::slice_by(rows, |a| sort.cursor(a), descending, args)
}

/// Narrowing an activity's question bank; every given criterion must match.
#[derive(Debug, Clone, Copy, Default)]
pub struct QuestionFilter {
    /// Only questions of this category.
    pub category: Option<QuestionCategory>,
    /// `true`: only answered questions; `false`: only those not answered yet.
    pub answered: Option<bool>,
}

/// The questions of an activity's `bank` (in bank order) with the activity's
/// current answer to each, as `filter` narrows them.
pub fn questions(
    bank: &[Arc<question::Model>],
    answers: Vec<answer::Model>,
    filter: &QuestionFilter,
) -> Vec<(Arc<question::Model>, Option<answer::Model>)> {
    let mut answers: HashMap<i64, answer::Model> = answers.into_iter().map(|a| (a.question_id, a)).collect();
    bank.iter()
        .filter(|q| filter.category.is_none_or(|c| q.category == c))
        .map(|q| {
            let answer = answers.remove(&q.id);
            (q.clone(), answer)
        })
        .filter(|(_, answer)| filter.answered.is_none_or(|wanted| answer.is_some() == wanted))
        .collect()
}
