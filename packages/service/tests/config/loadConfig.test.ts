import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/ConfigError.js';
import { loadConfig } from '../../src/config/loadConfig.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'downloader-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function issuesOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const acme = {
  id: 'acme',
  signature: { scheme: 'github', secrets: [{ value: { env: 'ACME_SECRET' } }] },
  files: { source: 'inline' },
};

describe('loadConfig', () => {
  it("applies workflow.maxFileBytes / maxDeliveryBytes (or their variables) as ceilings of every profile's limits", () => {
    const config = loadConfig({
      cwd: dir,
      env: { DOWNLOADER_MAX_FILE_BYTES: '1000' },
      config: { workflow: { maxDeliveryBytes: 5000 } },
    });

    expect(config.providers.get('demo')?.limits).toMatchObject({
      maxFileBytes: 1000,
      maxDeliveryBytes: 5000,
    });
  });

  it('starts with zero config: loopback 8080, local dirs, a demo provider bound to 127.0.0.1:8081 with a generated secret', () => {
    const config = loadConfig({ env: {}, cwd: dir });

    expect(config.server).toEqual({ host: '127.0.0.1', port: 8080, maxConnections: 1024 });
    expect(config.dataDir).toBe(join(dir, '.downloader'));
    expect(config.downloadsDir).toBe(join(dir, 'downloads'));
    expect(config.workflow).toEqual({
      callbackTimeoutSeconds: 86_400,
      maxConcurrency: 4,
      largeFileThreshold: 64 * 1024 * 1024,
      maxFileBytes: 64 * 1024 ** 3,
      maxDeliveryBytes: 1024 ** 4,
      minBytesPerSecond: 1024,
    });
    expect([...config.providers.keys()]).toEqual(['demo']);
    expect(config.providers.get('demo')?.urlPolicy.loopbackException).toEqual({
      host: '127.0.0.1',
      port: 8081,
    });
    expect(config.demoProvider).toMatchObject({ port: 8081, secretGenerated: true });
    expect(config.demoProvider?.secret).toMatch(/^whsec_/);
  });

  it('reads downloader.config.json from the working directory, secrets from the environment, env overrides on top', () => {
    writeFileSync(
      join(dir, 'downloader.config.json'),
      JSON.stringify({ server: { port: 9000 }, workflow: { maxConcurrency: 2 }, providers: [acme] }),
    );

    const config = loadConfig({
      env: { ACME_SECRET: 's3cr3t-value', PORT: '9100', DOWNLOADER_DEMO_PROVIDER: 'false' },
      cwd: dir,
    });

    expect(config.configFile).toBe(join(dir, 'downloader.config.json'));
    expect(config.server.port).toBe(9100);
    expect(config.workflow.maxConcurrency).toBe(2);
    expect([...config.providers.keys()]).toEqual(['acme']);
    const signature = config.providers.get('acme')?.signature;
    expect(signature && 'secrets' in signature ? signature.secrets[0]?.value : undefined).toBe(
      's3cr3t-value',
    );
    expect(config.demoProvider).toBeUndefined();
  });

  it('lists every invalid setting at once, naming the file path or the variable', () => {
    const issues = issuesOf(() =>
      loadConfig({
        env: { PORT: 'eighty', DOWNLOADER_MAX_CONCURRENCY: '0' },
        cwd: dir,
        config: { server: { host: '' }, workflow: { callbackTimeoutSeconds: -5 }, colour: 'blue' },
      }),
    );

    expect(issues.map((issue) => issue.path).sort()).toEqual(
      [
        'colour',
        'env.DOWNLOADER_MAX_CONCURRENCY (workflow.maxConcurrency)',
        'env.PORT',
        'server.host',
        'workflow.callbackTimeoutSeconds',
      ].sort(),
    );
  });

  it('refuses a provider whose secret variable is unset, without echoing any secret', () => {
    const issues = issuesOf(() => loadConfig({ env: {}, cwd: dir, config: { providers: [acme] } }));

    expect(issues).toEqual([
      {
        path: 'providers[0].signature.secrets',
        message: expect.stringContaining('ACME_SECRET not set'),
      },
    ]);
  });

  it('refuses a secret written into the config file instead of an env reference', () => {
    const literal = {
      ...acme,
      signature: { scheme: 'github', secrets: [{ value: 'hunter2hunter2hunter2hunter2hunter2' }] },
    };

    const issues = issuesOf(() => loadConfig({ env: {}, cwd: dir, config: { providers: [literal] } }));

    expect(issues).toEqual([
      {
        path: 'providers[0].signature.secrets[0].value',
        message: expect.stringContaining('never stored in the config file'),
      },
    ]);
    expect(JSON.stringify(issues)).not.toContain('hunter2');
  });

  it('refuses a requestAuth credential written into the config file, and names an unset one under requestAuth', () => {
    const literal = {
      ...acme,
      requestAuth: [
        { type: 'bearer', hosts: ['files.acme.example'], token: 'tok-literal-123' },
        { type: 'header', hosts: ['files.acme.example'], name: 'X-Key', value: { env: 'ACME_KEY' } },
      ],
    };
    const unset = { ...acme, requestAuth: [literal.requestAuth[1]] };

    const refused = issuesOf(() =>
      loadConfig({ env: { ACME_SECRET: 'x'.repeat(32) }, cwd: dir, config: { providers: [literal] } }),
    );
    const missing = issuesOf(() =>
      loadConfig({ env: { ACME_SECRET: 'x'.repeat(32) }, cwd: dir, config: { providers: [unset] } }),
    );

    expect(refused).toEqual([
      {
        path: 'providers[0].requestAuth[0].token',
        message: expect.stringContaining('never stored in the config file'),
      },
    ]);
    expect(JSON.stringify(refused)).not.toContain('tok-literal');
    expect(missing).toEqual([
      { path: 'providers[0].requestAuth', message: expect.stringContaining('ACME_KEY not set') },
    ]);
  });

  it('refuses an invalid profile and a duplicate provider id', () => {
    const issues = issuesOf(() =>
      loadConfig({
        env: { ACME_SECRET: 'x'.repeat(32) },
        cwd: dir,
        config: {
          providers: [
            acme,
            acme,
            { id: 'Bad Id', signature: { scheme: 'none' }, files: { source: 'inline' } },
          ],
        },
      }),
    );

    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['providers[1].id', 'providers[2].id']),
    );
  });

  it('reports an unreadable or malformed named config file', () => {
    writeFileSync(join(dir, 'broken.json'), '{ "server": ');

    const missing = issuesOf(() => loadConfig({ env: { DOWNLOADER_CONFIG: 'nope.json' }, cwd: dir }));
    const broken = issuesOf(() => loadConfig({ env: {}, cwd: dir, configFile: 'broken.json' }));

    expect(missing[0]?.message).toContain('cannot read');
    expect(broken[0]?.message).toContain('is not valid JSON');
  });

  it('uses DOWNLOADER_DEMO_SECRET for the demo provider and moves its port by env', () => {
    const config = loadConfig({
      env: {
        DOWNLOADER_DEMO_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        DOWNLOADER_DEMO_PROVIDER_PORT: '9999',
      },
      cwd: dir,
    });

    expect(config.demoProvider).toEqual({
      port: 9999,
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      secretGenerated: false,
    });
    expect(config.providers.get('demo')?.urlPolicy.loopbackException?.port).toBe(9999);
  });

  it('accepts the documented example config of apps/downloader-stack once its secret variables are set', () => {
    const example = join(
      import.meta.dirname,
      '../../../../apps/downloader-stack/downloader.config.example.json',
    );

    const config = loadConfig({
      configFile: example,
      cwd: dir,
      env: {
        ACME_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        ACME_WEBHOOK_SECRET_PREVIOUS: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
        SEQ_CORE_SECRET: 'x'.repeat(32),
      },
    });

    expect([...config.providers.keys()]).toEqual(['acme-exports', 'seq-core', 'demo']);
  });

  it('adds a callbacks-only listener from DOWNLOADER_CALLBACK_HOST / DOWNLOADER_CALLBACK_PORT, and says what is missing', () => {
    const config = loadConfig({
      cwd: dir,
      env: { DOWNLOADER_CALLBACK_HOST: '0.0.0.0', DOWNLOADER_CALLBACK_PORT: '8443' },
      config: {},
    });
    const issues = issuesOf(() =>
      loadConfig({ cwd: dir, env: { DOWNLOADER_CALLBACK_HOST: '0.0.0.0' }, config: {} }),
    );

    expect(config.server.callbacks).toEqual({ host: '0.0.0.0', port: 8443 });
    expect(config.server.host).toBe('127.0.0.1');
    expect(issues.map((issue) => issue.path)).toEqual(['server.callbacks.port']);
  });
});
