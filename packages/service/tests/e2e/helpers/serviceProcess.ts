/**
 * Entry of the service as its own process (for the crash test): configured only by environment,
 * as `pnpm start` is, and printing `{"url": …}` on stdout once it listens.
 */
import { loadConfig } from '../../../src/config/loadConfig.js';
import { silentLogger } from '../../../src/http/logger.js';
import { startLocalService } from '../../../src/http/startLocalService.js';

const config = loadConfig({ config: {} });
const service = await startLocalService(config, { logger: silentLogger, runtime: { retryDelayMs: 20 } });
process.stdout.write(
  `${JSON.stringify({ url: service.url, recovered: service.runtime.recovered.length })}\n`,
);
