'use strict';
// The Node http rig's server (tests/e2e/stacks/node.rs fills the markers).
const http = require('node:http');

@@top@@

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : null;
}

// The app's work on a POST: it fails.
function work(body) {
  throw new Error(`cannot work on ${JSON.stringify(body)}`);
}

async function handle(req) {
  if (req.method === 'GET' && req.url === '/api/items') return { items: [] };
  if (req.method === 'GET' && req.url === '/api/fail') return { ok: true };
  if (req.method === 'POST' && req.url === '/api/fail') return work(await readBody(req));
  return null;
}

const server = http.createServer(async (req, res) => {
  @@route@@
  @@auth@@
  @@cors@@
  try {
    const result = await handle(req);
    if (result === null) return json(res, 404, { error: 'not found' });
    @@success@@
    json(res, 200, result);
  } catch (err) {
    console.error(err);
    json(res, 500, { error: 'internal error' });
  }
});

server.listen(@@port@@, '127.0.0.1');
