// The request log as evidence, checked with independent tools against a
// real `mockgate serve`: the HAR export validates as HAR 1.2 (npm
// har-validator), masks every credential (no raw key created appears in
// it, whether it was sent in a header or the query string), and carries
// the real times.
//
//   MOCKGATE_BIN=path/to/mockgate node --test e2e/evidence.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { admin, mockgateBinary, startMockgate } from './harness.mjs';

const require = createRequire(import.meta.url);
const harValidator = require('har-validator/lib/promise');

let mg;

before(async () => {
  mg = await startMockgate(mockgateBinary());
});

after(async () => {
  await mg?.stop();
});

test('HAR export: valid HAR 1.2, every credential masked, real times', async () => {
  const jb = await admin(mg, 'POST', '/keys', { api: 'journeybee', name: 'har journeybee' });
  const jl = await admin(mg, 'POST', '/keys', { api: 'jelou', name: 'har jelou' });
  const ju = await admin(mg, 'POST', '/keys', { api: 'juleb', name: 'har juleb', scopes: ['inventory'] });
  const raw = [jb.key, jl.key, ju.key];
  const calls = [
    fetch(`${mg.apis.journeybee}/users?pageSize=2`, { headers: { Authorization: `Bearer ${jb.key}` } }),
    fetch(`${mg.apis.journeybee}/leads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${jb.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', email: 'ada@example.com' }),
    }),
    fetch(`${mg.apis.jelou}/company/1001/campaigns`, { headers: { 'x-api-key': jl.key, Cookie: `session=${jl.key}` } }),
    // juleb refuses a key in the URL: the log (and the HAR) masks it.
    // (Without the account subdomain, which Node does not resolve: the default account.)
    fetch(`${mg.apis.juleb.replace('demo.localhost', '127.0.0.1')}/inventory/product?limit=1&api_key=${ju.key}`, { headers: { Authorization: `Bearer ${ju.key}` } }),
  ];
  for (const r of await Promise.all(calls)) await r.arrayBuffer();

  const res = await fetch(`${mg.adminUrl}/_admin/api/requests.har`, { headers: { Authorization: `Bearer ${mg.token}` } });
  assert.equal(res.status, 200);
  const text = await res.text();
  const har = JSON.parse(text);
  await harValidator.har(har); // throws with every problem when the HAR is not valid 1.2
  assert.equal(har.log.version, '1.2');
  assert.equal(har.log.entries.length, 4);
  for (const key of raw) assert.ok(!text.includes(key), `the HAR holds the raw key ${key.slice(0, 8)}…`);
  const post = har.log.entries.find((e) => e.request.method === 'POST');
  assert.match(post.request.postData.text, /Ada/);
  assert.equal(post.response.status, 201);
  const started = Date.parse(post.startedDateTime);
  assert.ok(Math.abs(Date.now() - started) < 60_000, `startedDateTime ${post.startedDateTime} is not the real time`);

  // Filtered: only the 4xx.
  const filtered = await fetch(`${mg.adminUrl}/_admin/api/requests.har?status=4xx`, { headers: { Authorization: `Bearer ${mg.token}` } });
  const only = await filtered.json();
  await harValidator.har(only);
  assert.deepEqual(only.log.entries.map((e) => e.response.status), [401]);
});
