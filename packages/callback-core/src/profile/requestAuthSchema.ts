/** Schema of `requestAuth`: credentials a profile sends to the hosts they are bound to. */
import * as v from 'valibot';
import { secretRefSchema } from './secretRef.js';

/** A credential value: literal (code only; config files refuse it) or an `{ "env": "NAME" }` reference. */
const credentialValue = v.union(
  [v.pipe(v.string(), v.minLength(1), v.maxLength(8192)), secretRefSchema],
  'expected a non-empty string or { "env": "NAME" }',
);

const hostPattern = v.pipe(
  v.string(),
  v.regex(
    /^(\*\.)?[A-Za-z0-9.:[\]_-]{1,253}$/,
    'expected a host name ("api.example.com"), a wildcard ("*.example.com") or an IP literal',
  ),
);

const hosts = v.pipe(
  v.array(hostPattern),
  v.minLength(1, 'expected at least one host pattern'),
  v.maxLength(64),
);

// RFC 9110 token characters; the names the engine sets itself are refused by fetch-stream.
const headerName = v.pipe(
  v.string(),
  v.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/, 'expected an HTTP header name such as X-Api-Key'),
);

/** Schema of one `requestAuth` entry: a header set bound to host patterns. */
export const requestAuthEntrySchema = v.variant('type', [
  /** `Authorization: Bearer <token>`. */
  v.strictObject({ type: v.literal('bearer'), hosts, token: credentialValue }),
  /** `<name>: <value>` (an API key header). */
  v.strictObject({ type: v.literal('header'), hosts, name: headerName, value: credentialValue }),
  /** `Authorization: Basic base64(<username>:<password>)`. */
  v.strictObject({
    type: v.literal('basic'),
    hosts,
    username: v.pipe(v.string(), v.regex(/^[^:]{0,256}$/, 'expected a user name without ":"')),
    password: credentialValue,
  }),
]);

/** Schema of `requestAuth`. @default [] */
export const requestAuthSchema = v.optional(v.pipe(v.array(requestAuthEntrySchema), v.maxLength(32)), []);
