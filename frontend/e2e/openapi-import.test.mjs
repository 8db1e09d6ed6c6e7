// Browser end-to-end test of issue 8 in the GUI: Import… the Swagger
// Petstore OpenAPI 3.0 document, read the import summary, find the new API
// on the APIs screen, create a key for it on the Keys screen (show-once
// dialog, copied), call GET /pet/{petId} with it in the Explorer (200, the
// key in the api_key header as the operation's security says), and find the
// call on the Requests screen with the key masked (its curl line reading
// the key from $MOCKGATE_KEY); then a cursor-paged list of another
// imported document (Resend) page after page in the Explorer. The summary,
// the Explorer call and the Requests screen are saved as screenshots.
//
//   MOCKGATE_BIN=path/to/mockgate node --test e2e/openapi-import.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { admin, expectText, repoRoot, screenshot, startSession } from './harness.mjs';

// The importer's own test document (Apache 2.0, see its README there).
const DOC = path.join(repoRoot, 'backend/openapiimport/testdata/petstore3.yaml');
// A 3.1 document whose lists page with after/before cursors (MIT, see the README there).
const RESEND = path.join(repoRoot, 'backend/openapiimport/testdata/resend.yaml');
const ID = 'petstore';
const TITLE = 'Swagger Petstore - OpenAPI 3.0';
const KEY_NAME = 'e2e petstore client';

let session;
let mg;
let page;
let screen;
let go;
/** The API as GET /_admin/api/apis lists it, once imported. */
let pet;
/** The key read from the show-once dialog. */
let rawKey = '';

before(async () => {
  session = await startSession();
  ({ mg, page, screen, go } = session);
});

after(async () => {
  await session?.close();
});

