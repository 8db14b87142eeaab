//! The kit document and its validation. Parsing reports the field path and
//! line at fault; validation reports every broken rule with its path, so an
//! author fixes a file in one pass. Nothing is written until both pass.

use std::collections::HashSet;

use opskit_entity::enums::{AnswerKind, ArtifactKind, Audience, QuestionCategory, WorkshopPhase};
use serde::Deserialize;

/// A kit version as written by its author.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KitDoc {
    pub key: String,
    pub version: String,
    pub name: String,
    pub description: String,
    pub capabilities: Vec<CapabilityDoc>,
    #[serde(default)]
    pub overview_artifacts: Vec<ArtifactDoc>,
    #[serde(default)]
    pub workshops: Vec<WorkshopDoc>,
}

/// An operational area with its two artifacts and its core runbook.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapabilityDoc {
    pub key: String,
    pub name: String,
    pub summary: String,
    pub discovery: ArtifactDoc,
    pub design: ArtifactDoc,
    pub runbook: RunbookDoc,
}

/// An artifact template (Discovery & Analysis, Design or overview).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArtifactDoc {
    pub key: String,
    pub title: String,
    pub overview: String,
    pub scope: ScopeDoc,
    #[serde(default)]
    pub recommended_design: Option<String>,
    #[serde(default)]
    pub questions: Vec<QuestionDoc>,
}

/// Scope guidance: the people, processes and tools involved.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeDoc {
    pub people: String,
    pub processes: String,
    pub tools: String,
}

/// A question of a Discovery & Analysis question bank.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionDoc {
    pub key: String,
    pub category: QuestionCategory,
    pub text: String,
    pub guidance: String,
    pub answer_kind: AnswerKind,
    #[serde(default)]
    pub choices: Option<Vec<String>>,
}

/// A capability's core runbook template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunbookDoc {
    pub key: String,
    pub title: String,
    pub summary: String,
    pub sections: Vec<SectionDoc>,
}

/// One section of a runbook skeleton.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDoc {
    pub title: String,
    pub guidance: String,
}

/// A recommended workshop session.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkshopDoc {
    pub key: String,
    pub phase: WorkshopPhase,
    pub title: String,
    pub audience: Audience,
    pub duration_minutes: u32,
    #[serde(default)]
    pub capability: Option<String>,
    #[serde(default)]
    pub artifacts: Vec<String>,
}

impl KitDoc {
    /// Every artifact of the kit with its kind and capability key, in kit order.
    pub fn artifacts(&self) -> Vec<(ArtifactKind, Option<&CapabilityDoc>, &ArtifactDoc)> {
        let mut out = Vec::new();
        for cap in &self.capabilities {
            out.push((ArtifactKind::DiscoveryAndAnalysis, Some(cap), &cap.discovery));
            out.push((ArtifactKind::Design, Some(cap), &cap.design));
        }
        for art in &self.overview_artifacts {
            out.push((ArtifactKind::Overview, None, art));
        }
        out
    }
}

/// Parses a kit file (`format` from its extension: `yaml`/`yml` or `json`) and validates it.
/// The error names the file's field path and, where the parser knows it, the line.
pub fn parse(text: &str, json: bool) -> Result<KitDoc, Vec<String>> {
    let doc: KitDoc = if json {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| vec![located(e.path().to_string(), e.inner().to_string())])?
    } else {
        let de = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| vec![located(e.path().to_string(), e.inner().to_string())])?
    };
    let problems = validate(&doc);
    if problems.is_empty() { Ok(doc) } else { Err(problems) }
}

