/** Reads the config file, applies environment overrides, validates everything at once. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CallbackCoreError,
  generateStandardWebhooksSecret,
  InvalidProfileError,
  MissingSecretError,
  parseProviderProfile,
  type ResolvedProviderProfile,
  resolveSecrets,
} from '@downloader/callback-core';
import * as v from 'valibot';
import { ConfigError, type ConfigIssue } from './ConfigError.js';
import { configFileSchema } from './configFileSchema.js';
import { DEMO_PROVIDER_ID, DEMO_SECRET_VARIABLE, demoProfileInput } from './demoProfile.js';
import { applyEnvOverrides, type EnvOrigins } from './envOverrides.js';
import { isLoopbackHost } from './isLoopbackHost.js';
import type { ServiceConfig } from './ServiceConfig.js';

/** Name of the config file looked for in the working directory when none is named. */
export const DEFAULT_CONFIG_FILE = 'downloader.config.json';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Environment to read overrides and secrets from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Base of relative paths. @default process.cwd() */
  readonly cwd?: string;
  /** Config file path; else `DOWNLOADER_CONFIG`; else `./downloader.config.json` when it exists. */
  readonly configFile?: string;
  /** The config file's content given directly (tests, embedding); the file is then not read. */
  readonly config?: unknown;
}

function readConfigFile(path: string): { raw?: unknown; issue?: ConfigIssue } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { issue: { path: 'file', message: `cannot read ${path}: ${(error as Error).message}` } };
  }
  try {
    return { raw: JSON.parse(text) };
  } catch (error) {
    return { issue: { path: 'file', message: `${path} is not valid JSON: ${(error as Error).message}` } };
  }
}

function pathOf(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? [])
    .map((item) => (typeof item.key === 'number' ? `[${item.key}]` : `.${String(item.key)}`))
    .join('')
    .replace(/^\./, '');
}

function schemaIssues(issues: readonly v.BaseIssue<unknown>[], origins: EnvOrigins): ConfigIssue[] {
  return issues.map((issue) => {
    const path = pathOf(issue) || '(root)';
    const variable = origins.get(path);
    return { path: variable === undefined ? path : `env.${variable} (${path})`, message: issue.message };
  });
}

function checkBaseUrl(url: string | undefined): ConfigIssue | undefined {
  if (url === undefined) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { path: 'server.publicBaseUrl', message: `must be http(s), not ${parsed.protocol}` };
  }
  if (parsed.search !== '' || parsed.hash !== '' || parsed.username !== '' || parsed.password !== '') {
    return {
      path: 'server.publicBaseUrl',
      message: 'must not have a query, fragment, user name or password',
    };
  }
  return undefined;
}

/** Variable holding the API token (never the config file: it is a secret). */
export const API_TOKEN_VARIABLE = 'DOWNLOADER_API_TOKEN';

/**
 * The API token from the environment, checked; an issue when the bind is reachable from other
 * machines and there is none: registration, reads and the dashboard's data would be open to them.
 */
function apiTokenOf(
  host: string,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
): string | undefined {
  const token = env[API_TOKEN_VARIABLE];
  if (token !== undefined && token !== '') {
    if (!/^[\x21-\x7e]{24,512}$/.test(token)) {
      issues.push({
        path: `env.${API_TOKEN_VARIABLE}`,
        message: 'must be 24 to 512 printable characters without spaces (e.g. openssl rand -hex 32)',
      });
      return undefined;
    }
    return token;
  }
  if (!isLoopbackHost(host)) {
    issues.push({
      path: 'server.host',
      message: `${host} is reachable from other machines: set ${API_TOKEN_VARIABLE} (a bearer token for registration, reads and the dashboard), or bind 127.0.0.1`,
    });
  }
  return undefined;
}

/** Paths of secret values written literally into a profile (only `{ env }` references are allowed). */
function literalSecretPaths(input: unknown, at: string): string[] {
  return [...literalSigningSecretPaths(input, at), ...literalCredentialPaths(input, at)];
}

/** `requestAuth` credentials (`token`, `value`, `password`) written as literal strings. */
function literalCredentialPaths(input: unknown, at: string): string[] {
  if (typeof input !== 'object' || input === null) return [];
  const entries: unknown = (input as Record<string, unknown>).requestAuth;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null) return [];
    return ['token', 'value', 'password']
      .filter((field) => typeof (entry as Record<string, unknown>)[field] === 'string')
      .map((field) => `${at}.requestAuth[${index}].${field}`);
  });
}

function literalSigningSecretPaths(input: unknown, at: string): string[] {
  if (typeof input !== 'object' || input === null) return [];
  const signature: unknown = (input as Record<string, unknown>).signature;
  if (typeof signature !== 'object' || signature === null) return [];
  const secrets: unknown = (signature as Record<string, unknown>).secrets;
  if (!Array.isArray(secrets)) return [];
  return secrets.flatMap((secret: unknown, index) =>
    typeof secret === 'object' &&
    secret !== null &&
    typeof (secret as Record<string, unknown>).value === 'string'
      ? [`${at}.signature.secrets[${index}].value`]
      : [],
  );
}

