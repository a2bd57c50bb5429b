/** Options shared by the AWS SDK clients of the entrypoints. */
import { optional } from '../../adapters/aws/awsSettings.js';

type Env = Readonly<Record<string, string | undefined>>;

/** `{ endpoint }` when the variable names one (tests and emulators), else nothing. */
export function endpoint(env: Env, name: string): { endpoint?: string } {
  const value = optional(env, name);
  return value === undefined ? {} : { endpoint: value };
}
