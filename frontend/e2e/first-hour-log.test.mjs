// Browser end-to-end test of a new user's first hour with the APIs, the
// Explorer and the request log (issue 11, points 2, 3 and 9 to 13), against
// a real `mockgate serve --ui`: each API's notes on its card and in the
// Explorer, endpoint descriptions rendered, the answer in view after Send,
// log columns sized to their content with a cut path showing its end, the
// filters (the key filter follows the API filter, injected answers keep
// their key, Home/End and one Tab stop, paths shown as sent, no GUI
// fetches), the error share over the chart's window and reset by Clear log,
// transient status messages, live record counts, the import dialog and an
// API removed with its keys, and the small things (paths that wrap at "/",
// a key select that keeps its width, one live indicator, a favicon).
//
//   MOCKGATE_BIN=path/to/mockgate node --test e2e/first-hour-log.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { admin, expectText, inViewport, screenshot, startSession } from './harness.mjs';

let session;
let mg;
let page;
let screen;
let go;
/** Keys made for the calls: journeybee (write), eudr (suppliers only). */
let jb;
let eu;

before(async () => {
  session = await startSession();
  ({ mg, page, screen, go } = session);
  jb = await admin(mg, 'POST', '/keys', { api: 'journeybee', name: 'crm sync', scopes: ['write'] });
  eu = await admin(mg, 'POST', '/keys', { api: 'eudr', name: 'erp connector for the suppliers, north', scopes: ['integration:suppliers:read'] });
});

after(async () => {
  await session?.close();
});

/** Whether a cell shows all it holds (nothing cut by its width). */
function uncut(locator) {
  return locator.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
}

function log() {
  return screen().getByRole('table', { name: 'Request log' });
}

