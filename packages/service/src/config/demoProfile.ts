/** The built-in provider profile used by `start` and `demo`: a provider on this machine only. */

/** Id of the built-in demo provider. */
export const DEMO_PROVIDER_ID = 'demo';

/** Variable holding the demo provider's Standard Webhooks secret (`whsec_…`). */
export const DEMO_SECRET_VARIABLE = 'DOWNLOADER_DEMO_SECRET';

/**
 * The demo profile as config input (validated by callback-core like any other profile).
 * Its files may only come from `127.0.0.1:<port>` over plain http: the loopback exception allows
 * exactly that address and port and nothing wider.
 *
 * @param port - the demo provider's port
 */
export function demoProfileInput(port: number): Record<string, unknown> {
  return {
    id: DEMO_PROVIDER_ID,
    signature: {
      scheme: 'standard-webhooks',
      secrets: [{ id: 'demo', value: { env: DEMO_SECRET_VARIABLE } }],
    },
    files: { source: 'inline' },
    urlPolicy: { loopbackException: { host: '127.0.0.1', port } },
  };
}
