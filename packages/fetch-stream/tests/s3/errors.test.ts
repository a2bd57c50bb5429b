import { describe, expect, it } from 'vitest';
import { FetchStreamError } from '../../src/errors.js';
import { S3SinkError } from '../../src/s3/errors.js';

describe('S3SinkError', () => {
  it('is a FetchStreamError with its code, cause and name, retryable when the upload can be resumed', () => {
    // Act
    const failed = new S3SinkError('S3_REQUEST_FAILED', 'UploadPart failed', { cause: new Error('503') });
    const mismatch = new S3SinkError('S3_VERIFICATION_FAILED', 'sha256 differs');

    // Assess
    expect(failed).toBeInstanceOf(FetchStreamError);
    expect(failed).toMatchObject({ name: 'S3SinkError', code: 'S3_REQUEST_FAILED', retryable: true });
    expect((failed.cause as Error).message).toBe('503');
    expect(mismatch.retryable).toBe(false);
    expect(new S3SinkError('S3_ABORTED', 'stopped').retryable).toBe(true);
  });
});
