import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { download } from '../download.js';
import { type DownloadItem, type DownloadItemOutcome, downloadAll } from '../downloadAll.js';
import { AbortedError, InternalError } from '../errors.js';
import { type CliCommand, HELP, parseCliArgs, type TransferFlags, UsageError, wantsJson } from './args.js';
import { EXIT, exitCodeFor } from './exitCodes.js';
import { parseInputList } from './inputList.js';
import { Interrupts } from './interrupts.js';
import { errorJson } from './lastWords.js';
import { FALLBACK_NAME, sanitizeFileName, urlName } from './outputName.js';
import { remoteName } from './remoteName.js';
import { JsonLinesReporter, type Reporter, TerminalReporter } from './reporter.js';

type DownloadCommand = Extract<CliCommand, { kind: 'download' }>;
type ListCommand = Extract<CliCommand, { kind: 'list' }>;

const stderrIsTerminal = process.stderr.isTTY === true;

function reporterFor(quiet: boolean): Reporter {
  const write = (text: string): void => {
    process.stderr.write(text);
  };
  return stderrIsTerminal
    ? new TerminalReporter(write, () => process.stderr.columns ?? 80, !quiet)
    : new JsonLinesReporter(write, !quiet);
}

function printJson(value: object): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function commonOptions(flags: TransferFlags, signal: AbortSignal) {
  return {
    signal,
    ...(flags.partSize !== undefined ? { partSize: flags.partSize } : {}),
    durability: flags.durability,
    ...(flags.retries !== undefined ? { retry: { retries: flags.retries } } : {}),
    headers: flags.headers,
    progressIntervalMs: stderrIsTerminal ? 200 : 1000,
  };
}

async function runOne(cmd: DownloadCommand, signal: AbortSignal): Promise<number> {
  const reporter = reporterFor(cmd.quiet);
  let output = cmd.output;
  try {
    output ??= join(cmd.dir ?? '.', await remoteName(cmd.url, cmd.headers));
    const target = output;
    const result = await download(cmd.url, {
      ...commonOptions(cmd, signal),
      output: target,
      ...(cmd.connections !== undefined ? { connections: cmd.connections } : {}),
      ...(cmd.sha256 !== undefined ? { checksum: { sha256: cmd.sha256 } } : {}),
      onStart: (info) => reporter.started(target, info),
      ...(cmd.quiet ? {} : { onProgress: (e) => reporter.progress(e) }),
    });
    reporter.end();
    reporter.finished(target, result);
    if (cmd.json) printJson({ ok: true, output: target, ...result });
    return EXIT.ok;
  } catch (err) {
    reporter.end();
    const code = exitCodeFor(err);
    reporter.failed(undefined, err, code);
    if (cmd.json) printJson({ ok: false, output, exitCode: code, error: errorJson(err) });
    return code;
  }
}

async function readList(path: string): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

/** The list's entries as download items: outputs under `dir`, named after the URL when unnamed. */
function itemsOf(text: string, dir: string): DownloadItem[] {
  return parseInputList(text).map((entry) => {
    const named = entry.output ?? sanitizeFileName(urlName(entry.url) ?? '') ?? FALLBACK_NAME;
    return {
      url: entry.url,
      output: join(dir, named),
      ...(entry.sha256 !== undefined ? { checksum: { sha256: entry.sha256 } } : {}),
    };
  });
}

function exitCodeOf(outcome: DownloadItemOutcome): number {
  return outcome.status === 'failed' ? exitCodeFor(outcome.error) : EXIT.ok;
}

async function runList(cmd: ListCommand, signal: AbortSignal): Promise<number> {
  const reporter = reporterFor(cmd.quiet);
  let items: DownloadItem[];
  try {
    items = itemsOf(await readList(cmd.inputFile), cmd.dir);
  } catch (err) {
    const usage =
      err instanceof UsageError
        ? err
        : new UsageError(`Cannot read the list ${cmd.inputFile}: ${(err as Error).message}`);
    reporter.failed(undefined, usage, EXIT.usage);
    if (cmd.json) printJson({ ok: false, exitCode: EXIT.usage, error: errorJson(usage) });
    return EXIT.usage;
  }
  let outcomes: DownloadItemOutcome[];
  try {
    outcomes = await downloadAll(items, {
      ...commonOptions(cmd, signal),
      concurrency: cmd.jobs,
      connectionsPerFile: cmd.connections ?? 1,
      ...(cmd.quiet ? {} : { onProgress: (e) => reporter.progress(e) }),
      onItemDone: (o) => {
        if (o.status === 'failed') reporter.failed(o.item.output, o.error, exitCodeFor(o.error));
        else if (o.status === 'kept') reporter.kept(o.item.output, o.bytes);
        else if (!stderrIsTerminal) reporter.finished(o.item.output, o.result);
      },
    });
  } catch (err) {
    reporter.end();
    const code = exitCodeFor(err);
    reporter.failed(undefined, err, code);
    if (cmd.json) printJson({ ok: false, exitCode: code, error: errorJson(err) });
    return code;
  }
  reporter.end();
  const codes = outcomes.map(exitCodeOf);
  const interrupted = outcomes.some((o) => o.status === 'failed' && o.error instanceof AbortedError);
  const exitCode = interrupted ? EXIT.interrupted : Math.max(EXIT.ok, ...codes);
  reporter.summary(outcomes, codes);
  if (cmd.json) {
    printJson({
      ok: exitCode === EXIT.ok,
      exitCode,
      files: outcomes.map((o, i) => ({
        url: String(o.item.url),
        output: o.item.output,
        status: o.status,
        exitCode: codes[i],
        ...(o.status === 'downloaded' ? { bytes: o.result.bytes, sha256: o.result.sha256 } : {}),
        ...(o.status === 'kept' ? { bytes: o.bytes } : {}),
        ...(o.status === 'failed' ? { error: errorJson(o.error) } : {}),
      })),
    });
  }
  return exitCode;
}

async function main(argv: readonly string[], interrupts: Interrupts, signal: AbortSignal): Promise<number> {
  let cmd: CliCommand;
  try {
    cmd = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (stderrIsTerminal)
      process.stderr.write(`fetch-stream: ${err.message}\nRun fetch-stream --help for usage.\n`);
    else reporterFor(true).failed(undefined, err, EXIT.usage);
    if (wantsJson(argv)) printJson({ ok: false, exitCode: EXIT.usage, error: errorJson(err) });
    return EXIT.usage;
  }
  if (cmd.kind === 'help') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (cmd.kind === 'version') {
    process.stdout.write(`${readVersion()}\n`);
    return EXIT.ok;
  }
  const code = cmd.kind === 'list' ? await runList(cmd, signal) : await runOne(cmd, signal);
  return interrupts.signal !== undefined ? EXIT.interrupted : code;
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

const controller = new AbortController();
const interrupts = new Interrupts((signal) => controller.abort(new Error(`interrupted by ${signal}`)));
main(process.argv.slice(2), interrupts, controller.signal).then(
  (code) => {
    process.exitCode = code;
    // Dies of the signal it received, after the state is saved and the last words are out.
    interrupts.reraise();
  },
  (err: unknown) => {
    // A bug, not the server's fault: still said the way this stderr speaks (JSON off a terminal).
    reporterFor(true).failed(
      undefined,
      new InternalError(`unexpected failure: ${String(err)}`),
      EXIT.network,
    );
    process.exitCode = EXIT.network;
    interrupts.reraise();
  },
);
