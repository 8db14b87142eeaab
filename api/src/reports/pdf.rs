//! `handover.pdf`: the handover document as a PDF, written with `lopdf` (a
//! maintained, pure-Rust PDF library that compiles in seconds, where
//! typst-as-a-library takes minutes on a small machine). It uses the PDF
//! standard fonts (Helvetica, nothing embedded): text is laid out in lines
//! wrapped to the page, sections start with a heading, and the readiness
//! heatmap and the burndown are drawn as vector paths.

use lopdf::{
    Document, Object, Stream,
    content::{Content, Operation},
    dictionary,
};

use super::{data::Reportable, handover::Figures};
use crate::error::{Error, Result};

/// A4 in points, and the margins.
const PAGE: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 50.0;
/// Characters per line at the body size (Helvetica averages about half an em).
const WRAP: usize = 98;

/// The document being laid out: pages of content operations.
struct Writer {
    pages: Vec<Vec<Operation>>,
    y: f32,
}

impl Writer {
    fn new() -> Self {
        Self { pages: vec![Vec::new()], y: PAGE.1 - MARGIN }
    }

    fn ops(&mut self) -> &mut Vec<Operation> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Room for `height` points on this page, or a new page.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.pages.push(Vec::new());
            self.y = PAGE.1 - MARGIN;
        }
    }

    fn text_at(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let font = if bold { "F2" } else { "F1" };
        self.ops().extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec![font.into(), size.into()]),
            Operation::new("Td", vec![x.into(), y.into()]),
            Operation::new("Tj", vec![Object::string_literal(win_ansi(text))]),
            Operation::new("ET", vec![]),
        ]);
    }

    /// A paragraph, wrapped, at `size` points.
    fn line(&mut self, size: f32, bold: bool, text: &str) {
        let wrap = (WRAP as f32 * 10.0 / size) as usize;
        for line in wrap_text(text, wrap.max(20)) {
            self.room(size * 1.4);
            self.y -= size * 1.4;
            let y = self.y;
            self.text_at(MARGIN, y, size, bold, &line);
        }
    }

    fn heading(&mut self, text: &str) {
        self.room(60.0);
        self.y -= 10.0;
        self.line(14.0, true, text);
        self.y -= 4.0;
    }

    fn rect(&mut self, (x, y, w, h): (f32, f32, f32, f32), rgb: (f32, f32, f32)) {
        self.ops().extend([
            Operation::new("rg", vec![rgb.0.into(), rgb.1.into(), rgb.2.into()]),
            Operation::new("re", vec![x.into(), y.into(), w.into(), h.into()]),
            Operation::new("f", vec![]),
            Operation::new("rg", vec![0.into(), 0.into(), 0.into()]),
        ]);
    }

    fn polyline(&mut self, points: &[(f32, f32)], rgb: (f32, f32, f32)) {
        let Some(((x0, y0), rest)) = points.split_first() else { return };
        let mut ops = vec![
            Operation::new("RG", vec![rgb.0.into(), rgb.1.into(), rgb.2.into()]),
            Operation::new("w", vec![1.5.into()]),
            Operation::new("m", vec![(*x0).into(), (*y0).into()]),
        ];
        ops.extend(rest.iter().map(|(x, y)| Operation::new("l", vec![(*x).into(), (*y).into()])));
        ops.push(Operation::new("S", vec![]));
        self.ops().extend(ops);
    }
}

