/** Reads the small JSON inputs the workflow hands to each task. */
import type { JsonValue } from '../ports/WorkflowEngine.js';

/** Thrown when a task gets an input the definition never produces. */
export class TaskInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'States.Runtime';
  }
}

function record(input: JsonValue): { [key: string]: JsonValue } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new TaskInputError('Task input must be a JSON object.');
  }
  return input;
}

/** `{ deliveryId }`. */
export function deliveryInput(input: JsonValue): { deliveryId: string } {
  const { deliveryId } = record(input);
  if (typeof deliveryId !== 'string' || deliveryId === '')
    throw new TaskInputError('Task input lacks deliveryId.');
  return { deliveryId };
}

/** `{ deliveryId, index }`. */
export function fileInput(input: JsonValue): { deliveryId: string; index: number } {
  const { index } = record(input);
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
    throw new TaskInputError('Task input lacks a file index.');
  }
  return { ...deliveryInput(input), index };
}

/** `{ deliveryId, fromIndex, batchSize, maxBatches }`: NextFileChunk's input. */
export function chunkInput(input: JsonValue): {
  deliveryId: string;
  fromIndex: number;
  batchSize: number;
  maxBatches: number;
} {
  const { fromIndex, batchSize, maxBatches } = record(input);
  if (!isIndex(fromIndex) || !isCount(batchSize) || !isCount(maxBatches)) {
    throw new TaskInputError('Task input lacks fromIndex/batchSize/maxBatches.');
  }
  return { ...deliveryInput(input), fromIndex, batchSize, maxBatches };
}

/** What DownloadSmall gets: one batch (an index range) and how to work through it. */
export interface BatchInput {
  readonly deliveryId: string;
  /** First index of the range. */
  readonly fromIndex: number;
  /** End of the range (exclusive). */
  readonly toIndex: number;
  readonly maxConcurrency: number;
  readonly largeFileThreshold: number;
  /** Attempts per file on transient faults, the first one included. */
  readonly downloadAttempts: number;
}

/** `{ deliveryId, fromIndex, toIndex, maxConcurrency, largeFileThreshold, downloadAttempts }`. */
export function batchInput(input: JsonValue): BatchInput {
  const { fromIndex, toIndex, maxConcurrency, largeFileThreshold, downloadAttempts } = record(input);
  if (!isIndex(fromIndex) || !isIndex(toIndex) || toIndex < fromIndex) {
    throw new TaskInputError('Task input lacks a batch range (fromIndex <= toIndex).');
  }
  if (!isCount(maxConcurrency) || !isCount(downloadAttempts)) {
    throw new TaskInputError('Task input lacks maxConcurrency/downloadAttempts.');
  }
  if (typeof largeFileThreshold !== 'number' || !(largeFileThreshold > 0)) {
    throw new TaskInputError('Task input lacks largeFileThreshold.');
  }
  return {
    ...deliveryInput(input),
    fromIndex,
    toIndex,
    maxConcurrency,
    largeFileThreshold,
    downloadAttempts,
  };
}

function isIndex(value: JsonValue | undefined): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isCount(value: JsonValue | undefined): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

/** The `{ Error, Cause }` a Catch put at `$.error`, as a code and a readable message. */
export function caughtError(input: JsonValue): { code: string; message: string } {
  const { error } = record(input);
  if (error === null || typeof error !== 'object' || Array.isArray(error)) {
    return { code: 'UNKNOWN', message: 'The task failed without an error description.' };
  }
  const name = typeof error.Error === 'string' ? error.Error : 'UNKNOWN';
  let message = typeof error.Cause === 'string' ? error.Cause : '';
  // Lambda puts a JSON document `{ errorMessage, errorType }` in Cause.
  try {
    const parsed: unknown = JSON.parse(message);
    if (parsed !== null && typeof parsed === 'object' && 'errorMessage' in parsed) {
      message = String((parsed as { errorMessage: unknown }).errorMessage);
    }
  } catch {
    // Cause was plain text already.
  }
  const coded = /^([A-Z][A-Z0-9_]*): ([\s\S]*)$/.exec(message);
  if (coded?.[1] !== undefined && coded[2] !== undefined) return { code: coded[1], message: coded[2] };
  return { code: name, message: message === '' ? name : message };
}
