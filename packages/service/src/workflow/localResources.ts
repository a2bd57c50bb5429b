/** Placeholder resources for the embedded engine, which overrides every Task with a handler. */
import type { TaskName } from './taskNames.js';
import { TASK_NAMES } from './taskNames.js';

/** A syntactically valid Lambda ARN per Task (never called: the local runtime overrides each Task). */
export function localResources(): Record<TaskName, string> {
  return Object.fromEntries(
    TASK_NAMES.map((name) => [name, `arn:aws:lambda:us-east-1:000000000000:function:downloader-${name}`]),
  ) as Record<TaskName, string>;
}
