//! Written by the rig: one module per variant and `run`, which serves the chosen one.
pub fn run(variant: usize, _port: u16) -> std::io::Result<()> {
    Err(std::io::Error::other(format!(
        "no variant {variant}: the rig writes them"
    )))
}
