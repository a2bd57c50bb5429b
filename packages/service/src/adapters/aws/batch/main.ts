/** Process entry of the Batch image (bundled to `job.mjs` by the CDK construct's build). */
import { runDownloadLargeJob } from './downloadLargeJob.js';

const controller = new AbortController();
// Batch sends SIGTERM before SIGKILL when a job is stopped or times out: save state, exit 75.
process.once('SIGTERM', () => controller.abort(new Error('SIGTERM')));
runDownloadLargeJob(process.env, controller.signal).then((code) => {
  process.exitCode = code;
});
