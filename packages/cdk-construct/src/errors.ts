/** Errors thrown while constructing a {@link CallbackDownloader}. */

/** Stable codes of {@link CallbackDownloaderError}. */
export type CallbackDownloaderErrorCode = 'CONFLICTING_PROPS' | 'INVALID_PROPS' | 'MISSING_ASSET';

/** Base error of this package: thrown at synth time when the props cannot be honoured. */
export class CallbackDownloaderError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: CallbackDownloaderErrorCode;

  constructor(code: CallbackDownloaderErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CallbackDownloaderError';
    this.code = code;
  }
}

/**
 * Throws when both an existing resource and props for a new one are given: the construct would
 * have to silently ignore one of them.
 */
export function assertNotBoth(
  existingName: string,
  existing: unknown,
  propsName: string,
  props: unknown,
): void {
  if (existing !== undefined && props !== undefined) {
    throw new CallbackDownloaderError(
      'CONFLICTING_PROPS',
      `CallbackDownloader: pass either "${existingName}" or "${propsName}", not both ` +
        `("${propsName}" configures a new resource; "${existingName}" reuses one you own).`,
    );
  }
}
