/**
 * The AWS adapters every entrypoint runs on, built once per container (Lambda reuses it across
 * invocations) from the environment the CDK construct sets. Each adapter and its AWS SDK client
 * is loaded on first use (a separate chunk of the bundle), so a handler's module init stays
 * small and a Task loads only the clients it calls.
 */
import type { ResolvedProviderProfile } from '@downloader/callback-core';
import type { Delivery } from '../domain/delivery.js';
import type { DeliveryStore } from '../ports/DeliveryStore.js';
import type { ObjectStore } from '../ports/ObjectStore.js';
import type { WorkflowEngine } from '../ports/WorkflowEngine.js';
import type { ExecutionState } from '../recovery/reconcileDeliveries.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Rotated provider secrets are picked up within this time without a redeploy. */
const PROFILES_MAX_AGE_MS = 5 * 60_000;

/** Clients and adapters shared by the handlers of one container. */
export interface AwsDependencies {
  readonly env: Env;
  store(): Promise<DeliveryStore>;
  objects(): Promise<ObjectStore>;
  /** The engine; starting executions needs `DOWNLOADER_STATE_MACHINE_ARN` (the API has it). */
  engine(): Promise<WorkflowEngine>;
  /** DescribeExecution of a delivery's execution (the reconciler; needs `DOWNLOADER_STATE_MACHINE_ARN`). */
  executionState(): Promise<(deliveryId: string) => Promise<ExecutionState>>;
  /** Puts the delivery's terminal event on `DOWNLOADER_EVENT_BUS`. */
  publish(delivery: Delivery): Promise<boolean>;
  /** Provider profiles with secrets, cached for a few minutes. */
  profiles(): Promise<ReadonlyMap<string, ResolvedProviderProfile>>;
}

/** A lazily created value; a failure is not kept, so the next call tries again. */
function lazy<T>(create: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    if (value === undefined) {
      const created = create();
      value = created;
      created.catch(() => {
        if (value === created) value = undefined;
      });
    }
    return value;
  };
}

/** Builds the dependencies from `env` (normally `process.env`). */
export function createAwsDependencies(env: Env): AwsDependencies {
  const store = lazy(async () => (await import('./load/createStore.js')).createStore(env));
  const objects = lazy(async () => (await import('./load/createObjects.js')).createObjects(env));
  const engine = lazy(async () => (await import('./load/createEngine.js')).createEngine(env));
  const executionState = lazy(async () =>
    (await import('./load/createExecutionState.js')).createExecutionState(env),
  );
  const publisher = lazy(async () => (await import('./load/createPublisher.js')).createPublisher(env));
  let cached: { at: number; profiles: Promise<ReadonlyMap<string, ResolvedProviderProfile>> } | undefined;
  return {
    env,
    store,
    objects,
    engine,
    executionState,
    publish: async (delivery) => (await publisher())(delivery),
    profiles() {
      if (cached === undefined || Date.now() - cached.at > PROFILES_MAX_AGE_MS) {
        const profiles = import('./load/loadProfiles.js').then((module) => module.loadProfiles(env));
        profiles.catch(() => {
          if (cached?.profiles === profiles) cached = undefined;
        });
        cached = { at: Date.now(), profiles };
      }
      return cached.profiles;
    },
  };
}

let shared: AwsDependencies | undefined;

/** The container's dependencies (created on first use from `process.env`). */
export function awsDependencies(): AwsDependencies {
  shared ??= createAwsDependencies(process.env);
  return shared;
}
