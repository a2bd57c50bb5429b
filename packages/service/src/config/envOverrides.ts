/** Settings taken from environment variables, which win over the config file. */
import type { ConfigIssue } from './ConfigError.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Each overridable setting: its variable, its place in the config file, and how its text is read. */
const OVERRIDES = [
  { env: 'PORT', path: ['server', 'port'], kind: 'integer' },
  { env: 'HOST', path: ['server', 'host'], kind: 'string' },
  { env: 'DOWNLOADER_PUBLIC_BASE_URL', path: ['server', 'publicBaseUrl'], kind: 'string' },
  { env: 'DOWNLOADER_CALLBACK_HOST', path: ['server', 'callbacks', 'host'], kind: 'string' },
  { env: 'DOWNLOADER_CALLBACK_PORT', path: ['server', 'callbacks', 'port'], kind: 'integer' },
  { env: 'DOWNLOADER_DATA_DIR', path: ['dataDir'], kind: 'string' },
  { env: 'DOWNLOADER_DOWNLOADS_DIR', path: ['downloadsDir'], kind: 'string' },
  {
    env: 'DOWNLOADER_CALLBACK_TIMEOUT_SECONDS',
    path: ['workflow', 'callbackTimeoutSeconds'],
    kind: 'integer',
  },
  { env: 'DOWNLOADER_MAX_CONCURRENCY', path: ['workflow', 'maxConcurrency'], kind: 'integer' },
  { env: 'DOWNLOADER_LARGE_FILE_THRESHOLD', path: ['workflow', 'largeFileThreshold'], kind: 'integer' },
  { env: 'DOWNLOADER_MAX_FILE_BYTES', path: ['workflow', 'maxFileBytes'], kind: 'integer' },
  { env: 'DOWNLOADER_MAX_DELIVERY_BYTES', path: ['workflow', 'maxDeliveryBytes'], kind: 'integer' },
  { env: 'DOWNLOADER_MIN_BYTES_PER_SECOND', path: ['workflow', 'minBytesPerSecond'], kind: 'integer' },
  { env: 'DOWNLOADER_DEMO_PROVIDER', path: ['demoProvider', 'enabled'], kind: 'boolean' },
  { env: 'DOWNLOADER_DEMO_PROVIDER_PORT', path: ['demoProvider', 'port'], kind: 'integer' },
] as const;

/** Every variable {@link applyEnvOverrides} reads, for documentation and error messages. */
export const OVERRIDE_VARIABLES: readonly string[] = OVERRIDES.map((override) => override.env);

/** Config path (`server.port`) → the variable that set it, so schema errors can name the variable. */
export type EnvOrigins = ReadonlyMap<string, string>;

function parseValue(
  kind: 'integer' | 'string' | 'boolean',
  text: string,
): { value: unknown } | { error: string } {
  switch (kind) {
    case 'integer':
      return /^\d{1,16}$/.test(text.trim())
        ? { value: Number(text.trim()) }
        : { error: `expected a whole number, got "${text}"` };
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(lower)) return { value: true };
      if (['0', 'false', 'no', 'off'].includes(lower)) return { value: false };
      return { error: `expected true or false (1/0, yes/no), got "${text}"` };
    }
    case 'string':
      return text.trim() === '' ? { error: 'is empty; unset it or give a value' } : { value: text.trim() };
  }
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    const child: Record<string, unknown> =
      typeof next === 'object' && next !== null && !Array.isArray(next)
        ? { ...(next as Record<string, unknown>) }
        : {};
    node[key] = child;
    node = child;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}

/**
 * Returns a copy of the raw config file with every set override variable applied.
 * Variables that are set but unreadable become issues (named `env.<VAR>`).
 */
export function applyEnvOverrides(
  raw: Record<string, unknown>,
  env: Env,
): {
  readonly config: Record<string, unknown>;
  readonly origins: EnvOrigins;
  readonly issues: ConfigIssue[];
} {
  const config: Record<string, unknown> = { ...raw };
  const origins = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  for (const override of OVERRIDES) {
    const text = env[override.env];
    if (text === undefined) continue;
    const parsed = parseValue(override.kind, text);
    if ('error' in parsed) {
      issues.push({ path: `env.${override.env}`, message: parsed.error });
      continue;
    }
    setAt(config, override.path, parsed.value);
    origins.set(override.path.join('.'), override.env);
  }
  return { config, origins, issues };
}
