// Browser end-to-end test of the virtual clock and the queued faults in the
// web UI, against a real `mockgate serve --ui`: advance the clock from the
// header and see the badge with the offset; a key with a short TTL shows
// expired on the Keys screen without a reload; freeze, resume; the Prefer
// header switched off; a fault (503, twice) queued from the APIs screen,
// used up by two calls and gone from the list; the two answers marked
// injected in the request log, with the mock's and the real time in the
// details; reset, and the badge goes. Each step checks what the screen
// shows; the screens are saved as screenshots.
//
//   MOCKGATE_BIN=path/to/mockgate node --test e2e/clock-faults.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, expectText, screenshot, startSession } from './harness.mjs';

let session;
let mg;
let page;
/** The screen that shows, and going to a screen by name (see startSession). */
let screen;
let go;
/** A journeybee key for the calls, and one that expires two minutes after it is made. */
let client;
const SHORT = 'short-lived ci key';
/** The badge's mock time: the time of day, with the date when it is another day than real time. */
const T = String.raw`(?:\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d`;

before(async () => {
  session = await startSession();
  ({ mg, page, screen, go } = session);
  client = await admin(mg, 'POST', '/keys', { api: 'journeybee', name: 'fault test client', scopes: ['read'] });
  await admin(mg, 'POST', '/keys', { api: 'journeybee', name: SHORT, scopes: ['read'], ttl: '2m' });
});

after(async () => {
  await session?.close();
});

/** The header's clock button: "Clock" at real time, the badge otherwise. */
function clockButton() {
  return page.getByRole('banner').getByRole('button', { name: /^(Clock|Virtual time)/ });
}

async function openClock() {
  await clockButton().click();
  const dlg = page.getByRole('dialog', { name: 'Mock clock' });
  await dlg.waitFor();
  return dlg;
}

function users(headers = {}) {
  return fetch(`${mg.apis.journeybee}/users?pageSize=1`, { headers: { Authorization: `Bearer ${client.key}`, ...headers } });
}

