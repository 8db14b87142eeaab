//! `opskit serve` as a process of its own, as production runs it: for
//! replicas sharing one database and for what happens while it starts.

use std::time::Duration;

/// An `opskit serve` process.
pub struct Replica {
    pub base: String,
    child: Option<std::process::Child>,
}

impl Replica {
    pub fn spawn(database_url: &str) -> Self {
        Self::spawn_with(database_url, &[])
    }

    /// A replica with more environment variables (`OPSKIT_…` settings).
    pub fn spawn_with(database_url: &str, env: &[(&str, &str)]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_opskit"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--workers", "1"])
            .env("DATABASE_URL", database_url)
            .env("OPSKIT_JWT_SECRET", super::SECRET)
            .env("OPSKIT_ID_KEY", super::ID_KEY)
            .env("OPSKIT_LOG", "error")
            .envs(env.iter().copied())
            .spawn()
            .unwrap();
        Self { base: format!("http://127.0.0.1:{port}"), child: Some(child) }
    }

    /// Polls `path` until the process answers at all (any status), for up to ten seconds.
    pub async fn first_answer(&self, http: &reqwest::Client, path: &str) -> reqwest::Response {
        for _ in 0..200 {
            if let Ok(resp) = http.get(format!("{}{path}", self.base)).send().await {
                return resp;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{}{path} never answered", self.base);
    }

    /// Waits until `/readyz` answers.
    pub async fn ready(&self, app: &super::TestApp) {
        for _ in 0..200 {
            if let Ok(resp) = app.http.get(format!("{}/readyz", self.base)).send().await
                && resp.status().is_success()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{} never became ready", self.base);
    }

    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
