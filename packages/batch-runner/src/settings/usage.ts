import { ExitCode } from '../exitCodes.js';
import { OPTIONS } from './options.js';

/** The `--help` text. */
export function usage(): string {
  const rows = OPTIONS.map((o) => {
    const flag = `  --${o.flag} ${o.value}`;
    return `${flag.padEnd(30)}${o.env.padEnd(33)}${o.help}`;
  });
  return [
    'Usage: batch-runner --url <url> (--bucket <b> --key <k> | --to-file <path>) [options]',
    '',
    'Downloads one file into S3 (resumable multipart upload) or a local file, verified.',
    'Every flag can also be given as the environment variable shown (flags win).',
    '',
    `  flag${' '.repeat(26)}environment variable${' '.repeat(13)}meaning`,
    ...rows,
    '  --help, --version',
    '',
    'Exit codes:',
    `  ${ExitCode.Success}   success: complete and verified`,
    `  ${ExitCode.Usage}  usage: bad flags or environment`,
    `  ${ExitCode.SourceRefused}  permanent: the source refused (HTTP 4xx other than 408/429)`,
    `  ${ExitCode.VerificationFailed}  verification failed: nothing was published, the upload was aborted`,
    `  ${ExitCode.Internal}  internal error`,
    `  ${ExitCode.Retryable}  retryable: network/5xx/S3 failure or SIGTERM; state saved, run again to resume`,
    '',
  ].join('\n');
}
