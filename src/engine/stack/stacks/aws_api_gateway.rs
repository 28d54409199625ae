//! Stand-in: lists the headers until this stack's writer lands.

use super::super::pitfall::Pitfall;
use super::super::snippet::Part;
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    super::common::headers_only(spec, pitfall)
}
