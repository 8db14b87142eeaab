//! A connection's settings as asked for, checked before anything is read:
//! a name, an http(s) base URL, the credentials each system needs, and how
//! tickets are moved (with defaults that fit a stock Jira workflow and
//! ServiceNow incident table).

use opskit_entity::enums::TrackerSystem;

use crate::{
    domain::validate::{Checks, MAX_LABEL},
    error::{Code, Result},
};

/// How opskit signs in to the tracker. Jira: the account's email and an API
/// token; ServiceNow: a user and password, or an OAuth bearer token.
#[derive(Clone, Default)]
pub struct Credentials {
    pub email: Option<String>,
    pub api_token: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub token: Option<String>,
}

/// Shows a keyed digest, never a credential: two requests with other
/// credentials differ (an idempotent retry must carry the same ones), and
/// nothing readable reaches a log.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fields = [&self.email, &self.api_token, &self.username, &self.password, &self.token];
        let mut plain = Vec::new();
        for field in fields {
            match field {
                Some(text) => {
                    plain.push(1);
                    plain.extend_from_slice(&(text.len() as u64).to_be_bytes());
                    plain.extend_from_slice(text.as_bytes());
                }
                None => plain.push(0),
            }
        }
        write!(f, "Credentials({})", crate::secrets::key().tag("tracker_connection.credentials", &plain))
    }
}

/// Credentials that passed their checks: the user name shown (empty for a
/// bearer token) and the secret sealed.
#[derive(Clone)]
pub struct Checked {
    pub username: String,
    pub secret: String,
}

/// Settings of a connection; on an update, `None` leaves a setting as it is.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub name: Option<String>,
    pub base_url: Option<String>,
    pub credentials: Option<Credentials>,
    /// Jira: the transition (name or ID) to Done; ServiceNow: the `state` value of a closed record.
    pub done_transition: Option<String>,
    /// Jira: the transition that reopens; ServiceNow: the `state` value of a reopened record.
    pub reopen_transition: Option<String>,
    /// ServiceNow: the table (`incident`, `sc_task`, ...).
    pub table: Option<String>,
}

/// Checked settings (each `None` where none was given).
#[derive(Clone, Default)]
pub struct CheckedSettings {
    pub name: Option<String>,
    pub base_url: Option<String>,
    pub credentials: Option<Checked>,
    pub done_transition: Option<String>,
    pub reopen_transition: Option<String>,
    pub table: Option<String>,
}

/// The defaults of `system`: (done, reopen, table).
pub fn defaults(system: TrackerSystem) -> (&'static str, &'static str, Option<&'static str>) {
    match system {
        TrackerSystem::Servicenow => ("7", "2", Some("incident")),
        _ => ("Done", "In Progress", None),
    }
}

impl Settings {
    /// Checks the given settings for `system`; `creating` requires a name,
    /// a base URL and credentials.
    pub fn check(&self, system: TrackerSystem, creating: bool) -> Result<CheckedSettings> {
        let mut checks = Checks::new();
        let checked = self.collect(&mut checks, system, creating);
        checks.finish()?;
        Ok(checked)
    }

    /// `TOO_LONG` unless every text is within its maximum (whatever the system).
    pub fn limits(&self) -> Result<()> {
        let mut checks = Checks::new();
        self.collect(&mut checks, TrackerSystem::Jira, false);
        checks.finish_limits()
    }

    fn collect(&self, checks: &mut Checks, system: TrackerSystem, creating: bool) -> CheckedSettings {
        let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let name = match (&self.name, creating) {
            (Some(name), _) => checks.label("name", name),
            (None, true) => checks.label("name", ""),
            (None, false) => None,
        };
        let base_url = match (&self.base_url, creating) {
            (Some(url), _) => checks.url("baseUrl", url).map(|u| u.trim_end_matches('/').to_owned()),
            (None, true) => checks.url("baseUrl", ""),
            (None, false) => None,
        };
        let credentials = match (&self.credentials, creating) {
            (Some(c), _) => credentials(checks, system, c),
            (None, true) => credentials(checks, system, &Credentials::default()),
            (None, false) => None,
        };
        let mut optional =
            |field: &str, value: &Option<String>| given(value).and_then(|v| checks.capped(field, &v, MAX_LABEL));
        let done_transition = optional("doneTransition", &self.done_transition);
        let reopen_transition = optional("reopenTransition", &self.reopen_transition);
        let table = optional("table", &self.table);
        if table.as_deref().is_some_and(|t| !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) {
            checks.push("table", Code::InvalidTable, "a ServiceNow table name has letters, digits and `_` only");
        }
        if table.is_some() && system != TrackerSystem::Servicenow {
            checks.push("table", Code::InvalidTable, "only a ServiceNow connection has a table");
        }
        CheckedSettings { name, base_url, credentials, done_transition, reopen_transition, table }
    }
}

