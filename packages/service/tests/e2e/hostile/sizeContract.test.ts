/**
 * Finding 1 of issue #12: a declared size is a cap on what is written, files of unknown size have
 * a maximum, and failed attempts leave no large partial behind. Through the HTTP API, with the
 * bytes on disk as the observable.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileService, startHostileService } from './startHostileService.js';

const MiB = 1024 * 1024;
const CAP = 4 * MiB;

let h: HostileService;
beforeAll(async () => {
  h = await startHostileService({ limits: { maxFileBytes: CAP } });
  h.route('/good.bin', (_req, res) =>
    res.writeHead(200, { 'content-length': '1000' }).end(Buffer.alloc(1000, 1)),
  );
});
afterAll(async () => {
  await h?.close();
});

/** Every file under the delivery's folder with its size (also hidden and partial ones). */
function filesOnDisk(id: string): Record<string, number> {
  const root = join(h.downloadsDir, id);
  const out: Record<string, number> = {};
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, `${prefix}${entry.name}/`);
      else out[`${prefix}${entry.name}`] = statSync(path).size;
    }
  };
  walk(root, '');
  return out;
}

function fileNamed(delivery: { files: readonly { name: string }[] }, name: string) {
  return delivery.files.find((file) => file.name === name) as (typeof delivery.files)[number] & {
    status: string;
    size: number | null;
    bytes: number;
    error: { code: string; message: string } | null;
  };
}

describe('a declared size is a contract, a maximum bounds the rest (issue #12, finding 1)', () => {
  it('a file declared 1 MiB and served as 5 MiB fails with SIZE_MISMATCH, keeps its declared size, and is not on disk', async () => {
    h.route('/liar.bin', (_req, res) =>
      res.writeHead(200, { 'content-length': String(5 * MiB) }).end(Buffer.alloc(5 * MiB, 2)),
    );
    const { id, callbackUrl } = await h.register();

    const accepted = await h.callback(callbackUrl, {
      files: [
        { url: h.originUrl('/liar.bin'), name: 'liar.bin', size: MiB },
        { url: h.originUrl('/good.bin'), name: 'good.bin', size: 1000 },
      ],
    });
    const delivery = await h.settle(id);

    expect(accepted.status).toBe(202);
    expect(delivery.status).toBe('partially_failed');
    const liar = fileNamed(delivery, 'liar.bin');
    expect([liar.status, liar.error?.code, liar.size]).toEqual(['failed', 'SIZE_MISMATCH', MiB]);
    expect(filesOnDisk(id)).toEqual({ 'good.bin': 1000, '_delivery.json': expect.any(Number) });
  });

  it('a file of unknown size served without end is stopped at limits.maxFileBytes: failed, nothing kept', async () => {
    let sent = 0;
    // Bounded so that a build without the cap fills no disk: 64 MiB, then the body ends.
    const LIMIT = 64 * MiB;
    h.route('/endless.bin', (req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      if (req.method === 'HEAD') return void res.end();
      const chunk = Buffer.alloc(256 * 1024, 3);
      const pump = (): void => {
        while (!res.destroyed && sent < LIMIT) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
    const { id, callbackUrl } = await h.register();

    await h.callback(callbackUrl, {
      files: [
        { url: h.originUrl('/endless.bin'), name: 'endless.bin' },
        { url: h.originUrl('/good.bin'), name: 'good.bin' },
      ],
    });
    const delivery = await h.settle(id);

    const endless = fileNamed(delivery, 'endless.bin');
    expect(endless.status).toBe('failed');
    expect(endless.error?.message).toContain('SIZE_LIMIT_EXCEEDED');
    expect(filesOnDisk(id)).toEqual({ 'good.bin': 1000, '_delivery.json': expect.any(Number) });
    // The origin was cut off soon after the cap, not read to its end.
    expect(sent).toBeLessThan(LIMIT);
  });

  it('a Content-Length of 10 GiB for a file declared 100 bytes is refused before anything is allocated: no sparse .part', async () => {
    h.route('/huge.bin', (_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * MiB) });
      res.write(Buffer.alloc(1024, 4));
      // ... and nothing more: the connection stays open.
    });
    const { id, callbackUrl } = await h.register();

    await h.callback(callbackUrl, {
      files: [{ url: h.originUrl('/huge.bin'), name: 'huge.bin', size: 100 }],
    });
    const delivery = await h.settle(id, 20_000);

    const huge = fileNamed(delivery, 'huge.bin');
    expect([delivery.status, huge.status, huge.error?.code, huge.size]).toEqual([
      'failed',
      'failed',
      'SIZE_MISMATCH',
      100,
    ]);
    expect(filesOnDisk(id)).toEqual({ '_delivery.json': expect.any(Number) });
  });

  it('refuses at the callback a declared size over limits.maxFileBytes, with the cap named', async () => {
    const { callbackUrl } = await h.register();

    const refused = await h.callback(callbackUrl, {
      files: [{ url: h.originUrl('/good.bin'), name: 'big.bin', size: CAP + 1 }],
    });

    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('limits.maxFileBytes');
  });
});