/// The handover document as PDF bytes.
pub fn render(data: &Reportable) -> Result<Vec<u8>> {
    let mut w = Writer::new();
    let e = &data.engagement;
    w.line(20.0, true, &format!("Operations handover: {}", e.customer));
    let mut meta = format!("{} · {} · status {} · from {}", e.name, e.kit, e.status, e.starts_on);
    if let Some(end) = e.ends_on {
        meta.push_str(&format!(" to {end}"));
    }
    if let Some(closed) = &e.closed_at {
        meta.push_str(&format!(" · closed {closed}"));
    }
    w.line(10.0, false, &meta);
    if let Some(reason) = &e.close_reason {
        w.line(10.0, false, &format!("Closed with the reason: {reason}"));
    }

    let f = Figures::from(&data.progress);
    w.heading("Summary");
    w.line(11.0, false, &format!("Activities done: {} of {}", f.activities_done, f.activities_total));
    w.line(11.0, false, &format!("Questions answered: {} of {}", f.questions_answered, f.questions_total));
    w.line(11.0, false, &format!("Runbooks baselined: {} of {}", f.runbooks_baselined, f.runbooks_planned));
    w.line(11.0, false, &format!("Open deviations: {}", f.open_deviations));

    w.heading("Readiness by capability");
    for c in &data.capabilities {
        w.line(11.0, true, &format!("{} — {}", c.name, c.readiness));
        let target = c.target.clone().unwrap_or_else(|| "No target agreed".to_owned());
        w.line(10.0, false, &format!("Target: {target}"));
        for criterion in &c.criteria {
            w.line(10.0, false, &format!("  • {criterion}"));
        }
        if let Some(findings) = &c.findings {
            w.line(10.0, false, &format!("Findings: {findings}"));
        }
    }
    heatmap(&mut w, data);

    w.heading("Design adoption");
    for c in &data.capabilities {
        let adoption = c.adoption.as_deref().unwrap_or("Not decided");
        let solution = c.solution.as_deref().map(|s| format!(" ({s})")).unwrap_or_default();
        w.line(
            10.0,
            false,
            &format!("{}: discovery {}, design {}; {adoption}{solution}", c.name, c.discovery, c.design),
        );
    }

    w.heading("Deviation register");
    if data.deviations.is_empty() {
        w.line(10.0, false, "No deviation from the recommended designs.");
    }
    for d in &data.deviations {
        w.line(11.0, true, &format!("{} — {} ({}, {})", d.capability, d.title, d.severity, d.status));
        w.line(10.0, false, &d.description);
        w.line(10.0, false, &format!("Risks: {}", d.risks));
        w.line(10.0, false, &format!("Mitigation: {}", d.mitigation.as_deref().unwrap_or("None yet")));
    }

    w.heading("RACI");
    if data.raci.is_empty() {
        w.line(10.0, false, "No RACI assignments recorded.");
    }
    for r in &data.raci {
        w.line(10.0, false, &format!("{}: {} — {}", r.capability, r.party, r.role));
    }

    w.heading("Baselined runbooks");
    if data.runbooks.is_empty() {
        w.line(10.0, false, "No runbook is baselined yet.");
    }
    for r in &data.runbooks {
        let revision = r.revision.map(|n| format!(", revision {n}")).unwrap_or_default();
        let on = r.baselined_on.map(|d| format!(", baselined {d}")).unwrap_or_default();
        w.line(10.0, false, &format!("{}: {} ({}{revision}{on})", r.capability, r.title, r.kind));
    }

    w.heading("Progress over time");
    burndown(&mut w, data);
    w.line(8.0, false, &format!("Generated {}", e.generated_at));
    assemble(w.pages)
}

/// The readiness heatmap: a row per capability, the assessed level's cell filled.
fn heatmap(w: &mut Writer, data: &Reportable) {
    const LEVELS: [(&str, &str, (f32, f32, f32)); 4] = [
        ("NOT_ASSESSED", "Not assessed", (0.61, 0.64, 0.69)),
        ("NOT_READY", "Not ready", (0.86, 0.15, 0.15)),
        ("PARTIALLY_READY", "Partially", (0.96, 0.62, 0.04)),
        ("READY", "Ready", (0.09, 0.64, 0.29)),
    ];
    let row_h = 16.0;
    w.room(row_h * (data.capabilities.len() as f32 + 2.0));
    w.y -= row_h;
    let label_w = 230.0;
    let cell_w = 65.0;
    let y = w.y;
    for (i, (_, label, _)) in LEVELS.iter().enumerate() {
        w.text_at(MARGIN + label_w + cell_w * i as f32 + 4.0, y, 8.0, true, label);
    }
    for c in &data.capabilities {
        w.y -= row_h;
        let y = w.y;
        w.text_at(MARGIN, y + 4.0, 9.0, false, &c.name);
        for (i, (level, _, colour)) in LEVELS.iter().enumerate() {
            let fill = if c.readiness == *level { *colour } else { (0.95, 0.96, 0.96) };
            w.rect((MARGIN + label_w + cell_w * i as f32, y, cell_w - 3.0, row_h - 3.0), fill);
        }
    }
}

