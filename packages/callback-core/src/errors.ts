/**
 * Typed errors of `@downloader/callback-core`.
 *
 * Every error thrown by this package extends {@link CallbackCoreError} and carries a stable
 * `code`, so callers can map it to an HTTP status or a log field without parsing messages.
 */
import type { AddressRange, UrlRejection, UrlRejectionReason } from './urlPolicy/types.js';

/** One problem found in a config or payload, with where it is. */
export interface Issue {
  /** Dot path to the offending value (`files.urlField`, `files[3].url`); `''` for the root. */
  readonly path: string;
  readonly message: string;
}

/** Stable codes of the errors this package throws. */
export type CallbackCoreErrorCode =
  | 'INVALID_PROFILE'
  | 'MISSING_SECRET'
  | 'INVALID_PAYLOAD'
  | 'BODY_TOO_LARGE'
  | 'PROJECT_MISMATCH'
  | 'UNSAFE_OBJECT_KEY'
  | 'BLOCKED_URL'
  | 'INVALID_DELIVERY_ID'
  | 'INVALID_BASE_URL'
  | 'INVALID_DEDUPE_INPUT';

/** Base class of every error thrown by `@downloader/callback-core`. */
export class CallbackCoreError extends Error {
  /** Stable machine-readable code; never changes for a given failure kind. */
  readonly code: CallbackCoreErrorCode;

  constructor(code: CallbackCoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CallbackCoreError';
    this.code = code;
  }
}

function formatIssues(issues: readonly Issue[]): string {
  return issues.map((issue) => `${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`).join('; ');
}

/** A provider profile failed validation. `issues` lists every problem, each with its path. */
export class InvalidProfileError extends CallbackCoreError {
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[], options?: { cause?: unknown }) {
    super('INVALID_PROFILE', `Invalid provider profile: ${formatIssues(issues)}`, options);
    this.name = 'InvalidProfileError';
    this.issues = issues;
  }
}

/** A `{ env: 'NAME' }` secret reference points at an environment variable that is unset or empty. */
export class MissingSecretError extends CallbackCoreError {
  /** Names of the missing variables, in the order they appear in the profile. */
  readonly variables: readonly string[];
  /** Where in the profile they are referenced: `signature.secrets` or `requestAuth`. */
  readonly path: string;

  constructor(profileId: string, variables: readonly string[], path = 'signature.secrets') {
    super(
      'MISSING_SECRET',
      `Provider profile "${profileId}" references unset environment variable(s) ${variables.join(', ')}; set them or remove the references.`,
    );
    this.name = 'MissingSecretError';
    this.variables = variables;
    this.path = path;
  }
}

/**
 * A callback body or a manifest document is not acceptable. `reason` is always `invalid_payload`
 * (the rejection code the HTTP layer answers with); `issues` says what and where.
 */
export class InvalidPayloadError extends CallbackCoreError {
  readonly reason = 'invalid_payload' as const;
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[], options?: { cause?: unknown }) {
    super('INVALID_PAYLOAD', `Invalid payload: ${formatIssues(issues)}`, options);
    this.name = 'InvalidPayloadError';
    this.issues = issues;
  }
}

/** A callback body or a manifest is larger than the profile allows. `reason` is `body_too_large`. */
export class BodyTooLargeError extends CallbackCoreError {
  readonly reason = 'body_too_large' as const;
  readonly bytes: number;
  readonly maxBytes: number;

  constructor(bytes: number, maxBytes: number) {
    super('BODY_TOO_LARGE', `The body is ${bytes} bytes; this provider's limit is ${maxBytes} bytes.`);
    this.name = 'BodyTooLargeError';
    this.bytes = bytes;
    this.maxBytes = maxBytes;
  }
}

/**
 * The callback names another project than the delivery was registered for. `reason` is
 * `project_mismatch`; neither id is put in the message (they come from outside), only where the
 * callback's id was read.
 */
export class ProjectMismatchError extends CallbackCoreError {
  readonly reason = 'project_mismatch' as const;
  /** Where the profile says the callback's project id is (`files.projectIdField`). */
  readonly path: string;

  constructor(path: string) {
    super(
      'PROJECT_MISMATCH',
      `The callback's project id (at "${path}") is not the project this delivery was registered for; nothing changed.`,
    );
    this.name = 'ProjectMismatchError';
    this.path = path;
  }
}

/** Why a provider-supplied name cannot become an object key. */
export type UnsafeKeyReason =
  | 'empty'
  | 'dot_segment'
  | 'nul'
  | 'too_long'
  | 'segment_too_long'
  | 'reserved'
  | 'not_a_string';

/** A provider-supplied file name cannot be turned into a safe relative object key. */
export class UnsafeObjectKeyError extends CallbackCoreError {
  readonly reason: UnsafeKeyReason;

  constructor(reason: UnsafeKeyReason, message: string) {
    super('UNSAFE_OBJECT_KEY', message);
    this.name = 'UnsafeObjectKeyError';
    this.reason = reason;
  }
}

/** A delivery id is not one that `mintDeliveryId` could have produced. */
export class InvalidDeliveryIdError extends CallbackCoreError {
  constructor(message: string) {
    super('INVALID_DELIVERY_ID', message);
    this.name = 'InvalidDeliveryIdError';
  }
}

/** A base URL for callback URLs is unusable (not http(s), has a query, fragment or userinfo). */
export class InvalidBaseUrlError extends CallbackCoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_BASE_URL', message, options);
    this.name = 'InvalidBaseUrlError';
  }
}

/** `dedupeKey` was given an empty provider id or event id. */
export class InvalidDedupeInputError extends CallbackCoreError {
  constructor(message: string) {
    super('INVALID_DEDUPE_INPUT', message);
    this.name = 'InvalidDedupeInputError';
  }
}

/**
 * The connect-time guard refused a connection. Thrown by the function `createConnectGuard`
 * returns; fetch-stream then fails the download without writing anything.
 */
export class BlockedUrlError extends CallbackCoreError {
  readonly reason: UrlRejectionReason;
  /** The address range, when the refusal was about an address. */
  readonly range: AddressRange | undefined;
  /** The URL of the hop that was refused. */
  readonly url: string;
  /** The address that was about to be connected to, when known. */
  readonly address: string | undefined;

  constructor(
    rejection: UrlRejection,
    target: { readonly url: string; readonly address?: string },
    options?: { cause?: unknown },
  ) {
    super('BLOCKED_URL', `Refused to connect to ${target.url}: ${rejection.message}`, options);
    this.name = 'BlockedUrlError';
    this.reason = rejection.reason;
    this.range = rejection.range;
    this.url = target.url;
    this.address = target.address;
  }
}
