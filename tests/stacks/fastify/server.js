'use strict';
// The Fastify rig's server (tests/e2e/stacks/fastify.rs fills the markers).
const Fastify = require('fastify');

const fastify = Fastify();
@@top@@
@@auth@@
@@cors@@

// The app's work on a POST: it fails, and nothing catches it (Fastify answers 500).
function work(body) {
  throw new Error(`cannot work on ${JSON.stringify(body)}`);
}

fastify.get('/api/items', async (request, reply) => {
  @@handler@@
  return { items: [] };
});

fastify.get('/api/fail', async (request, reply) => {
  @@handler@@
  return { ok: true };
});

fastify.post('/api/fail', async (request, reply) => {
  const result = work(request.body);
  @@handler@@
  return result;
});
@@bottom@@

fastify.listen({ port: @@port@@, host: '127.0.0.1' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
