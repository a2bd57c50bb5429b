import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../http/helpers/startTestApp.js';

// Debian's chromium, never a downloaded browser build.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long a poll waits for the page: the dashboard refreshes once a second, slower on a loaded machine. */
const WAIT = { timeout: 15_000 };

let t: TestApp;
let browser: Browser;
let page: Page;
let shots: string;

beforeAll(async () => {
  t = await startTestApp();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  shots = mkdtempSync(join(tmpdir(), 'dashboard-shots-'));
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  rmSync(shots, { recursive: true, force: true });
});

async function registerWithFiles(label: string, files: { url: string; size: number }[]): Promise<string> {
  const res = await fetch(`${t.server.url}/deliveries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'acme', label, files }),
  });
  return ((await res.json()) as { id: string }).id;
}

function bar(deliveryId: string, fileName: string) {
  return page.locator(
    `[data-delivery-id="${deliveryId}"] tr[data-file-name="${fileName}"] [role="progressbar"]`,
  );
}

describe('dashboard (GET /) in headless Chromium', () => {
  it('shows a delivery, moves its per-file progress bars to 100 % as bytes arrive, and shows a file error readably', async () => {
    const id = await registerWithFiles('satellite scenes', [
      { url: 'https://files.example.com/scene-1.tif', size: 1000 },
      { url: 'https://files.example.com/scene-2.tif', size: 1000 },
      { url: 'https://files.example.com/broken.tif', size: 500 },
    ]);
    await t.store.transition(id, ['awaiting_callback'], 'downloading');

    await page.goto(t.server.url);
    const card = page.locator(`[data-delivery-id="${id}"]`);
    await card.waitFor();
    await expect.poll(() => card.locator('.title').textContent(), WAIT).toBe('satellite scenes');
    await expect.poll(() => card.locator('.counts').textContent(), WAIT).toContain('0/3 files');
    await card.locator('[data-action="toggle-files"]').click();
    await expect.poll(() => bar(id, 'scene-1.tif').getAttribute('aria-valuenow'), WAIT).toBe('0');

    await t.store.updateFile(id, 0, { bytes: 400, status: 'downloading' });
    await expect.poll(() => bar(id, 'scene-1.tif').getAttribute('aria-valuenow'), WAIT).toBe('40');

    await t.store.updateFile(id, 0, { bytes: 1000, status: 'completed', sha256: 'ab'.repeat(32) });
    await t.store.updateFile(id, 1, { bytes: 1000, status: 'completed', sha256: 'cd'.repeat(32) });
    await t.store.updateFile(id, 2, {
      bytes: 120,
      status: 'failed',
      error: { code: 'HTTP_STATUS', message: 'The origin answered 404 Not Found for broken.tif.' },
    });
    await t.store.transition(id, ['downloading'], 'partially_failed');

    await expect.poll(() => bar(id, 'scene-1.tif').getAttribute('aria-valuenow'), WAIT).toBe('100');
    await expect.poll(() => bar(id, 'scene-2.tif').getAttribute('aria-valuenow'), WAIT).toBe('100');
    await expect
      .poll(() => card.locator('tr[data-file-name="broken.tif"] .error').textContent(), WAIT)
      .toBe('HTTP_STATUS: The origin answered 404 Not Found for broken.tif.');
    await expect.poll(() => card.locator('.badge').textContent(), WAIT).toBe('partially failed');
    await expect.poll(() => card.locator('.counts').textContent(), WAIT).toContain('2/3 files · 1 failed');

    const shot = join(shots, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(5000);
    // The committed reference picture is refreshed only on request, never by a normal run.
    if (process.env.UPDATE_DASHBOARD_SCREENSHOT === '1') {
      copyFileSync(shot, join(import.meta.dirname, '__screenshots__', 'dashboard.png'));
    }
  });

  it("polls summaries only, and fetches a delivery's files when opened, one page at a time", async () => {
    // Prepare: a delivery of 120 files; every request the page makes is recorded.
    const files = Array.from({ length: 120 }, (_, i) => ({
      url: `https://files.example.com/part-${String(i).padStart(3, '0')}.bin`,
      size: 10,
    }));
    const id = await registerWithFiles('many parts', files);
    const requests: string[] = [];
    page.on('request', (request) =>
      requests.push(new URL(request.url()).pathname + new URL(request.url()).search),
    );
    await page.goto(t.server.url);
    const card = page.locator(`[data-delivery-id="${id}"]`);
    await expect
      .poll(() => card.locator('[data-action="toggle-files"]').textContent(), WAIT)
      .toBe('show files (120)');
    // Two ticks at least without the files being asked for.
    await expect
      .poll(() => requests.filter((path) => path.startsWith('/deliveries?')).length, WAIT)
      .toBeGreaterThan(1);
    expect(requests.filter((path) => path.includes('/files'))).toEqual([]);

    // Act: open it, then go to the next page.
    await card.locator('[data-action="toggle-files"]').click();
    await expect.poll(() => card.locator('tr.file').count(), WAIT).toBe(50);
    await card.locator('[data-action="next-files"]').click();
    await expect
      .poll(() => card.locator('tr.file').first().getAttribute('data-file-name'), WAIT)
      .toBe('part-050.bin');

    // Assess: each file request asked for one page of 50; the third page is the last.
    const fileRequests = requests.filter((path) => path.includes('/files'));
    expect(fileRequests.every((path) => path.startsWith(`/deliveries/${id}/files?limit=50`))).toBe(true);
    await card.locator('[data-action="next-files"]').click();
    await expect.poll(() => card.locator('tr.file').count(), WAIT).toBe(20);
    expect(await card.locator('[data-action="next-files"]').count()).toBe(0);
    await card.locator('[data-action="previous-files"]').click();
    await expect
      .poll(() => card.locator('tr.file').first().getAttribute('data-file-name'), WAIT)
      .toBe('part-050.bin');
    page.removeAllListeners('request');
  });

  it('says so when the service cannot be reached', async () => {
    await t.close();

    await expect
      .poll(() => page.locator('#updated').textContent(), WAIT)
      .toContain('cannot reach the service');
  });
});
