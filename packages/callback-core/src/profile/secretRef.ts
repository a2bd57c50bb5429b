/** Secret values given as references to environment variables, so config files never hold secrets. */
import * as v from 'valibot';

/** A secret value read from the environment variable `env` when the profile is resolved. */
export interface SecretRef {
  readonly env: string;
}

/** Schema of a {@link SecretRef}: `{ "env": "NAME" }` with a portable variable name. */
export const secretRefSchema = v.strictObject({
  env: v.pipe(
    v.string(),
    v.regex(
      /^[A-Za-z_][A-Za-z0-9_]{0,127}$/,
      'expected an environment variable name such as ACME_WEBHOOK_SECRET',
    ),
  ),
});

/** True when `value` looks like a `{ env }` reference (shape only; see {@link secretRefSchema}). */
export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'env' in value;
}
