//! The probe runner: sends the planned requests from the user's browser and records what the
//! browser let the page see. The only module that touches the network.

mod cancel;
mod fetch;
mod reports;
mod timing;

pub use cancel::Cancel;
pub use fetch::send;
pub use reports::ReportWatcher;
pub use timing::{now, prepare as prepare_timing};
