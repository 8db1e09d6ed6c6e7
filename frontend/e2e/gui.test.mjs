// Browser end-to-end test of the web UI against a real `mockgate serve --ui`:
// create a key on the Keys screen, read it from the show-once dialog, call
// an endpoint with it in the Explorer (200), find the request in the live
// log, revoke the key, send again (401, revoked), delete it. Every step
// checks what the screen shows; each screen is saved as a screenshot.
//
//   MOCKGATE_BIN=path/to/mockgate node --test e2e/
//
// Without MOCKGATE_BIN the test builds a headless binary with `go build`.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { admin, expectText, screenshot, startSession } from './harness.mjs';

let session;
let mg;
let page;
/** The screen that shows, and going to a screen by name (see startSession). */
let screen;
let go;
/** The key read from the show-once dialog. */
let rawKey = '';
const KEY_NAME = 'e2e checkout service';

before(async () => {
  session = await startSession();
  ({ mg, page, screen, go } = session);
});

after(async () => {
  await session?.close();
});

/** Some realistic traffic and keys, so the screens have something to show. */
async function seedTraffic() {
  const jb = await admin(mg, 'POST', '/keys', { api: 'journeybee', name: 'load generator', scopes: ['write'] });
  await admin(mg, 'POST', '/keys', { api: 'eudr', name: 'erp sync', scopes: ['integration:suppliers:read', 'integration:batches:read'], integration: 'sap-prod' });
  await admin(mg, 'POST', '/keys', { api: 'juleb', name: 'pos terminal', scopes: ['pos'], tenant: 'acme', ttl: '720h' });
  await admin(mg, 'POST', '/keys', { api: 'jelou', name: 'campaign bot', tenant: '1001' });
  const base = mg.apis.journeybee;
  const calls = [];
  for (let i = 0; i < 40; i++) {
    const auth = i % 9 === 4 ? {} : { Authorization: `Bearer ${jb.key}` };
    const p = i % 11 === 7 ? '/nope' : i % 2 ? '/users?page=2&pageSize=5' : '/partners';
    calls.push(fetch(`${base}${p}`, { headers: auth }).then((r) => r.arrayBuffer()));
    if (i % 10 === 9) await new Promise((r) => setTimeout(r, 400));
  }
  await Promise.all(calls);
}

