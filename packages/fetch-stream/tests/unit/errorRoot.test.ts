import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { InternalError, StaleConnectionError } from '../../src/errors.js';
import { FetchStreamError, MisplacedRangeError, NetworkError, ProtocolError } from '../../src/index.js';

describe('one error root', () => {
  it.each([
    ['a usage error of the CLI', new UsageError('Missing <url>.'), 'USAGE'],
    ['a stale kept-alive connection', new StaleConnectionError(new Error('ECONNRESET')), 'NETWORK'],
    ['a broken invariant', new InternalError('two readers of one body'), 'INTERNAL'],
    ['a 206 not containing the asked byte', new MisplacedRangeError(100, 200, 299), 'PROTOCOL'],
  ])('%s is a FetchStreamError with a stable code', (_what, error, code) => {
    expect(error).toBeInstanceOf(FetchStreamError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(error.constructor.name);
  });

  it('keeps the subclass relations callers branch on', () => {
    expect(new StaleConnectionError(undefined)).toBeInstanceOf(NetworkError);
    expect(new MisplacedRangeError(1, 2, 3)).toBeInstanceOf(ProtocolError);
    expect(new MisplacedRangeError(1, 2, 3).message).toMatch(/covers bytes 2-3 but byte 1 was requested/);
  });
});
