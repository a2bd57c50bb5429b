import { execFile } from 'node:child_process';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SnsCertificateFetcher } from '../../src/signatures/types.js';

const run = promisify(execFile);

/** A self-signed RSA certificate and its private key, made by the openssl CLI. */
export interface TestCertificate {
  readonly certificatePem: string;
  readonly privateKey: KeyObject;
}

/** Generates a fresh self-signed RSA-2048 certificate valid for `days` days, in a temp dir it then removes. */
export async function generateSelfSignedCertificate(days = 2): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'sns-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      String(days),
      '-subj',
      '/CN=sns.amazonaws.com',
    ]);
    return {
      certificatePem: await readFile(certPath, 'utf8'),
      privateKey: createPrivateKey(await readFile(keyPath, 'utf8')),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A loopback HTTP server standing in for the SNS certificate host, and a fetcher that uses it. */
export interface CertificateServer {
  /** Fetches `https://sns.<region>.amazonaws.com/<path>` from the loopback server instead (same path). */
  readonly fetcher: SnsCertificateFetcher;
  /** Paths requested so far, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/** Serves `certificates` (path → PEM) on 127.0.0.1; unknown paths answer 404. */
export async function startCertificateServer(
  certificates: Readonly<Record<string, string>>,
): Promise<CertificateServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const pem = certificates[path];
    if (pem === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(pem);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fetcher: SnsCertificateFetcher = async (url) => {
    const response = await fetch(`http://127.0.0.1:${port}${url.pathname}`);
    if (!response.ok) throw new Error(`certificate fetch answered HTTP ${response.status}`);
    return response.text();
  };
  return {
    fetcher,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
