/** A Lambda or Batch entrypoint started without the settings the CDK construct provides. */

/** Raised at cold start when an environment variable is missing or malformed. */
export class AwsSettingsError extends Error {
  /** Stable code. */
  readonly code = 'AWS_SETTINGS_INVALID';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AwsSettingsError';
  }
}
