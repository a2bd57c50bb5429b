/** `GET /healthz`. */
import type { Context } from 'hono';
import type { AppDeps } from '../AppDeps.js';
import { HttpError } from '../HttpError.js';

/** Handles `GET /healthz`: 200 when the delivery store answers. */
export async function healthz(c: Context, deps: AppDeps): Promise<Response> {
  try {
    await deps.store.list({ limit: 1 });
  } catch (error) {
    throw new HttpError(503, 'internal_error', 'The delivery store does not answer.', { cause: error });
  }
  return c.json({ status: 'ok' });
}
