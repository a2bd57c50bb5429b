/**
 * Findings 2 and 3 of issue #12: a provider's file names can never take the engine's companion
 * names (part, lock, journal, temps) or the delivery record's, whatever the list order.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileService, startHostileService } from './startHostileService.js';

const bodies = new Map<string, Buffer>();
let h: HostileService;
beforeAll(async () => {
  h = await startHostileService();
  for (const path of ['/b', '/b-lock', '/c', '/c-temp', '/x']) {
    const body = randomBytes(20_000 + bodies.size);
    bodies.set(path, body);
    h.route(path, (_req, res) => res.writeHead(200, { 'content-length': String(body.length) }).end(body));
  }
});
afterAll(async () => {
  await h?.close();
});

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const LIST = [
  { path: '/b', name: 'b.bin' },
  { path: '/b-lock', name: 'b.bin.part.lock' },
  { path: '/c', name: 'c.bin' },
  { path: '/c-temp', name: '.c.bin.part.json.tmp' },
];

describe("provider names never collide with the engine's own files (issue #12, finding 2)", () => {
  it.each([
    ['in list order', LIST],
    ['in reverse order', [...LIST].reverse()],
  ])('every file reported completed is on disk with its sha256 (%s)', async (_label, list) => {
    const { id, callbackUrl } = await h.register();

    await h.callback(callbackUrl, {
      files: list.map((file) => ({ url: h.originUrl(file.path), name: file.name })),
    });
    const delivery = await h.settle(id);

    expect(delivery.status).toBe('completed');
    expect(delivery.files).toHaveLength(4);
    const report = JSON.parse(readFileSync(join(h.downloadsDir, id, '_delivery.json'), 'utf8')) as {
      files: { name: string; sha256: string }[];
    };
    for (const [i, file] of delivery.files.entries()) {
      const expected = sha256(bodies.get(list[i]?.path ?? '') ?? Buffer.alloc(0));
      const onDisk = join(h.downloadsDir, id, file.name);
      expect({ name: file.name, exists: existsSync(onDisk), sha256: file.sha256 }).toEqual({
        name: file.name,
        exists: true,
        sha256: expected,
      });
      expect(sha256(readFileSync(onDisk))).toBe(expected);
      expect(report.files.find((entry) => entry.name === file.name)?.sha256).toBe(expected);
    }
  });
});

describe('the delivery record’s name is reserved on the top-level segment too (issue #12, finding 3)', () => {
  it('a callback naming a file "_delivery.json/x" is refused with 400 and the delivery still completes afterwards', async () => {
    const { id, callbackUrl } = await h.register();

    const refused = await h.callback(callbackUrl, {
      files: [{ url: h.originUrl('/x'), name: '_delivery.json/x' }],
    });
    const after = await (await fetch(`${h.service.url}/deliveries/${id}`)).json();
    const accepted = await h.callback(callbackUrl, { files: [{ url: h.originUrl('/x'), name: 'x.bin' }] });
    const delivery = await h.settle(id);

    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('reserved');
    expect((after as { status: string }).status).toBe('awaiting_callback');
    expect(accepted.status).toBe(202);
    expect(delivery.status).toBe('completed');
    expect(readFileSync(join(h.downloadsDir, id, '_delivery.json'), 'utf8')).toContain('x.bin');
  });
});
