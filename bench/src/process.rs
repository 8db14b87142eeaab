//! The processes the benchmark measures: started from their binaries, watched
//! through `/proc` (CPU time, resident memory), stopped when dropped.

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::Context;

/// A server process the benchmark started; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Runs `opskit serve` on `database_url` with `workers` workers (and
    /// these environment variables besides) and waits until `/readyz` answers.
    pub async fn opskit(
        bin: &Path,
        database_url: &str,
        secret: &str,
        workers: usize,
        envs: &[(&str, String)],
    ) -> anyhow::Result<Self> {
        let port = free_port()?;
        let child = Command::new(bin)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--workers", &workers.to_string()])
            .env("DATABASE_URL", database_url)
            .env("OPSKIT_JWT_SECRET", secret)
            .env("OPSKIT_ID_KEY", secret)
            // The benchmark measures the server, not its rate limit.
            .env("OPSKIT_RATE_LIMIT_POINTS", u64::MAX.to_string())
            .env("OPSKIT_LOG", "warn")
            .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let server = Self { child, base: format!("http://127.0.0.1:{port}") };
        server.wait_ready("/readyz").await?;
        Ok(server)
    }

    /// Runs the bare `{ hello }` server with `workers` workers.
    pub async fn hello(bin: &Path, workers: usize) -> anyhow::Result<Self> {
        let port = free_port()?;
        let child = Command::new(bin)
            .args(["--bind", &format!("127.0.0.1:{port}"), "--workers", &workers.to_string()])
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let server = Self { child, base: format!("http://127.0.0.1:{port}") };
        server.wait_ready("/graphql").await?;
        Ok(server)
    }

    async fn wait_ready(&self, path: &str) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let answer = client.get(format!("{}{path}", self.base)).send().await;
            // The hello server only takes POST: any HTTP answer means it listens.
            match answer {
                Ok(resp) if resp.status().is_success() || path == "/graphql" => return Ok(()),
                _ if Instant::now() > deadline => anyhow::bail!("{}{path} did not answer in time", self.base),
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// CPU time (user and system) the process has used so far.
    pub fn cpu(&self) -> anyhow::Result<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))?;
        // Fields after the command name (which may hold spaces) start at field 3.
        let rest = stat.rsplit_once(')').context("malformed stat")?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 =
            fields.get(11).context("utime")?.parse::<u64>()? + fields.get(12).context("stime")?.parse::<u64>()?;
        Ok(Duration::from_millis(ticks * 1000 / CLOCK_TICKS))
    }

    /// Resident memory now (`VmRSS`), in MiB.
    pub fn rss_mib(&self) -> anyhow::Result<f64> {
        Ok(self.rss_kib()? / 1024.0)
    }

    /// Resident memory now (`VmRSS`), in KiB.
    pub fn rss_kib(&self) -> anyhow::Result<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).context("no VmRSS")?;
        Ok(line.split_whitespace().nth(1).context("VmRSS value")?.parse()?)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `sysconf(_SC_CLK_TCK)` on Linux.
const CLOCK_TICKS: u64 = 100;

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The 1-minute load average, to read the figures against.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_default()
}
