//! The report templates (`api/templates/`), embedded in the binary and
//! rendered with minijinja; every value is HTML-escaped (SVG included).

use std::sync::OnceLock;

use minijinja::{AutoEscape, Environment};

use crate::error::{Error, Result};

/// Name and source of every template.
const TEMPLATES: [(&str, &str); 3] = [
    ("handover.html", include_str!("../../templates/handover.html")),
    ("readiness.svg", include_str!("../../templates/readiness.svg")),
    ("burndown.svg", include_str!("../../templates/burndown.svg")),
];

fn environment() -> Result<&'static Environment<'static>> {
    static ENV: OnceLock<std::result::Result<Environment<'static>, String>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        for (name, source) in TEMPLATES {
            env.add_template(name, source).map_err(|e| format!("{e:#}"))?;
        }
        Ok(env)
    })
    .as_ref()
    .map_err(|e| Error::internal(anyhow::anyhow!("report templates: {e}")))
}

/// Renders template `name` with `context` (any serializable value, usually `serde_json::json!`).
pub fn render(name: &str, context: &impl serde::Serialize) -> Result<String> {
    let template = environment()?.get_template(name).map_err(|e| Error::internal(anyhow::anyhow!("{e:#}")))?;
    let context = minijinja::Value::from(minijinja::value::Serde(context));
    template.render(context).map_err(|e| Error::internal(anyhow::anyhow!("{name}: {e:#}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_parses() {
        assert!(super::environment().is_ok());
    }
}