/// The burndown: activities (blue) and runbooks (purple) remaining per day.
fn burndown(w: &mut Writer, data: &Reportable) {
    let (width, height) = (PAGE.0 - 2.0 * MARGIN, 160.0);
    w.room(height + 30.0);
    let bottom = w.y - height;
    let h = &data.history;
    let activities: Vec<i64> = h.iter().map(|p| p.activities_total - p.activities_done).collect();
    let runbooks: Vec<i64> = h.iter().map(|p| p.runbooks_planned - p.runbooks_baselined).collect();
    let max = activities.iter().chain(&runbooks).copied().max().unwrap_or(0).max(1) as f32;
    let steps = (h.len().max(2) - 1) as f32;
    let at = |i: usize, v: i64| (MARGIN + width * i as f32 / steps, bottom + height * v as f32 / max);
    w.rect((MARGIN, bottom, width, 0.8), (0.4, 0.4, 0.4));
    for (values, colour) in [(&activities, (0.15, 0.39, 0.92)), (&runbooks, (0.58, 0.2, 0.92))] {
        let points: Vec<(f32, f32)> = values.iter().enumerate().map(|(i, v)| at(i, *v)).collect();
        if points.len() == 1 {
            let (x, y) = points[0];
            w.rect((x - 2.0, y - 2.0, 4.0, 4.0), colour);
        }
        w.polyline(&points, colour);
    }
    w.y = bottom - 4.0;
    let first = h.first().map(|p| p.day.to_string()).unwrap_or_default();
    let last = h.last().map(|p| p.day.to_string()).unwrap_or_default();
    w.line(
        8.0,
        false,
        &format!(
            "Activities remaining (blue) and runbooks remaining (purple), {first} to {last}; top of the scale: {max}"
        ),
    );
}

/// The pages as one PDF document.
fn assemble(pages: Vec<Vec<Operation>>) -> Result<Vec<u8>> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = |name: &str| dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => name, "Encoding" => "WinAnsiEncoding" };
    let regular = doc.add_object(font("Helvetica"));
    let bold = doc.add_object(font("Helvetica-Bold"));
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => regular, "F2" => bold } });
    let mut kids = Vec::new();
    for operations in pages {
        let content = Content { operations }.encode().map_err(Error::internal)?;
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(Object::from(page));
    }
    let count = i64::try_from(kids.len()).unwrap_or(0);
    let pages = dictionary! {
        "Type" => "Pages",
        "Kids" => kids,
        "Count" => count,
        "Resources" => resources,
        "MediaBox" => vec![0.into(), 0.into(), PAGE.0.into(), PAGE.1.into()],
    };
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(Error::internal)?;
    Ok(out)
}

/// Words of `text` in lines of at most `width` characters (longer words are cut).
fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let mut word: String = word.to_owned();
            while word.chars().count() > width {
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                lines.push(head);
            }
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// `text` in the standard fonts' WinAnsi encoding; what it lacks becomes `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            c if (c as u32) < 0x100 && !c.is_control() => c as u8,
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_at_words_and_cut_long_ones() {
        assert_eq!(wrap_text("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap_text("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap_text("", 10), [""]);
    }

    #[test]
    fn text_is_win_ansi() {
        assert_eq!(win_ansi("a—b·ü✓"), [b'a', 0x97, b'b', 0xB7, 0xFC, b'?']);
    }
}
