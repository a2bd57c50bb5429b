import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

const serviceSrc = (path: string) => fileURLToPath(new URL(`../service/src/${path}`, import.meta.url));

/** `dist/lambda/<name>/index.mjs` ← the service's Lambda entrypoint. */
const LAMBDA_BUNDLES: Record<string, string> = {
  api: 'lambda/api.ts',
  'await-callback': 'lambda/awaitCallback.ts',
  'resolve-files': 'lambda/resolveFiles.ts',
  'probe-file': 'lambda/probeFile.ts',
  'download-small-file': 'lambda/downloadSmallFile.ts',
  finalize: 'lambda/finalize.ts',
};

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    shims: true,
    target: 'node20',
    external: ['aws-cdk-lib', 'constructs'],
    // The workflow builder is part of this package's code: consumers never install the service.
    noExternal: ['@downloader/service/workflow'],
    esbuildOptions(options) {
      options.alias = { '@downloader/service/workflow': serviceSrc('workflow/index.ts') };
    },
  },
  {
    // Pre-bundled handlers: consumers synthesize without esbuild or Docker. The AWS SDK v3 is
    // left to the Node 22 runtime, which ships it.
    entry: Object.fromEntries(
      Object.entries(LAMBDA_BUNDLES).map(([name, path]) => [`lambda/${name}/index`, serviceSrc(path)]),
    ),
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
    external: [/^@aws-sdk\//],
    // Bundled CommonJS dependencies call require(); give them one in the ES module.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    async onSuccess() {
      cpSync('docker', 'dist/docker', { recursive: true });
    },
  },
]);