/** The deployment's ceilings win over a profile that allows more. */
function withCeilings(
  profile: ResolvedProviderProfile,
  workflow: { readonly maxFileBytes: number; readonly maxDeliveryBytes: number },
): ResolvedProviderProfile {
  return {
    ...profile,
    limits: {
      ...profile.limits,
      maxFileBytes: Math.min(profile.limits.maxFileBytes, workflow.maxFileBytes),
      maxDeliveryBytes: Math.min(profile.limits.maxDeliveryBytes, workflow.maxDeliveryBytes),
    },
  };
}

function loadProfile(
  input: unknown,
  at: string,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
  workflow: { readonly maxFileBytes: number; readonly maxDeliveryBytes: number },
): ResolvedProviderProfile | undefined {
  try {
    return withCeilings(resolveSecrets(parseProviderProfile(input), env), workflow);
  } catch (error) {
    if (error instanceof InvalidProfileError) {
      for (const issue of error.issues) {
        issues.push({ path: issue.path === '' ? at : `${at}.${issue.path}`, message: issue.message });
      }
    } else if (error instanceof MissingSecretError) {
      issues.push({
        path: `${at}.${error.path}`,
        message: `environment variable(s) ${error.variables.join(', ')} not set; secrets are only read from the environment`,
      });
    } else if (error instanceof CallbackCoreError) {
      issues.push({ path: at, message: error.message });
    } else {
      throw error;
    }
    return undefined;
  }
}

/**
 * Builds the service configuration: config file (optional) → environment overrides → validation
 * of every block and every provider profile. Zero config is valid: the server binds 127.0.0.1:8080
 * and the built-in demo provider accepts files from `127.0.0.1:8081` only.
 *
 * @throws {@link ConfigError} listing every invalid setting with its path or variable
 */
export function loadConfig(options: LoadConfigOptions = {}): ServiceConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const issues: ConfigIssue[] = [];

  let raw: unknown = options.config ?? {};
  let configFile: string | undefined;
  if (options.config === undefined) {
    const named = options.configFile ?? env.DOWNLOADER_CONFIG;
    const candidate = resolve(cwd, named ?? DEFAULT_CONFIG_FILE);
    if (named !== undefined || existsSync(candidate)) {
      configFile = candidate;
      const read = readConfigFile(candidate);
      if (read.issue !== undefined) throw new ConfigError([read.issue]);
      raw = read.raw;
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError([{ path: '(root)', message: 'the config must be a JSON object' }]);
  }

  const overridden = applyEnvOverrides(raw as Record<string, unknown>, env);
  issues.push(...overridden.issues);
  const parsed = v.safeParse(configFileSchema, overridden.config);
  if (!parsed.success) {
    issues.push(...schemaIssues(parsed.issues, overridden.origins));
    throw new ConfigError(issues);
  }
  const file = parsed.output;
  const baseUrlIssue = checkBaseUrl(file.server.publicBaseUrl);
  if (baseUrlIssue !== undefined) issues.push(baseUrlIssue);
  const apiToken = apiTokenOf(file.server.host, env, issues);

  const providers = new Map<string, ResolvedProviderProfile>();
  file.providers.forEach((input, index) => {
    const literal = literalSecretPaths(input, `providers[${index}]`);
    if (literal.length > 0) {
      for (const path of literal) {
        issues.push({
          path,
          message:
            'secrets are never stored in the config file; write { "env": "VARIABLE_NAME" } and set that variable',
        });
      }
      return;
    }
    const profile = loadProfile(input, `providers[${index}]`, env, issues, file.workflow);
    if (profile === undefined) return;
    if (providers.has(profile.id)) {
      issues.push({ path: `providers[${index}].id`, message: `provider id "${profile.id}" is used twice` });
      return;
    }
    providers.set(profile.id, profile);
  });

  let demoProvider: ServiceConfig['demoProvider'];
  if (file.demoProvider.enabled) {
    if (providers.has(DEMO_PROVIDER_ID)) {
      issues.push({
        path: 'providers',
        message: `provider id "${DEMO_PROVIDER_ID}" is reserved for the built-in demo provider; rename it or set demoProvider.enabled to false`,
      });
    } else {
      const given = env[DEMO_SECRET_VARIABLE];
      const secret = given === undefined || given === '' ? generateStandardWebhooksSecret() : given;
      const profile = loadProfile(
        demoProfileInput(file.demoProvider.port),
        'demoProvider',
        { [DEMO_SECRET_VARIABLE]: secret },
        issues,
        file.workflow,
      );
      if (profile !== undefined) {
        providers.set(DEMO_PROVIDER_ID, profile);
        demoProvider = { port: file.demoProvider.port, secret, secretGenerated: secret !== given };
      }
    }
  }

  if (issues.length > 0) throw new ConfigError(issues);
  return {
    server: { ...file.server, ...(apiToken === undefined ? {} : { apiToken }) },
    dataDir: resolve(cwd, file.dataDir),
    downloadsDir: resolve(cwd, file.downloadsDir),
    workflow: file.workflow,
    providers,
    ...(demoProvider === undefined ? {} : { demoProvider }),
    ...(configFile === undefined ? {} : { configFile }),
  };
}
