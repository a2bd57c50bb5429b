/** A local runtime on temp folders with a loopback origin, as the runtime tests use it. */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { PayloadProfile } from '@downloader/callback-core';
import {
  createLocalRuntime,
  type LocalRuntime,
  type LocalRuntimeConfig,
} from '../../src/runtime/createLocalRuntime.js';
import { demoProfile } from './demoProfile.js';
import type { Origin } from './startOrigin.js';
import { makeTempDir } from './tempDir.js';

export interface RuntimeFixture {
  readonly root: string;
  readonly downloadsDir: string;
  readonly profile: PayloadProfile;
  start(overrides?: Partial<LocalRuntimeConfig>): Promise<LocalRuntime>;
  remove(): Promise<void>;
}

export async function runtimeFixture(
  origin: Pick<Origin, 'port'>,
  files: 'inline' | 'manifest' = 'inline',
): Promise<RuntimeFixture> {
  const dir = await makeTempDir('svc-runtime-');
  const profile = demoProfile(origin.port, files);
  const downloadsDir = join(dir.path, 'downloads');
  return {
    root: dir.path,
    downloadsDir,
    profile,
    start: (overrides = {}) =>
      createLocalRuntime({
        stateDir: join(dir.path, '.downloader'),
        downloadsDir,
        profiles: { demo: profile },
        retryDelayMs: 10,
        connections: 1,
        ...overrides,
      }),
    remove: dir.remove,
  };
}

export function randomBody(size: number): Buffer {
  return randomBytes(size);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
