//! Stand-in: the Content-Security-Policy and secrets tests land here (issue 10).
