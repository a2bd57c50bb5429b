/** Names of the Task states of the delivery workflow: the keys of `resources` and of local handlers. */

export const TASK_NAMES = [
  'AwaitCallback',
  'ResolveFiles',
  'NextFileChunk',
  'ProbeFile',
  'DownloadSmall',
  'DownloadLarge',
  'MarkFileFailed',
  'Finalize',
  'MarkCallbackTimedOut',
  'MarkDeliveryFailed',
] as const;

/** One Task state of the delivery workflow. */
export type TaskName = (typeof TASK_NAMES)[number];
