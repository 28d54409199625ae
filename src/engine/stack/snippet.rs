//! A fix for one stack: the code, in parts that each say where they go, and the pitfall that
//! produced this verdict in that stack.

use serde::{Deserialize, Serialize};

use super::catalog::{Stack, Verified};
use super::pitfall::Pitfall;

/// Where in the developer's project a part goes. The end-to-end rigs put each part at the
/// marker `@@<slot>@@` of their server templates, so the words and the tests name one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Slot {
    /// The start of the app or config: before auth, body parsers, routes.
    Top,
    /// Inside the block that serves the API (nginx `location`, Apache `<Location>`, Caddy site).
    Route,
    /// After every route: error handlers, fallbacks.
    Bottom,
    /// A settings file or module of its own (Django `settings.py`, `vite.config.js`).
    Settings,
    /// Replaces the app's entry point (an ASGI wrapper, `http.ListenAndServe`).
    Entry,
}

impl Slot {
    pub fn marker(self) -> &'static str {
        match self {
            Slot::Top => "@@top@@",
            Slot::Route => "@@route@@",
            Slot::Bottom => "@@bottom@@",
            Slot::Settings => "@@settings@@",
            Slot::Entry => "@@entry@@",
        }
    }
}

/// One piece of the fix and where it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub slot: Slot,
    /// Where it goes, in words ("at the top of app.js, before auth and routes").
    pub place: String,
    pub code: String,
}

/// The fix for one cause in one stack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    pub stack: Stack,
    pub pitfall: Pitfall,
    /// How this stack usually produces this verdict, and what the fix changes.
    pub pitfall_text: String,
    pub parts: Vec<Part>,
}

impl Snippet {
    pub fn verified(&self) -> Verified {
        self.stack.verified()
    }

    /// The text the page shows and copies: each part under a comment saying where it goes.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (index, part) in self.parts.iter().enumerate() {
            if index > 0 {
                out.push('\n');
            }
            if let Some(prefix) = self.stack.comment().prefix() {
                for line in part.place.lines() {
                    out.push_str(prefix);
                    out.push(' ');
                    out.push_str(line);
                    out.push('\n');
                }
            }
            out.push_str(part.code.trim_end());
            out.push('\n');
        }
        out
    }
}
