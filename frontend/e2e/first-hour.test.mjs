// Browser end-to-end test of a new user's first hour with the keys (issue
// 11, points 1 and 4 to 8), against a real `mockgate serve --ui`: the
// guided start on the APIs screen (create a key, call it in the Explorer,
// the curl line), the Explorer's empty key field before and after a
// reload, the create form's marked fields and scope presets, the shown-once
// key that asks before it goes, a Keys table that fits 1280 px with a
// nine-scope key, the trash-can delete that leaves the focus in the table,
// and the Explorer's throwaway keys: reused, kept out of the table unless
// asked for.
//
//   MOCKGATE_BIN=path/to/mockgate node --test e2e/first-hour.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, expectText, inViewport, screenshot, startSession } from './harness.mjs';

let session;
let mg;
let page;
let screen;
let go;

before(async () => {
  session = await startSession();
  ({ mg, page, screen, go } = session);
});

after(async () => {
  await session?.close();
});

/** The guide on the APIs screen. */
function guide() {
  return screen().getByRole('region', { name: /Get started/ });
}

/** Creates a key through the create dialog, already open on the right API; returns the shown-once dialog. */
async function createThroughDialog(name) {
  const form = page.getByRole('dialog', { name: 'Create an API key' });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('dialog', { name: 'Create this key?' }).getByRole('button', { name: 'Create key' }).click();
  const shown = page.getByRole('dialog', { name: 'API key created' });
  await shown.waitFor();
  return shown;
}

