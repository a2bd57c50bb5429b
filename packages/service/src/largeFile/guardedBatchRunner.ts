/** Process entry of the guarded large-file runner (built to `dist/guardedBatchRunner.js`). */
import { stopWhenParentGoes } from './parentWatch.js';
import { runGuardedBatchRunner } from './runGuardedBatchRunner.js';

stopWhenParentGoes(process.env);

// Exit explicitly, as batch-runner's own entry does: sockets of an abandoned download may linger.
runGuardedBatchRunner(process.argv.slice(2), process.env).then((code) => {
  process.exit(code);
});
