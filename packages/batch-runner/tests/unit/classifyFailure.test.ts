import {
  AbortedError,
  ChecksumMismatchError,
  HttpStatusError,
  InvalidOptionsError,
  NetworkError,
  SinkError,
  SizeMismatchError,
} from '@downloader/fetch-stream';
import { S3SinkError } from '@downloader/fetch-stream/s3';
import { describe, expect, it } from 'vitest';
import { BatchRunnerError } from '../../src/errors.js';
import { ExitCode } from '../../src/exitCodes.js';
import { classifyFailure } from '../../src/run/classifyFailure.js';

describe('classifyFailure', () => {
  it.each([
    ['a 404 from the source', new HttpStatusError(404, 'https://h/x'), ExitCode.SourceRefused],
    ['a 503 from the source', new HttpStatusError(503, 'https://h/x'), ExitCode.Retryable],
    ['a 429 from the source', new HttpStatusError(429, 'https://h/x'), ExitCode.Retryable],
    [
      'a checksum mismatch',
      new ChecksumMismatchError('sha256', 'aa', 'bb', 'caller'),
      ExitCode.VerificationFailed,
    ],
    ['an abort (SIGTERM)', new AbortedError(new Error('SIGTERM')), ExitCode.Retryable],
    ['a size mismatch', new BatchRunnerError('SIZE_MISMATCH', 'size'), ExitCode.VerificationFailed],
    ['a forced stop after a signal', new BatchRunnerError('STOPPED', 'stopped'), ExitCode.Retryable],
    [
      'a failed S3 request inside a sink error',
      new SinkError('complete', new S3SinkError('S3_REQUEST_FAILED', 'x')),
      ExitCode.Retryable,
    ],
    [
      'an S3 verification failure',
      new S3SinkError('S3_VERIFICATION_FAILED', 'x'),
      ExitCode.VerificationFailed,
    ],
    ['bad options given to fetch-stream', new InvalidOptionsError('bad'), ExitCode.Usage],
    [
      'a size the source declares otherwise',
      new SizeMismatchError(10, 11, 'https://h/x'),
      ExitCode.VerificationFailed,
    ],
    ['a network failure after retries', new NetworkError('ECONNRESET'), ExitCode.Retryable],
    ['an unknown error', new TypeError('boom'), ExitCode.Internal],
  ])('maps %s to its exit code', (_name, error, exitCode) => {
    expect(classifyFailure(error).exitCode).toBe(exitCode);
  });
});
