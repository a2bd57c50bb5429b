/** `POST /callbacks/{id}`: the provider says the files are ready. */
import {
  BodyTooLargeError,
  dedupeKey,
  type FileListRef,
  InvalidPayloadError,
  isWellFormedDeliveryId,
  ProjectMismatchError,
  parseVerifiedPayload,
  type RequestHeaders,
  type ResolvedProviderProfile,
  type Verified,
  verifySignature,
} from '@downloader/callback-core';
import type { Context } from 'hono';
import type { NormalisedCallback } from '../../domain/callback.js';
import { judgeCallback } from '../../domain/callbackVerdict.js';
import type { DeliveryHeader } from '../../domain/delivery.js';
import { isTerminalStatus } from '../../domain/delivery.js';
import { ServiceError } from '../../domain/errors.js';
import { acceptCallback } from '../../handlers/acceptCallback.js';
import { relayTaskToken, TaskTokenNotSentError } from '../../recovery/relayTaskToken.js';
import type { AppDeps } from '../AppDeps.js';
import { HttpError, statusForRejection } from '../HttpError.js';
import { requireJsonMediaType } from '../mediaType.js';
import { nodeIncomingOf } from '../nodeIncoming.js';
import { readBodyWithCap } from '../readBodyWithCap.js';
import { signatureHeaders } from '../signatureHeaders.js';

/** SNS posts its JSON envelope as `text/plain`. */
const SNS_TYPES: readonly string[] = ['text/plain'];

/** One header of the record `signatureHeaders` builds (its values are single strings). */
function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

function notFound(): HttpError {
  return new HttpError(
    404,
    'delivery_not_found',
    'No delivery has this callback URL; check the URL you were given.',
  );
}

function conflict(): HttpError {
  return new HttpError(
    409,
    'callback_conflict',
    'A callback with this event id but a different body was already accepted; nothing changed.',
  );
}

/** The delivery no longer takes a new callback: 410 with the reason. */
function closed(delivery: DeliveryHeader, now: Date): HttpError {
  if (isTerminalStatus(delivery.status)) {
    return new HttpError(
      410,
      'delivery_finished',
      `This delivery is finished (${delivery.status}); it takes no more callbacks.`,
    );
  }
  if (delivery.status === 'awaiting_callback' && Date.parse(delivery.expiresAt) <= now.getTime()) {
    return new HttpError(
      410,
      'delivery_expired',
      `This delivery's callback deadline passed at ${delivery.expiresAt}.`,
    );
  }
  return new HttpError(
    410,
    'delivery_finished',
    'This delivery already accepted its callback; it takes no other.',
  );
}

/** The callback is stored but the engine could not be told: the provider should send it again. */
function notRelayed(error: TaskTokenNotSentError): HttpError {
  return new HttpError(503, 'callback_not_relayed', error.message, { cause: error });
}

/**
 * A duplicate of the accepted callback while the delivery still waits in `resolving`: the first
 * SendTaskSuccess may have failed, so the token (still stored when it was never consumed) is
 * sent again. Once it went through the token is forgotten, so later duplicates cost one read.
 */
async function relayAgain(deps: AppDeps, delivery: DeliveryHeader): Promise<void> {
  if (delivery.status !== 'resolving') return;
  try {
    const outcome = await relayTaskToken(deps.store, deps.engine, delivery.id);
    if (outcome === 'sent')
      deps.logger?.warn('task token re-sent on a duplicate callback', { deliveryId: delivery.id });
  } catch (error) {
    if (error instanceof TaskTokenNotSentError) throw notRelayed(error);
    throw error;
  }
}

function normalise(ref: FileListRef): NormalisedCallback {
  return { source: ref.kind === 'files' ? { kind: 'files', files: ref.files } : ref };
}

/** The file list of a verified callback: for SNS it is inside the verified `Message`, not the envelope. */
function parsePayload(
  verified: Verified,
  body: Uint8Array,
  profile: ResolvedProviderProfile,
  delivery: DeliveryHeader,
): FileListRef {
  try {
    return parseVerifiedPayload(
      verified,
      body,
      profile,
      delivery.projectId === undefined ? {} : { projectId: delivery.projectId },
    );
  } catch (error) {
    if (error instanceof ProjectMismatchError) {
      throw new HttpError(400, 'project_mismatch', error.message, {
        cause: error,
        issues: [{ path: error.path, message: 'not the project this delivery was registered for' }],
      });
    }
    if (error instanceof InvalidPayloadError) {
      throw new HttpError(400, 'invalid_payload', error.message, {
        cause: error,
        issues: error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
      });
    }
    if (error instanceof BodyTooLargeError)
      throw new HttpError(413, 'body_too_large', error.message, { cause: error });
    throw error;
  }
}

/**
 * Handles `POST /callbacks/{id}`: 404 unknown → 415 media type → 413 size (read with a cap, before
 * any parsing) → 401 signature → 200 duplicate / 410 closed → 400 payload (or `project_mismatch`
 * when the callback names another project than the registration) → record atomically →
 * 202 and SendTaskSuccess to the waiting execution (`acceptCallback`). When SendTaskSuccess fails
 * the answer is 503 `callback_not_relayed` (the callback stays stored); a duplicate of an accepted
 * callback re-sends a token that was never consumed.
 */
