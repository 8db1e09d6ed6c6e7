// A Node test (node:test, no dependencies) of a client's rate-limit and
// failure handling against mockgate: start `mockgate serve` on free ports
// with a temporary data folder, read its ready file, create a key, hit the
// limit, move the virtual clock instead of waiting, force a 503, load a
// saved state.
//
//   MOCKGATE_BIN=build/bin/mockgate-headless node --test examples/node/

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

let proc;
let work;
let mg; // the ready file: adminUrl, adminToken, apis

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'mockgate-node-'));
  const readyFile = join(work, 'ready.json');
  proc = spawn(process.env.MOCKGATE_BIN ?? 'mockgate',
    ['serve', '--data', join(work, 'data'), '--port-base', '0', '--ready-file', readyFile], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !existsSync(readyFile); i++) await sleep(50);
  mg = JSON.parse(readFileSync(readyFile, 'utf8'));
});

after(() => {
  proc?.kill();
  rmSync(work, { recursive: true, force: true });
});

/** Calls mockgate's admin API. */
async function admin(method, path, body) {
  const res = await fetch(`${mg.adminUrl}/_admin/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${mg.adminToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
  return res.status === 204 ? null : res.json();
}

test('the client meets the rate limit, the next window and a queued 503', async () => {
  const users = `${mg.apis.find((a) => a.id === 'journeybee').baseUrl}/users`;
  const { key } = await admin('POST', '/keys', { api: 'journeybee', name: 'node test' });
  // The state now (records, keys as hashes, settings, the clock), to load back at the end.
  const saved = await admin('GET', '/state');
  const call = () => fetch(users, { headers: { Authorization: `Bearer ${key}` } }).then(async (r) => (await r.arrayBuffer(), r));
  await admin('POST', '/clock', { freeze: true });

  for (let i = 1; i <= 100; i++) assert.equal((await call()).status, 200, `request ${i}`);
  const limited = await call();
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '60');

  await admin('POST', '/clock', { advance: '61s' });
  assert.equal((await call()).status, 200, 'after advancing the clock 61 s');

  await admin('POST', '/apis/journeybee/faults', { status: 503, count: 1 });
  assert.equal((await call()).status, 503);
  assert.equal((await call()).status, 200);

  // A lead created, then the saved state loaded: the lead is gone.
  const leads = users.replace(/\/users$/, '/leads');
  const auth = { Authorization: `Bearer ${key}` };
  const created = await fetch(leads, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Temp', email: 't@example.com' }) });
  assert.equal(created.status, 201);
  const total = async () => (await (await fetch(`${leads}?pageSize=1`, { headers: auth })).json()).total;
  const before = await total();
  await admin('PUT', '/state', saved);
  assert.equal(await total(), before - 1);
});
