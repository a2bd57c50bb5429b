/** Process entry of the guarded large-file runner (built to `dist/guardedBatchRunner.js`). */
import { runGuardedBatchRunner } from './runGuardedBatchRunner.js';

// Started by the local runtime with a stdin pipe it never writes to: the pipe closes when the
// service dies, even by SIGKILL. Stop then as on SIGTERM (state saved, exit 75), so no orphan
// keeps writing the file that the restarted service's next attempt resumes.
if (process.env.DOWNLOADER_PARENT_WATCH === 'stdin') {
  const stop = (): void => {
    process.kill(process.pid, 'SIGTERM');
  };
  process.stdin.once('end', stop);
  process.stdin.once('error', stop);
  process.stdin.resume();
}

// Exit explicitly, as batch-runner's own entry does: sockets of an abandoned download may linger.
runGuardedBatchRunner(process.argv.slice(2), process.env).then((code) => {
  process.exit(code);
});
