/** Set to `stdin` by the local runtime: stop when stdin closes, i.e. when the parent is gone. */
export const PARENT_WATCH_ENV = 'DOWNLOADER_PARENT_WATCH';

/**
 * The local runtime starts the large-file child with a stdin pipe it never writes to; the
 * pipe closes when the service dies, even by SIGKILL. The child then stops as on SIGTERM
 * (state saved, exit 75), so no orphan keeps writing the file that the restarted service's
 * next attempt resumes.
 */
export function stopWhenParentGoes(env: NodeJS.ProcessEnv): void {
  if (env[PARENT_WATCH_ENV] !== 'stdin') return;
  const stop = (): void => {
    process.kill(process.pid, 'SIGTERM');
  };
  process.stdin.once('end', stop);
  process.stdin.once('error', stop);
  process.stdin.resume();
}
