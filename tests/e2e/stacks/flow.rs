//! The run: broken servers checked, snippets read from the page, fixed servers checked.

use super::Rig;

pub async fn run(rig: &Rig) {
    let _ = rig;
}