test('the first hour: APIs, the Explorer and the request log', async (t) => {
  await t.test('2. each API’s notes on its card and in the Explorer; endpoint descriptions rendered', async () => {
    await page.goto(mg.uiUrl);
    const card = screen().getByRole('region', { name: 'EUDR Integration API' });
    await card.getByText(/Where the vendor's documents are silent: 5 choices/).click();
    await expectText(card.getByRole('list', { name: /How EUDR Integration API differs/ }), /INVALID_TOKEN_FORMAT[\s\S]*query string/);

    await go('Explorer');
    await screen().getByLabel('API', { exact: true }).selectOption('journeybee');
    await screen().getByText(/Where the vendor's documents are silent/).click();
    await expectText(screen().getByRole('list', { name: /How Journeybee API differs/ }), /X-RateLimit-\*/);
    await screen().getByRole('button', { name: /^GET \/users List/ }).click();
    await screen().getByText('About this endpoint').click();
    const about = screen().locator('.desc-body');
    await expectText(about, /Needs a key with read permission\./);
    assert.equal(await about.locator('code', { hasText: /^read$/ }).count(), 1);
    assert.ok(!(await about.innerText()).includes('`'), 'a backtick shows: the Markdown was not rendered');
  });

  await t.test('3. after Send the answer is in view: beside the request, or scrolled to', async () => {
    await screen().getByLabel('Send with').selectOption({ label: 'A pasted key' });
    await screen().getByLabel('Pasted key').fill(jb.key);
    for (const vp of [
      { width: 1280, height: 860 },
      { width: 1200, height: 800 },
      { width: 900, height: 800 },
    ]) {
      await page.setViewportSize(vp);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screen().getByRole('button', { name: 'Send', exact: true }).click();
      const status = screen().getByLabel('Response status');
      await expectText(status, /^200 OK$/);
      await page.waitForTimeout(100);
      assert.ok(await inViewport(page, status), `at ${vp.width}x${vp.height} the status is out of view`);
      const body = await screen().getByLabel('Response body').boundingBox();
      assert.ok(body.y < vp.height - 100, `at ${vp.width}x${vp.height} the body starts at ${body.y}`);
      if (vp.width === 1280) await screenshot(page, 'explorer-answer');
    }
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  await t.test('13. small things: paths wrap at "/", the key select keeps its width', async () => {
    await screen().getByLabel('API', { exact: true }).selectOption('jelou');
    const path = screen().getByRole('button', { name: /^GET \/company\/\{companyId\}\/messages List/ }).locator('.path');
    const tops = await path.evaluate((el) => {
      const text = el.textContent;
      const at = text.indexOf('messages');
      const node = [...el.childNodes].find((n) => n.nodeType === 3 && n.textContent.includes('messages'));
      const r = document.createRange();
      const out = [];
      for (let i = 0; i < 'messages'.length; i++) {
        r.setStart(node, node.textContent.indexOf('messages') + i);
        r.setEnd(node, node.textContent.indexOf('messages') + i + 1);
        out.push(Math.round(r.getBoundingClientRect().top));
      }
      return at >= 0 ? out : [];
    });
    assert.equal(new Set(tops).size, 1, `"messages" is broken across lines: ${tops}`);

    // The select's width does not follow its option.
    const sendWith = screen().getByLabel('Send with');
    const jl = await admin(mg, 'POST', '/keys', { api: 'jelou', name: 'width probe', tenant: '1001' });
    await screen().getByLabel('Pasted key').fill(jl.key);
    const w1 = (await sendWith.boundingBox()).width;
    await sendWith.selectOption({ label: 'No key' });
    const w2 = (await sendWith.boundingBox()).width;
    assert.equal(w1, w2);
    await sendWith.selectOption({ label: 'A pasted key' });
  });

  await t.test('10. the log shows paths as sent and none of the GUI’s own fetches', async () => {
    // The Explorer has loaded documents of journeybee and jelou: none of it is in the log.
    await fetch(`${mg.apis.journeybee}/..%2F..%2Fadmin`, { headers: { Authorization: `Bearer ${jb.key}` } });
    await go('Requests');
    await log().getByRole('row').filter({ hasText: '/v1/..%2F..%2Fadmin' }).waitFor();
    assert.equal(await log().getByRole('row').filter({ hasText: '/../../admin' }).count(), 0);
    assert.equal(await log().getByRole('row').filter({ hasText: 'openapi.json' }).count(), 0);
    const logged = await admin(mg, 'GET', '/requests?limit=1000');
    assert.deepEqual(logged.requests.filter((r) => r.path.endsWith('openapi.json')), []);
  });

  await t.test('9. columns fit what they hold; with the details open a path shows its end', async () => {
    await admin(mg, 'PUT', '/apis/eudr/settings', { latencyMs: 300, errorRate: 0, throttleRate: 0, corsOrigins: [], ignorePrefer: false });
    const suppliers = `${mg.apis.eudr}/suppliers`;
    await fetch(suppliers, { headers: { Authorization: `Bearer ${eu.key}` } });
    await fetch(`${mg.apis.eudr}/sync/status`, { headers: { Authorization: `Bearer ${eu.key}` } }); // 403 INSUFFICIENT_SCOPES
    await fetch(`${mg.apis.journeybee}/users?page=2&pageSize=5&sort=name`, { headers: { Authorization: `Bearer ${jb.key}` } });
    await admin(mg, 'POST', `/keys/${eu.id}/revoke`);
    await fetch(suppliers, { headers: { Authorization: `Bearer ${eu.key}` } }); // 401 TOKEN_REVOKED
    await admin(mg, 'PUT', '/apis/eudr/settings', { latencyMs: 0, errorRate: 0, throttleRate: 0, corsOrigins: [], ignorePrefer: false });
    const scopes = log().getByRole('row').filter({ hasText: 'INSUFFICIENT_SCOPES' });
    await scopes.waitFor();
    const revoked = log().getByRole('row').filter({ hasText: 'TOKEN_REVOKED' });
    await revoked.waitFor();
    for (const row of [scopes, revoked]) {
      const cells = row.getByRole('cell');
      for (const i of [4, 5, 6, 7]) {
        assert.ok(await uncut(cells.nth(i)), `cell ${i} of "${await row.innerText()}" is cut`);
      }
    }
    await expectText(scopes.getByRole('cell').nth(7), /^3\d\d\.\d ms$/);

    // Details open: the log narrows, and a long path loses its start, not its end.
    await scopes.getByRole('button').click();
    await screen().getByRole('region', { name: /Request #\d+/ }).waitFor();
    const pathCell = scopes.getByRole('cell').nth(3);
    const ends = await pathCell.evaluate((td) => {
      const cell = td.getBoundingClientRect();
      const node = td.querySelector('bdi').firstChild;
      const r = document.createRange();
      r.setStart(node, node.length - 1);
      r.setEnd(node, node.length);
      const last = r.getBoundingClientRect();
      r.setStart(node, 0);
      r.setEnd(node, 1);
      const first = r.getBoundingClientRect();
      return { cut: td.querySelector('.path').scrollWidth > td.querySelector('.path').clientWidth, lastIn: last.right <= cell.right + 1 && last.left >= cell.left, firstOut: first.left < cell.left };
    });
    assert.deepEqual(ends, { cut: true, lastIn: true, firstOut: true });
    // A short path with a long query: the query gives way, the path stays whole.
    const withQuery = log().getByRole('row').filter({ hasText: 'page=2' }).getByRole('cell').nth(3);
    assert.ok(await uncut(withQuery.locator('.path')), 'a short path was cut before its query');
    assert.ok(!(await uncut(withQuery.locator('.query'))), 'the query did not give way');
    await screenshot(page, 'requests-columns');
    await page.keyboard.press('Escape');
  });

  await t.test('10. filters: keys of the API filtered on, injected answers keep their key, Home/End, one Tab stop', async () => {
    await screen().getByLabel('API', { exact: true }).selectOption('journeybee');
    const keyOptions = await screen().getByLabel('Key', { exact: true }).locator('option').allInnerTexts();
    assert.deepEqual(keyOptions, ['All', `crm sync (${jb.masked})`]);
    // An injected 500 carries the key it was sent with, so the key filter keeps it.
    await admin(mg, 'PUT', '/apis/journeybee/settings', { latencyMs: 0, errorRate: 1, throttleRate: 0, corsOrigins: [], ignorePrefer: false });
    assert.equal((await fetch(`${mg.apis.journeybee}/users`, { headers: { Authorization: `Bearer ${jb.key}` } })).status, 500);
    await admin(mg, 'PUT', '/apis/journeybee/settings', { latencyMs: 0, errorRate: 0, throttleRate: 0, corsOrigins: [], ignorePrefer: false });
    await screen().getByLabel('Key', { exact: true }).selectOption({ label: `crm sync (${jb.masked})` });
    await log().getByRole('row').filter({ hasText: 'injected' }).filter({ hasText: '500' }).waitFor();
    await screen().getByLabel('Key', { exact: true }).selectOption('');
    await screen().getByLabel('API', { exact: true }).selectOption('');

    // One Tab stop for the rows; Home and End go to the ends. (The filters
    // were just cleared: wait for the list they bring.)
    const buttons = log().getByRole('button', { name: /^Details of request/ });
    const tabStops = () => buttons.evaluateAll((bs) => bs.filter((b) => b.tabIndex === 0).length);
    for (let i = 0; i < 100 && ((await buttons.count()) < 2 || (await tabStops()) !== 1); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(await tabStops(), 1);
    await buttons.first().focus();
    await page.keyboard.press('End');
    const heading = screen().getByRole('region', { name: /Request #\d+/ }).getByRole('heading', { level: 2 });
    await expectText(heading, /^Request #1$/);
    await page.keyboard.press('Home');
    const newest = (await admin(mg, 'GET', '/requests?limit=1')).requests[0].id;
    await expectText(heading, new RegExp(`^Request #${newest}$`));
    assert.equal(await buttons.evaluateAll((bs) => bs.filter((b) => b.tabIndex === 0).length), 1);
    assert.equal(await page.evaluate(() => document.activeElement?.tabIndex), 0);
    await page.keyboard.press('Escape');
  });

  await t.test('13. one live indicator, in the header', async () => {
    assert.equal(await screen().getByText(/^(Live|Reconnecting…)$/).count(), 0);
    await expectText(page.getByRole('banner').getByTitle(/Live updates/), /live/);
  });

  await t.test('11. the error share is over the chart’s window and Clear log starts it again; record counts are live', async () => {
    await go('APIs');
    const card = screen().getByRole('region', { name: 'Journeybee API' });
    await expectText(card, /Errors: [\d.]+ % of \d+ requests? in the last 5 min/, 8000);
    // Two new leads: the count follows without a reload.
    const data = card.getByLabel('Records of Journeybee API');
    await expectText(data, /lead 120/);
    for (const name of ['Ada', 'Grace']) {
      const res = await fetch(`${mg.apis.journeybee}/leads`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${jb.key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, email: `${name.toLowerCase()}@example.com`, status: 'new' }),
      });
      assert.equal(res.status, 201);
    }
    await expectText(data, /lead 122/, 5000);

    await go('Requests');
    await screen().getByRole('button', { name: 'Clear log…' }).click();
    const dlg = page.getByRole('alertdialog', { name: 'Clear the request log?' });
    await expectText(dlg, /starts again from zero/);
    await dlg.getByRole('button', { name: 'Clear log' }).click();
    await dlg.waitFor({ state: 'hidden' });
    await go('APIs');
    await expectText(card, /No requests in the last 5 min\./, 8000);
  });

  await t.test('11. status messages belong to their action: "Applied." goes, and never sits beside an error', async () => {
    const card = screen().getByRole('region', { name: 'Jelou API' });
    await card.getByLabel('Latency (ms)').fill('50');
    await card.getByRole('button', { name: 'Apply' }).click();
    const status = card.getByRole('status').filter({ hasText: /Applied|Faults cleared/ });
    await expectText(status, /^Applied\.$/);
    await card.getByLabel('Errors 500 (%)').fill('150');
    await expectText(card.getByRole('alert'), /between 0 and 100 %/);
    assert.equal(await status.count(), 0, '"Applied." stayed beside the validation error');
    await card.getByRole('button', { name: 'Clear faults' }).click();
    await expectText(card.getByRole('status').filter({ hasText: 'Faults cleared' }), /Faults cleared\./);
    await card.getByRole('status').filter({ hasText: 'Faults cleared' }).waitFor({ state: 'detached', timeout: 8000 });
  });

  await t.test('12. import: every problem once and at once, an example, the new card in view; removed with its keys', async () => {
    const src = readFileSync(new URL('../../examples/petshop.yaml', import.meta.url), 'utf8');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screen().getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import an API' });
    const bad = src.replace('basePath: /v2', 'basepath: /v2').replace('alphabet: hex', 'alphabet: emoji');
    await dialog.getByLabel(/Or paste it here/).fill(bad);
    await dialog.getByRole('button', { name: 'Import' }).click();
    const alert = dialog.getByRole('alert');
    await expectText(alert, /The profile “petshop” has \d+ problems; nothing was started/);
    const problems = await alert.getByRole('list', { name: 'Problems' }).getByRole('listitem').allInnerTexts();
    assert.ok(problems.some((p) => p.startsWith('basepath: unknown field')), `no unknown field in ${problems}`);
    assert.ok(problems.some((p) => p.startsWith('keyFormat.alphabet:')), `no alphabet problem in ${problems}`);
    assert.ok(problems.every((p) => !p.startsWith('profile ')), `a problem repeats the profile: ${problems}`);
    await screenshot(page, 'import-problems');

    await dialog.getByRole('button', { name: 'Start from the example' }).click();
    assert.equal(await dialog.getByLabel(/Or paste it here/).inputValue(), src);
    await dialog.getByRole('button', { name: 'Import' }).click();
    const card = screen().getByRole('region', { name: 'Pet Shop API' });
    const heading = card.getByRole('heading', { name: 'Pet Shop API', level: 2 });
    await heading.waitFor();
    await page.waitForTimeout(800); // the scroll is smooth
    assert.ok(await inViewport(page, heading), 'the new API’s card is off screen');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Pet Shop API');

    const pet = (await admin(mg, 'GET', '/apis')).find((a) => a.id === 'petshop');
    const key = await admin(mg, 'POST', '/keys', { api: 'petshop', name: 'pets', scopes: ['pets:read'] });
    assert.equal((await fetch(`${pet.baseUrl}/pets`, { headers: { Authorization: `Bearer ${key.key}` } })).status, 200);
    await card.getByRole('button', { name: 'Remove Pet Shop API…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Remove Pet Shop API?' });
    await expectText(confirm, /all its records and its key are deleted/);
    await confirm.getByRole('button', { name: 'Remove API' }).click();
    await card.waitFor({ state: 'detached' });
    assert.deepEqual(await admin(mg, 'GET', '/keys?api=petshop'), []);
    // Imported again: the old key opens nothing.
    const res = await fetch(`${mg.adminUrl}/_admin/api/profiles`, { method: 'POST', headers: { Authorization: `Bearer ${mg.token}`, 'Content-Type': 'application/yaml' }, body: src });
    const back = await res.json();
    assert.equal(res.status, 201);
    assert.equal((await fetch(`${back.baseUrl}/pets`, { headers: { Authorization: `Bearer ${key.key}` } })).status, 401);
  });

  await t.test('13. a favicon, and no file of the page missing', async () => {
    const icon = await page.evaluate(() => document.querySelector('link[rel="icon"]')?.getAttribute('href'));
    assert.equal((await fetch(new URL(icon, mg.adminUrl))).status, 200);
    assert.deepEqual(session.missing, []);
  });
});
