/** A throwaway self-signed RSA certificate (openssl CLI) to sign SNS messages in tests. */
import { execFile } from 'node:child_process';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from '../../helpers/tempDir.js';

export interface SelfSignedCertificate {
  readonly certificatePem: string;
  readonly privateKey: KeyObject;
}

export async function selfSignedCertificate(): Promise<SelfSignedCertificate> {
  const dir = await makeTempDir('sns-cert-');
  try {
    const key = join(dir.path, 'key.pem');
    const cert = join(dir.path, 'cert.pem');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=sns.amazonaws.com',
    ]);
    return {
      certificatePem: await readFile(cert, 'utf8'),
      privateKey: createPrivateKey(await readFile(key, 'utf8')),
    };
  } finally {
    await dir.remove();
  }
}