/// The credentials `system` needs, each field capped.
fn credentials(checks: &mut Checks, system: TrackerSystem, given: &Credentials) -> Option<Checked> {
    let text = |checks: &mut Checks, field: &str, value: &Option<String>| {
        checks.optional(field, value.as_deref(), MAX_LABEL * 10).flatten()
    };
    let email = text(checks, "credentials.email", &given.email);
    let api_token = text(checks, "credentials.apiToken", &given.api_token);
    let username = text(checks, "credentials.username", &given.username);
    let password = text(checks, "credentials.password", &given.password);
    let token = text(checks, "credentials.token", &given.token);
    let missing = |checks: &mut Checks, field: &str, what: &str| {
        checks.push(field, Code::Required, format!("a {what} is required"));
        None
    };
    match system {
        TrackerSystem::Jira => match (email, api_token) {
            (Some(email), Some(secret)) => Some(Checked { username: email, secret }),
            (None, _) => missing(checks, "credentials.email", "Jira account's email"),
            (_, None) => missing(checks, "credentials.apiToken", "Jira API token"),
        },
        _ => match (token, username, password) {
            (Some(secret), _, _) => Some(Checked { username: String::new(), secret }),
            (None, Some(username), Some(secret)) => Some(Checked { username, secret }),
            (None, None, _) => missing(checks, "credentials.username", "ServiceNow user (or a token)"),
            (None, Some(_), None) => missing(checks, "credentials.password", "ServiceNow password"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn codes<T>(result: Result<T>) -> Vec<(String, Code)> {
        match result {
            Err(Error::User(errors)) => errors.iter().map(|e| (e.field[1..].join("."), e.code)).collect(),
            _ => vec![],
        }
    }

    fn creds(
        email: Option<&str>,
        api_token: Option<&str>,
        username: Option<&str>,
        password: Option<&str>,
        token: Option<&str>,
    ) -> Credentials {
        let s = |v: Option<&str>| v.map(str::to_owned);
        Credentials {
            email: s(email),
            api_token: s(api_token),
            username: s(username),
            password: s(password),
            token: s(token),
        }
    }

    #[test]
    fn each_system_needs_its_credentials() {
        let settings = |c| Settings {
            name: Some("Acme".into()),
            base_url: Some("https://acme.atlassian.net/".into()),
            credentials: Some(c),
            ..Default::default()
        };
        let jira =
            settings(creds(Some("ops@acme.test"), Some("tok"), None, None, None)).check(TrackerSystem::Jira, true);
        let jira = jira.ok().and_then(|c| c.credentials.map(|c| (c.username, c.secret)));
        assert_eq!(jira, Some(("ops@acme.test".into(), "tok".into())));
        let refused = settings(creds(Some("ops@acme.test"), None, None, None, None)).check(TrackerSystem::Jira, true);
        assert_eq!(codes(refused), [("credentials.apiToken".into(), Code::Required)]);
        let bearer = settings(creds(None, None, None, None, Some("t0k"))).check(TrackerSystem::Servicenow, true);
        assert_eq!(bearer.ok().and_then(|c| c.credentials.map(|c| c.username)), Some(String::new()));
        let refused = settings(creds(None, None, Some("svc"), None, None)).check(TrackerSystem::Servicenow, true);
        assert_eq!(codes(refused), [("credentials.password".into(), Code::Required)]);
        let url = Settings { base_url: Some("https://acme.atlassian.net/".into()), ..Default::default() };
        assert_eq!(
            url.check(TrackerSystem::Jira, false).ok().and_then(|c| c.base_url),
            Some("https://acme.atlassian.net".into())
        );
    }

    #[test]
    fn a_table_is_a_servicenow_name() {
        let table = |t: &str| Settings { table: Some(t.into()), ..Default::default() };
        assert!(table("sc_task").check(TrackerSystem::Servicenow, false).is_ok());
        assert_eq!(
            codes(table("incident?x=1").check(TrackerSystem::Servicenow, false)),
            [("table".into(), Code::InvalidTable)]
        );
        assert_eq!(codes(table("incident").check(TrackerSystem::Jira, false)), [("table".into(), Code::InvalidTable)]);
    }
}
