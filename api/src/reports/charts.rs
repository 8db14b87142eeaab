//! The charts: `readiness.svg`, a capability × readiness heatmap, and
//! `burndown.svg`, the work remaining per day. Geometry is computed here; the
//! SVG itself is a template (`api/templates/*.svg`), so it is escaped like HTML.

use serde::Serialize;
use serde_json::json;

use super::{data::Reportable, templates};
use crate::error::Result;

/// The readiness levels, in the heatmap's column order, with their labels and colours.
const LEVELS: [(&str, &str, &str); 4] = [
    ("NOT_ASSESSED", "Not assessed", "#9ca3af"),
    ("NOT_READY", "Not ready", "#dc2626"),
    ("PARTIALLY_READY", "Partially ready", "#f59e0b"),
    ("READY", "Ready", "#16a34a"),
];
const LABEL_WIDTH: i64 = 300;
const CELL: (i64, i64) = (120, 36);

#[derive(Serialize)]
struct Cell {
    x: i64,
    y: i64,
    level: &'static str,
    fill: &'static str,
    on: bool,
}

#[derive(Serialize)]
struct Row {
    y: i64,
    capability: String,
    target: bool,
    cells: Vec<Cell>,
}

/// The heatmap: one row per capability, the assessed level filled in its colour.
pub fn readiness(data: &Reportable) -> Result<String> {
    let rows: Vec<Row> = data
        .capabilities
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let y = 60 + CELL.1 * i64::try_from(i).unwrap_or(0);
            let cells = LEVELS
                .iter()
                .zip(0..)
                .map(|((level, _, fill), column)| Cell {
                    x: LABEL_WIDTH + CELL.0 * column,
                    y,
                    level,
                    fill,
                    on: c.readiness == *level,
                })
                .collect();
            Row { y, capability: c.name.clone(), target: c.target.is_some() || !c.criteria.is_empty(), cells }
        })
        .collect();
    let columns: Vec<(i64, &str)> =
        LEVELS.iter().zip(0..).map(|((_, label, _), i)| (LABEL_WIDTH + CELL.0 * i + CELL.0 / 2, *label)).collect();
    let height = 60 + CELL.1 * i64::try_from(rows.len()).unwrap_or(0) + 20;
    let width = LABEL_WIDTH + CELL.0 * 4 + 20;
    templates::render(
        "readiness.svg",
        &json!({ "rows": rows, "columns": columns, "width": width, "height": height, "cell_w": CELL.0,
            "cell_h": CELL.1, "customer": data.engagement.customer, "name": data.engagement.name }),
    )
}

/// One line of the burndown chart.
#[derive(Serialize)]
struct Series {
    name: &'static str,
    colour: &'static str,
    points: String,
    dots: Vec<(f64, f64, i64, String)>,
}

/// The burndown: per day, activities and runbooks still to finish.
pub fn burndown(data: &Reportable) -> Result<String> {
    let (width, height, left, top, bottom, right) = (720.0, 360.0, 60.0, 40.0, 50.0, 20.0);
    let history = &data.history;
    let remaining = |pick: fn(&crate::domain::progress_history::ProgressPoint) -> i64| {
        history.iter().map(pick).collect::<Vec<i64>>()
    };
    let activities = remaining(|p| p.activities_total - p.activities_done);
    let runbooks = remaining(|p| p.runbooks_planned - p.runbooks_baselined);
    let max = activities.iter().chain(&runbooks).copied().max().unwrap_or(0).max(1);
    let days = history.len().max(2) - 1;
    let x_of = |i: usize| left + (width - left - right) * (i as f64) / (days as f64);
    let y_of = |v: i64| top + (height - top - bottom) * (1.0 - (v as f64) / (max as f64));
    let series = |name, colour, values: &[i64]| {
        let dots: Vec<(f64, f64, i64, String)> = values
            .iter()
            .zip(history)
            .enumerate()
            .map(|(i, (v, p))| (x_of(i), y_of(*v), *v, p.day.to_string()))
            .collect();
        let points = dots.iter().map(|(x, y, _, _)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
        Series { name, colour, points, dots }
    };
    let lines = vec![
        series("Activities remaining", "#2563eb", &activities),
        series("Runbooks remaining", "#9333ea", &runbooks),
    ];
    let ticks: Vec<(f64, i64)> = (0..=4).map(|i| max * i / 4).map(|v| (y_of(v), v)).collect();
    let first = history.first().map(|p| p.day.to_string()).unwrap_or_default();
    let last = history.last().map(|p| p.day.to_string()).unwrap_or_default();
    templates::render(
        "burndown.svg",
        &json!({ "lines": lines, "ticks": ticks, "first": first, "last": last, "width": width, "height": height,
            "left": left, "top": top, "bottom": bottom, "right": right,
            "customer": data.engagement.customer, "name": data.engagement.name }),
    )
}
