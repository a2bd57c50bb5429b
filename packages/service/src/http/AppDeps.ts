/** What `createApp` is built from: the ports plus settings. */
import type { ResolvedProviderProfile, SnsCertificateFetcher } from '@downloader/callback-core';
import type { WorkflowSettings } from '../config/ServiceConfig.js';
import type { DeliveryStore } from '../ports/DeliveryStore.js';
import type { WorkflowEngine } from '../ports/WorkflowEngine.js';
import type { HttpErrorCode } from './HttpError.js';
import type { Logger } from './logger.js';

/** Dependencies of the HTTP app. The same app serves Lambda (AWS adapters) and node:http (local ones). */
export interface AppDeps {
  readonly store: DeliveryStore;
  readonly engine: WorkflowEngine;
  /** Provider profiles by id, secrets resolved. */
  readonly providers: ReadonlyMap<string, ResolvedProviderProfile>;
  readonly workflow: WorkflowSettings;
  /**
   * Public base URL of callback URLs (`https://hooks.example.com/prod`).
   * @default the origin of the registration request
   */
  readonly publicBaseUrl?: string;
  /**
   * The listener's own URL, used for callback URLs when `publicBaseUrl` is unset (read per
   * request: known once the listener listens). Only when neither is set (Lambda behind API
   * Gateway) does the request's origin serve.
   */
  readonly listenerUrl?: () => string | undefined;
  /** @default a JSON logger on stdout */
  readonly logger?: Logger;
  /** The clock. @default () => new Date() */
  readonly now?: () => Date;
  /** Needed only for providers using the `sns` scheme. */
  readonly snsCertificateFetcher?: SnsCertificateFetcher;
  /**
   * Told of every refused callback (a 4xx answer to `POST /callbacks/{id}`) with its stable code,
   * e.g. to count rejections by reason. Called on the error path only.
   */
  readonly onCallbackRefused?: (code: HttpErrorCode) => void;
  /** Largest `POST /deliveries` body. @default 1 MiB */
  readonly maxRegistrationBytes?: number;
}
