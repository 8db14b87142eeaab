//! Checking the inputs of activity changes before anything is read: a
//! readiness target, the customer's solution, a document link. Each
//! check returns the input [`Checked`] and cleaned (trimmed; a blank optional
//! text is absent) or every `userErrors` entry refusing it.

use opskit_entity::enums::DesignAdoption;

use super::{DesignAdoptionChange, NewDocumentLink, ReadinessTarget};
use crate::{
    domain::validate::{Checks, MAX_ITEMS, MAX_LABEL, MAX_TEXT},
    error::{Code, Result},
};

/// An input that passed its checks: only this module makes one, so a command
/// built on it cannot run unchecked.
#[derive(Debug)]
pub(super) struct Checked<T>(T);

impl<T> std::ops::Deref for Checked<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// A readiness target: a statement and criteria, none of them blank.
pub(super) fn readiness_target(target: ReadinessTarget) -> Result<Checked<ReadinessTarget>> {
    let mut checks = Checks::new();
    let statement = checks.required("statement", &target.statement, MAX_TEXT);
    let _ = checks.count("criteria", &target.criteria, MAX_ITEMS);
    // One entry for the list: the first refused criterion.
    let criteria: Option<Vec<String>> =
        target.criteria.iter().map(|c| checks.required("criteria", c, MAX_TEXT)).collect();
    let (statement, criteria) = checks.done(statement.zip(criteria))?;
    Ok(Checked(ReadinessTarget { statement, criteria }))
}

/// A design adoption: the customer's solution is named when it replaces the design.
pub(super) fn design_adoption(change: DesignAdoptionChange) -> Result<Checked<DesignAdoptionChange>> {
    let mut checks = Checks::new();
    let solution_name = checks.optional("solutionName", change.solution_name.as_deref(), MAX_LABEL);
    if change.adoption == DesignAdoption::CustomerSolution && solution_name == Some(None) {
        checks.push("solutionName", Code::Required, "name the customer's solution");
    }
    let solution_name = checks.done(solution_name)?;
    Ok(Checked(DesignAdoptionChange { adoption: change.adoption, solution_name }))
}

/// A document link: a required title and an http(s) URL.
pub(super) fn document_link(link: NewDocumentLink) -> Result<Checked<NewDocumentLink>> {
    let mut checks = Checks::new();
    let title = checks.label("title", &link.title);
    let url = checks.url("url", &link.url);
    let (title, url) = checks.done(title.zip(url))?;
    Ok(Checked(NewDocumentLink { activity_id: link.activity_id, title, url }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn codes<T>(result: Result<T>) -> Vec<Code> {
        match result {
            Err(Error::User(errors)) => errors.iter().map(|e| e.code).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn a_target_has_no_blank_parts() {
        let target = |statement: &str, criteria: &[&str]| ReadinessTarget {
            statement: statement.into(),
            criteria: criteria.iter().map(|c| (*c).to_owned()).collect(),
        };
        let ok = readiness_target(target("Patched", &[" a ", "b"])).ok();
        assert_eq!(ok.map(|t| t.0.criteria), Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(codes(readiness_target(target(" ", &["", " "]))), [Code::Required, Code::Required]);
    }

    #[test]
    fn a_link_has_a_title_and_a_web_url() {
        let link = |title: &str, url: &str| NewDocumentLink {
            activity_id: crate::domain::ids::ActivityId(1),
            title: title.into(),
            url: url.into(),
        };
        let ok = document_link(link(" SOP ", " https://wiki.test/sop ")).ok().map(|l| (l.0.title, l.0.url));
        assert_eq!(ok, Some(("SOP".into(), "https://wiki.test/sop".into())));
        assert_eq!(codes(document_link(link("", "file:///etc/passwd"))), [Code::Required, Code::InvalidUrl]);
    }

    #[test]
    fn a_customer_solution_is_named() {
        let change =
            |adoption, name: Option<&str>| DesignAdoptionChange { adoption, solution_name: name.map(str::to_owned) };
        assert_eq!(codes(design_adoption(change(DesignAdoption::CustomerSolution, Some("  ")))), [Code::Required]);
        let ok = design_adoption(change(DesignAdoption::CustomerSolution, Some(" Ivanti "))).ok();
        assert_eq!(ok.and_then(|c| c.0.solution_name), Some("Ivanti".into()));
        assert!(design_adoption(change(DesignAdoption::AsRecommended, None)).is_ok());
    }
}
