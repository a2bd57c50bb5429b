/** valibot schema of the config file (`downloader.config.json`). Provider profiles are checked by callback-core. */
import * as v from 'valibot';

const port = v.pipe(v.number(), v.integer('a port is an integer'), v.minValue(0), v.maxValue(65_535));
const positiveInteger = (max: number) =>
  v.pipe(v.number(), v.integer('expected an integer'), v.minValue(1), v.maxValue(max));

/** Schema of the `server` block. */
export const serverSchema = v.strictObject({
  /** Address the HTTP server binds to. Loopback by default: the registration API is not for the internet. */
  host: v.optional(v.pipe(v.string(), v.minLength(1)), '127.0.0.1'),
  port: v.optional(port, 8080),
  /** Origin (and optional path) providers reach the callback URLs at. @default `http://<host>:<port>` */
  publicBaseUrl: v.optional(
    v.pipe(v.string(), v.url('expected an absolute URL such as https://hooks.example.com')),
  ),
  /**
   * A second listener that serves only `POST /callbacks/{id}` and `GET /healthz`, for exposing
   * callbacks to providers while registration stays on loopback. @default none
   */
  callbacks: v.optional(
    v.strictObject({
      host: v.pipe(v.string(), v.minLength(1)),
      port,
    }),
  ),
  /**
   * Extra `Host` names the private listener answers for (`name` or `name:port`), besides its
   * loopback names, its bind address and the public base URL's host. @default none
   */
  allowedHosts: v.optional(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(255)))),
  /** Most simultaneous connections per listener; more wait in the kernel's backlog. @default 1024 */
  maxConnections: v.optional(positiveInteger(1_000_000), 1024),
});

/** Schema of the `workflow` block. */
export const workflowSchema = v.strictObject({
  /** How long a delivery waits for its callback. @default 86 400 (one day) */
  callbackTimeoutSeconds: v.optional(positiveInteger(365 * 24 * 3600), 86_400),
  /** Files downloaded at the same time per delivery. @default 4 */
  maxConcurrency: v.optional(positiveInteger(256), 4),
  /** Files this large (bytes) or of unknown size go through the large-file runner. @default 64 MiB */
  largeFileThreshold: v.optional(positiveInteger(Number.MAX_SAFE_INTEGER), 64 * 1024 * 1024),
  /**
   * Ceiling of every provider's `limits.maxFileBytes`: the largest file accepted, declared or
   * of unknown size. @default 64 GiB (a profile may set less)
   */
  maxFileBytes: v.optional(positiveInteger(Number.MAX_SAFE_INTEGER), 64 * 1024 ** 3),
  /** Ceiling of every provider's `limits.maxDeliveryBytes` (sum of declared sizes). @default 1 TiB */
  maxDeliveryBytes: v.optional(positiveInteger(Number.MAX_SAFE_INTEGER), 1024 ** 4),
  /**
   * Least average speed of a file's body, bytes per second over 60 s; a server dripping slower
   * loses the connection and the attempt is retried, so it cannot hold a download slot forever.
   * 0 turns it off. @default 1024
   */
  minBytesPerSecond: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 1024),
});

/** Schema of the `demoProvider` block: the built-in loopback provider for `start` / `demo`. */
export const demoProviderSchema = v.strictObject({
  /** @default true */
  enabled: v.optional(v.boolean(), true),
  /** The one loopback port the demo provider's file URLs may point at. @default 8081 */
  port: v.optional(v.pipe(port, v.minValue(1)), 8081),
});

/** Schema of the whole config file; every block is optional (zero-config start). */
export const configFileSchema = v.strictObject({
  $schema: v.optional(v.string()),
  server: v.optional(serverSchema, {}),
  /** SQLite state and journals. @default ./.downloader */
  dataDir: v.optional(v.pipe(v.string(), v.minLength(1)), './.downloader'),
  /** Where files land: `<downloadsDir>/<deliveryId>/<name>`. @default ./downloads */
  downloadsDir: v.optional(v.pipe(v.string(), v.minLength(1)), './downloads'),
  workflow: v.optional(workflowSchema, {}),
  demoProvider: v.optional(demoProviderSchema, {}),
  /** Provider profiles (see callback-core `parseProviderProfile`); secrets as `{ "env": "NAME" }`. */
  providers: v.optional(v.array(v.unknown()), []),
});

/** The config file after validation and defaults (profiles not yet parsed). */
export type ConfigFile = v.InferOutput<typeof configFileSchema>;
