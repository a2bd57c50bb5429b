export type { AppDeps } from './AppDeps.js';
export { type CreateAppOptions, createApp } from './createApp.js';
export type { DeliveryView, FilePageView, FileView } from './deliveryView.js';
export { type ErrorBody, HttpError, type HttpErrorCode } from './HttpError.js';
export { toLambdaHandler } from './lambdaHandler.js';
export { createJsonLogger, type LogFields, type Logger, silentLogger } from './logger.js';
export { type RunningHttpServer, startHttpServer } from './startHttpServer.js';
export { type LocalService, type LocalServiceOptions, startLocalService } from './startLocalService.js';
