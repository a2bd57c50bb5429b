/** Reads the URL policy the service hands to a large-file runner process in `DOWNLOADER_URL_POLICY`. */
import * as v from 'valibot';
import { ConfigError } from '../config/ConfigError.js';
import type { UrlPolicyLike } from '../ports/UrlPolicyLike.js';

/** Name of the environment variable that carries the policy (JSON). */
export const URL_POLICY_ENV = 'DOWNLOADER_URL_POLICY';

const port = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65_535));

// Shape only: callback-core's checks decide what each field allows at connect time.
const policySchema = v.strictObject({
  allowHttp: v.optional(v.boolean()),
  allowedHosts: v.optional(v.array(v.string())),
  allowedPorts: v.optional(v.array(port)),
  loopbackException: v.optional(v.strictObject({ host: v.picklist(['127.0.0.1', '::1']), port })),
});

/**
 * The policy in `env[DOWNLOADER_URL_POLICY]`; the strictest policy (`{}`: https on 443 to public
 * addresses only) when the variable is absent, so a runner started without one fails closed.
 * @throws ConfigError when the variable holds something other than a policy
 */
export function parseUrlPolicyEnv(env: Readonly<Record<string, string | undefined>>): UrlPolicyLike {
  const raw = env[URL_POLICY_ENV];
  if (raw === undefined || raw === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError([{ path: `env.${URL_POLICY_ENV}`, message: 'not JSON' }], { cause: error });
  }
  const parsed = v.safeParse(policySchema, json);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.issues.map((issue) => ({ path: `env.${URL_POLICY_ENV}`, message: issue.message })),
    );
  }
  return parsed.output;
}
