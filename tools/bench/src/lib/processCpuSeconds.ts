import { readFile } from 'node:fs/promises';

/** Linux reports utime and stime in clock ticks; 100 per second on every mainstream kernel config. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, seconds) another process has used so far, from `/proc/<pid>/stat`;
 * `undefined` where there is no procfs. The difference over a run tells whether a server was
 * CPU-bound during it.
 */
export async function processCpuSeconds(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}