test('virtual clock and queued faults in the web UI', async (t) => {
  await t.test('the header says Clock at real time, and the short-lived key is active', async () => {
    await page.goto(mg.uiUrl);
    await go('Keys');
    await expectText(clockButton(), /^Clock$/);
    await expectText(screen().getByRole('row', { name: new RegExp(SHORT) }), /active/);
    // Marks this page load: a reload would lose it.
    await page.evaluate(() => (window.__sameLoad = true));
  });

  await t.test('advance by a Go duration: the badge shows the offset and the key expires at once', async () => {
    const dlg = await openClock();
    const field = dlg.getByLabel('Advance by (Go duration)');
    // Go has no days: said before anything is sent.
    await field.fill('1d');
    await expectText(dlg, /Go durations have no days: use h \(1d = 24h\)/);
    assert.equal(await dlg.getByRole('button', { name: 'Advance', exact: true }).isDisabled(), true);
    await field.fill('5m');
    await dlg.getByRole('button', { name: 'Advance', exact: true }).click();
    await expectText(dlg.getByRole('status'), /Advanced by 5m\./);
    await expectText(dlg, /Offset\s+\+5m 0s/);
    await dlg.getByRole('button', { name: 'Close' }).click();
    await dlg.waitFor({ state: 'hidden' });

    await expectText(clockButton(), new RegExp(`^Virtual time\\s+${T}\\s+·\\s+\\+5m 0s$`));
    // The key's two minutes are over by the mock's clock: expired, no reload.
    await expectText(screen().getByRole('row', { name: new RegExp(SHORT) }), /expired/);
    assert.equal(await page.evaluate(() => window.__sameLoad), true, 'the page reloaded');
    const status = await admin(mg, 'GET', '/clock');
    assert.ok(Math.abs(status.offsetSeconds - 300) < 1, `offset ${status.offsetSeconds}`);
    await screenshot(page, 'clock-keys-expired');
  });

  await t.test('quick steps and freeze: the badge says frozen; resume', async () => {
    const dlg = await openClock();
    await dlg.getByRole('group', { name: 'Quick advance' }).getByRole('button', { name: '+1h' }).click();
    await expectText(dlg.getByRole('status'), /Advanced by 1 hour\./);
    await expectText(dlg, /Offset\s+\+1h 5m 0s/);
    await dlg.getByRole('button', { name: 'Freeze' }).click();
    await expectText(dlg.getByRole('status'), /Frozen/);
    await expectText(dlg, /Mock time[\s\S]*frozen/);
    assert.equal(await dlg.getByRole('button', { name: 'Freeze' }).isDisabled(), true);
    await screenshot(page, 'clock-dialog');
    // Escape closes it, as any dialog.
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'hidden' });
    // Frozen, the offset shrinks as real time goes on: +1h 5m, then +1h 4m.
    await expectText(clockButton(), new RegExp(`^Virtual time\\s+${T}\\s+·\\s+\\+1h [45]m\\s+·\\s+frozen$`));
    assert.equal((await admin(mg, 'GET', '/clock')).frozen, true);

    const again = await openClock();
    await again.getByRole('button', { name: 'Resume' }).click();
    await expectText(again.getByRole('status'), /Running again/);
    await again.getByRole('button', { name: 'Close' }).click();
    await expectText(clockButton(), new RegExp(`^Virtual time\\s+${T}\\s+·\\s+\\+1h [45]m$`));
  });

  await t.test('the Prefer header, honoured and then switched off', async () => {
    await go('APIs');
    const jb = screen().getByRole('region', { name: 'Journeybee API' });
    const prefer = jb.getByLabel('Honour Prefer header (code=, latency=)');
    assert.equal(await prefer.isChecked(), true);
    assert.equal((await users({ Prefer: 'code=429' })).status, 429);
    await prefer.uncheck();
    await jb.getByRole('button', { name: 'Apply' }).click();
    await expectText(jb.getByRole('status').filter({ hasText: 'Applied' }), /Applied/);
    assert.equal((await admin(mg, 'GET', '/apis/journeybee')).settings.ignorePrefer, true);
    assert.equal((await users({ Prefer: 'code=429' })).status, 200);
  });

  await t.test('queue a fault (503, twice): listed, used up by two calls, gone', async () => {
    const jb = screen().getByRole('region', { name: 'Journeybee API' });
    const queue = jb.getByRole('region', { name: 'Queued faults' });
    await expectText(queue, /none: requests answer normally/);
    await queue.getByRole('button', { name: 'Queue a fault on Journeybee API…' }).click();
    const dlg = page.getByRole('dialog', { name: 'Queue a fault on Journeybee API' });
    await dlg.waitFor();
    // The backend's refusal shows in the form, naming the field.
    await dlg.getByLabel('Answer with status').fill('200');
    await dlg.getByRole('button', { name: 'Queue fault' }).click();
    await expectText(dlg.getByRole('alert'), /status: 200 is not an error status/);
    await dlg.getByLabel('Answer with status').fill('503');
    await dlg.getByLabel('Times').fill('2');
    await dlg.getByLabel('Method').selectOption('GET');
    await dlg.getByLabel('Path').fill('/v1/users');
    // The key select offers this API's keys.
    await dlg.getByLabel('Key').selectOption({ label: `fault test client (${client.masked})` });
    await dlg.getByLabel('Key').selectOption('');
    await screenshot(page, 'fault-dialog');
    await dlg.getByRole('button', { name: 'Queue fault' }).click();
    await dlg.waitFor({ state: 'hidden' });

    const table = queue.getByRole('table', { name: 'Queued faults of Journeybee API' });
    await expectText(table, /503\s+GET \/v1\/users\s+2 of 2 left/);
    await expectText(queue, /1 pending/);
    const listed = await admin(mg, 'GET', '/apis/journeybee/faults');
    assert.deepEqual(
      listed.map((f) => [f.status, f.count, f.method, f.path]),
      [[503, 2, 'GET', '/v1/users']],
    );
    await jb.scrollIntoViewIfNeeded();
    await screenshot(page, 'faults');

    assert.equal((await users()).status, 503);
    await expectText(table, /1 of 2 left/);
    assert.equal((await users()).status, 503);
    await table.waitFor({ state: 'detached' });
    await expectText(queue, /none: requests answer normally/);
    assert.equal((await users()).status, 200);
  });

  await t.test('Requests: the two answers marked injected, with the rule and both times', async () => {
    await go('Requests');
    await screen().getByLabel('Status', { exact: true }).selectOption('5xx');
    const log = screen().getByRole('table', { name: 'Request log' });
    // 503 too: until the filtered list arrives, the 429 injected by Prefer may still show.
    const rows = log.getByRole('row').filter({ hasText: '/v1/users' }).filter({ hasText: 'injected' }).filter({ hasText: '503' });
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.equal(await rows.nth(0).getByText('injected').getAttribute('title'), 'Injected: fault 1 (2 of 2)');
    assert.equal(await rows.nth(1).getByText('injected').getAttribute('title'), 'Injected: fault 1 (1 of 2)');

    await rows.nth(0).getByRole('button', { name: /Details of request \d+: GET \/v1\/users, 503, injected/ }).click();
    const details = screen().getByRole('region', { name: /Request #\d+/ });
    await expectText(details, /Answer\s+injected by fault 1 \(2 of 2\)/);
    // The mock's time is an hour and five minutes ahead of real time.
    const text = await expectText(details, /Mock time\s+\S+ \S+\s+Real time\s+\S+ \S+/);
    const [, mock, real] = /Mock time\s+(\S+ \S+)\s+Real time\s+(\S+ \S+)/.exec(text);
    const ahead = (Date.parse(mock.replace(' ', 'T')) - Date.parse(real.replace(' ', 'T'))) / 1000;
    assert.ok(ahead > 3800 && ahead <= 3900, `mock time ${mock} is ${ahead} s ahead of real time ${real}`);
    await screenshot(page, 'requests-injected');
  });

  await t.test('reset: back to real time, the badge goes and the key is active again', async () => {
    await go('Keys');
    const dlg = await openClock();
    await dlg.getByRole('button', { name: 'Reset to real time' }).click();
    await expectText(dlg.getByRole('status'), /Back to real time/);
    await dlg.getByRole('button', { name: 'Close' }).click();
    await expectText(clockButton(), /^Clock$/);
    await page.getByRole('banner').getByText('Virtual time').waitFor({ state: 'detached' });
    await expectText(screen().getByRole('row', { name: new RegExp(SHORT) }), /active/);
    const status = await admin(mg, 'GET', '/clock');
    assert.equal(status.frozen, false);
    assert.ok(Math.abs(status.offsetSeconds) < 1, `offset ${status.offsetSeconds}`);
    assert.equal(await page.evaluate(() => window.__sameLoad), true, 'the page reloaded');
  });
});
