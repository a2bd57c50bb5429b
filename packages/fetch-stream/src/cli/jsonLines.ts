import type { ProgressEvent } from '../types.js';

/** A progress event as one JSON line, for logs and non-terminal consumers. */
export function progressLine(e: ProgressEvent): string {
  return `${JSON.stringify({ type: 'progress', ...e })}\n`;
}
