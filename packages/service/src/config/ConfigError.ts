/** The error every invalid setting ends in. */

/** One invalid setting: where it came from and what is wrong with it. */
export interface ConfigIssue {
  /** Dot path in the config file (`workflow.maxConcurrency`) or the environment variable (`env.PORT`). */
  readonly path: string;
  readonly message: string;
}

/**
 * The configuration cannot be used. `issues` lists every problem found (not only the first), each
 * with the setting it is about; secret values are never echoed.
 */
export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG' as const;
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    super(
      `Invalid downloader configuration:\n${issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n')}`,
      options,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
