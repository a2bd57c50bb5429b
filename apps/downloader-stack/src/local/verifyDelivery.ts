/** Checks every delivered file on disk against the provider's checksum. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A file the provider offered. */
export interface ExpectedFile {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

/** The outcome for one file. */
export interface FileVerdict {
  readonly name: string;
  readonly expectedSize: number;
  /** Bytes on disk; undefined when the file is missing. */
  readonly bytes?: number;
  readonly sha256?: string;
  /** `_delivery.json`'s record of the file, if any. */
  readonly reportedOutcome?: string;
  readonly attempts?: number;
  readonly ok: boolean;
  readonly problem?: string;
}

async function sha256Of(path: string): Promise<{ sha256: string; bytes: number } | undefined> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch {
    return undefined;
  }
  return { sha256: hash.digest('hex'), bytes };
}

type ReportEntry = { name?: unknown; key?: unknown; outcome?: unknown; status?: unknown; attempts?: unknown };

async function readReport(dir: string): Promise<ReportEntry[]> {
  try {
    const report: unknown = JSON.parse(await readFile(join(dir, '_delivery.json'), 'utf8'));
    const files = (report as { files?: unknown }).files;
    return Array.isArray(files) ? (files as ReportEntry[]) : [];
  } catch {
    return [];
  }
}

/**
 * Hashes `<deliveryDir>/<name>` for every expected file and compares with the provider's sha256,
 * and reads what `_delivery.json` says about each.
 */
export async function verifyDelivery(
  deliveryDir: string,
  expected: readonly ExpectedFile[],
): Promise<FileVerdict[]> {
  const report = await readReport(deliveryDir);
  return Promise.all(
    expected.map(async (file): Promise<FileVerdict> => {
      const entry = report.find((item) => item.name === file.name || item.key === file.name);
      const reportedOutcome =
        typeof entry?.outcome === 'string'
          ? entry.outcome
          : typeof entry?.status === 'string'
            ? entry.status
            : undefined;
      const attempts = typeof entry?.attempts === 'number' ? entry.attempts : undefined;
      const base = {
        name: file.name,
        expectedSize: file.size,
        ...(reportedOutcome === undefined ? {} : { reportedOutcome }),
        ...(attempts === undefined ? {} : { attempts }),
      };
      const actual = await sha256Of(join(deliveryDir, file.name));
      if (actual === undefined) return { ...base, ok: false, problem: 'missing on disk' };
      const ok = actual.sha256 === file.sha256 && actual.bytes === file.size;
      return {
        ...base,
        bytes: actual.bytes,
        sha256: actual.sha256,
        ok,
        ...(ok ? {} : { problem: 'checksum mismatch' }),
      };
    }),
  );
}