test('an OpenAPI document imported in the GUI, keyed, called and logged', async (t) => {
  await t.test('Import…: the document is detected, imported under its id, and summarised', async () => {
    await page.goto(mg.uiUrl);
    await screen().getByRole('heading', { name: 'APIs', level: 1 }).waitFor();
    await screen().getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import an API' });
    await dialog.getByLabel('OpenAPI document or profile (YAML or JSON)').setInputFiles(DOC);
    await expectText(dialog.getByRole('status'), new RegExp(`Detected: An OpenAPI 3\\.0\\.4 document, “${TITLE}”`));
    await dialog.getByLabel(/^API id/).fill(ID);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();

    // The summary, before the dialog closes.
    const done = page.getByRole('dialog', { name: 'API imported' });
    const summary = done.getByRole('region', { name: `Imported “${TITLE}”` });
    await expectText(summary, new RegExp(`OpenAPI 3\\.0\\.4 · id ${ID} · listening on http://127\\.0\\.0\\.1:\\d+/api/v3`), 15_000);
    await expectText(summary, /\n19 operations \(\d+ public\): \d+ served by \d+ resources?, \d+ by routes, \d+ not served\.\n/);
    const schemes = summary.getByRole('table', { name: 'Security schemes' });
    // Both schemes mapped: the api_key header and OAuth2 bearer keys with the document's scopes.
    const apiKeyRow = schemes.getByRole('row', { name: /^api_key/ });
    const oauthRow = schemes.getByRole('row', { name: /^petstore_auth/ });
    await expectText(apiKeyRow, /apiKey/i);
    await expectText(oauthRow, /oauth2/i);
    for (const scope of ['write:pets', 'read:pets']) await expectText(oauthRow, new RegExp(scope));
    for (const row of [apiKeyRow, oauthRow]) assert.doesNotMatch(await row.innerText(), /not mapped/);
    await summary.getByRole('table', { name: 'Resources' }).getByRole('row', { name: /^pet\b/ }).waitFor();
    await screenshot(page, 'openapi-import-summary');
    await done.getByRole('button', { name: 'Done' }).click();
    await done.waitFor({ state: 'hidden' });

    // Listed like a built-in, its card on the APIs screen.
    pet = (await admin(mg, 'GET', '/apis')).find((a) => a.id === ID);
    assert.ok(pet, 'the imported API is not listed by GET /_admin/api/apis');
    assert.equal(pet.source, 'imported');
    assert.match(pet.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
    const names = (pet.auth.schemes ?? []).map((s) => s.name).sort();
    assert.deepEqual(names, ['api_key', 'petstore_auth'], `auth.schemes: ${JSON.stringify(pet.auth)}`);
    const card = screen().getByRole('region', { name: pet.name });
    // Every place its keys go, in the order of auth.schemes.
    await expectText(card, /api_key: <key> or Authorization: Bearer <key>|Authorization: Bearer <key> or api_key: <key>/);
    await expectText(screen().getByRole('status').first(), new RegExp(`${pet.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} imported`));
  });

  await t.test('Keys: a key for the imported API, shown once and copied', async () => {
    await go('Keys');
    await screen().getByRole('button', { name: 'Create', exact: true }).click();
    const form = page.getByRole('dialog', { name: 'Create an API key' });
    await form.getByLabel('Name').fill(KEY_NAME);
    await form.getByLabel('API', { exact: true }).selectOption(ID);
    // The document's scopes, all of them.
    await form.getByRole('group', { name: 'Choose scopes' }).getByRole('button', { name: 'All' }).click();
    await form.getByRole('button', { name: 'Continue' }).click();
    const confirm = page.getByRole('dialog', { name: 'Create this key?' });
    await expectText(confirm, new RegExp(`${KEY_NAME}[\\s\\S]*Scopes\\s*(write:pets, read:pets|read:pets, write:pets)`));
    await confirm.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByRole('dialog', { name: 'API key created' });
    rawKey = await shown.getByLabel('API key').inputValue();
    assert.ok(rawKey.length >= 16, `a short key: ${rawKey.length} characters`);
    // Where to send it, as the document's schemes say.
    await expectText(shown, /Send it as (api_key: <key> or Authorization: Bearer <key>|Authorization: Bearer <key> or api_key: <key>)\./);
    await shown.getByRole('button', { name: 'Copy key' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), rawKey);
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });
    await expectText(screen().getByRole('row', { name: new RegExp(KEY_NAME) }), new RegExp(`${ID}[\\s\\S]*active`));
  });

  await t.test('Explorer: GET /pet/{petId} with the key in the api_key header answers 200', async () => {
    await go('Explorer');
    await screen().getByLabel('API', { exact: true }).selectOption(ID);
    await screen().getByRole('button', { name: /^GET \/pet\/\{petId\}/ }).click();
    await screen().getByRole('heading', { name: /GET \/api\/v3\/pet\/\{petId\}$/ }).waitFor();
    await screen().getByLabel(/^petId path/).fill('1');
    // The operation takes api_key or petstore_auth: the first is the default.
    const as = screen().getByLabel('Send the key as');
    assert.match(await as.locator('option:checked').innerText(), /^api_key \(API key\): the api_key header$/);
    await expectText(screen().getByRole('group', { name: 'Key' }), /Sent as api_key: <key>/);
    await screen().getByLabel('Send with').selectOption({ label: 'A pasted key' });
    await screen().getByLabel('Pasted key').fill(rawKey);
    await screen().getByRole('button', { name: 'Send', exact: true }).click();
    await expectText(screen().getByLabel('Response status'), /^200 OK$/);
    await expectText(screen().getByLabel('Response body'), /"id": 1\b/);
    const curl = (await screen().getByLabel('curl command (key hidden)').textContent()) ?? '';
    assert.match(curl, /--header 'api_key: [^']*…/);
    assert.ok(!curl.includes(rawKey), 'the curl preview shows the raw key');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'openapi-explorer');

    // The other alternative: the same key as an OAuth2 bearer token.
    await as.selectOption({ label: 'petstore_auth (OAuth2): Authorization: Bearer' });
    await screen().getByRole('button', { name: 'Send', exact: true }).click();
    await expectText(screen().getByLabel('Response status'), /^200 OK$/);
    // And without a key, the API refuses.
    await screen().getByRole('button', { name: 'Send with no key' }).click();
    await expectText(screen().getByLabel('Response status'), /^401 Unauthorized$/);
  });

  await t.test('Requests: the call is logged with its key, masked', async () => {
    await go('Requests');
    const log = screen().getByRole('table', { name: 'Request log' });
    // The oldest of the key's calls (newest first): the one in the api_key header.
    const row = log.getByRole('row').filter({ hasText: '/api/v3/pet/1' }).filter({ hasText: KEY_NAME }).last();
    await expectText(row, /GET[\s\S]*\/api\/v3\/pet\/1[\s\S]*200/);
    await row.getByRole('button', { name: /Details of request \d+: GET \/api\/v3\/pet\/1, 200/ }).click();
    const details = screen().getByRole('region', { name: /Request #\d+/ });
    await expectText(details, new RegExp(`Key\\s*${KEY_NAME}`));
    const headers = details.getByRole('table', { name: 'Request headers' });
    await expectText(headers.getByRole('row', { name: /api_key/i }).first(), /…/);
    // As curl: the key where the document's scheme reads it, as the variable.
    await expectText(details.getByLabel('curl command'), /-H "api_key: \$MOCKGATE_KEY"/);
    const text = await page.locator('body').innerText();
    assert.ok(!text.includes(rawKey), 'the raw key shows on the Requests screen');
    await screenshot(page, 'openapi-requests');
  });

  await t.test('Explorer: a cursor-paged list (Resend), the next page through its after cursor', async () => {
    const res = await fetch(`${mg.adminUrl}/_admin/api/profiles?id=resend`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${mg.token}`, 'Content-Type': 'application/yaml' },
      body: readFileSync(RESEND, 'utf8'),
    });
    assert.equal(res.status, 201, await res.text());
    const { key } = await admin(mg, 'POST', '/keys', { api: 'resend', name: 'e2e resend client' });
    await page.reload();
    await go('Explorer');
    await screen().getByLabel('API', { exact: true }).selectOption('resend');
    await screen().getByRole('button', { name: /^GET \/emails\b/ }).first().click();
    await screen().getByRole('heading', { name: /^GET \/emails$/ }).waitFor();
    await screen().getByLabel('Send with').selectOption({ label: 'A pasted key' });
    await screen().getByLabel('Pasted key').fill(key);
    const send = async (firstId) => {
      await screen().getByRole('button', { name: 'Send', exact: true }).click();
      await expectText(screen().getByLabel('Response status'), /^200 OK$/);
      await expectText(screen().getByLabel('Response body'), new RegExp(`"id": "${firstId}"`));
      return JSON.parse(await screen().getByLabel('Response body').innerText());
    };
    await screen().getByLabel(/^limit query/).fill('2');
    let body = await send('email_1');
    assert.deepEqual(body.data.map((e) => e.id), ['email_1', 'email_2']);
    assert.equal(body.has_more, true);
    await screen().getByLabel(/^after query/).fill('email_2');
    body = await send('email_3');
    assert.deepEqual(body.data.map((e) => e.id), ['email_3', 'email_4']);
  });
});
