import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { download } from '../download.js';
import { FetchStreamError } from '../errors.js';
import type { ProgressEvent } from '../types.js';
import { HELP, parseCliArgs, UsageError } from './args.js';
import { EXIT, exitCodeFor } from './exitCodes.js';
import { progressLine } from './jsonLines.js';
import { renderBar } from './progressBar.js';

async function main(argv: readonly string[]): Promise<number> {
  let cmd: ReturnType<typeof parseCliArgs>;
  try {
    cmd = parseCliArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`fetch-stream: ${err.message}\nRun fetch-stream --help for usage.\n`);
      return EXIT.usage;
    }
    throw err;
  }
  if (cmd.kind === 'help') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (cmd.kind === 'version') {
    process.stdout.write(`${readVersion()}\n`);
    return EXIT.ok;
  }

  const controller = new AbortController();
  const onSignal = (): void => controller.abort(new Error('interrupted by signal'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const tty = process.stderr.isTTY === true;
  const onProgress = cmd.quiet
    ? undefined
    : tty
      ? (e: ProgressEvent) => process.stderr.write(`\r${renderBar(e)}\x1b[K`)
      : (e: ProgressEvent) => process.stderr.write(progressLine(e));

  try {
    const result = await download(cmd.url, {
      output: cmd.output,
      signal: controller.signal,
      ...(cmd.connections !== undefined ? { connections: cmd.connections } : {}),
      ...(cmd.partSize !== undefined ? { partSize: cmd.partSize } : {}),
      durability: cmd.durability,
      ...(cmd.sha256 !== undefined ? { checksum: { sha256: cmd.sha256 } } : {}),
      ...(cmd.retries !== undefined ? { retry: { retries: cmd.retries } } : {}),
      headers: cmd.headers,
      ...(onProgress ? { onProgress, progressIntervalMs: tty ? 200 : 1000 } : {}),
    });
    if (tty && onProgress) process.stderr.write('\n');
    if (cmd.json) process.stdout.write(`${JSON.stringify({ ok: true, output: cmd.output, ...result })}\n`);
    else if (!cmd.quiet)
      process.stderr.write(`${cmd.output}: ${result.bytes} bytes, sha256 ${result.sha256}\n`);
    return EXIT.ok;
  } catch (err) {
    if (tty && onProgress) process.stderr.write('\n');
    const code = exitCodeFor(err);
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`fetch-stream: ${message}\n`);
    if (cmd.json) {
      const e = err instanceof FetchStreamError ? err : undefined;
      process.stdout.write(
        `${JSON.stringify({ ok: false, output: cmd.output, exitCode: code, error: { name: e?.name ?? 'Error', code: e?.code, message } })}\n`,
      );
    }
    return code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Finds this package's package.json from the running file (dist/cli.js or src/cli/main.ts). */
function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@downloader/fetch-stream' && pkg.version) return pkg.version;
    } catch {
      // not here; look one level up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fetch-stream: unexpected failure: ${String(err)}\n`);
    process.exitCode = EXIT.network;
  },
);
