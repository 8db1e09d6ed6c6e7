// Browser end-to-end test of the request log as evidence in the web UI,
// against a real `mockgate serve --ui`: a client that ignores Retry-After
// (a key limited to 2 requests a minute, called 4 times at once: the 3rd is
// answered 429, the 4th comes too early) earns the retry_too_early verdict;
// the screen counts it live, the Verdict filter shows only those rows,
// Export HAR downloads a HAR 1.2 file of what the filters show with the key
// masked, and Copy as curl puts a command on the clipboard that names the
// key $MOCKGATE_KEY instead of holding it.
//
//   MOCKGATE_BIN=path/to/mockgate node --test e2e/evidence-gui.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { admin, expectText, screenshot, startSession } from './harness.mjs';

let session;
let mg;
let page;
let screen;
let go;
/** A journeybee key limited to 2 requests a minute. */
let client;

before(async () => {
  session = await startSession();
  ({ mg, page, screen, go } = session);
  client = await admin(mg, 'POST', '/keys', { api: 'journeybee', name: 'impatient client', scopes: ['read'], rateLimit: 2 });
});

after(async () => {
  await session?.close();
});

function users() {
  return fetch(`${mg.apis.journeybee}/users?pageSize=1`, { headers: { Authorization: `Bearer ${client.key}` } });
}

/** The log's rows (the virtual table renders the ones in view; a handful all fit). */
function rows() {
  return screen().locator('table[aria-label="Request log"] tbody tr[data-row-id]');
}

test('verdicts, HAR export and curl in the web UI', async (t) => {
  await t.test('a client that ignores Retry-After is counted live', async () => {
    await page.goto(mg.uiUrl);
    await go('Requests');
    const counts = screen().getByRole('group', { name: 'Verdict counts' });
    await expectText(counts, /retry_too_early\s+0/);
    // One after the other, so the order (and the verdict) is certain.
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await users();
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [200, 200, 429, 429]);
    await expectText(rows().first(), /429/);
    assert.equal(await rows().count(), 4);
    await expectText(counts, /retry_too_early\s+1\b/);
    await expectText(counts, /ignored_auth_failure\s+0/);
    // The row carries its badge.
    await expectText(rows().first(), /retry_too_early/);
    assert.doesNotMatch(await rows().nth(1).innerText(), /retry_too_early/);
  });

  await t.test('the Verdict filter shows only the marked rows', async () => {
    await screen().getByLabel('Verdict', { exact: true }).selectOption('retry_too_early');
    await expectText(screen().getByRole('status').filter({ hasText: 'shown' }), /^1 shown/);
    assert.equal(await rows().count(), 1);
    await expectText(rows().first(), /429[\s\S]*retry_too_early/);
    // A live request without a verdict does not join the filtered list.
    await (await users()).arrayBuffer();
    await expectText(screen().getByRole('status').filter({ hasText: 'shown' }), /1 shown · 5 in the log/);
    assert.equal(await rows().count(), 1);
    // The fifth call came too early as well: it counts, and it shows.
    await expectText(screen().getByRole('group', { name: 'Verdict counts' }), /retry_too_early\s+2\b/);
  });

  await t.test('Export HAR downloads what the filters show, key masked', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), screen().getByRole('button', { name: 'Export HAR' }).click()]);
    assert.equal(download.suggestedFilename(), 'mockgate.har');
    const text = await readFile(await download.path(), 'utf8');
    const har = JSON.parse(text);
    assert.equal(har.log.version, '1.2');
    assert.ok(har.log.entries.length >= 1);
    for (const e of har.log.entries) assert.equal(e.response.status, 429);
    assert.ok(!text.includes(client.key), 'the HAR holds the raw key');
  });

  await t.test('Copy as curl: the key is $MOCKGATE_KEY, never the raw key', async () => {
    await screen().getByLabel('Verdict', { exact: true }).selectOption('');
    await expectText(screen().getByRole('status').filter({ hasText: 'shown' }), /^5 shown/);
    // The oldest request, which the API answered 200.
    await rows().last().getByRole('button').click();
    const pane = screen().getByRole('region', { name: /^Request #/ });
    await expectText(pane, /MOCKGATE_KEY to the key first/);
    // A marked one: the details name the verdict.
    await rows().first().getByRole('button').click();
    await expectText(pane, /Verdict\s+retry_too_early/);
    await pane.getByRole('button', { name: /as curl$/ }).click();
    await expectText(pane.getByRole('button', { name: /as curl$/ }), /Copied/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^curl /);
    assert.match(copied, /\$MOCKGATE_KEY/);
    assert.ok(!copied.includes(client.key), 'the curl command holds the raw key');
    assert.ok(!(await pane.innerText()).includes(client.key), 'the details show the raw key');
    await screenshot(page, 'requests-verdicts');
  });
});