fn located(path: String, message: String) -> String {
    if path == "." || path.is_empty() { message } else { format!("{path}: {message}") }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Checks the rules serde cannot: required text, unique keys, choices, references.
fn validate(doc: &KitDoc) -> Vec<String> {
    let mut problems = Vec::new();
    let mut need = |path: String, value: &str| {
        if blank(value) {
            problems.push(format!("{path}: must not be empty"));
        }
    };
    need("key".into(), &doc.key);
    need("version".into(), &doc.version);
    need("name".into(), &doc.name);
    for (i, cap) in doc.capabilities.iter().enumerate() {
        need(format!("capabilities[{i}].key"), &cap.key);
        need(format!("capabilities[{i}].name"), &cap.name);
        need(format!("capabilities[{i}].runbook.title"), &cap.runbook.title);
    }
    if doc.capabilities.is_empty() {
        problems.push("capabilities: a kit needs at least one capability".into());
    }

    let mut capability_keys = HashSet::new();
    for (i, cap) in doc.capabilities.iter().enumerate() {
        if !capability_keys.insert(cap.key.as_str()) {
            problems.push(format!("capabilities[{i}].key: `{}` is used twice", cap.key));
        }
    }

    let mut artifact_keys = HashSet::new();
    let mut question_keys = HashSet::new();
    let mut runbook_keys = HashSet::new();
    for (i, cap) in doc.capabilities.iter().enumerate() {
        for (slot, art) in [("discovery", &cap.discovery), ("design", &cap.design)] {
            check_artifact(
                &format!("capabilities[{i}].{slot}"),
                art,
                &mut artifact_keys,
                &mut question_keys,
                &mut problems,
            );
        }
        if cap.design.recommended_design.as_deref().is_none_or(blank) {
            problems.push(format!(
                "capabilities[{i}].design.recommended_design: a Design artifact needs its recommended design"
            ));
        }
        if !cap.design.questions.is_empty() {
            problems.push(format!(
                "capabilities[{i}].design.questions: question banks belong to Discovery & Analysis artifacts"
            ));
        }
        if !runbook_keys.insert(cap.runbook.key.as_str()) {
            problems.push(format!("capabilities[{i}].runbook.key: `{}` is used twice", cap.runbook.key));
        }
        if cap.runbook.sections.is_empty() {
            problems.push(format!("capabilities[{i}].runbook.sections: a runbook skeleton needs at least one section"));
        }
    }
    for (i, art) in doc.overview_artifacts.iter().enumerate() {
        check_artifact(&format!("overview_artifacts[{i}]"), art, &mut artifact_keys, &mut question_keys, &mut problems);
    }

    let mut workshop_keys = HashSet::new();
    for (i, ws) in doc.workshops.iter().enumerate() {
        let path = format!("workshops[{i}]");
        if blank(&ws.key) || blank(&ws.title) {
            problems.push(format!("{path}: key and title must not be empty"));
        }
        if !workshop_keys.insert(ws.key.as_str()) {
            problems.push(format!("{path}.key: `{}` is used twice", ws.key));
        }
        if ws.duration_minutes == 0 {
            problems.push(format!("{path}.duration_minutes: must be positive"));
        }
        if let Some(cap) = &ws.capability
            && !capability_keys.contains(cap.as_str())
        {
            problems.push(format!("{path}.capability: no capability `{cap}` in this kit"));
        }
        for (j, art) in ws.artifacts.iter().enumerate() {
            if !artifact_keys.contains(art.as_str()) {
                problems.push(format!("{path}.artifacts[{j}]: no artifact `{art}` in this kit"));
            }
        }
    }
    problems
}

fn check_artifact<'a>(
    path: &str,
    art: &'a ArtifactDoc,
    artifact_keys: &mut HashSet<&'a str>,
    question_keys: &mut HashSet<&'a str>,
    problems: &mut Vec<String>,
) {
    if blank(&art.key) || blank(&art.title) {
        problems.push(format!("{path}: key and title must not be empty"));
    }
    if !artifact_keys.insert(art.key.as_str()) {
        problems.push(format!("{path}.key: `{}` is used twice", art.key));
    }
    for (j, q) in art.questions.iter().enumerate() {
        let qpath = format!("{path}.questions[{j}]");
        if blank(&q.text) {
            problems.push(format!("{qpath}.text: must not be empty"));
        }
        if !question_keys.insert(q.key.as_str()) {
            problems.push(format!("{qpath}.key: `{}` is used twice", q.key));
        }
        let is_choice = matches!(q.answer_kind, AnswerKind::SingleChoice | AnswerKind::MultipleChoice);
        match (&q.choices, is_choice) {
            (Some(choices), true) => {
                let distinct: HashSet<_> = choices.iter().map(|c| c.trim()).collect();
                if choices.len() < 2 || distinct.len() != choices.len() || distinct.contains("") {
                    problems.push(format!("{qpath}.choices: needs two or more distinct, non-empty choices"));
                }
            }
            (None, true) => problems.push(format!("{qpath}.choices: a choice question needs its choices")),
            (Some(_), false) => problems.push(format!("{qpath}.choices: only choice questions have choices")),
            (None, false) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_kit_is_valid() {
        let kit = parse(crate::kit::BUNDLED_KIT, false);
        assert!(kit.is_ok(), "{:?}", kit.err());
    }

    #[test]
    fn unknown_field_is_reported_with_path_and_line() {
        let text = "key: k\nversion: '1'\nname: n\ndescription: d\ncapabilities:\n  - key: c\n    nme: x\n";
        let err = parse(text, false).err().unwrap_or_default().join("\n");
        assert!(err.contains("capabilities[0]"), "{err}");
        assert!(err.contains("line 7"), "{err}");
    }

    #[test]
    fn choice_rules_are_checked() {
        let text = r#"{"key":"k","version":"1","name":"n","description":"d","capabilities":[{"key":"c","name":"C","summary":"s",
          "discovery":{"key":"a","title":"A","overview":"o","scope":{"people":"p","processes":"p","tools":"t"},
             "questions":[{"key":"q","category":"PEOPLE","text":"t?","guidance":"g","answer_kind":"SINGLE_CHOICE"}]},
          "design":{"key":"b","title":"B","overview":"o","scope":{"people":"p","processes":"p","tools":"t"},"recommended_design":"r"},
          "runbook":{"key":"r","title":"R","summary":"s","sections":[{"title":"t","guidance":"g"}]}}],
          "workshops":[{"key":"w","phase":"DESIGN_REVIEW","title":"W","audience":"ALL","duration_minutes":30,"artifacts":["zz"]}]}"#;
        let err = parse(text, true).err().unwrap_or_default().join("\n");
        assert!(err.contains("questions[0].choices"), "{err}");
        assert!(err.contains("workshops[0].artifacts[0]: no artifact `zz`"), "{err}");
    }
}
