//! Reading an engagement's members, loaded in batches by the caller (all
//! members of an engagement at once), so these are pure functions.

use opskit_entity::{engagement_member, enums::EngagementRole};

use crate::{
    domain::{
        ids::UserId,
        page::{self, Cursor, Page, PageArgs, SortValue},
    },
    error::Result,
};

/// Narrowing an engagement's members.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    /// Only members with this role.
    pub role: Option<EngagementRole>,
}

/// What members are sorted by; ties are broken by ID.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MemberSort {
    /// When added (the default).
    #[default]
    AddedAt,
    /// CONSULTANT, WORKSTREAM_MEMBER, STAKEHOLDER.
    Role,
}

/// One page of `members` (all of one engagement) matching `filter`, in `sort` order.
pub fn list(
    members: Vec<engagement_member::Model>,
    filter: &MemberFilter,
    (sort, descending): (MemberSort, bool),
    args: &PageArgs,
) -> Result<Page<engagement_member::Model>> {
    let rows = members.into_iter().filter(|m| filter.role.is_none_or(|r| m.role == r)).collect();
    let cursor = |m: &engagement_member::Model| match sort {
        MemberSort::AddedAt => Cursor(SortValue::T(m.added_at), m.id),
        MemberSort::Role => Cursor(SortValue::I(m.role as i64), m.id),
    };
    page::slice_by(rows, cursor, descending, args)
}

/// The role of `user` among `members`; `None` when they are not one (an admin looking in).
pub fn role_of(members: &[engagement_member::Model], user: UserId) -> Option<EngagementRole> {
    members.iter().find(|m| m.user_id == user.0).map(|m| m.role)
}
