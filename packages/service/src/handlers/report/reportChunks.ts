/**
 * The text of `_delivery.json`, produced in chunks from pages of file records: the same document
 * `JSON.stringify(report, null, 2)` would give, without the whole of it ever in memory.
 */
import type { FileRecord } from '../../domain/delivery.js';
import type { DeliveryStore } from '../../ports/DeliveryStore.js';
import { WorkflowTaskError } from '../../workflow/errorNames.js';
import { filesOf } from '../filesOf.js';
import { fileObjectKey } from '../objectKey.js';

/** Characters gathered before a chunk is handed on (few writes, bounded memory). */
const CHUNK_CHARS = 64 * 1024;

/** One file's entry of the report. */
export function reportEntry(deliveryId: string, file: FileRecord): Record<string, unknown> {
  return {
    key: fileObjectKey(deliveryId, file.name),
    name: file.name,
    sourceUrl: file.sourceUrl,
    bytes: file.bytes,
    ...(file.sha256 === undefined ? {} : { sha256: file.sha256 }),
    ...(file.expected === undefined ? {} : { expected: file.expected }),
    attempts: file.attempts,
    outcome: file.status === 'completed' ? 'completed' : 'failed',
    ...(file.error === undefined || file.status === 'completed' ? {} : { error: file.error }),
  };
}

/**
 * `header`'s fields, then `files`: every file of the delivery in index order. `expected` are the
 * counts the header's status was decided from; when the records say otherwise the stream fails
 * (transient) before its end, so no report contradicting its own files is ever stored.
 */
export async function* reportChunks(
  header: Readonly<Record<string, unknown>>,
  store: DeliveryStore,
  deliveryId: string,
  expected: { readonly files: number; readonly completed: number },
): AsyncGenerator<string> {
  // The header as JSON.stringify lays it out, its closing brace cut off to append `files`.
  const head = JSON.stringify(header, null, 2);
  let chunk = `${head.slice(0, head.lastIndexOf('\n}'))},\n  "files": [`;
  let files = 0;
  let completed = 0;
  for await (const file of filesOf(store, deliveryId)) {
    const entry = JSON.stringify(reportEntry(deliveryId, file), null, 2).replaceAll('\n', '\n    ');
    chunk += `${files === 0 ? '' : ','}\n    ${entry}`;
    files += 1;
    if (file.status === 'completed') completed += 1;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (files !== expected.files || completed !== expected.completed) {
    throw new WorkflowTaskError(
      'transient',
      'REPORT_COUNTS_DISAGREE',
      `The delivery counts ${expected.completed}/${expected.files} files completed, its records ${completed}/${files}; the report is not written.`,
    );
  }
  yield `${chunk}${files === 0 ? ']' : '\n  ]'}\n}\n`;
}
