import type { IncomingHttpHeaders } from 'node:http';
import type { ResourceValidators } from '../types.js';

/** Reads ETag and Last-Modified from a response, with the representation's total size. */
export function validatorsOf(headers: IncomingHttpHeaders, size: number | undefined): ResourceValidators {
  const etag = single(headers.etag);
  const lastModified = single(headers['last-modified']);
  return {
    ...(etag !== undefined ? { etag } : {}),
    ...(lastModified !== undefined ? { lastModified } : {}),
    ...(size !== undefined ? { size } : {}),
  };
}

/** True when the ETag is strong (not `W/`); only strong ETags may be used with If-Range. */
export function isStrongEtag(etag: string | undefined): etag is string {
  return etag !== undefined && !etag.startsWith('W/');
}

/** The `If-Range` value for a version: its strong ETag, else its Last-Modified, else none. */
export function ifRangeValue(v: ResourceValidators): string | undefined {
  if (isStrongEtag(v.etag)) return v.etag;
  return v.lastModified;
}

/**
 * True when `next` is provably another version than `known`: an ETag, Last-Modified or size
 * that both sides declare and that differ. A side that omits a validator proves nothing.
 */
export function hasChanged(known: ResourceValidators, next: ResourceValidators): boolean {
  if (known.etag !== undefined && next.etag !== undefined && known.etag !== next.etag) return true;
  if (
    known.lastModified !== undefined &&
    next.lastModified !== undefined &&
    known.lastModified !== next.lastModified
  )
    return true;
  if (known.size !== undefined && next.size !== undefined && known.size !== next.size) return true;
  return false;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
