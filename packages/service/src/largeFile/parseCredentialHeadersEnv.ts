/** Reads the credential headers the service hands to a large-file runner process in `DOWNLOADER_CREDENTIAL_HEADERS`. */
import * as v from 'valibot';
import { ConfigError } from '../config/ConfigError.js';

/**
 * Name of the environment variable that carries the headers (a JSON object of strings). The
 * environment, not argv: a process's arguments are readable by every user of the machine.
 */
export const CREDENTIAL_HEADERS_ENV = 'DOWNLOADER_CREDENTIAL_HEADERS';

const headersSchema = v.record(
  v.pipe(v.string(), v.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/)),
  v.string(),
);

/**
 * The headers in `env[DOWNLOADER_CREDENTIAL_HEADERS]`; `{}` when the variable is absent.
 * @throws ConfigError naming the variable (never its value) when it is not such an object
 */
export function parseCredentialHeadersEnv(
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Record<string, string>> {
  const raw = env[CREDENTIAL_HEADERS_ENV];
  if (raw === undefined || raw === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError([{ path: `env.${CREDENTIAL_HEADERS_ENV}`, message: 'not JSON' }], { cause: error });
  }
  const parsed = v.safeParse(headersSchema, json);
  if (!parsed.success) {
    throw new ConfigError([
      {
        path: `env.${CREDENTIAL_HEADERS_ENV}`,
        message: 'expected an object of header names to string values',
      },
    ]);
  }
  return parsed.output;
}
