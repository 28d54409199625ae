'use strict';
// The Express rig's app (tests/e2e/stacks/express.rs fills the markers).
const express = require('express');

const app = express();
@@top@@
@@auth@@
@@cors@@

// The app's work on a POST: it fails, and nothing catches it (Express answers 500).
function work(body) {
  throw new Error(`cannot work on ${JSON.stringify(body)}`);
}

app.get('/api/items', (req, res) => {
  @@handler@@
  res.json({ items: [] });
});

app.get('/api/fail', (req, res) => {
  @@handler@@
  res.json({ ok: true });
});

app.post('/api/fail', express.json(), (req, res) => {
  const result = work(req.body);
  @@handler@@
  res.json(result);
});
@@bottom@@

app.listen(@@port@@, '127.0.0.1');
