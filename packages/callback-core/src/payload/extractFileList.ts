/** Callback payload → {@link FileListRef}, as the provider profile says. */
import { InvalidPayloadError, ProjectMismatchError } from '../errors.js';
import type { FilesSource } from '../profile/types.js';
import { getAtPath } from '../profile/valuePath.js';
import { checkUrl } from '../urlPolicy/checkUrl.js';
import { decodeJson } from './decodeJson.js';
import { normaliseFileEntries } from './normaliseFileEntries.js';
import type { FileListRef, PayloadProfile } from './types.js';

const MAX_PROJECT_ID_LENGTH = 256;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** The list in `document` at the source's `path`; without a path: the document if it is an array, else its `files`. */
export function locateList(document: unknown, source: FilesSource): unknown {
  if (source.path !== undefined) {
    const found = getAtPath(document, source.path);
    if (!found.found) {
      throw new InvalidPayloadError([{ path: source.path, message: 'no file list at this path' }]);
    }
    return found.value;
  }
  if (Array.isArray(document)) return document;
  const files = getAtPath(document, 'files');
  if (!files.found) {
    throw new InvalidPayloadError([
      {
        path: 'files',
        message: 'no file list: the body is not an array and has no "files" (set files.path in the profile)',
      },
    ]);
  }
  return files.value;
}

function requireField(document: unknown, path: string): unknown {
  const found = getAtPath(document, path);
  if (!found.found || found.value === null || found.value === undefined) {
    throw new InvalidPayloadError([{ path, message: 'missing' }]);
  }
  return found.value;
}

/** What the delivery expects of its callback, from its registration. */
export interface CallbackExpectations {
  /**
   * The project the delivery was registered for. When the profile says where the callback names
   * its project (`files.projectIdField`), the callback must name this one; the list API is asked
   * for this project.
   */
  readonly projectId?: string;
}

/** The project id at `path`: an integer or a short printable string, as a string. */
function readProjectId(payload: unknown, path: string): string {
  const value = requireField(payload, path);
  const id = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (
    typeof id !== 'string' ||
    id.length === 0 ||
    id.length > MAX_PROJECT_ID_LENGTH ||
    CONTROL_CHARACTERS.test(id)
  ) {
    throw new InvalidPayloadError([
      {
        path,
        message: `expected a project id: an integer or a string of 1-${MAX_PROJECT_ID_LENGTH} printable characters`,
      },
    ]);
  }
  return id;
}

/**
 * The project the callback is about, checked against the registration: `undefined` when the
 * profile does not say where a callback names its project.
 */
function checkedProjectId(
  payload: unknown,
  source: FilesSource,
  expected: CallbackExpectations,
): string | undefined {
  if (source.projectIdField === undefined) return undefined;
  const id = readProjectId(payload, source.projectIdField);
  if (expected.projectId !== undefined && expected.projectId !== id) {
    throw new ProjectMismatchError(source.projectIdField);
  }
  return id;
}

/**
 * Finds the file list in an already-parsed callback payload (e.g. the payload a verified
 * callback carries) and normalises it.
 *
 * - `inline`: validates every entry (see `normaliseFileEntries`) → `{ kind: 'files', files }`;
 * - `manifest`: the URL at `urlField`, checked against the URL policy → `{ kind: 'manifest', url }`;
 * - `list-api`: the id at `projectIdField` → `{ kind: 'list-api', url: '<listUrl>?projectID=<id>' }`.
 *
 * When the profile has `files.projectIdField`, the callback's project id is read from there
 * first and compared with `expected.projectId` (the registration's).
 *
 * @throws {@link ProjectMismatchError} (reason `project_mismatch`) when the callback names another project
 * @throws {@link InvalidPayloadError} (reason `invalid_payload`) with every problem and its path
 */
export function extractFileList(
  payload: unknown,
  profile: PayloadProfile,
  expected: CallbackExpectations = {},
): FileListRef {
  const source = profile.files;
  const projectId = checkedProjectId(payload, source, expected);
  switch (source.source) {
    case 'inline':
      return {
        kind: 'files',
        files: normaliseFileEntries(locateList(payload, source), source, profile.limits, profile.urlPolicy),
      };
    case 'manifest': {
      const value = requireField(payload, source.urlField);
      if (typeof value !== 'string' || value.length > profile.limits.maxUrlLength) {
        throw new InvalidPayloadError([
          {
            path: source.urlField,
            message: `expected a URL string of at most ${profile.limits.maxUrlLength} characters`,
          },
        ]);
      }
      const verdict = checkUrl(value, profile.urlPolicy);
      if (!verdict.ok) throw new InvalidPayloadError([{ path: source.urlField, message: verdict.message }]);
      return { kind: 'manifest', url: new URL(value).href };
    }
    case 'list-api': {
      // The schema requires projectIdField for this source, so the id was read (and checked) above.
      const id = projectId ?? readProjectId(payload, source.projectIdField);
      const url = new URL(source.listUrl);
      // searchParams encodes the id, so it cannot add parameters or change the path.
      url.searchParams.set('projectID', id);
      return { kind: 'list-api', url: url.href };
    }
  }
}

/**
 * Parses raw callback body bytes (strict UTF-8 JSON, at most `profile.maxBodyBytes`) and
 * extracts the file list ({@link extractFileList}).
 *
 * @throws {@link BodyTooLargeError} over the cap; {@link InvalidPayloadError} otherwise
 */
export function parseCallbackPayload(
  body: Uint8Array,
  profile: PayloadProfile,
  expected: CallbackExpectations = {},
): FileListRef {
  return extractFileList(decodeJson(body, profile.maxBodyBytes), profile, expected);
}

/**
 * {@link parseCallbackPayload} for a verified callback: for SNS the provider's payload is the
 * verified `Message` text inside the envelope (`verified.snsMessage`), not the envelope the raw
 * body holds; for every other scheme it is the raw body.
 *
 * @param verified - the successful result of `verifySignature`
 * @param body - the raw request body that was verified
 * @param expected - what the registration says (its `projectId`)
 * @throws {@link BodyTooLargeError} over `profile.maxBodyBytes`; {@link ProjectMismatchError};
 *   {@link InvalidPayloadError} otherwise
 */
export function parseVerifiedPayload(
  verified: { readonly snsMessage?: string },
  body: Uint8Array,
  profile: PayloadProfile,
  expected: CallbackExpectations = {},
): FileListRef {
  const bytes = verified.snsMessage === undefined ? body : new TextEncoder().encode(verified.snsMessage);
  return parseCallbackPayload(bytes, profile, expected);
}
