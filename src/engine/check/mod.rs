//! The page's model, built on [`crate::engine::fetch`] only: what the user typed, which probes
//! to send, what the browser let the page see of them, the diagnosis, and the report.

pub mod app;
pub mod compare;
pub mod diagnosis;
pub mod form;
pub mod history;
pub mod markdown;
pub mod mask;
pub mod observation;
pub mod plan;
pub mod predict;
pub mod report;
pub mod samples;
pub mod share;
