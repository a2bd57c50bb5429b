/** Lambda entrypoint of the AwaitCallback Task. */
import { awaitCallbackHandler } from './awaitCallbackHandler.js';

export const handler = awaitCallbackHandler;
