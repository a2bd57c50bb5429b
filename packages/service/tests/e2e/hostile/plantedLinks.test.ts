/**
 * Finding 7 of issue #12: links placed inside a delivery's folder (by another local user, before
 * the callback arrives) never make a download write outside it.
 */
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileService, startHostileService } from './startHostileService.js';

let h: HostileService;
let outside: string;
beforeAll(async () => {
  h = await startHostileService();
  outside = mkdtempSync(join(tmpdir(), 'downloader-outside-'));
  for (const path of ['/a', '/b', '/c']) {
    h.route(path, (_req, res) => res.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000, 7)));
  }
});
afterAll(async () => {
  await h?.close();
  rmSync(outside, { recursive: true, force: true });
});

describe('links planted in a delivery folder are never written through (issue #12, finding 7)', () => {
  it('a linked sub-folder, a link at <file>.part and a link at the file itself: nothing lands outside', async () => {
    const { id, callbackUrl } = await h.register();
    const folder = join(h.downloadsDir, id);
    mkdirSync(folder, { recursive: true });
    const victim = join(outside, 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(outside, join(folder, 'sub'));
    symlinkSync(victim, join(folder, 'b.bin.part'));
    symlinkSync(victim, join(folder, 'c.bin'));

    await h.callback(callbackUrl, {
      files: [
        { url: h.originUrl('/a'), name: 'sub/a.bin' },
        { url: h.originUrl('/b'), name: 'b.bin' },
        { url: h.originUrl('/c'), name: 'c.bin' },
      ],
    });
    const delivery = await h.settle(id);

    expect(readdirSync(outside)).toEqual(['victim.txt']);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    const byName = Object.fromEntries(delivery.files.map((file) => [file.name, file]));
    expect(byName['sub/a.bin']?.error?.code).toBe('OBJECT_PATH_UNSAFE');
    expect(byName['sub/a.bin']?.error?.message).not.toContain(h.downloadsDir);
    expect(byName['b.bin']?.status).toBe('failed');
    // Error messages name files relative to the delivery, never the server's paths (finding 8).
    expect(byName['b.bin']?.error?.message).toContain('b.bin.part');
    expect(byName['b.bin']?.error?.message).not.toContain(h.downloadsDir);
    // The link at the final name is replaced by the verified file, its target untouched.
    expect(byName['c.bin']?.status).toBe('completed');
    expect(lstatSync(join(folder, 'c.bin')).isFile()).toBe(true);
  });
});
