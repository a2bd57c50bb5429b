import type { IncomingMessage } from 'node:http';
import type { Fault } from '../faults.js';
import type { RangeOutcome } from '../parseRange.js';
import type { Resource, ResourceStore } from '../resourceStore.js';
import type { RequestRecord } from '../stats.js';

/** A response sent instead of the resource (a status fault, a redirect). */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** Where a body is cut, and how the connection ends there. */
export interface Stop {
  readonly at: number;
  readonly how: 'reset' | 'fin';
}

/**
 * Everything the origin will send for one request, built step by step: the defaults of a
 * correct origin first, then each fault module adjusts its part. Offsets are absolute.
 */
export interface ResponsePlan {
  /** The version this request sees. */
  resource: Resource;
  /** How the request's Range applies (`none`: a 200 with the whole representation). */
  outcome: RangeOutcome;
  /** First byte of the body sent. */
  start: number;
  /** End (exclusive) of the body sent. */
  end: number;
  /** Response headers; Content-Range and Content-Length are derived from `start`/`end` last. */
  readonly headers: Record<string, string>;
  chunked: boolean;
  gzip: boolean;
  /** Cuts; the earliest wins. Relative to the body's first byte. */
  readonly stops: Stop[];
  stall?: { readonly at: number; readonly ms: number };
  bytesPerSecond?: number;
  /** Absolute offset of a byte sent flipped. */
  flipAt?: number;
  /** Run when the body was cut at the earliest stop (relative offset given). */
  readonly onStopped: Array<(at: number) => void>;
}

/** Per-resource, per-fault counters (reset by `resetStats`). */
export interface FaultState {
  count: number;
  fired: boolean;
  /** `status` with `enforce`: the last Retry-After moment announced. */
  notBefore?: number;
}

/** What a fault module sees of the request being answered. */
export interface FaultContext {
  readonly name: string;
  readonly request: IncomingMessage;
  /** The request URL (path and query), resolved against a placeholder origin. */
  readonly url: URL;
  readonly isGet: boolean;
  /** Every fault of this request, in order. */
  readonly faults: ReadonlyArray<Fault>;
  readonly record: RequestRecord;
  readonly store: ResourceStore;
  /** This fault's counters for this resource. */
  state(fault: Fault): FaultState;
  /** Counts one request the fault could bite; true when it is within the fault's `times`. */
  take(fault: Fault, eligible: boolean): boolean;
  /** Body length a correct origin would send for `resource` (range applied). */
  plannedLength(resource: Resource): number;
}

/**
 * When a module acts, in this order: `answer` before the resource is looked up (may reply
 * instead), `version` picks the version, `request-range` changes how the Range applies
 * (before the 416 check), `served-range` moves the bytes sent, `headers` and `body` shape
 * the rest.
 */
export type FaultPhase = 'answer' | 'version' | 'request-range' | 'served-range' | 'headers' | 'body';