export async function receiveCallback(c: Context, deps: AppDeps): Promise<Response> {
  const id = c.req.param('id') ?? '';
  const log = deps.logger;
  // Junk ids never reach the store.
  if (!isWellFormedDeliveryId(id)) throw notFound();
  // The header only: the dedupe decision needs the stored receipt, never the file rows.
  const delivery = await deps.store.get(id);
  if (delivery === undefined) throw notFound();
  const profile = deps.providers.get(delivery.providerId);
  if (profile === undefined) {
    log?.error('no profile for the delivery provider', { deliveryId: id, provider: delivery.providerId });
    throw new HttpError(
      503,
      'unknown_provider',
      `Provider "${delivery.providerId}" is not configured on this server.`,
    );
  }
  // Read once, for the media type, the declared length and the verifier.
  const headers = signatureHeaders(c);
  requireJsonMediaType(
    headerValue(headers, 'content-type'),
    profile.signature.scheme === 'sns' ? SNS_TYPES : [],
  );
  const incoming = nodeIncomingOf(c);
  const reading = readBodyWithCap(c.req.raw, profile.maxBodyBytes, {
    contentLength: headerValue(headers, 'content-length') ?? null,
    ...(incoming === undefined ? {} : { incoming }),
  });
  // Awaited only when it is still arriving: most bodies are already in memory.
  const body = reading instanceof Uint8Array ? reading : await reading;

  const now = (deps.now ?? (() => new Date()))();
  const verdict = await verifySignature(
    profile.signature,
    { headers, body, now },
    deps.snsCertificateFetcher === undefined ? {} : { snsCertificateFetcher: deps.snsCertificateFetcher },
  );
  if (!verdict.ok) {
    log?.warn('callback rejected', { deliveryId: id, reason: verdict.reason });
    throw new HttpError(statusForRejection(verdict.reason), verdict.reason, verdict.message);
  }

  if (verdict.snsMessageType === 'SubscriptionConfirmation') {
    // Confirming would subscribe this endpoint to a topic: a decision for the operator, and a
    // request to a URL from outside that we never make. Acknowledge and change nothing.
    log?.warn('SNS subscription confirmation received; not confirmed', {
      deliveryId: id,
      topicArn: verdict.snsTopicArn,
    });
    return c.json(
      {
        id,
        status: delivery.status,
        snsSubscribeUrl: verdict.snsSubscribeUrl ?? null,
        message:
          'SNS SubscriptionConfirmation received and verified; nothing changed. The subscription must be confirmed by visiting snsSubscribeUrl (this service never visits it).',
      },
      200,
    );
  }

  const dedupe = dedupeKey({ providerId: profile.id, eventId: verdict.eventId ?? id, body });
  // Judged from the header before the payload is parsed, by the rule the store applies again atomically.
  switch (
    judgeCallback({
      delivery,
      stored: undefined,
      incoming: { dedupeKey: dedupe.key, bodySha256: dedupe.bodySha256 },
      now,
    })
  ) {
    case 'duplicate':
      log?.info('duplicate callback', { deliveryId: id, status: delivery.status });
      await relayAgain(deps, delivery);
      return c.json({ id, status: delivery.status, duplicate: true }, 200);
    case 'conflict':
      throw conflict();
    case 'closed':
    case 'expired':
      throw closed(delivery, now);
    default:
      break;
  }

  const callback = normalise(parsePayload(verdict, body, profile, delivery));
  // acceptCallback stores the callback durably first, then wakes the waiting execution with
  // SendTaskSuccess; the workflow reads the normalised callback from the store (no payload cap).
  const recorded = await acceptCallback({ store: deps.store, engine: deps.engine, now: () => now }, id, {
    ...(verdict.eventId === undefined ? {} : { eventId: verdict.eventId }),
    dedupeKey: dedupe.key,
    bodySha256: dedupe.bodySha256,
    receivedAt: now.toISOString(),
    callback,
  }).catch((error: unknown) => {
    // A store with a record size limit (DynamoDB) refuses a list it cannot hold; nothing was
    // stored, and the provider can fix it (a manifest URL): a 413, not a server fault.
    if (error instanceof ServiceError && error.code === 'FILE_LIST_TOO_LARGE') {
      throw new HttpError(413, 'file_list_too_large', error.message, { cause: error });
    }
    // Stored, not relayed: a 503 makes the provider send it again, and its duplicate relays it.
    if (error instanceof TaskTokenNotSentError) throw notRelayed(error);
    throw error;
  });
  switch (recorded.verdict) {
    case 'not_found':
      throw notFound();
    case 'duplicate':
      return c.json({ id, status: recorded.delivery?.status ?? delivery.status, duplicate: true }, 200);
    case 'conflict':
      throw conflict();
    case 'closed':
    case 'expired':
      throw closed(recorded.delivery ?? delivery, now);
    case 'new':
      break;
  }
  log?.info('callback accepted', { deliveryId: id, eventId: verdict.eventId, source: callback.source.kind });
  return c.json({ id, status: recorded.delivery?.status ?? 'resolving' }, 202);
}
