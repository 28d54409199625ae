//! Stand-in: the bad-input table lands here (issue 10).
