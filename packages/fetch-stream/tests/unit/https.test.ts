import { execFileSync, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payload } from '../helpers/rawHttpServer.js';
import { listDir, tempDir } from '../helpers/tempDir.js';

const cli = join(resolve(import.meta.dirname, '../..'), 'dist/cli.js');
const file = payload(3 * 1024 * 1024 + 5);

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => done({ code, stderr }));
  });
}

describe('downloads over TLS (a real HTTPS origin with a certificate made for the test)', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let url: string;
  let caFile: string;
  let server: https.Server;

  beforeAll(async () => {
    ({ dir, remove } = await tempDir());
    const key = join(dir, 'key.pem');
    caFile = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        key,
        '-out',
        caFile,
      ],
      { stdio: 'ignore' },
    );
    server = https.createServer({ key: await readFile(key), cert: await readFile(caFile) }, (req, res) => {
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (m === null) {
        res.writeHead(200, { 'content-length': file.data.length, etag: '"t1"' }).end(file.data);
        return;
      }
      const start = Number(m[1]);
      const end = Math.min(Number(m[2]), file.data.length - 1);
      res
        .writeHead(206, {
          'content-length': end - start + 1,
          'content-range': `bytes ${start}-${end}/${file.data.length}`,
          etag: '"t1"',
        })
        .end(file.data.subarray(start, end + 1));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/f.bin`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await remove();
  });

  it('fetches and verifies a file with 4 connections when the certificate is trusted', async () => {
    const out = join(dir, 'ok.bin');
    const r = await runCli([url, '-o', out, '-c', '4', '--sha256', file.sha256, '--quiet'], {
      ...process.env,
      NODE_EXTRA_CA_CERTS: caFile,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await readFile(out)).equals(file.data)).toBe(true);
  });

  it('refuses an untrusted certificate: a network error exit, no file', async () => {
    const out = join(dir, 'untrusted.bin');
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    const r = await runCli([url, '-o', out, '--quiet'], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /TLS certificate of 127.0.0.1:\d+ was refused \(DEPTH_ZERO_SELF_SIGNED_CERT\); not retried/,
    );
    expect(await listDir(dir)).not.toContain('untrusted.bin');
  });
});
