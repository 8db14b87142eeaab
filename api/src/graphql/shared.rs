//! One resolution of an event for all the subscriptions that would compute
//! the same answer.
//!
//! async-graphql resolves each subscription's selection for each event on
//! its own: a thousand subscriptions to one engagement resolve every event a
//! thousand times. Two subscriptions get the same answer to the same event
//! when they select the same fields with the same arguments and are made by
//! the same caller (a selection may differ by caller: `viewerCan`, or what a
//! stakeholder may see). So each subscription computes, once when it starts,
//! a [`SelectionKey`] from its caller and its canonical selection (aliases,
//! arguments with their variables' values, fragments inlined with their type
//! conditions, directives); the first of them to reach an event resolves it,
//! and those with the same key that reach it within [`FRESH`] take a copy.
//!
//! An answer with errors in it is not shared: errors belong to the response
//! of the subscription that met them, so each subscription resolves such an
//! event itself. Nor is anything kept for longer than [`FRESH`]: `object` is
//! the changed object as it is *now*, and a subscription that replays an old
//! event later resolves it anew.

use std::{
    collections::{HashMap, VecDeque},
    fmt::Write as _,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use async_graphql::{
    ContextSelectionSet, Name, Positioned, ServerError, ServerResult, Value, Variables,
    parser::types::{Directive, Field, FragmentDefinition, Selection, SelectionSet},
};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

use crate::domain::Viewer;

/// How long one resolution serves other subscriptions.
pub const FRESH: Duration = Duration::from_secs(1);

/// Most resolutions kept at once; past it, events are resolved unshared.
const CAPACITY: usize = 4096;

/// What makes two subscriptions' answers to one event the same: the caller
/// and the canonical selection, digested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SelectionKey([u8; 32]);

impl SelectionKey {
    /// The key of the subscription field `ctx` resolves (its selection, with
    /// the operation's fragments and variables) made by `viewer`.
    pub fn of(ctx: &async_graphql::Context<'_>, viewer: &Viewer) -> Self {
        let env = ctx.query_env;
        let mut text = String::new();
        let _ = write!(
            text,
            "{:?}|{}|{:?}|{:?}|{:?}|{:?}|",
            viewer.user_id, viewer.subject, viewer.name, viewer.email, viewer.roles, viewer.key
        );
        canonical(&ctx.item.node.selection_set.node, &env.fragments, &env.variables, &mut text);
        Self(Sha256::digest(text.as_bytes()).into())
    }
}

/// The resolutions of recent events, shared by the process's subscriptions.
#[derive(Default)]
pub struct Resolutions {
    inner: Mutex<Recent>,
}

#[derive(Default)]
struct Recent {
    cells: HashMap<(i64, SelectionKey), Arc<Cell>>,
    /// Insertion order, to forget what is older than [`FRESH`].
    order: VecDeque<(Instant, (i64, SelectionKey))>,
}

/// One event's answer for one key: `None` when it had errors (not shared).
type Cell = OnceCell<Option<Value>>;

impl Resolutions {
    /// Resolves event `position` for a subscription of key `selection` with
    /// `resolve`, or takes the answer a subscription of the same key resolved
    /// within [`FRESH`]. `ctx` is the subscription's own, to see whether the
    /// resolution met errors.
    pub async fn resolve<F>(
        &self,
        position: i64,
        selection: SelectionKey,
        ctx: &ContextSelectionSet<'_>,
        resolve: F,
    ) -> ServerResult<Value>
    where
        F: Future<Output = ServerResult<Value>> + Send,
    {
        let cell = self.cell((position, selection));
        let mut resolve = std::pin::pin!(resolve);
        // This subscription's own answer, when it is the one that resolved the event.
        let mut own = None;
        let shared = cell
            .get_or_try_init(|| async {
                let before = errors(ctx);
                let value = resolve.as_mut().await?;
                let shared = (errors(ctx) == before).then(|| value.clone());
                own = Some(value);
                Ok::<_, ServerError>(shared)
            })
            .await?;
        match (own, shared) {
            (Some(value), _) => Ok(value),
            (None, Some(value)) => Ok(value.clone()),
            // Another subscription met errors resolving it: resolve it here.
            (None, None) => resolve.await,
        }
    }

    fn cell(&self, key: (i64, SelectionKey)) -> Arc<Cell> {
        let now = Instant::now();
        let mut recent = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let Recent { cells, order } = &mut *recent;
        while let Some((at, old)) = order.front()
            && now.duration_since(*at) >= FRESH
        {
            cells.remove(old);
            order.pop_front();
        }
        if let Some(cell) = cells.get(&key) {
            return cell.clone();
        }
        let cell = Arc::new(Cell::new());
        if cells.len() < CAPACITY {
            cells.insert(key, cell.clone());
            order.push_back((now, key));
        }
        cell
    }
}

/// The errors the subscription's operation has met so far.
fn errors(ctx: &ContextSelectionSet<'_>) -> usize {
    ctx.query_env.errors.lock().unwrap_or_else(PoisonError::into_inner).len()
}

/// Writes arguments as `name:value,`, each value with its variables' values
/// in place (null when unset). A macro: the parser's value type is not
/// re-exported by async-graphql.
macro_rules! write_arguments {
    ($arguments:expr, $variables:expr, $out:expr) => {
        for (name, value) in $arguments {
            let value = value
                .node
                .clone()
                .into_const_with(|var| {
                    Ok::<_, std::convert::Infallible>($variables.get(&var).cloned().unwrap_or_default())
                })
                .unwrap_or_default();
            let _ = write!($out, "{}:{},", name.node, value);
        }
    };
}

/// Writes `set` in a canonical form: every field with its alias, arguments
/// (variables replaced by their values) and directives, fragments inlined with
/// their type conditions.
fn canonical(
    set: &SelectionSet,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
    variables: &Variables,
    out: &mut String,
) {
    out.push('{');
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                let Field { alias, name, arguments, directives, selection_set } = &field.node;
                if let Some(alias) = alias {
                    let _ = write!(out, "{}:", alias.node);
                }
                out.push_str(&name.node);
                out.push('(');
                write_arguments!(arguments, variables, out);
                out.push(')');
                write_directives(directives, variables, out);
                canonical(&selection_set.node, fragments, variables, out);
            }
            Selection::InlineFragment(inline) => {
                let condition = inline.node.type_condition.as_ref().map(|c| c.node.on.node.as_str());
                let _ = write!(out, "...on {}", condition.unwrap_or(""));
                write_directives(&inline.node.directives, variables, out);
                canonical(&inline.node.selection_set.node, fragments, variables, out);
            }
            Selection::FragmentSpread(spread) => {
                // Validation has refused unknown fragments and cycles.
                let name = &spread.node.fragment_name.node;
                out.push_str("...");
                write_directives(&spread.node.directives, variables, out);
                if let Some(fragment) = fragments.get(name) {
                    let _ = write!(out, "on {}", fragment.node.type_condition.node.on.node);
                    write_directives(&fragment.node.directives, variables, out);
                    canonical(&fragment.node.selection_set.node, fragments, variables, out);
                }
            }
        }
        out.push(' ');
    }
    out.push('}');
}

fn write_directives(directives: &[Positioned<Directive>], variables: &Variables, out: &mut String) {
    for directive in directives {
        let _ = write!(out, "@{}(", directive.node.name.node);
        write_arguments!(&directive.node.arguments, variables, out);
        out.push(')');
    }
}
