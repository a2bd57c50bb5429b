/** Logs, metrics and the delivery id around one invocation of any entrypoint. */
import { logger, metrics } from './powertools.js';

/** The delivery id of a task input, when it has one. */
function deliveryIdOf(event: unknown): string | undefined {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return undefined;
  const id = (event as { readonly deliveryId?: unknown }).deliveryId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Runs `body` with the delivery id and the function's name on every log line, logs a failure as
 * one JSON line with its error (name, message, stack), and publishes the metrics stored during the
 * invocation (single-metric records went out already).
 */
export async function withObservability<T>(name: string, event: unknown, body: () => Promise<T>): Promise<T> {
  const deliveryId = deliveryIdOf(event);
  logger.appendKeys({ task: name, ...(deliveryId === undefined ? {} : { deliveryId }) });
  try {
    return await body();
  } catch (error) {
    logger.error('task failed', error as Error);
    throw error;
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    logger.resetKeys();
  }
}
