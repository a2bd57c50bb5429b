/**
 * In a child server: runs `stop` on SIGTERM, or when the parent harness is gone. `startChildServer`
 * gives the child a stdin pipe; it ends when the parent exits, even by a crash or a closed output
 * pipe, so a benchmark that dies never leaves a server holding a core on a shared machine.
 */
export function stopWithParent(stop: () => Promise<void> | void): void {
  let stopping = false;
  const once = () => {
    if (stopping) return;
    stopping = true;
    Promise.resolve()
      .then(stop)
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', once);
  process.stdin.on('end', once);
  process.stdin.on('error', once);
  process.stdin.resume();
}
