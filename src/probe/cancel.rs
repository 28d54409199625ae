//! Cancelling a running check: aborts every fetch still in flight.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use web_sys::AbortController;

/// Shared by all probes of one check; cloning shares the same state.
#[derive(Clone, Default)]
pub struct Cancel {
    cancelled: Rc<Cell<bool>>,
    controllers: Rc<RefCell<Vec<AbortController>>>,
}

impl PartialEq for Cancel {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.cancelled, &other.cancelled)
    }
}

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    /// Aborts every registered fetch and makes later ones stop at once.
    pub fn cancel(&self) {
        self.cancelled.set(true);
        for controller in self.controllers.borrow().iter() {
            controller.abort();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.get()
    }

    pub(crate) fn register(&self, controller: &AbortController) {
        self.controllers.borrow_mut().push(controller.clone());
    }
}
