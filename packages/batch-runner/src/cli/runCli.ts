import { createRequire } from 'node:module';
import type { ConnectGuard } from '@downloader/fetch-stream';
import { BatchRunnerError } from '../errors.js';
import { ExitCode, type ExitCodeValue } from '../exitCodes.js';
import { JsonLogger } from '../log/JsonLogger.js';
import { classifyFailure } from '../run/classifyFailure.js';
import { runBatchJob } from '../run/runBatchJob.js';
import { parseSettings } from '../settings/parseSettings.js';
import { usage } from '../settings/usage.js';

/** Where a wrapping program passes its URL policy (JSON); only a guarded wrapper can apply it. */
const URL_POLICY_ENV = 'DOWNLOADER_URL_POLICY';

/** After SIGTERM, the longest wait for state to be saved before exiting anyway. */
const SIGTERM_HARD_LIMIT_MS = 8000;

/** This package's version: package.json is one level up from dist/, two from src/cli/. */
function version(): string {
  const require = createRequire(import.meta.url);
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(path) as { name?: string; version?: string };
      if (pkg.name === '@downloader/batch-runner' && pkg.version) return pkg.version;
    } catch {
      // Not at this level; try the next.
    }
  }
  return 'unknown';
}

/** Hooks of {@link runCli} for a program that wraps the CLI. */
export interface RunCliOptions {
  /**
   * Connect-time guard for every hop of the download (see `RunBatchJobOptions.connectGuard`).
   * The plain `batch-runner` binary has none; a wrapper that knows a URL policy passes one.
   */
  readonly connectGuard?: ConnectGuard;
  /** Credential headers for the URL's origin only (see `RunBatchJobOptions.credentialHeaders`). */
  readonly credentialHeaders?: Readonly<Record<string, string>>;
}

/**
 * The whole command: parses flags and environment, runs the job, logs JSON lines on stdout,
 * turns SIGTERM/SIGINT into a prompt, resumable stop, and resolves to the exit code.
 */
export async function runCli(
  argv: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv,
  options: RunCliOptions = {},
): Promise<ExitCodeValue> {
  let command: ReturnType<typeof parseSettings>;
  try {
    command = parseSettings(argv, env);
  } catch (error) {
    const message = error instanceof BatchRunnerError ? error.message : String(error);
    process.stderr.write(`batch-runner: ${message}\n`);
    new JsonLogger((l) => process.stdout.write(l)).log('error', 'failed', {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
      message,
    });
    return ExitCode.Usage;
  }
  if (command.kind === 'help') {
    process.stdout.write(usage());
    return ExitCode.Success;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${version()}\n`);
    return ExitCode.Success;
  }

  // A URL policy meant for a guarded wrapper reached the plain binary: running would fetch with
  // no connect-time check, so refuse instead of silently ignoring it.
  if (env[URL_POLICY_ENV] !== undefined && options.connectGuard === undefined) {
    const message = `${URL_POLICY_ENV} is set, but this batch-runner has no connect guard to apply it; run the guarded entry of the program that set it`;
    process.stderr.write(`batch-runner: ${message}\n`);
    new JsonLogger((l) => process.stdout.write(l)).log('error', 'failed', {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
      message,
    });
    return ExitCode.Usage;
  }

  const { settings } = command;
  const logger = new JsonLogger((line) => process.stdout.write(line), settings.deliveryId);
  const controller = new AbortController();
  let stoppedBy: string | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppedBy) return;
    stoppedBy = signal;
    logger.log('warn', 'stopping', { signal, reason: 'saving state for a later attempt' });
    controller.abort(new Error(`received ${signal}`));
    // If saving state hangs (S3 unreachable), leave anyway: the journal is only ever behind, never wrong.
    setTimeout(() => {
      logger.log('error', 'failed', { code: 'STOP_TIMEOUT', exitCode: ExitCode.Retryable, signal });
      process.exit(ExitCode.Retryable);
    }, SIGTERM_HARD_LIMIT_MS).unref();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const summary = await runBatchJob({
      settings,
      logger,
      signal: controller.signal,
      ...(options.connectGuard === undefined ? {} : { connectGuard: options.connectGuard }),
      ...(options.credentialHeaders === undefined ? {} : { credentialHeaders: options.credentialHeaders }),
    });
    logger.log('info', 'done', { ...summary });
    return ExitCode.Success;
  } catch (error) {
    const failure = stoppedBy
      ? { exitCode: ExitCode.Retryable, code: 'INTERRUPTED', message: `stopped by ${stoppedBy}; state saved` }
      : classifyFailure(error);
    logger.log('error', 'failed', { ...failure });
    return failure.exitCode;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