test('the first hour: a guided start and keys that behave', async (t) => {
  await t.test('1. the guide: create a key, call it in the Explorer, the curl line', async () => {
    await page.goto(mg.uiUrl);
    await guide().waitFor();
    const steps = guide().getByRole('listitem');
    assert.equal(await steps.count(), 3);
    await expectText(steps.nth(0), /Create a key/);
    await expectText(steps.nth(1), /Call it in the Explorer/);
    await expectText(steps.nth(2), new RegExp(`curl -H "Authorization: Bearer <your key>" ${mg.apis.journeybee}/users`));
    await screenshot(page, 'getting-started');

    await guide().getByRole('button', { name: 'Create a key…' }).click();
    const form = page.getByRole('dialog', { name: 'Create an API key' });
    assert.equal(await form.getByLabel('API', { exact: true }).inputValue(), 'journeybee');
    const shown = await createThroughDialog('first key');
    await shown.getByRole('button', { name: 'Copy key' }).click();
    await shown.getByRole('button', { name: 'Use in Explorer' }).click();
    await screen().getByRole('heading', { name: 'Explorer', level: 1 }).waitFor();
    await expectText(screen().getByLabel('Send with'), /first key/);
    assert.equal(await screen().getByLabel('API', { exact: true }).inputValue(), 'journeybee');
    await screen().getByRole('button', { name: 'Send', exact: true }).click();
    await expectText(screen().getByLabel('Response status'), /^200 OK$/);

    await go('APIs');
    await expectText(steps.nth(0), /done/);
    await expectText(steps.nth(1), /done/, 12_000); // the key's use count comes with the live stream or the next reload
    // Put away, it stays away across a reload, and comes back on request.
    await guide().getByRole('button', { name: 'Hide this guide' }).click();
    await guide().waitFor({ state: 'detached' });
    await page.reload();
    await screen().getByRole('button', { name: 'Getting started' }).waitFor();
    assert.equal(await guide().count(), 0);
    await screen().getByRole('button', { name: 'Getting started' }).click();
    await guide().waitFor();
  });

  await t.test('1. the Explorer with no key: create one from there; after a reload it says the keys are forgotten', async () => {
    await go('Explorer');
    await screen().getByLabel('API', { exact: true }).selectOption('jelou');
    const noKey = screen().getByText(/No Jelou API key yet/);
    await noKey.waitFor();
    await screen().getByRole('button', { name: 'Create a key for Jelou API…' }).click();
    assert.equal(await page.getByRole('dialog', { name: 'Create an API key' }).getByLabel('API', { exact: true }).inputValue(), 'jelou');
    const shown = await createThroughDialog('bot from the explorer');
    await shown.getByRole('button', { name: 'Copy key' }).click();
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });
    // Selected here, ready to send.
    await expectText(screen().getByLabel('Send with'), /bot from the explorer/);
    await screen().getByRole('button', { name: 'Send', exact: true }).click();
    await expectText(screen().getByLabel('Response status'), /^200 OK$/);

    await page.reload();
    await go('Explorer');
    await screen().getByLabel('API', { exact: true }).selectOption('jelou');
    await expectText(screen().getByRole('group', { name: 'Key' }), /This window no longer holds your Jelou API key/);
    await screen().getByRole('button', { name: 'Create a key for Jelou API…' }).waitFor();
    await screenshot(page, 'explorer-no-key');
  });

  await t.test('7. the create form marks the field at fault and offers all, none and read-only scopes', async () => {
    await go('Keys');
    await screen().getByRole('button', { name: 'Create', exact: true }).click();
    const form = page.getByRole('dialog', { name: 'Create an API key' });
    await form.getByLabel('API', { exact: true }).selectOption('eudr');
    // Least privilege: nothing ticked; the presets tick in one click.
    const boxes = form.getByRole('group', { name: /Scopes/ }).getByRole('checkbox');
    assert.equal(await boxes.count(), 9);
    assert.equal((await boxes.evaluateAll((bs) => bs.filter((b) => b.checked))).length, 0);
    await form.getByRole('button', { name: 'All', exact: true }).click();
    assert.equal((await boxes.evaluateAll((bs) => bs.filter((b) => b.checked))).length, 9);
    await form.getByRole('button', { name: 'None', exact: true }).click();
    assert.equal((await boxes.evaluateAll((bs) => bs.filter((b) => b.checked))).length, 0);
    // The expiry date asks for nothing before Continue.
    await form.getByLabel('Expires').selectOption({ label: 'On a date…' });
    assert.equal(await form.getByText('Choose an expiry date').count(), 0);
    // Continue with no name: the name is marked, described and focused.
    await form.getByRole('button', { name: 'Continue' }).click();
    const name = form.getByLabel('Name');
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    await expectText(form, /Give the key a name/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), await name.getAttribute('id'));
    const described = await name.getAttribute('aria-describedby');
    const message = await page.evaluate((ids) => ids.split(' ').map((id) => document.getElementById(id)?.textContent).join(' '), described);
    assert.match(message, /Give the key a name/);
    await expectText(form, /Choose at least one scope[\s\S]*Choose an expiry date/);
    await screenshot(page, 'key-form-invalid');
    // Fixed one by one, the focus goes to the next field at fault.
    await name.fill('reader');
    await form.getByRole('button', { name: 'Continue' }).click();
    assert.equal(await boxes.first().getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'checkbox');
    await form.getByRole('button', { name: 'Read only' }).click();
    assert.deepEqual(
      (await boxes.evaluateAll((bs) => bs.filter((b) => b.checked).map((b) => b.closest('label').querySelector('code').textContent))).sort(),
      ['integration:batches:read', 'integration:dds:read', 'integration:products:read', 'integration:suppliers:read', 'integration:sync:read'],
    );
    await form.getByLabel('Expires').selectOption({ label: 'Never' });
    await form.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('dialog', { name: 'Create this key?' }).getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('dialog', { name: 'API key created' }).waitFor();
  });

  await t.test('6. Escape before the key was copied asks first', async () => {
    const shown = page.getByRole('dialog', { name: 'API key created' });
    await page.keyboard.press('Escape');
    await expectText(shown.getByRole('alert'), /You have not copied this key; it will not be shown again/);
    await page.keyboard.press('Escape'); // a second Escape does not slip through
    assert.equal(await shown.isVisible(), true);
    await screenshot(page, 'key-not-copied');
    await shown.getByRole('button', { name: 'Back to the key' }).click();
    const raw = await shown.getByLabel('API key').inputValue();
    await shown.getByRole('button', { name: 'Copy key' }).click();
    await expectText(shown.getByRole('button', { name: /Copied/ }), /Copied/);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), raw);
    await page.keyboard.press('Escape'); // copied: closes at once
    await shown.waitFor({ state: 'hidden' });
  });

  await t.test('4. the Keys table fits 1280 px: nine scopes summarised, the key and its actions in view', async () => {
    await admin(mg, 'POST', '/keys', { api: 'eudr', name: 'erp sync, every scope', scopes: (await admin(mg, 'GET', '/apis/eudr')).permissions.scopes.map((s) => s.name) });
    await admin(mg, 'POST', '/keys', { api: 'juleb', name: 'pos terminal', scopes: ['pos'], tenant: 'acme', ttl: '720h' });
    await admin(mg, 'POST', '/keys', { api: 'journeybee', name: 'load generator', scopes: ['write'] });
    const table = screen().getByRole('table', { name: 'API keys' });
    const row = table.getByRole('row', { name: /erp sync, every scope/ });
    await row.waitFor();
    const nine = row.getByText('9 scopes');
    await nine.waitFor();
    assert.ok((await row.boundingBox()).height < 70, `the row is ${(await row.boundingBox()).height} px tall`);
    // The list on keyboard focus (and hover).
    await nine.focus();
    const tip = page.getByRole('tooltip');
    await expectText(tip, /integration:suppliers:read[\s\S]*integration:sync:read/);
    assert.equal(await tip.isVisible(), true);
    // Nothing scrolls sideways; every key and every Delete is in view.
    const wrap = screen().getByRole('region', { name: 'Keys table' });
    const [sw, cw] = await wrap.evaluate((el) => [el.scrollWidth, el.clientWidth]);
    assert.ok(sw <= cw, `the table scrolls sideways: ${sw} > ${cw}`);
    for (const del of await table.getByRole('button', { name: /^Delete key / }).all()) {
      assert.ok(await inViewport(page, del), `${await del.getAttribute('aria-label')} is out of view`);
    }
    await screenshot(page, 'keys-scopes');

    // A narrower window scrolls sideways, with the key and its actions pinned.
    await page.setViewportSize({ width: 900, height: 860 });
    const del = row.getByRole('button', { name: 'Delete key erp sync, every scope' });
    await del.focus();
    const wbox = await wrap.boundingBox();
    for (const cell of [row.getByRole('cell').first(), del]) {
      const b = await cell.boundingBox();
      assert.ok(b.x >= wbox.x - 1 && b.x + b.width <= wbox.x + wbox.width + 1, `a pinned cell left the table's view: ${JSON.stringify(b)} in ${JSON.stringify(wbox)}`);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  await t.test('8. Delete is a trash-can icon named for its key; the focus stays in the table', async () => {
    const table = screen().getByRole('table', { name: 'API keys' });
    const del = table.getByRole('button', { name: 'Delete key load generator' });
    assert.equal((await del.innerText()).trim(), '', 'the delete button shows text, not an icon');
    assert.equal(await del.locator('svg').count(), 1);
    await del.click();
    const dlg = page.getByRole('alertdialog', { name: 'Delete the key “load generator”?' });
    await dlg.getByRole('button', { name: 'Delete key' }).click();
    await table.getByRole('row', { name: /load generator/ }).waitFor({ state: 'detached' });
    const focusIn = await page.evaluate(() => Boolean(document.activeElement?.closest('[aria-label="Keys table"]')));
    assert.ok(focusIn, `the focus went to ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`);
  });

  await t.test('5. the Explorer’s throwaway keys: reused across sends and reloads, out of the table unless asked for', async () => {
    const explorerKeys = async () => (await admin(mg, 'GET', '/keys?purpose=explorer')).map((k) => `${k.api} ${k.name}`).sort();
    // The first endpoint of each API, by its path.
    const first = { juleb: /\/api\/v1\/inventory/, journeybee: /^GET \/v1\//, jelou: /jelouapi/, eudr: /integration/ };
    await go('Explorer');
    for (let pass = 0; pass < 2; pass++) {
      for (const api of ['juleb', 'journeybee', 'jelou', 'eudr']) {
        await screen().getByLabel('API', { exact: true }).selectOption(api);
        await screen().getByRole('heading', { level: 2, name: first[api] }).waitFor();
        await screen().getByRole('button', { name: 'Send with a revoked key' }).click();
        await expectText(screen().getByLabel('Response status'), /^401 /);
        const scope = screen().getByRole('button', { name: 'Send with a key missing the scope' });
        if (await scope.isEnabled()) {
          await scope.click();
          await expectText(screen().getByLabel('Response status'), /^403 /);
        }
      }
      if (pass === 0) await page.reload(); // the server holds the keys: a reload reuses them
    }
    assert.deepEqual(await explorerKeys(), [
      'eudr Explorer demo: only integration:suppliers:read',
      'eudr Explorer demo: revoked',
      'jelou Explorer demo: revoked',
      'journeybee Explorer demo: revoked',
      'juleb Explorer demo: only pos',
      'juleb Explorer demo: revoked',
    ]);

    await go('Keys');
    const table = screen().getByRole('table', { name: 'API keys' });
    await table.getByRole('row', { name: /erp sync, every scope/ }).waitFor();
    assert.equal(await table.getByRole('row', { name: /Explorer demo/ }).count(), 0);
    await screen().getByLabel(/Show the Explorer's keys \(6\)/).check();
    await expectText(table.getByRole('row', { name: /Explorer demo: revoked/ }).first(), /Explorer/);
    assert.equal(await table.getByRole('row', { name: /Explorer demo/ }).count(), 6);
    await screen().getByLabel(/Show the Explorer's keys/).uncheck();

    // In the request log's key filter they stand apart.
    await go('Requests');
    const group = screen().getByLabel('Key', { exact: true }).locator('optgroup');
    assert.equal(await group.getAttribute('label'), "The Explorer's keys");
    assert.equal(await group.locator('option').count(), 6);
  });
});
