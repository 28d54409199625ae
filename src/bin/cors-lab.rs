//! `cors-lab`: serves the CORS lab (one path per CORS misconfiguration) on loopback.
//!
//! `cargo run --bin cors-lab -- [--port 9090] [--secondary-port 9091]` (0 = ephemeral).
//! Runs until Ctrl+C or SIGTERM.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::process::ExitCode;

    use cors_doctor::lab::{hostile_scenarios, scenarios, Lab};

    const USAGE: &str = "usage: cors-lab [--port N] [--secondary-port N]   (defaults 9090 and 9091; 0 = any free port)";

    struct Args {
        port: u16,
        secondary_port: u16,
    }

    enum Parsed {
        Run(Args),
        Help,
    }

    fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Parsed, String> {
        let mut parsed = Args {
            port: 9090,
            secondary_port: 9091,
        };
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
                None => (arg.clone(), None),
            };
            let target = match flag.as_str() {
                "-h" | "--help" => return Ok(Parsed::Help),
                "--port" | "-p" => &mut parsed.port,
                "--secondary-port" => &mut parsed.secondary_port,
                _ => return Err(format!("unknown argument {arg:?}")),
            };
            let value = inline
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a port number"))?;
            *target = value
                .parse()
                .map_err(|_| format!("{flag}: {value:?} is not a port number (0-65535)"))?;
        }
        Ok(Parsed::Run(parsed))
    }

    pub(crate) fn main() -> ExitCode {
        let args = match parse_args(std::env::args().skip(1)) {
            Ok(Parsed::Run(args)) => args,
            Ok(Parsed::Help) => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            Err(message) => {
                eprintln!("cors-lab: {message}\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(e) => {
                eprintln!("cors-lab: cannot start the async runtime: {e}");
                return ExitCode::FAILURE;
            }
        };
        match runtime.block_on(run(args)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("cors-lab: {e}");
                ExitCode::FAILURE
            }
        }
    }

    async fn run(args: Args) -> std::io::Result<()> {
        // Install the handlers first, so a signal during start-up is not fatal.
        let stop = Stop::install()?;
        let lab = Lab::start_on(args.port, args.secondary_port)
            .await
            .map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!(
                        "cannot listen on 127.0.0.1:{} / 127.0.0.1:{}: {e}",
                        args.port, args.secondary_port
                    ),
                )
            })?;
        println!("CORS lab");
        println!("  primary origin:   {}", lab.origin());
        println!("  secondary origin: {}", lab.secondary_origin());
        println!("  closed port:      {}", lab.closed_port_url("/"));
        println!(
            "  request log:      {} (POST /__log/clear)",
            lab.url("/__log")
        );
        println!("scenarios (any path accepts ?delay_ms=N):");
        for scenario in scenarios() {
            println!("  {:<24} {}", scenario.path, scenario.summary);
        }
        println!(
            "hostile port {} (misbehaves below CORS, bounded):",
            lab.hostile_origin()
        );
        for scenario in hostile_scenarios() {
            println!("  {:<24} {}", scenario.path, scenario.summary);
        }
        println!("Ctrl+C to stop.");
        let outcome = stop.wait().await;
        println!("stopping…");
        lab.shutdown().await;
        outcome
    }

    /// Ctrl+C (SIGINT) or SIGTERM.
    #[cfg(unix)]
    struct Stop {
        interrupt: tokio::signal::unix::Signal,
        terminate: tokio::signal::unix::Signal,
    }

    #[cfg(unix)]
    impl Stop {
        fn install() -> std::io::Result<Stop> {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Stop {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }

        async fn wait(mut self) -> std::io::Result<()> {
            tokio::select! {
                _ = self.interrupt.recv() => {}
                _ = self.terminate.recv() => {}
            }
            Ok(())
        }
    }

    #[cfg(not(unix))]
    struct Stop;

    #[cfg(not(unix))]
    impl Stop {
        fn install() -> std::io::Result<Stop> {
            Ok(Stop)
        }

        async fn wait(self) -> std::io::Result<()> {
            tokio::signal::ctrl_c().await
        }
    }
}
