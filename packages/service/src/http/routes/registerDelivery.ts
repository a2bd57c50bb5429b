/** `POST /deliveries`: hands out a callback URL and starts the delivery's execution. */
import {
  CallbackCoreError,
  callbackUrlFor,
  extractFileList,
  InvalidPayloadError,
  mintDeliveryId,
  type ResolvedProviderProfile,
} from '@downloader/callback-core';
import type { Context } from 'hono';
import * as v from 'valibot';
import { IdempotencyConflictError } from '../../domain/errors.js';
import type { FileSpec } from '../../domain/fileSpec.js';
import type { AppDeps } from '../AppDeps.js';
import { HttpError } from '../HttpError.js';
import { requireJsonMediaType } from '../mediaType.js';
import { parseJsonBody } from '../parseJsonBody.js';
import { readBodyWithCap } from '../readBodyWithCap.js';
import { baseUrlOf } from './baseUrlOf.js';

const DEFAULT_MAX_REGISTRATION_BYTES = 1024 * 1024;

const registrationSchema = v.strictObject({
  provider: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  projectId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(256))),
  files: v.optional(v.array(v.unknown())),
  label: v.optional(v.pipe(v.string(), v.maxLength(200))),
});

const idempotencyKeySchema = v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,255}$/));

/** Files given at registration go through the same validation and URL policy as a callback's. */
function registrationFiles(
  files: readonly unknown[] | undefined,
  profile: ResolvedProviderProfile,
): FileSpec[] {
  if (files === undefined) return [];
  try {
    const list = extractFileList({ files }, { ...profile, files: { source: 'inline' } });
    return list.kind === 'files' ? [...list.files] : [];
  } catch (error) {
    if (error instanceof InvalidPayloadError) {
      throw new HttpError(400, 'invalid_request', error.message, {
        cause: error,
        issues: error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
      });
    }
    if (error instanceof CallbackCoreError)
      throw new HttpError(400, 'invalid_request', error.message, { cause: error });
    throw error;
  }
}

/** Handles `POST /deliveries`. */
export async function registerDelivery(c: Context, deps: AppDeps): Promise<Response> {
  requireJsonMediaType(c.req.header('content-type'));
  const body = await readBodyWithCap(c.req.raw, deps.maxRegistrationBytes ?? DEFAULT_MAX_REGISTRATION_BYTES);
  const parsed = v.safeParse(registrationSchema, parseJsonBody(body, 'invalid_request'));
  if (!parsed.success) {
    throw new HttpError(400, 'invalid_request', 'The registration body is not valid.', {
      issues: parsed.issues.map((issue) => ({
        path: v.getDotPath(issue) ?? '(root)',
        message: issue.message,
      })),
    });
  }
  const request = parsed.output;
  const idempotencyKey = c.req.header('idempotency-key');
  if (idempotencyKey !== undefined && !v.is(idempotencyKeySchema, idempotencyKey)) {
    throw new HttpError(400, 'invalid_request', 'Idempotency-Key must be 1-255 printable ASCII characters.');
  }
  const profile = deps.providers.get(request.provider);
  if (profile === undefined) {
    throw new HttpError(400, 'unknown_provider', `No provider profile "${request.provider}" is configured.`);
  }
  const files = registrationFiles(request.files, profile);

  const now = (deps.now ?? (() => new Date()))();
  const expiresAt = new Date(now.getTime() + deps.workflow.callbackTimeoutSeconds * 1000);
  // The store judges a replay (same key, same request) against a conflict: one rule for every store.
  const { delivery, created } = await deps.store
    .create({
      id: mintDeliveryId(),
      providerId: profile.id,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      ...(request.projectId === undefined ? {} : { projectId: request.projectId }),
      ...(request.label === undefined ? {} : { label: request.label }),
      ...(files.length === 0 ? {} : { files }),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    })
    .catch((error: unknown) => {
      if (error instanceof IdempotencyConflictError) {
        throw new HttpError(
          409,
          'idempotency_conflict',
          `Idempotency-Key "${idempotencyKey ?? ''}" was already used for a different registration; use a new key.`,
          { cause: error },
        );
      }
      throw error;
    });
  // Started again on a replay too: a crash between create and start must not leave the delivery unwatched.
  const remaining = Math.max(1, Math.ceil((Date.parse(delivery.expiresAt) - now.getTime()) / 1000));
  if (delivery.status === 'awaiting_callback') {
    await deps.engine.startExecution(delivery.id, {
      deliveryId: delivery.id,
      resumeFrom: 'await',
      callbackTimeoutSeconds: remaining,
      maxConcurrency: deps.workflow.maxConcurrency,
      largeFileThreshold: deps.workflow.largeFileThreshold,
    });
  }
  deps.logger?.info(created ? 'delivery registered' : 'delivery registration replayed', {
    deliveryId: delivery.id,
    provider: delivery.providerId,
  });
  if (!created) c.header('Idempotent-Replayed', 'true');
  return c.json(
    {
      id: delivery.id,
      callbackUrl: callbackUrlFor(baseUrlOf(c, deps), delivery.id),
      status: delivery.status,
      expiresAt: delivery.expiresAt,
    },
    201,
  );
}
