//! The CORS lab: a loopback server with one path per CORS misconfiguration.
//!
//! [`Lab::start`] serves every scenario of [`scenarios()`] on two loopback ports (the secondary is
//! a second origin, for cross-origin redirects) and notes a third port with nothing listening.
//! Every request is logged ([`Lab::requests`], `GET /__log`). Query `delay_ms=N` (at most
//! 60000) delays any answer. `/generic` builds its answer from query parameters (see
//! `generic.rs`); `/behaviour` answers as the engine's server-behaviour model (see
//! `behaviour.rs`); query values are only `%XX`-decoded (`+` stays `+`).
//!
//! A third loopback port, the hostile port ([`Lab::hostile_url`], `hostile.rs`), is a raw TCP
//! server whose paths misbehave below CORS: 50 MB bodies, a drip, a redirect loop, huge or many
//! headers, bytes that are not UTF-8 or not HTTP, a reset, a short body, markup, a slow preflight,
//! status 999. Bounded in time, connections and memory; it stops with the lab.

mod behaviour;
pub mod closed_loop;
mod generic;
mod hostile;
mod log;
mod query;
mod respond;
mod scenarios;
mod server;
#[cfg(test)]
mod tests;

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use hostile::hostile_scenarios;
pub use log::LoggedRequest;
pub use scenarios::{scenarios, Scenario};

use log::Log;
use server::{PortState, Shared};

/// How long [`Lab::shutdown`] waits for connections to close before dropping the listeners.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(1500);

/// A running lab. Dropping it stops the listeners too (without waiting).
pub struct Lab {
    primary_port: u16,
    secondary_port: u16,
    hostile_port: u16,
    closed_port: u16,
    log: Log,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<std::io::Result<()>>>,
}

impl Lab {
    /// Starts on two ephemeral loopback ports.
    pub async fn start() -> std::io::Result<Lab> {
        Lab::start_on(0, 0).await
    }

    /// Starts on the given loopback ports (0 = ephemeral).
    pub async fn start_on(primary_port: u16, secondary_port: u16) -> std::io::Result<Lab> {
        let primary = TcpListener::bind((Ipv4Addr::LOCALHOST, primary_port)).await?;
        let secondary = TcpListener::bind((Ipv4Addr::LOCALHOST, secondary_port)).await?;
        let hostile = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let primary_port = primary.local_addr()?.port();
        let secondary_port = secondary.local_addr()?.port();
        let hostile_port = hostile.local_addr()?.port();
        let closed_port = {
            let reserved = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
            reserved.local_addr()?.port()
        };
        let log = Log::default();
        let (stop, stop_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            primary_port,
            secondary_port,
            hostile_port,
            log: log.clone(),
            stop: stop_rx.clone(),
        });
        let mut tasks = Vec::with_capacity(3);
        for (listener, port) in [(primary, primary_port), (secondary, secondary_port)] {
            let app = server::router(PortState {
                port,
                shared: Arc::clone(&shared),
            });
            tasks.push(tokio::spawn(server::serve(listener, app, stop_rx.clone())));
        }
        tasks.push(tokio::spawn(hostile::serve(
            hostile,
            log.clone(),
            stop_rx.clone(),
        )));
        Ok(Lab {
            primary_port,
            secondary_port,
            hostile_port,
            closed_port,
            log,
            stop,
            tasks,
        })
    }

    /// `http://127.0.0.1:PORT` of the primary port.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.primary_port)
    }

    /// `http://127.0.0.1:PORT` of the secondary port (a second origin).
    pub fn secondary_origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.secondary_port)
    }

    /// `http://127.0.0.1:PORT` of the hostile port (raw TCP, see `hostile.rs`).
    pub fn hostile_origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.hostile_port)
    }

    /// The hostile origin followed by `path_and_query` (a missing leading `/` is added).
    pub fn hostile_url(&self, path_and_query: &str) -> String {
        join(&self.hostile_origin(), path_and_query)
    }

    pub fn hostile_port(&self) -> u16 {
        self.hostile_port
    }

    pub fn primary_port(&self) -> u16 {
        self.primary_port
    }

    pub fn secondary_port(&self) -> u16 {
        self.secondary_port
    }

    /// The primary origin followed by `path_and_query` (a missing leading `/` is added).
    pub fn url(&self, path_and_query: &str) -> String {
        join(&self.origin(), path_and_query)
    }

    /// A URL on a loopback port where nothing listens (it was free when the lab started).
    pub fn closed_port_url(&self, path: &str) -> String {
        join(&format!("http://127.0.0.1:{}", self.closed_port), path)
    }

    /// Everything any port received (except `/`, `/__log`, `/__log/clear`), in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.log.snapshot()
    }

    pub fn clear_log(&self) {
        self.log.clear();
    }

    /// Stops every listener (the hostile port's connections end at once); pending handlers (never-answers, delays) answer 503 at once.
    /// Returns within about 1.5 s even if a client keeps a connection open.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let deadline = tokio::time::Instant::now() + SHUTDOWN_GRACE;
        for mut task in self.tasks {
            if tokio::time::timeout_at(deadline, &mut task).await.is_err() {
                task.abort();
            }
        }
    }
}

fn join(origin: &str, path: &str) -> String {
    if path.starts_with('/') {
        format!("{origin}{path}")
    } else {
        format!("{origin}/{path}")
    }
}
