/** The validated configuration the service runs with. */
import type { ResolvedProviderProfile } from '@downloader/callback-core';

/** Knobs of the delivery workflow. */
export interface WorkflowSettings {
  readonly callbackTimeoutSeconds: number;
  readonly maxConcurrency: number;
  readonly largeFileThreshold: number;
  /**
   * Ceiling of every profile's `limits.maxFileBytes` (`loadConfig` applies it to `providers`).
   * @default 64 GiB
   */
  readonly maxFileBytes?: number;
  /** Ceiling of every profile's `limits.maxDeliveryBytes` (applied likewise). @default 1 TiB */
  readonly maxDeliveryBytes?: number;
  /** Least average body speed in bytes/s over 60 s before a file's connection is cut; 0: off. @default 1024 */
  readonly minBytesPerSecond?: number;
}

/** Everything `loadConfig` produces; paths are absolute. */
export interface ServiceConfig {
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** Explicit public base URL of callback URLs; when absent the server's own address is used. */
    readonly publicBaseUrl?: string;
    /** A callbacks-only listener (see the config file's `server.callbacks`). */
    readonly callbacks?: { readonly host: string; readonly port: number };
    /** Extra `Host` names the private listener answers for. */
    readonly allowedHosts?: readonly string[];
    /** Most simultaneous connections per listener. */
    readonly maxConnections?: number;
    /**
     * Bearer token required for everything but callbacks, `/healthz` and the dashboard page
     * (from `DOWNLOADER_API_TOKEN` only; required when `host` is not a loopback address).
     */
    readonly apiToken?: string;
  };
  readonly dataDir: string;
  readonly downloadsDir: string;
  readonly workflow: WorkflowSettings;
  /** Provider profiles by id, secrets resolved from the environment. */
  readonly providers: ReadonlyMap<string, ResolvedProviderProfile>;
  /** The built-in demo provider, when enabled. */
  readonly demoProvider?: {
    readonly port: number;
    /** True when no secret variable was set and a random one was made for this process. */
    readonly secretGenerated: boolean;
    /** The secret the demo provider must sign with (only for the local demo; from env or generated). */
    readonly secret: string;
  };
  /** The config file read, if any. */
  readonly configFile?: string;
}
