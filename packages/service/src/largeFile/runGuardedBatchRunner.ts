/**
 * batch-runner's CLI with the provider's URL policy applied at connect time: the large-file
 * child process the local runtime starts (a Batch container would run the same command).
 */
import { ExitCode, type ExitCodeValue, runCli } from '@downloader/batch-runner';
import { createConnectGuard } from '@downloader/callback-core';
import { parseCredentialHeadersEnv } from './parseCredentialHeadersEnv.js';
import { parseUrlPolicyEnv } from './parseUrlPolicyEnv.js';

/**
 * Builds the guard from `env.DOWNLOADER_URL_POLICY` (strictest policy when absent), reads the
 * credential headers from `env.DOWNLOADER_CREDENTIAL_HEADERS` (none when absent) and runs
 * batch-runner's CLI with it; resolves to the exit code. A malformed policy is a usage error
 * (exit 64): nothing is fetched without a guard.
 */
export async function runGuardedBatchRunner(
  argv: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv,
): Promise<ExitCodeValue> {
  let connectGuard: ReturnType<typeof createConnectGuard>;
  let credentialHeaders: Readonly<Record<string, string>>;
  try {
    connectGuard = createConnectGuard(parseUrlPolicyEnv(env));
    credentialHeaders = parseCredentialHeadersEnv(env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`batch-runner: ${message}\n`);
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: 'error', event: 'failed', code: 'USAGE', exitCode: ExitCode.Usage, message })}\n`,
    );
    return ExitCode.Usage;
  }
  return runCli(argv, env, { connectGuard, credentialHeaders });
}
