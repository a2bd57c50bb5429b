/** Query parameters of the paged read routes, validated: a 400 with a reason for anything else. */
import type { Context } from 'hono';
import { ServiceError } from '../domain/errors.js';
import { MAX_PAGE_SIZE } from '../domain/paging.js';
import { HttpError } from './HttpError.js';

/** `limit` as a whole number 1..1000; `fallback` when absent. */
export function limitParam(c: Context, fallback: number): number {
  const text = c.req.query('limit');
  if (text === undefined) return fallback;
  const limit = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new HttpError(400, 'invalid_query', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return limit;
}

/** `status` values (repeated or comma-separated), each one of `allowed`. */
export function statusParam<S extends string>(c: Context, allowed: readonly S[]): S[] {
  const values = (c.req.queries('status') ?? []).flatMap((value) => value.split(',')).filter((s) => s !== '');
  const unknown = values.filter((value) => !(allowed as readonly string[]).includes(value));
  if (unknown.length > 0) {
    throw new HttpError(
      400,
      'invalid_query',
      `Unknown status ${unknown.map((s) => `"${s}"`).join(', ')}; use one of ${allowed.join(', ')}.`,
    );
  }
  return values as S[];
}

/** `cursor`, when given and not empty. */
export function cursorParam(c: Context): { readonly cursor?: string } {
  const cursor = c.req.query('cursor');
  return cursor === undefined || cursor === '' ? {} : { cursor };
}

/** Runs a store read, turning a cursor the store refuses into a 400. */
export async function withCursor<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'INVALID_CURSOR') {
      throw new HttpError(400, 'invalid_query', `cursor: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
