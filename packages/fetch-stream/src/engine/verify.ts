import { ChecksumMismatchError } from '../errors.js';
import { type Algorithm, canCompute } from '../hash/checksums.js';
import type { ServerDigest } from '../http/serverDigests.js';
import type { ExpectedChecksums, VerifiedChecksum } from '../types.js';

/** Algorithms to compute: the caller's expectations plus the server's declared digests. */
export function algorithmsFor(expected: ExpectedChecksums, digests: readonly ServerDigest[]): Algorithm[] {
  const out = new Set<Algorithm>(['sha256']);
  if (expected.md5) out.add('md5');
  if (expected.crc32c) out.add('crc32c');
  for (const d of digests) if (canCompute(d.algorithm)) out.add(d.algorithm);
  return [...out];
}

/** Compares computed digests with every expectation; throws on the first mismatch. */
export function verifyDigests(
  actual: ReadonlyMap<Algorithm, string>,
  expected: ExpectedChecksums,
  digests: readonly ServerDigest[],
): VerifiedChecksum[] {
  const verified: VerifiedChecksum[] = [];
  const check = (algorithm: Algorithm, value: string, source: 'caller' | 'server'): void => {
    const got = actual.get(algorithm);
    if (got === undefined) return;
    if (got !== value.toLowerCase())
      throw new ChecksumMismatchError(algorithm, value.toLowerCase(), got, source);
    verified.push({ algorithm, source, value: got });
  };
  if (expected.sha256) check('sha256', expected.sha256, 'caller');
  if (expected.md5) check('md5', expected.md5, 'caller');
  if (expected.crc32c) check('crc32c', expected.crc32c, 'caller');
  for (const d of digests) check(d.algorithm, d.value, 'server');
  return verified;
}
