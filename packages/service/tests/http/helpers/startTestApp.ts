/** Serves the HTTP app with in-memory ports on a loopback port, with a controllable clock. */
import {
  generateStandardWebhooksSecret,
  parseProviderProfile,
  type ResolvedProviderProfile,
  resolveSecrets,
} from '@downloader/callback-core';
import { createApp } from '../../../src/http/createApp.js';
import { type Logger, silentLogger } from '../../../src/http/logger.js';
import { type RunningHttpServer, startHttpServer } from '../../../src/http/startHttpServer.js';
import { InMemoryDeliveryStore } from './InMemoryDeliveryStore.js';
import { RecordingEngine } from './RecordingEngine.js';

/** A running app and its doubles. */
export interface TestApp {
  readonly server: RunningHttpServer;
  readonly store: InMemoryDeliveryStore;
  readonly engine: RecordingEngine;
  readonly secret: string;
  readonly profile: ResolvedProviderProfile;
  /** Moves the app's clock. */
  setNow(date: Date): void;
  close(): Promise<void>;
}

/** Starts the app with one provider `acme` (Standard Webhooks, inline files from files.example.com, 4 KiB body cap). */
export async function startTestApp(
  options: {
    readonly logger?: Logger;
    /** Replaces the profile's `files` block (e.g. a list API). */
    readonly files?: Readonly<Record<string, unknown>>;
    /** Replaces the profile's allowed hosts. */
    readonly allowedHosts?: readonly string[];
  } = {},
): Promise<TestApp> {
  const secret = generateStandardWebhooksSecret();
  const profile = resolveSecrets(
    parseProviderProfile({
      id: 'acme',
      signature: { scheme: 'standard-webhooks', secrets: [{ id: 'k1', value: { env: 'ACME_SECRET' } }] },
      maxBodyBytes: 4096,
      files: options.files ?? { source: 'inline' },
      urlPolicy: { allowedHosts: options.allowedHosts ?? ['files.example.com'] },
    }),
    { ACME_SECRET: secret },
  );
  const store = new InMemoryDeliveryStore();
  const engine = new RecordingEngine();
  let now = new Date();
  const app = createApp({
    store,
    engine,
    providers: new Map([[profile.id, profile]]),
    workflow: { callbackTimeoutSeconds: 3600, maxConcurrency: 4, largeFileThreshold: 1024 * 1024 },
    logger: options.logger ?? silentLogger,
    now: () => now,
  });
  const server = await startHttpServer(app);
  return {
    server,
    store,
    engine,
    secret,
    profile,
    setNow: (date) => {
      now = date;
    },
    close: () => server.close(),
  };
}