test('the web UI, screen by screen', async (t) => {
  await t.test('APIs: every mock API with its base URL, port, traffic and faults', async () => {
    await seedTraffic();
    await page.goto(mg.uiUrl);
    await screen().getByRole('heading', { name: 'APIs', level: 1 }).waitFor();
    // The admin token leaves the address bar at once.
    assert.ok(!page.url().includes('token='), `token still in the URL: ${page.url()}`);
    for (const name of ['Juleb ERP API', 'Journeybee API', 'Jelou API', 'EUDR Integration API']) {
      await screen().getByRole('heading', { name, level: 2 }).waitFor();
    }
    const jb = screen().getByRole('region', { name: 'Journeybee API' });
    await expectText(jb, new RegExp(mg.apis.journeybee.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    await jb.getByRole('button', { name: 'Copy base URL of Journeybee API' }).waitFor();
    // The traffic above shows in the status breakdown.
    await expectText(jb.getByRole('list', { name: 'Answers of Journeybee API by status' }), /200[\s\S]*401[\s\S]*404/, 8000);
    await expectText(jb, /Errors: [\d.]+ %/);

    // Fault controls apply to the running API.
    const jelou = screen().getByRole('region', { name: 'Jelou API' });
    await jelou.getByLabel('Latency (ms)').fill('150');
    await jelou.getByLabel('Forced 429 (%)').fill('5');
    await jelou.getByRole('button', { name: 'Apply' }).click();
    await expectText(jelou, /faults on/);
    const info = await admin(mg, 'GET', '/apis/jelou');
    assert.equal(info.settings.latencyMs, 150);
    assert.equal(info.settings.throttleRate, 0.05);
    // Data reset, confirmed first.
    const juleb = screen().getByRole('region', { name: 'Juleb ERP API' });
    await juleb.getByRole('button', { name: 'Reset data of Juleb ERP API…' }).click();
    const reset = page.getByRole('alertdialog', { name: 'Reset the data of Juleb ERP API?' });
    await expectText(reset, /goes back to the seed data/);
    await reset.getByRole('button', { name: 'Reset data' }).click();
    await expectText(juleb, /Juleb ERP API data reset to the seed/);

    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'apis');
  });

  await t.test('Keys: create a key through the form, the confirmation and the show-once dialog', async () => {
    await go('Keys');
    await screen().getByRole('table', { name: 'API keys' }).getByRole('row', { name: /load generator/ }).waitFor();
    await screen().getByRole('button', { name: 'Create', exact: true }).click();

    const form = page.getByRole('dialog', { name: 'Create an API key' });
    await form.waitFor();
    await form.getByLabel('Name').fill(KEY_NAME);
    await form.getByLabel('API', { exact: true }).selectOption('journeybee');
    await form.getByRole('radio', { name: /^read/ }).check();
    await form.getByLabel('Expires').selectOption({ label: 'In 30 days' });
    await form.getByRole('button', { name: 'Continue' }).click();

    const confirm = page.getByRole('dialog', { name: 'Create this key?' });
    await confirm.waitFor();
    await expectText(confirm, new RegExp(`${KEY_NAME}[\\s\\S]*Journeybee API[\\s\\S]*read[\\s\\S]*Expires in 30 days`));
    await confirm.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByRole('dialog', { name: 'API key created' });
    await shown.waitFor();
    rawKey = await shown.getByLabel('API key').inputValue();
    assert.match(rawKey, /^jb_live_[A-Za-z0-9]{40}$/);
    await expectText(shown, /will not be shown again/);
    await screenshot(page, 'key-created');
    // Copied, the dialog closes without asking (see first-hour.test.mjs for the other way).
    await shown.getByRole('button', { name: 'Copy key' }).click();
    await expectText(shown.getByRole('button', { name: /Copied/ }), /Copied/);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), rawKey);
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });

    // The table lists it partially hidden, active; the raw key is gone from the page.
    const row = screen().getByRole('row', { name: new RegExp(KEY_NAME) });
    await expectText(row, /jb_live_[A-Za-z0-9]{4}…[A-Za-z0-9]{4}[\s\S]*journeybee[\s\S]*read[\s\S]*active/);
    const text = await page.locator('body').innerText();
    assert.ok(!text.includes(rawKey), 'the raw key is still on the page after the dialog closed');
    await screenshot(page, 'keys');
  });

  await t.test('Explorer: call an endpoint with the key and see 200', async () => {
    await go('Explorer');
    await screen().getByLabel('API', { exact: true }).selectOption('journeybee');
    await screen().getByRole('button', { name: /^GET \/users List/ }).click();
    await screen().getByRole('heading', { name: /GET \/v1\/users$/ }).waitFor();
    await screen().getByLabel(/^page query/).fill('1');
    await screen().getByLabel('Send with').selectOption({ label: 'A pasted key' });
    await screen().getByLabel('Pasted key').fill(rawKey);
    await screen().getByRole('button', { name: 'Send', exact: true }).click();
    await expectText(screen().getByLabel('Response status'), /^200 OK$/);
    await expectText(screen().getByLabel('Response body'), /"data": \[/);
    // The curl preview hides the key.
    const curl = await screen().getByLabel('curl command (key hidden)').textContent();
    assert.match(curl ?? '', /--header 'Authorization: Bearer jb_l…/);
    assert.ok(!(curl ?? '').includes(rawKey));

    // A failure for the demo audience: no key.
    await screen().getByRole('button', { name: 'Send with no key' }).click();
    await expectText(screen().getByLabel('Response status'), /^401 Unauthorized$/);
    await screen().getByRole('button', { name: 'Send', exact: true }).click();
    await expectText(screen().getByLabel('Response status'), /^200 OK$/);
    await screenshot(page, 'explorer');
  });

  await t.test('Requests: the call is in the log, live, with the key masked', async () => {
    await go('Requests');
    const log = screen().getByRole('table', { name: 'Request log' });
    const row = log.getByRole('row').filter({ hasText: '/v1/users' }).filter({ hasText: KEY_NAME }).first();
    await expectText(row, /GET[\s\S]*\/v1\/users[\s\S]*200/);

    // A new request shows within one second, without a reload.
    const started = Date.now();
    await fetch(`${mg.apis.journeybee}/leads?pageSize=2`, { headers: { Authorization: `Bearer ${rawKey}` } });
    await log.getByRole('row').filter({ hasText: '/v1/leads' }).filter({ hasText: KEY_NAME }).waitFor({ timeout: 1000 });
    const waited = Date.now() - started;
    assert.ok(waited < 1000, `the new request took ${waited} ms to show`);

    // Filters: status 401 hides the 200s.
    await screen().getByLabel('Status', { exact: true }).selectOption('401');
    await log.getByRole('row').filter({ hasText: '/v1/leads' }).waitFor({ state: 'detached' });
    await screen().getByLabel('Status', { exact: true }).selectOption('');
    const key = (await admin(mg, 'GET', '/keys?api=journeybee')).find((k) => k.name === KEY_NAME);
    await screen().getByLabel('Key', { exact: true }).selectOption({ label: `${KEY_NAME} (${key.masked})` });
    await log.getByRole('row').filter({ hasText: 'load generator' }).first().waitFor({ state: 'detached' });

    await screen().getByLabel('Key', { exact: true }).selectOption('');
    await log.getByRole('row').filter({ hasText: 'load generator' }).first().waitFor();

    // Details: headers and bodies, Authorization masked.
    await row.getByRole('button', { name: /Details of request \d+: GET \/v1\/users, 200/ }).click();
    const details = screen().getByRole('region', { name: /Request #\d+/ });
    const auth = details.getByRole('table', { name: 'Request headers' }).getByRole('row', { name: /Authorization/ });
    await expectText(auth, /Bearer jb_l…[A-Za-z0-9]{4}/);
    await expectText(details.getByLabel('Response body'), /"data"/);
    // The keyboard moves through the log: ArrowDown selects the next (older) request.
    const heading = details.getByRole('heading', { level: 2 });
    const before = Number(/#(\d+)/.exec(await heading.innerText())[1]);
    await page.keyboard.press('ArrowDown');
    await expectText(heading, new RegExp(`^Request #${before - 1}$`));
    await page.keyboard.press('ArrowUp');
    await expectText(heading, new RegExp(`^Request #${before}$`));

    const text = await page.locator('body').innerText();
    assert.ok(!text.includes(rawKey), 'the raw key shows on the Requests screen');
    await screenshot(page, 'requests');
  });

  await t.test('Revoke the key: the API answers 401 revoked', async () => {
    await go('Keys');
    const row = screen().getByRole('row', { name: new RegExp(KEY_NAME) });
    await row.getByRole('button', { name: `Revoke key ${KEY_NAME}` }).click();
    const dlg = page.getByRole('alertdialog', { name: `Revoke the key “${KEY_NAME}”?` });
    await expectText(dlg, /refuses this key with 401/);
    await dlg.getByRole('button', { name: 'Revoke key' }).click();
    await dlg.waitFor({ state: 'hidden' });
    await expectText(row, /revoked/);

    await go('Explorer');
    await screen().getByRole('button', { name: 'Send', exact: true }).click();
    await expectText(screen().getByLabel('Response status'), /^401 Unauthorized$/);
    await expectText(screen().getByLabel('Response body'), /revoked/);
  });

  await t.test('Delete the key: confirmed as irreversible, gone from the table', async () => {
    await go('Keys');
    const row = screen().getByRole('row', { name: new RegExp(KEY_NAME) });
    await row.getByRole('button', { name: `Delete key ${KEY_NAME}` }).click();
    const dlg = page.getByRole('alertdialog', { name: `Delete the key “${KEY_NAME}”?` });
    await expectText(dlg, /cannot be undone/);
    await dlg.getByRole('button', { name: 'Delete key' }).click();
    await row.waitFor({ state: 'detached' });
    const keys = await admin(mg, 'GET', '/keys?api=journeybee');
    assert.ok(!keys.some((k) => k.name === KEY_NAME), 'the key is still listed by the admin API');
  });

  await t.test('Explorer demo failures: revoked key and missing scope (EUDR)', async () => {
    await go('Explorer');
    await screen().getByLabel('API', { exact: true }).selectOption('eudr');
    await screen().getByRole('button', { name: /^POST \/suppliers Create/ }).click();
    // The JSON body editor holds an example from the schema.
    await expectText(screen().getByLabel('Request body (JSON)'), /"name": "example name"/);
    await screen().getByRole('button', { name: 'Send with a revoked key' }).click();
    await expectText(screen().getByLabel('Response status'), /^401 Unauthorized$/);
    await expectText(screen().getByLabel('Response body'), /TOKEN_REVOKED/);
    await screen().getByRole('button', { name: 'Send with a key missing the scope' }).click();
    await expectText(screen().getByLabel('Response status'), /^403 Forbidden$/);
    await expectText(screen().getByLabel('Response body'), /INSUFFICIENT_SCOPES/);
    await expectText(screen(), /Sent with demo key “Explorer demo: only integration:suppliers:read”/);
    // The throwaway keys are the Explorer's, named and marked as such.
    const keys = await admin(mg, 'GET', '/keys?api=eudr');
    assert.deepEqual(keys.map((k) => `${k.name}: ${k.status}${k.purpose ? ` (${k.purpose})` : ''}`).sort(), [
      'Explorer demo: only integration:suppliers:read: active (explorer)',
      'Explorer demo: revoked: revoked (explorer)',
      'erp sync: active',
    ]);
  });

  await t.test('No raw key in storage or the address bar', async () => {
    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }) + location.href);
    assert.ok(!stored.includes(rawKey), 'the raw key was stored');
    // Nor the Explorer's demo keys, nor any other key shape.
    assert.doesNotMatch(stored, /(jb_live_|eudr_live_|jlb_|jl_)[A-Za-z0-9]{20}/);
  });

  await t.test('Import…: a user API added from its YAML, refused when invalid, then removed', async () => {
    const src = readFileSync(new URL('../../examples/petshop.yaml', import.meta.url), 'utf8');
    await go('APIs');
    await screen().getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import an API' });
    // An invalid profile: every problem named by its field, nothing started.
    await dialog.getByLabel(/Or paste it here/).fill(src.replace('alphabet: hex', 'alphabet: emoji'));
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expectText(dialog.getByRole('alert'), /keyFormat\.alphabet/);
    await screenshot(page, 'import-profile');
    await dialog.getByLabel(/Or paste it here/).fill(src);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expectText(screen().getByRole('status').first(), /Pet Shop API imported: listening on http:\/\/127\.0\.0\.1:\d+\/v2/);
    const card = screen().getByRole('region', { name: 'Pet Shop API' });
    await expectText(card, /pet 75/);
    // It answers like any other API, with its own envelope.
    const apis = await admin(mg, 'GET', '/apis');
    const pet = apis.find((a) => a.id === 'petshop');
    const res = await fetch(`${pet.baseUrl}/pets`);
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, 'NO_KEY');
    // Remove: confirmed in words that say what it does.
    await card.getByRole('button', { name: 'Remove Pet Shop API…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Remove Pet Shop API?' });
    await expectText(confirm, /cannot be undone/);
    await confirm.getByRole('button', { name: 'Remove API' }).click();
    await screen().getByRole('region', { name: 'Pet Shop API' }).waitFor({ state: 'detached' });
    await assert.rejects(fetch(`${pet.baseUrl}/pets`), 'the removed API still answers');
  });

  await t.test('Dark mode: the Explorer reads in dark colours too', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await go('Explorer');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(21, 24, 29)');
    await page.evaluate(() => window.scrollTo(0, 0)); // the endpoint's title, not under the header
    await screenshot(page, 'explorer-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
