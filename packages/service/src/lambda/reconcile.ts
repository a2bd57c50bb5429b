/**
 * Lambda entrypoint of the reconciler, invoked on a schedule (every few minutes): drives on or
 * ends deliveries stuck in a non-terminal status (see `reconcileDeliveries`), each with its event,
 * its `StalledDeliveries` metric and, when it ended, its outcome metrics.
 */
import { AWS_ENV, positiveInteger } from '../adapters/aws/awsSettings.js';
import { type ReconcileReport, reconcileDeliveries } from '../recovery/reconcileDeliveries.js';
import { awsDependencies } from './awsDependencies.js';
import { recordStalledDelivery } from './observability/outcomeMetrics.js';
import { logger, metrics } from './observability/powertools.js';
import { withObservability } from './observability/withObservability.js';
import { reportTerminal } from './publishOnTerminal.js';

const MINUTE = 60_000;

export function handler(): Promise<ReconcileReport> {
  return withObservability('Reconcile', undefined, async () => {
    const deps = awsDependencies();
    const env = deps.env;
    const [store, engine, executionState] = await Promise.all([
      deps.store(),
      deps.engine(),
      deps.executionState(),
    ]);
    const report = await reconcileDeliveries(
      {
        store,
        engine,
        executionState,
        now: () => new Date(),
        onAction: async (action, delivery) => {
          recordStalledDelivery(metrics, action);
          logger.warn('stuck delivery reconciled', {
            deliveryId: delivery.id,
            action,
            status: delivery.status,
          });
          if (action !== 'resent') await reportTerminal(deps, delivery);
        },
      },
      {
        stallAfterMs: positiveInteger(env, AWS_ENV.stallAfterMinutes, 60) * MINUTE,
        maxDeliveries: positiveInteger(env, AWS_ENV.reconcileMaxDeliveries, 5000),
      },
    );
    logger.info('reconciler run', {
      examined: report.examined,
      actions: report.actions.length,
      relayFailures: report.relayFailures.length,
    });
    return report;
  });
}
