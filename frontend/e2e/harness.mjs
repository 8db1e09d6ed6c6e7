// Test harness for the browser end-to-end tests: a real `mockgate serve
// --ui` on free loopback ports with a temporary data folder, and Debian's
// Chromium driven by playwright-core (never a downloaded browser). Every
// process started here is stopped by stop(), which the tests call in
// `after` hooks, and on process exit as a last resort.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where screenshots go: $MOCKGATE_SCREENSHOTS, else build/artifacts/screenshots. */
export const screenshotDir = path.resolve(process.env.MOCKGATE_SCREENSHOTS ?? path.join(repoRoot, 'build/artifacts/screenshots'));

const cleanups = [];
process.on('exit', () => {
  for (const fn of cleanups) {
    try {
      fn(true);
    } catch {
      // Best effort at exit.
    }
  }
});

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A port base N with N..N+span-1 free on 127.0.0.1 (random, so parallel runs rarely collide). */
export async function freePortBase(span = 5) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    let ok = true;
    for (let p = base; p < base + span && ok; p++) {
      ok = await portFree(p);
    }
    if (ok) return base;
  }
  throw new Error('no free port range found');
}

/** The mockgate binary: $MOCKGATE_BIN, else a plain (headless) build into a temp dir. */
export function mockgateBinary() {
  if (process.env.MOCKGATE_BIN) {
    return path.resolve(process.env.MOCKGATE_BIN);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mockgate-bin-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const bin = path.join(dir, 'mockgate');
  execFileSync('go', ['build', '-o', bin, '.'], { cwd: repoRoot, stdio: 'inherit' });
  return bin;
}

/**
 * Starts `mockgate serve --ui` and waits for the line with the web UI's URL.
 * Returns { uiUrl, adminUrl, token, apis: {id: baseUrl}, dataDir, stop, output }.
 */
export async function startMockgate(bin) {
  let lastError;
  for (let attempt = 0; attempt < 4; attempt++) {
    const base = await freePortBase();
    try {
      return await startOn(bin, base);
    } catch (err) {
      lastError = err;
      if (!/cannot listen/.test(String(err))) throw err;
    }
  }
  throw lastError;
}

async function startOn(bin, base) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mockgate-e2e-'));
  const child = spawn(bin, ['serve', '--ui', '--data', dataDir, '--port-base', String(base)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exited = false;
  const exit = new Promise((resolve) => child.once('exit', (code, sig) => ((exited = true), resolve({ code, sig }))));

  async function stop(atExit = false) {
    if (!exited) {
      child.kill('SIGTERM');
      if (!atExit) {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(timer);
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  cleanups.push(stop);

  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const m = /web UI\s+(http:\/\/127\.0\.0\.1:\d+\/#token=([0-9a-f]+))/.exec(output);
    if (m && /Create a key:/.test(output)) {
      const apis = {};
      for (const line of output.split('\n')) {
        const a = /^\s+(juleb|journeybee|jelou|eudr)\s+(http:\S+)/.exec(line);
        if (a) apis[a[1]] = a[2];
      }
      return { uiUrl: m[1], adminUrl: m[1].replace(/\/#token=.*/, ''), token: m[2], apis, dataDir, stop, output: () => output };
    }
    if (exited) {
      await stop();
      throw new Error(`mockgate exited before it was ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`mockgate did not print the web UI URL in 20 s:\n${output}`);
}

/** Debian's Chromium with the flags this machine needs, on a fresh profile. */
export async function launchChromium({ colorScheme = 'light' } = {}) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'mockgate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 860 },
    deviceScaleFactor: 1,
    colorScheme,
    // Copy buttons write the clipboard; a test reads it back.
    permissions: ['clipboard-read', 'clipboard-write'],
    timeout: 30_000,
  });
  let closed = false;
  const close = async () => {
    if (!closed) {
      closed = true;
      await context.close().catch(() => {});
    }
    rmSync(profile, { recursive: true, force: true });
  };
  cleanups.push((atExit) => (atExit ? rmSync(profile, { recursive: true, force: true }) : close()));
  return { context, close };
}

/** Calls the admin API with the token. */
export async function admin(mg, method, apiPath, body) {
  const res = await fetch(`${mg.adminUrl}/_admin/api${apiPath}`, {
    method,
    headers: { Authorization: `Bearer ${mg.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${apiPath}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Saves a screenshot of the page as <name>.png in screenshotDir. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Whether an element lies wholly inside the page's viewport. */
export async function inViewport(page, locator) {
  const box = await locator.boundingBox();
  const vp = page.viewportSize();
  return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width && box.y + box.height <= vp.height;
}

/** Polls until the locator's text matches re (a RegExp); fails with what it saw. */
export async function expectText(locator, re, timeout = 5000) {
  const deadline = Date.now() + timeout;
  let seen = '';
  while (Date.now() < deadline) {
    try {
      seen = (await locator.innerText({ timeout: Math.max(50, deadline - Date.now()) })) ?? '';
      if (re.test(seen)) return seen;
    } catch {
      // Not there yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`expected text matching ${re}, saw: ${JSON.stringify(seen.slice(0, 400))}`);
}

/**
 * A mockgate and a page on its web UI, with what every test needs: the
 * screen that shows (the others stay mounted but hidden), going to a screen
 * by its navigation link, and closing both.
 */
export async function startSession() {
  const mg = await startMockgate(mockgateBinary());
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (err) => console.error('page error:', err));
  // Every failed load of the page's own origin (a missing favicon was one).
  const missing = [];
  page.on('response', (res) => {
    if (res.status() >= 400 && res.url().startsWith(mg.adminUrl) && !res.url().includes('/_admin/api/')) missing.push(`${res.status()} ${res.url()}`);
  });
  const screen = () => page.locator('main > .screen:not([hidden])');
  return {
    mg,
    browser,
    page,
    screen,
    /** The page's own files that failed to load (404s), in order. */
    missing,
    async go(name) {
      const link = page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name, exact: true });
      await link.click();
      // The link is marked current in the same update that shows its screen:
      // waiting for a heading alone could find the screen being left.
      await page.waitForFunction((n) => {
        const current = document.querySelector('nav[aria-label="Screens"] a[aria-current="page"]');
        return current !== null && current.textContent?.trim() === n;
      }, name);
      await screen().getByRole('heading', { level: 1 }).first().waitFor();
    },
    async close() {
      await browser.close();
      await mg.stop();
    },
  };
}
