//! Stand-in: hostile lab paths land here (issue 10).
