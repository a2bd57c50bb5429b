/** A change to one file record, and how it applies: one rule for every store. */
import type { ErrorInfo, FileRecord, FileStatus } from './delivery.js';

/** Fields of a file record a task may change. */
export interface FilePatch {
  readonly status?: FileStatus;
  readonly bytes?: number;
  readonly size?: number;
  readonly sha256?: string;
  /** `null` clears a previous error. */
  readonly error?: ErrorInfo | null;
  readonly route?: 'small' | 'large';
}

/** One change of a batch (`DeliveryStore.updateFiles`). */
export interface FileUpdate {
  readonly index: number;
  readonly patch: FilePatch;
  /**
   * Adds one attempt, as `startFileAttempt` does: the file becomes `downloading` unless `patch`
   * sets a status (then that status wins).
   */
  readonly addAttempt?: boolean;
}

/** The patch an update applies to the stored fields. */
export function patchOfUpdate(update: Pick<FileUpdate, 'patch' | 'addAttempt'>): FilePatch {
  return update.addAttempt === true ? { status: 'downloading', ...update.patch } : update.patch;
}

/** The stored fields a patch sets, and those it removes (only `error`, when `null`). */
export interface PatchChanges {
  readonly sets: readonly (readonly [field: keyof FilePatch, value: string | number | ErrorInfo])[];
  readonly removes: readonly (keyof FilePatch)[];
}

/** The fields `patch` sets and removes, in a fixed order; both empty when it changes nothing. */
export function patchChanges(patch: FilePatch): PatchChanges {
  const sets: [keyof FilePatch, string | number | ErrorInfo][] = [];
  const removes: (keyof FilePatch)[] = [];
  for (const field of ['status', 'bytes', 'size', 'sha256', 'route'] as const) {
    const value = patch[field];
    if (value !== undefined) sets.push([field, value]);
  }
  if (patch.error === null) removes.push('error');
  else if (patch.error !== undefined) sets.push(['error', patch.error]);
  return { sets, removes };
}

/** `file` with `patch` applied. */
export function applyFilePatch(file: FileRecord, patch: FilePatch): FileRecord {
  const { sets, removes } = patchChanges(patch);
  const next: Record<string, unknown> = { ...file };
  for (const [field, value] of sets) next[field] = value;
  for (const field of removes) delete next[field];
  return next as unknown as FileRecord;
}

/** A new file record for entry `index` of a resolved list: pending, nothing stored, no attempt. */
export function newFileRecord(
  spec: {
    readonly url: string;
    readonly name: string;
    readonly size?: number;
    readonly checksums?: FileRecord['expected'];
  },
  index: number,
): FileRecord {
  return {
    index,
    name: spec.name,
    sourceUrl: spec.url,
    ...(spec.size === undefined ? {} : { size: spec.size }),
    ...(spec.checksums === undefined ? {} : { expected: spec.checksums }),
    bytes: 0,
    attempts: 0,
    status: 'pending',
  };
}
