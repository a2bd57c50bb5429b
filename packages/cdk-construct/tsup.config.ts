import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';
import { TASK_NAMES } from '../service/src/workflow/taskNames.js';

const serviceSrc = (path: string) => fileURLToPath(new URL(`../service/src/${path}`, import.meta.url));

/** `NextFileChunk` → `next-file-chunk` (same rule as `src/workflow/taskHandlers.ts`). */
const kebab = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
const camel = (name: string) => `${name.charAt(0).toLowerCase()}${name.slice(1)}`;

/** `dist/lambda/<name>/index.mjs` ← the service's Lambda entrypoint (`src/lambda/<task>.ts`). */
const LAMBDA_BUNDLES: Record<string, string> = {
  api: 'lambda/api.ts',
  reconcile: 'lambda/reconcile.ts',
  ...Object.fromEntries(
    TASK_NAMES.filter((name) => name !== 'DownloadLarge').map((name) => [
      kebab(name),
      `lambda/${camel(name)}.ts`,
    ]),
  ),
};

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    // The typed provider profile comes from callback-core's valibot schema: its types are inlined,
    // so consumers need valibot neither installed nor as a type dependency.
    dts: { resolve: ['valibot'] },
    sourcemap: true,
    clean: false,
    shims: true,
    target: 'node20',
    external: ['aws-cdk-lib', 'constructs'],
    // The service's workflow builder (imported by relative path) is bundled into this package's
    // code: consumers never install the service.
  },
  // Pre-bundled handlers, one build per function: consumers synthesize without esbuild or Docker.
  // The AWS SDK v3 is left to the Node 22 runtime, which ships it. Code splitting puts each
  // lazily loaded adapter (and its SDK import) in its own chunk of the function's folder, so
  // module init loads only the handler.
  ...Object.entries(LAMBDA_BUNDLES).map(([name, path]) => ({
    entry: { index: serviceSrc(path) },
    outDir: `dist/lambda/${name}`,
    format: ['esm' as const],
    outExtension: () => ({ js: '.mjs' }),
    platform: 'node' as const,
    target: 'node22',
    bundle: true,
    splitting: true,
    minify: true,
    sourcemap: false,
    treeshake: true,
    // Everything else is bundled (this package lists no runtime dependencies).
    external: [/^@aws-sdk\//, /^@smithy\//],
    // The X-Ray SDK (Powertools Tracer) needs one package the runtime's SDK does not expose.
    noExternal: ['@smithy/service-error-classification'],
    // Bundled CommonJS dependencies call require(); give them one in each ES module.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  })),
  {
    // The Batch image's program: the AWS SDK is bundled too (a plain Node image has none).
    entry: { 'docker/batch-runner/job': serviceSrc('adapters/aws/batch/main.ts') },
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    platform: 'node',
    target: 'node22',
    bundle: true,
    splitting: false,
    minify: true,
    sourcemap: false,
    treeshake: true,
    noExternal: [/.*/],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    async onSuccess() {
      // The image recipe sits next to the program it copies.
      cpSync('docker', 'dist/docker', { recursive: true });
    },
  },
]);
